"""`cityctl migrate status`: workloads of the wave plan start planned; only sensible moves are recorded, with history."""

from __future__ import annotations

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate import status
from amsterdam_cloud.scripts.migrate.yaml_documents import write_yaml

PLAN = {"schema": "amsterdam.migrate.waves/v1", "waves": [
    {"wave": 1, "workloads": [{"id": "permits/dev"}]}, {"wave": 2, "workloads": [{"id": "permits/prod"}]}],
    "heldBack": [], "cycles": []}


def test_every_workload_of_the_plan_starts_planned_in_its_wave():
    document = status.with_plan({"workloads": {}}, PLAN, now="t0")
    assert document["workloads"]["permits/prod"] == {"state": "planned", "wave": 2,
                                                     "history": [{"state": "planned", "at": "t0"}]}


def test_a_workload_moves_planned_copying_cut_over_and_keeps_its_history():
    document = status.with_plan({"workloads": {}}, PLAN, now="t0")
    document = status.change(document, "permits/dev", "copying", now="t1", note="CHG-1")
    document = status.change(document, "permits/dev", "cut-over", now="t2")
    assert [h["state"] for h in document["workloads"]["permits/dev"]["history"]] == ["planned", "copying", "cut-over"]
    assert document["workloads"]["permits/dev"]["history"][1]["note"] == "CHG-1"


@pytest.mark.parametrize(("state", "expected"), [
    ("cut-over", "permits/dev is planned; from planned it can go to copying"),
    ("done", "unknown state"),
])
def test_a_move_that_makes_no_sense_is_refused(state, expected):
    document = status.with_plan({"workloads": {}}, PLAN)
    with pytest.raises(UserError, match=expected):
        status.change(document, "permits/dev", state)


def test_the_command_records_changes_in_the_file_and_prints_the_waves(tmp_path, capsys):
    write_yaml(tmp_path / "waves.yaml", PLAN)
    path = tmp_path / "status.yaml"
    assert main(["migrate", "status", "-w", str(tmp_path / "waves.yaml"), "--file", str(path),
                 "--set", "permits/dev=copying", "--note", "CHG-7"]) == 0
    assert yaml.safe_load(path.read_text())["workloads"]["permits/dev"]["state"] == "copying"
    assert "permits/dev: copying (wave 1" in capsys.readouterr().err
    assert main(["migrate", "status", "-w", str(tmp_path / "waves.yaml"), "--file", str(path),
                 "--set", "permits/dev=planned"]) == 2
