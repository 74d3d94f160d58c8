"""`cityctl deploy --timeout`: a `pulumi` that hangs is stopped and reported in one line, exit 1."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from amsterdam_cloud.policies import settings
from amsterdam_cloud.scripts.cli import main

from ..delivery.exports import export, resource_group


def test_a_hung_pulumi_is_stopped_at_the_timeout(tmp_path: Path, monkeypatch, capsys):
    from pulumi._version import version as sdk_version

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pulumi"
    # answers `pulumi version` like the real CLI, then hangs on everything else (a backend that never answers)
    fake.write_text(f'#!/bin/sh\ncase "$*" in *version*) echo v{sdk_version}; exit 0;; esac\nsleep 600\n')
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

    code = main(["deploy", "dev", "--plan", str(state), "--against", str(state), "--waivers", str(waivers),
                 "--timeout", "1"])

    assert code == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("cityctl: error: deploy: the Pulumi CLI did not finish within "
                                           "--timeout 1 seconds and was stopped")
    assert "Traceback" not in err


def test_a_timeout_must_be_a_positive_number_of_seconds(capsys):
    import pytest

    for bad in ("0", "-5", "soon", "inf"):
        with pytest.raises(SystemExit) as exited:
            main(["deploy", "dev", "--timeout", bad])
        assert exited.value.code == 2
    assert "is not a positive number of seconds" in capsys.readouterr().err
