"""`cityctl deploy` against a misbehaving `pulumi`: hung (stopped at --timeout), failing or too old; always one
line and exit 1, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from amsterdam_cloud.policies import settings
from amsterdam_cloud.scripts.cli import main

from ..delivery.exports import export, resource_group


def _deploy_with_fake_pulumi(tmp_path: Path, monkeypatch, script: str, *extra: str) -> int:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pulumi"
    fake.write_text("#!/bin/sh\n" + script)
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    pack = tmp_path / "pack"
    shutil.copytree(settings.CONFIG_DIR, pack / "config")
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    monkeypatch.setattr(settings, "PACK_DIR", pack)
    monkeypatch.setattr(settings, "CONFIG_DIR", pack / "config")
    state = tmp_path / "state.json"
    state.write_text(json.dumps(export(resource_group(), stack="dev")), encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    return main(["deploy", "dev", "--plan", str(state), "--against", str(state), "--waivers", str(waivers), *extra])


def test_a_hung_pulumi_is_stopped_at_the_timeout(tmp_path: Path, monkeypatch, capsys):
    from pulumi._version import version as sdk_version

    # answers `pulumi version` like the real CLI, then hangs on everything else (a backend that never answers)
    script = f'case "$*" in *version*) echo v{sdk_version}; exit 0;; esac\nsleep 600\n'
    assert _deploy_with_fake_pulumi(tmp_path, monkeypatch, script, "--timeout", "1") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("cityctl: error: deploy: the Pulumi CLI did not finish within "
                                           "--timeout 1 seconds and was stopped")
    assert "Traceback" not in err


@pytest.mark.parametrize("script", [
    "echo 'pulumi: cannot start' >&2; exit 3\n",  # `pulumi version` itself fails
    "echo 'not a version'\n",                     # its version cannot be parsed
    "echo v2.0.0\n",                               # too old for the Automation API
], ids=["version-fails", "unparsable-version", "too-old"])
def test_a_failing_or_unsuitable_pulumi_is_one_line_and_exit_1(tmp_path: Path, monkeypatch, capsys, script):
    assert _deploy_with_fake_pulumi(tmp_path, monkeypatch, script) == 1
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if line.startswith("cityctl: ")]
    assert len(error_lines) == 1 and error_lines[0].startswith("cityctl: error: the Pulumi CLI failed")
    assert "Traceback" not in err and "internal error, please report" not in err


def test_a_failing_pulumis_own_stderr_is_kept_but_labelled_inside_the_one_error_line(tmp_path: Path, monkeypatch,
                                                                                      capsys):
    assert _deploy_with_fake_pulumi(tmp_path, monkeypatch, "echo 'pulumi: cannot start' >&2; exit 3\n") == 1
    err = capsys.readouterr().err
    assert "pulumi: cannot start" in err
    assert all(line.startswith(("cityctl: ", "Offline", "checking", "  ")) or "cannot start" not in line
               for line in err.splitlines())  # never a stray, unlabelled line of the CLI's
    assert err.splitlines()[-1] == ("cityctl: error: the Pulumi CLI failed (`pulumi version` exit 3; pulumi said: "
                                    "pulumi: cannot start); check `pulumi version` and `pulumi login`")


def test_a_timeout_must_be_a_positive_number_of_seconds(capsys):
    for bad in ("0", "-5", "soon", "inf"):
        with pytest.raises(SystemExit) as exited:
            main(["deploy", "dev", "--timeout", bad])
        assert exited.value.code == 2
    assert "is not a positive number of seconds" in capsys.readouterr().err
