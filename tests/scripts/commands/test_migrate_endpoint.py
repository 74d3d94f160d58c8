"""`cityctl migrate discover --endpoint-url`: a malformed URL is one line naming the option, exit 2, before any call."""

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
