"""`cityctl deploy`: stops plainly without the Pulumi CLI, refuses before the CLI changes anything, else deploys."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amsterdam_cloud.core.backend import city_backend_url, city_secrets_provider
from amsterdam_cloud.policies import settings
from amsterdam_cloud.policies import waivers as waivers_module
from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.delivery import pulumi_cli
from amsterdam_cloud.scripts.delivery.plan_diff import PreviewStep

from .exports import export, postgres_database, resource_group

REPO = Path(__file__).resolve().parents[3]


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


def test_a_stack_that_names_no_environment_needs_one(capsys, monkeypatch):
    monkeypatch.setattr(pulumi_cli, "require_cli", lambda: "/opt/pulumi/bin/pulumi")
    assert main(["deploy", "sandbox"]) == 2
    assert "pass --environment" in capsys.readouterr().err


class _FakeCli:
    """Stands in for the Automation API calls; records what the command asked of the CLI."""

    def __init__(self, existing: bool = True, steps: tuple[PreviewStep, ...] = ()) -> None:
        self.calls: list[tuple[str, str]] = []
        self.existing = existing
        self.steps = list(steps)
        self.created: list[pulumi_cli.Target] = []

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
        self.created.append(target)
        return target

    def _preview(self, stack, target, on_output=None):
        self.calls.append(("preview", str(target.policy_pack_config)))
        return {"create": 1}, self.steps

    def _up(self, stack, target, message, on_output=None):
        self.calls.append(("up", str(target.policy_pack_config)))
        return {"create": 1}


def _override_waivers(*options: str, expires: str = "2099-12-31") -> str:
    """A waivers file whose `deploy-override` waivers let prod accept these gate options."""
    return "waivers:\n" + "".join(
        f"  - {{rule: deploy-override, resource: '{option}', stack: prod, reason: Tests judge fixed dates and files, "
        f"owner: cloud-platform@amsterdam.nl, approver: ciso@amsterdam.nl, approved: 2020-01-01, ticket: CLOUD-1, "
        f"expires: {expires}}}\n"
        for option in options)


@pytest.fixture
def deploy_files(tmp_path, monkeypatch):
    """A policy pack folder, an empty waivers file, the current state with one database, and a default waivers
    file that lets prod accept the test's --today, --waivers and --against."""
    pack = tmp_path / "pack"
    shutil.copytree(settings.CONFIG_DIR, pack / "config")  # the real levels: prod is mandatory
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    monkeypatch.setattr(settings, "PACK_DIR", pack)
    monkeypatch.setattr(settings, "CONFIG_DIR", pack / "config")
    default_waivers = tmp_path / "default-waivers.yaml"
    default_waivers.write_text(_override_waivers("--today", "--waivers", "--against"), encoding="utf-8")
    monkeypatch.setattr(waivers_module, "DEFAULT_WAIVERS_FILE", default_waivers)
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


def _deploy_new_stack(files, plan: Path, stack: str = "prod", *extra: str) -> int:
    return main(["deploy", stack, "--plan", str(plan), "--waivers", str(files["waivers"]), "--today", "2026-11-28",
                 "--project-dir", str(REPO), *extra])


def test_a_missing_prod_stack_is_refused_with_the_stack_init_line_and_never_created(deploy_files, monkeypatch,
                                                                                     capsys):
    cli = _FakeCli(existing=False)
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group()))

    assert _deploy_new_stack(deploy_files, plan, "prod", "--create") == 1

    assert cli.calls == []
    assert ("pulumi stack init organization/amsterdam-platform/prod --secrets-provider "
            f"'{city_secrets_provider('prod')}'") in capsys.readouterr().err


def test_a_missing_dev_stack_needs_create(deploy_files, monkeypatch, capsys):
    cli = _FakeCli(existing=False)
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), stack="dev"))

    assert _deploy_new_stack(deploy_files, plan, "dev") == 1

    assert cli.calls == []
    assert "pass --create to create it" in capsys.readouterr().err


def test_preview_only_never_creates_a_stack(deploy_files, monkeypatch, capsys):
    cli = _FakeCli(existing=False)
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), stack="dev"))

    assert _deploy_new_stack(deploy_files, plan, "dev", "--create", "--preview-only") == 1

    assert cli.calls == []
    assert "--preview-only never creates a stack" in capsys.readouterr().err


def test_create_makes_a_dev_stack_with_the_secrets_provider_once_the_gate_allows_it(deploy_files, monkeypatch):
    cli = _FakeCli(existing=False)
    cli.install(monkeypatch)
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), stack="dev"))

    assert _deploy_new_stack(deploy_files, plan, "dev", "--create", "--secrets-provider",
                             "azurekeyvault://kv-test.vault.azure.net/keys/k") == 0

    assert [name for name, _ in cli.calls] == ["create", "preview", "up"]
    assert cli.created[0].secrets_provider == "azurekeyvault://kv-test.vault.azure.net/keys/k"
    assert cli.created[0].stack == "organization/amsterdam-platform/dev"


@pytest.mark.parametrize("option", ["--today", "--waivers", "--against"])
def test_prod_refuses_an_option_that_weakens_the_gate_without_a_waiver(deploy_files, monkeypatch, capsys, option):
    cli = _FakeCli()
    cli.install(monkeypatch)
    deploy_files["dir"].joinpath("default-waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), postgres_database()))
    value = {"--today": "2026-11-28", "--waivers": str(deploy_files["waivers"]),
             "--against": str(deploy_files["current"])}[option]

    assert main(["deploy", "prod", "--plan", str(plan), option, value]) == 2

    assert cli.calls == []
    err = capsys.readouterr().err
    assert f"{option} weakens the gate and is refused in prod (no waiver allows it)" in err
    assert "deploy-override" in err


def test_an_expired_override_waiver_no_longer_lets_the_option_through(deploy_files, monkeypatch, capsys):
    cli = _FakeCli()
    cli.install(monkeypatch)
    deploy_files["dir"].joinpath("default-waivers.yaml").write_text(
        _override_waivers("--today", expires="2020-01-31"), encoding="utf-8")
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), postgres_database()))

    assert main(["deploy", "prod", "--plan", str(plan), "--today", "2026-11-28"]) == 2

    assert "its waiver expired on 2020-01-31" in capsys.readouterr().err
    assert cli.calls == []


def test_dev_accepts_the_gate_options_without_a_waiver(deploy_files, monkeypatch):
    cli = _FakeCli()
    cli.install(monkeypatch)
    deploy_files["dir"].joinpath("default-waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group(), stack="dev"))

    assert main(["deploy", "dev", "--plan", str(plan), "--today", "2026-11-28", "--waivers",
                 str(deploy_files["waivers"]), "--against", str(deploy_files["current"])]) == 0

    assert [name for name, _ in cli.calls] == ["preview", "up"]


FAKE_PULUMI = """#!/bin/sh
# Records every call; answers `version`, and `stack select` as the CLI does for a stack the backend lacks.
printf '%s | %s\\n' "${PULUMI_BACKEND_URL:-}" "$*" >> "$PULUMI_CALLS"
case "$*" in
  version) echo v3.200.0 ;;
  *"stack select"*) echo "error: no stack named '$5' found" >&2; exit 255 ;;
  *) echo "fake pulumi: unexpected call" >&2; exit 3 ;;
esac
"""


def test_deploy_prod_with_no_stack_refuses_with_the_stack_init_line_and_never_calls_init(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "pulumi").write_text(FAKE_PULUMI, encoding="utf-8")
    (fake_bin / "pulumi").chmod(0o755)
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}", "PULUMI_CALLS": str(calls)}
    env.pop(pulumi_cli.SECRETS_PROVIDER_ENV, None)
    env.pop("PULUMI_BACKEND_URL", None)

    result = subprocess.run([sys.executable, "-m", "amsterdam_cloud.scripts.cli", "deploy", "prod"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=300)

    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0].startswith(
        "Deploy of project amsterdam-platform (Pulumi.yaml, from the current folder), stack prod;")
    assert ("create the stack once: PULUMI_BACKEND_URL='azblob://pulumi-state?storage_account=stamsterdampulumistate' "
            "pulumi stack init organization/amsterdam-platform/prod --secrets-provider "
            "'azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state'") in result.stderr
    recorded = calls.read_text(encoding="utf-8").splitlines()
    assert [call.split(" | ")[0] for call in recorded if "stack select --stack organization/amsterdam-platform/prod"
            in call] == [city_backend_url("prod")]
    assert not any(" init" in f" {call}" for call in recorded), recorded
    assert "Traceback" not in result.stderr


def test_deploy_dev_reaches_devs_state_container_and_names_devs_key_even_with_prods_url_set(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "pulumi").write_text(FAKE_PULUMI, encoding="utf-8")
    (fake_bin / "pulumi").chmod(0o755)
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}", "PULUMI_CALLS": str(calls),
           "PULUMI_BACKEND_URL": city_backend_url("prod")}  # what every pipeline used to set
    env.pop(pulumi_cli.SECRETS_PROVIDER_ENV, None)

    result = subprocess.run([sys.executable, "-m", "amsterdam_cloud.scripts.cli", "deploy", "dev"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=300)

    assert result.returncode == 1, result.stderr
    dev_url = "azblob://pulumi-state-dev?storage_account=stamsterdampulumistate"
    assert [call.split(" | ")[0] for call in calls.read_text(encoding="utf-8").splitlines()
            if "stack select --stack organization/amsterdam-platform/dev" in call] == [dev_url]
    assert (f"create the stack: PULUMI_BACKEND_URL='{dev_url}' pulumi stack init organization/amsterdam-platform/dev "
            "--secrets-provider 'azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state-dev'") in \
        result.stderr


def test_a_missing_policy_pack_is_a_user_error(deploy_files, monkeypatch, capsys):
    _FakeCli().install(monkeypatch)
    (deploy_files["pack"] / "PulumiPolicy.yaml").unlink()
    plan = _write_plan(deploy_files["dir"] / "plan.json", export(resource_group()))

    assert _deploy(deploy_files, plan) == 2
    assert "no PulumiPolicy.yaml" in capsys.readouterr().err
