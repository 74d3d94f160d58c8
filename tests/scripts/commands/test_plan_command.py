"""`cityctl plan` end to end: exit codes, the saved plan, stdout output, diagrams, the diff gate and --all."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from amsterdam_cloud.scripts.cli import main
from tests.scripts.interrupt import interrupt_at

REPO = Path(__file__).resolve().parents[3]


def test_plan_dev_saves_the_plan_checks_policy_and_draws_the_network(tmp_path: Path, capsys):
    diagram = tmp_path / "dev.svg"
    code = main(["plan", "dev", "--plans-dir", str(tmp_path), "--diagram", str(diagram)])
    err = capsys.readouterr().err
    assert code == 0, err
    saved = json.loads((tmp_path / "amsterdam-platform.dev.json").read_text())
    assert saved["version"] == 3
    assert saved["deployment"]["resources"][0]["type"] == "pulumi:pulumi:Stack"
    assert "+   pulumi:pulumi:Stack" in err and "to create" in err
    assert "No violations." in err
    assert diagram.read_text().lstrip().startswith(("<?xml", "<svg"))


def test_out_dash_writes_the_plan_to_stdout_and_people_output_to_stderr(tmp_path: Path, capsys):
    code = main(["plan", "test", "--plans-dir", str(tmp_path), "--out", "-", "--no-policy", "--no-tree"])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["version"] == 3
    assert "Plan written to <stdout>" in captured.err
    assert not (tmp_path / "amsterdam-platform.test.json").exists()


def test_unknown_stack_is_one_line_and_exit_2(capsys):
    assert main(["plan", "staging"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cityctl: error: ") and "Pulumi.staging.yaml: no such stack file" in err
    assert "stacks here: dev, test, acc, prod" in err
    assert "\n" not in err


def test_no_stack_and_no_all_is_a_usage_error(capsys):
    assert main(["plan"]) == 2
    assert "name a stack" in capsys.readouterr().err


def test_a_bad_stack_file_fails_before_any_resource_with_file_and_key(tmp_path: Path, capsys):
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text((REPO / "Pulumi.yaml").read_text().replace("main: stacks/", f"main: {REPO / 'stacks'}"))
    stacks = project / "stacks"
    stacks.mkdir()
    (stacks / "Pulumi.dev.yaml").write_text((REPO / "stacks" / "Pulumi.dev.yaml").read_text()
                                            .replace("location: westeurope", "location: westeuropa"))
    code = main(["plan", "dev", "--project-dir", str(project), "--plans-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0
    assert "amsterdam-platform:location" in err and "unknown Azure region 'westeuropa'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "amsterdam-platform.dev.json").exists()


def test_against_the_same_plan_changes_nothing_and_the_gate_allows(tmp_path: Path, capsys):
    assert main(["plan", "acc", "--plans-dir", str(tmp_path), "--no-tree"]) == 0
    before = tmp_path / "before.json"
    before.write_text((tmp_path / "amsterdam-platform.acc.json").read_text())
    capsys.readouterr()
    assert main(["plan", "acc", "--plans-dir", str(tmp_path), "--no-tree", "--against", str(before)]) == 0
    err = capsys.readouterr().err
    assert "unchanged" in err and "deploy gate allowed" in err


def test_against_a_plan_whose_vault_is_gone_from_the_new_one_is_data_loss_refused_in_acc(tmp_path: Path, capsys):
    assert main(["plan", "acc", "--plans-dir", str(tmp_path), "--no-tree"]) == 0
    current = json.loads((tmp_path / "amsterdam-platform.acc.json").read_text())
    vault = next(r for r in current["deployment"]["resources"] if r["type"] == "azure-native:keyvault:Vault")
    extra = json.loads(json.dumps(vault))
    extra["urn"] = vault["urn"] + "-old"
    current["deployment"]["resources"].append(extra)  # in the current state, not in the plan: a delete
    before = tmp_path / "current.json"
    before.write_text(json.dumps(current))
    capsys.readouterr()
    code = main(["plan", "acc", "--plans-dir", str(tmp_path), "--no-tree", "--against", str(before)])
    err = capsys.readouterr().err
    assert code == 1
    assert "REFUSED" in err and "data loss" in err


def test_all_plans_every_stack_in_worker_processes(tmp_path: Path):
    result = subprocess.run([str(Path(sys.executable).with_name("cityctl")), "plan", "--all", "--plans-dir",
                             str(tmp_path), "--no-tree"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        f"amsterdam-platform.{stack}.json" for stack in sorted(("dev", "test", "acc", "prod"))]
    assert "4 stacks" in result.stderr
    assert "Traceback" not in result.stderr and "ForkPoolWorker" not in result.stderr  # idle workers stop quietly


@pytest.mark.parametrize("signum,to_group", [(signal.SIGTERM, False), (signal.SIGINT, True), (signal.SIGTERM, True)],
                         ids=["sigterm-to-cityctl", "ctrl-c-to-the-terminal-group", "sigterm-to-the-group"])
def test_a_signal_during_a_multi_stack_plan_stops_the_workers_quietly_with_exit_130(tmp_path: Path, signum,
                                                                                    to_group: bool):
    plans = tmp_path / "plans"
    interrupt_at(["plan", "dev", "test", "acc", "--no-tree", "--plans-dir", str(plans)], "  planning ", signum,
                 to_group, cwd=REPO)
    leftovers = [p.name for p in plans.glob("*")
                 if not p.name.endswith((".json", ".json.provenance"))] if plans.exists() else []
    assert leftovers == []  # no temporary file; a plan that is there was written whole
    for plan in plans.glob("*.json") if plans.exists() else ():
        assert json.loads(plan.read_text(encoding="utf-8"))["version"] == 3


def test_plan_finds_the_project_from_a_subfolder_and_saves_into_its_out_plans(tmp_path: Path, monkeypatch):
    project = tmp_path / "state"
    shutil.copytree(REPO / "stacks" / "state_backend", project)
    (project / "docs").mkdir()
    monkeypatch.delenv("CITYCTL_PLANS_DIR", raising=False)

    result = subprocess.run([str(Path(sys.executable).with_name("cityctl")), "plan", "prod", "--no-tree"],
                            capture_output=True, text=True, cwd=project / "docs", timeout=300)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(
        f"Offline plan of project amsterdam-state-backend ({project / 'Pulumi.yaml'}, from a parent of the current "
        f"folder), stack prod; plans in {project / 'out' / 'plans'}")
    assert (project / "out" / "plans" / "amsterdam-state-backend.prod.json").is_file()


def test_the_plans_dir_variable_is_where_plans_go_and_references_resolve(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("CITYCTL_PLANS_DIR", str(tmp_path))

    assert main(["plan", "dev", "--project-dir", str(REPO), "--no-tree", "--no-policy"]) == 0
    assert main(["plan", "dev", "--project-dir", str(REPO / "stacks" / "workplace"), "--no-tree",
                 "--no-policy"]) == 0  # its StackReference to the platform resolves from the same folder

    assert {p.name for p in tmp_path.glob("*.json")} == {"amsterdam-platform.dev.json", "amsterdam-workplace.dev.json"}


def test_summary_needs_against(capsys):
    assert main(["plan", "dev", "--project-dir", str(REPO), "--summary", "s.md"]) == 2
    assert "pass --against FILE too" in capsys.readouterr().err
