"""`cityctl policy pack-dir`: where the installed CrossGuard pack and its per-environment configs are."""

from __future__ import annotations

from pathlib import Path

from amsterdam_cloud.policies import settings
from amsterdam_cloud.scripts.cli import main


def test_pack_dir_prints_the_installed_pack_folder(capsys):
    assert main(["policy", "pack-dir"]) == 0

    printed = Path(capsys.readouterr().out.strip())
    assert printed == settings.PACK_DIR and (printed / "PulumiPolicy.yaml").is_file()


def test_pack_dir_with_an_environment_prints_its_pack_config(capsys):
    assert main(["policy", "pack-dir", "--environment", "prod"]) == 0

    assert Path(capsys.readouterr().out.strip()) == settings.PACK_DIR / "config" / "prod.json"


def test_a_pack_missing_from_the_install_is_a_user_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(settings, "PACK_DIR", tmp_path / "gone")

    assert main(["policy", "pack-dir"]) == 2
    assert "not installed; reinstall amsterdam-cloud" in capsys.readouterr().err
