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


ORDERED = {"schema": "amsterdam.migrate.waves/v1", "waves": [
    {"wave": 1, "workloads": [{"id": "afval/dev", "status": "ready"}, {"id": "belasting/prod", "status": "ready"},
                              {"id": "archief/prod", "status": "blocked", "provisional": True,
                               "reasons": ["blocked: data-outside-eu"]}]},
    {"wave": 2, "workloads": [{"id": "afval/prod", "status": "ready", "after": "afval/dev"},
                              {"id": "parkeer/prod", "status": "needs"}]}],
    "heldBack": [], "cycles": []}


def _moved(*moves: tuple[str, str]) -> dict:
    document = status.with_plan({"workloads": {}}, ORDERED, now="t0")
    for workload, state in moves:
        document = status.change(document, workload, state, waves=ORDERED, now="t1")
    return document


def test_a_provisional_workload_does_not_start_and_the_message_names_its_blocker():
    with pytest.raises(UserError, match=r"--set archief/prod=copying: refused, it is provisional in the wave plan "
                                        r"\(blocked: data-outside-eu\).*--force with --note"):
        _moved(("archief/prod", "copying"))


def test_a_workload_that_was_not_generated_does_not_start():
    with pytest.raises(UserError, match="parkeer/prod=copying: refused, its mapping status is needs, so `generate` wrote nothing"):
        _moved(("parkeer/prod", "copying"))


def test_prod_is_not_cut_over_before_its_dev_and_the_earlier_wave():
    document = _moved(("afval/prod", "copying"))
    with pytest.raises(UserError, match=r"its earlier environment afval/dev is not cut over.*wave 2 cuts over after "
                                        r"the earlier waves, and belasting/prod are not cut over"):
        status.change(document, "afval/prod", "cut-over", waves=ORDERED)


def test_prod_is_cut_over_once_dev_and_the_earlier_wave_are_the_provisional_one_waits():
    document = _moved(("afval/dev", "copying"), ("afval/dev", "cut-over"), ("belasting/prod", "copying"),
                      ("belasting/prod", "cut-over"), ("afval/prod", "copying"), ("afval/prod", "cut-over"))
    assert document["workloads"]["afval/prod"]["state"] == "cut-over"
    assert document["workloads"]["archief/prod"]["state"] == "planned"


def test_force_needs_a_note_and_records_what_it_overrode():
    document = _moved(("afval/prod", "copying"))
    with pytest.raises(UserError, match="--force needs --note"):
        status.change(document, "afval/prod", "cut-over", waves=ORDERED, force=True)
    with pytest.raises(UserError, match="--force needs --note"):
        status.change(document, "afval/prod", "cut-over", waves=ORDERED, force=True, note="   ")
    document = status.change(document, "afval/prod", "cut-over", waves=ORDERED, force=True, note="CHG-9: dev gone")
    last = document["workloads"]["afval/prod"]["history"][-1]
    assert last["note"] == "CHG-9: dev gone" and "its earlier environment afval/dev is not cut over" in last["forced"][0]


def test_the_command_refuses_an_out_of_order_cut_over_with_exit_2_and_writes_nothing(tmp_path, capsys):
    write_yaml(tmp_path / "waves.yaml", ORDERED)
    path = tmp_path / "status.yaml"
    command = ["migrate", "status", "-w", str(tmp_path / "waves.yaml"), "--file", str(path)]
    assert main([*command, "--set", "afval/prod=copying"]) == 0
    before = path.read_text()
    assert main([*command, "--set", "afval/prod=cut-over"]) == 2
    assert "afval/prod=cut-over: refused, its earlier environment afval/dev" in capsys.readouterr().err
    assert path.read_text() == before
    assert main([*command, "--set", "afval/prod=cut-over", "--force", "--note", "CHG-10: dev retired"]) == 0
    assert yaml.safe_load(path.read_text())["workloads"]["afval/prod"]["state"] == "cut-over"


def test_the_table_marks_a_provisional_workloads_wave_as_the_wave_plan_does():
    document = status.with_plan({"workloads": {}}, ORDERED, now="t0")
    assert "archief/prod: planned (wave 1?, since t0)" in status.table(document)
    assert "afval/dev: planned (wave 1, since t0)" in status.table(document)
