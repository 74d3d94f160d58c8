"""`cityctl deploy`: stops plainly without the Pulumi CLI, refuses before the CLI changes anything, else deploys."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amsterdam_cloud.policies import settings
from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.delivery import pulumi_cli
from amsterdam_cloud.scripts.delivery.plan_diff import PreviewStep

from .exports import export, postgres_database, resource_group, storage_account


def test_without_the_pulumi_cli_deploy_says_so_and_stops(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {**os.environ, "PATH": str(empty_bin)}

    result = subprocess.run([sys.executable, "-m", "amsterdam_cloud.scripts.cli", "deploy", "prod"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 2
    assert result.stderr.startswith("cityctl: error: deploy: the Pulumi CLI (`pulumi`) is not installed")
    assert "nothing was deployed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_stack_that_names_no_environment_needs_one(capsys):
    assert main(["deploy", "sandbox"]) == 2
    assert "pass --environment" in capsys.readouterr().err


class _FakeCli:
    """Stands in for the Automation API calls; records what the command asked of the CLI."""

    def __init__(self, existing: bool = True, steps: tuple[PreviewStep, ...] = ()) -> None:
        self.calls: list[tuple[str, str]] = []
        self.existing = existing
        self.steps = list(steps)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(pulumi_cli, "require_cli", lambda: "/opt/pulumi/bin/pulumi")
        monkeypatch.setattr(pulumi_cli, "find_stack", lambda target: target if self.existing else None)
        monkeypatch.setattr(pulumi_cli, "create_stack", self._create)
        monkeypatch.setattr(pulumi_cli, "export_state", self._unexpected_export)
        monkeypatch.setattr(pulumi_cli, "preview", self._preview)
        monkeypatch.setattr(pulumi_cli, "up", self._up)

    def _unexpected_export(self, stack):
        raise AssertionError("--against was given; the real state must not be exported")

    def _create(self, target):
        self.calls.append(("create", target.stack))
        return target

    def _preview(self, stack, target, on_output=None):
        self.calls.append(("preview", str(target.policy_pack_config)))
        return {"create": 1}, self.steps

    def _up(self, stack, target, message, on_output=None):
        self.calls.append(("up", str(target.policy_pack_config)))
        return {"create": 1}


@pytest.fixture
def deploy_files(tmp_path, monkeypatch):
    """A policy pack folder, an empty waivers file, and the current state with one database."""
    pack = tmp_path / "pack"
    shutil.copytree(settings.CONFIG_DIR, pack / "config")  # the real levels: prod is mandatory
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    monkeypatch.setattr(settings, "PACK_DIR", pack)
    monkeypatch.setattr(settings, "CONFIG_DIR", pack / "config")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    current = tmp_path / "current.json"
    current.write_text(json.dumps(export(resource_group(), postgres_database())), encoding="utf-8")
    return {"waivers": waivers, "current": current, "dir": tmp_path, "pack": pack}


def _write_plan(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _deploy(files, plan: Path, *extra: str) -> int:
    return main(["deploy", "prod", "--plan", str(plan), "--against", str(files["current"]), "--waivers",
                 str(files["waivers"]), "--today", "2026-11-28", "--output", str(files["dir"] / "gate.json"),
                 *extra])


def test_a_refused_plan_never_reaches_the_cli(deploy_files, monkeypatch):
    cli = _FakeCli()
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group()))  # drops the database

    assert _deploy(deploy_files, plan) == 1

    assert cli.calls == []
    decision = json.loads((deploy_files["dir"] / "gate.json").read_text())["decision"]
    assert decision["verdict"] == "refuse"


def test_an_allowed_plan_is_previewed_then_deployed_with_the_environments_pack_config(deploy_files, monkeypatch):
    cli = _FakeCli()
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), postgres_database()))

    assert _deploy(deploy_files, plan) == 0

    config = str(deploy_files["pack"] / "config" / "prod.json")
    assert cli.calls == [("preview", config), ("up", config)]


def test_a_replacement_only_the_real_preview_shows_is_refused_before_the_update(deploy_files, monkeypatch, capsys):
    database = postgres_database()
    replaced = [PreviewStep(op, database["urn"], database["type"], diffs=("charset",), replace_keys=("charset",))
                for op in ("create-replacement", "replace", "delete-replaced")]
    cli = _FakeCli(steps=tuple(replaced))
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), database))

    assert _deploy(deploy_files, plan) == 1

    assert [name for name, _ in cli.calls] == ["preview"]
    assert "the provider replaces it for charset" in capsys.readouterr().err


def test_preview_only_stops_before_the_update(deploy_files, monkeypatch):
    cli = _FakeCli()
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), postgres_database()))

    assert _deploy(deploy_files, plan, "--preview-only") == 0

    assert [name for name, _ in cli.calls] == ["preview"]


def _deploy_new_stack(files, plan: Path) -> int:
    return main(["deploy", "prod", "--plan", str(plan), "--waivers", str(files["waivers"]), "--today", "2026-11-28"])


def test_a_new_stack_is_created_once_the_gate_allows_it(deploy_files, monkeypatch):
    cli = _FakeCli(existing=False)
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group()))

    assert _deploy_new_stack(deploy_files, plan) == 0

    assert [name for name, _ in cli.calls] == ["create", "preview", "up"]


def test_a_refused_new_stack_is_not_created(deploy_files, monkeypatch):
    cli = _FakeCli(existing=False)
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json",
                       export(resource_group(), storage_account(allowBlobPublicAccess=True)))

    assert _deploy_new_stack(deploy_files, plan) == 1

    assert cli.calls == []


def test_a_missing_policy_pack_is_a_user_error(deploy_files, monkeypatch, capsys):
    _FakeCli().install(monkeypatch)
    (deploy_files["pack"] / "PulumiPolicy.yaml").unlink()
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group()))

    assert _deploy(deploy_files, plan) == 2
    assert "no PulumiPolicy.yaml" in capsys.readouterr().err
