"""`cityctl migrate`: a malformed endpoint URL or a wave plan made from another mapping is one line, exit 2."""

from __future__ import annotations

import pytest

from amsterdam_cloud.scripts.cli import main


@pytest.mark.parametrize("url, problem", [("not a url", "not an http(s) URL with a host"),
                                          ("http://[::1", "is not a URL (Invalid IPv6 URL)"),
                                          ("http://host:99999", "is not a URL (Port out of range"),
                                          ("ftp://host", "not an http(s) URL with a host")])
def test_a_malformed_endpoint_url_is_bad_input(tmp_path, capsys, url, problem):
    output = tmp_path / "inventory.yaml"
    assert main(["migrate", "discover", "--region", "eu-west-1", "--endpoint-url", url, "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"cityctl: error: --endpoint-url: {url!r} ") and problem in err
    assert not output.exists()


def test_a_malformed_endpoint_from_the_environment_names_the_variable(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "localhost:5000")
    assert main(["migrate", "discover", "--region", "eu-west-1", "--output", str(tmp_path / "i.yaml")]) == 2
    assert "AWS_ENDPOINT_URL: 'localhost:5000' is not an http(s) URL" in capsys.readouterr().err


def test_a_wave_plan_from_another_mapping_is_refused(tmp_path, capsys):
    (tmp_path / "cmdb.csv").write_text("id,name,type,application,environment,owner,cost_center,cpu,memory_gb\n"
                                       "web-1,web-01,server,parking,prod,parking@amsterdam.nl,CC-1234,2,8\n")
    assert main(["migrate", "import-cmdb", str(tmp_path / "cmdb.csv"), "--output", str(tmp_path / "inv.yaml")]) == 0
    assert main(["migrate", "map", "--inventory", str(tmp_path / "inv.yaml"), "--output", str(tmp_path / "map.yaml")]) == 0
    assert main(["migrate", "waves", "--mapping", str(tmp_path / "map.yaml"), "--output",
                 str(tmp_path / "waves.yaml")]) == 0
    with (tmp_path / "map.yaml").open("a") as stream:
        stream.write("# edited after the waves were planned\n")
    capsys.readouterr()
    assert main(["migrate", "generate", "--mapping", str(tmp_path / "map.yaml"), "--waves",
                 str(tmp_path / "waves.yaml"), "--output-dir", str(tmp_path / "gen")]) == 2
    assert "mapping.sha256: the wave plan was made from another mapping" in capsys.readouterr().err
    assert not (tmp_path / "gen").exists()
