"""The overrides file: schema-checked, found in the working folder, read by every step, and never reverted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate import overrides

from .test_cmdb import DUTCH_EXPORT

HEADER = "schema: amsterdam.migrate.overrides/v1\n"


def write(folder: Path, text: str) -> Path:
    path = folder / "overrides.yaml"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("owners: {Team A: not-a-mailbox}\n", "overrides.yaml: owners.Team A: 'not-a-mailbox' does not match"),
    ("workloads: {a/prod: {wave: 0}}\n", "overrides.yaml: workloads.a/prod.wave: 0 is less than the minimum of 1"),
    ("workloads: {a/prod: {colour: red}}\n", "overrides.yaml: workloads.a/prod: Additional properties are not allowed"),
    ("environments: {prd2: production}\n", "overrides.yaml: environments.prd2: 'production' is not one of"),
    ("workloads: {Permits: {wave: 1}}\n", "overrides.yaml: workloads.Permits: not a workload id"),
    ("workloads: {a/prod: {environment: qa-9}}\n", "overrides.yaml: workloads.a/prod.environment: 'qa-9' is no known"),
    ("databaseAdminGroups: {Team A: {displayName: dba, objectId: not-a-guid}}\n",
     "overrides.yaml: databaseAdminGroups.Team A.objectId: 'not-a-guid' does not match"),
    ("workloads: {a/prod: {databaseAdminGroup: {displayName: dba}}}\n",
     "overrides.yaml: workloads.a/prod.databaseAdminGroup: 'objectId' is a required property"),
])
def test_a_mistake_names_the_file_and_the_key(tmp_path, text, expected):
    with pytest.raises(UserError) as error:
        overrides.load(write(tmp_path, text))
    assert expected in str(error.value)


GROUP = {"displayName": "team-a-dba", "objectId": "5F0C1E2D-0000-4000-8000-00000000D0BA"}


def test_the_database_admin_group_comes_from_the_workload_then_the_owner_mailbox_then_the_team_name(tmp_path):
    given = overrides.load(write(tmp_path, yaml.safe_dump({
        "databaseAdminGroups": {"Team A": GROUP, "b@amsterdam.nl": {**GROUP, "displayName": "team-b-dba"}},
        "workloads": {"c/prod": {"databaseAdminGroup": {**GROUP, "displayName": "team-c-dba"}}}})))
    assert (given.database_admin_group(None, "team a"), given.database_admin_group("b@amsterdam.nl", "Team A"),
            given.database_admin_group("x@amsterdam.nl", "Team X"), given.workload("c/prod")["databaseAdminGroup"]) == (
        GROUP, {**GROUP, "displayName": "team-b-dba"}, None, {**GROUP, "displayName": "team-c-dba"})


def test_an_entry_for_no_workload_is_named_with_the_nearest_id(tmp_path):
    given = overrides.load(write(tmp_path, "workloads: {permits/prd: {costCenter: CC-4120}, "
                                           "legacy/uat2: {environment: acc}, permits/prod: {wave: 1}}\n"))
    assert given.unknown_workloads(["permits/prod", "legacy/acc"]) == [
        f"{given.file}: workloads.permits/prd: no such workload; did you mean permits/prod?"]


def test_a_file_of_another_version_is_refused(tmp_path):
    path = tmp_path / "overrides.yaml"
    path.write_text("schema: amsterdam.migrate.overrides/v2\n")
    with pytest.raises(UserError, match="is not supported by this cityctl"):
        overrides.load(path)


def test_the_file_in_the_working_folder_is_read_without_an_option(tmp_path, monkeypatch):
    (tmp_path / "migration").mkdir()
    write(tmp_path / "migration", "environments: {prd2: prod}\n")
    monkeypatch.chdir(tmp_path)
    assert overrides.load(None).environment("PRD2") == "prod"


def test_without_a_file_only_the_built_in_tables_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    given = overrides.load(None)
    assert (given.source, given.environment("Productie"), given.classification("geheim")) == (None, "prod", "not-bio")


@pytest.mark.parametrize("step", [
    ["import-cmdb", "x.csv"], ["map", "--inventory", "x.yaml"], ["waves", "--mapping", "x.yaml"],
    ["generate", "--mapping", "x.yaml", "--output-dir", "out"], ["discover", "--region", "eu-west-1"],
])
def test_every_step_reads_the_overrides_and_stops_on_a_broken_one(tmp_path, capsys, step):
    path = write(tmp_path, "workloads: {a/prod: {wave: first}}\n")
    assert main(["migrate", *step, "--overrides", str(path)]) == 2
    assert "overrides.yaml: workloads.a/prod.wave: 'first' is not of type 'integer'" in capsys.readouterr().err


OVERRIDES = """\
owners:
  Team Parkeren: parkeren@amsterdam.nl
databaseAdminGroups:
  Team Parkeren: {displayName: team-parkeren-dba, objectId: 5f0c1e2d-0000-4000-8000-00000000d0ba}
workloads:
  parkeren/prod: {costCenter: CC-5120}
"""


def test_a_dutch_cmdb_estate_needs_lines_then_is_ready_and_generated(tmp_path, capsys):
    """The Dutch export: team-name owner, no CC- prefix... and one override file turns `needs` into `ready`."""
    (tmp_path / "cmdb.csv").write_bytes(DUTCH_EXPORT.replace(";5120;", ";;").encode("cp1252"))
    inventory, mapping, plan = (tmp_path / f"{n}.yaml" for n in ("inventory", "mapping", "waves"))
    assert main(["migrate", "import-cmdb", str(tmp_path / "cmdb.csv"), "-o", str(inventory)]) == 0
    assert main(["migrate", "map", "-i", str(inventory), "-o", str(mapping)]) == 0
    err = capsys.readouterr().err
    assert "add to migration/overrides.yaml under `owners`:  Team Parkeren: <team mailbox>@amsterdam.nl" in err
    assert "add to migration/overrides.yaml under `workloads: parkeren/prod`:  costCenter: CC-<4 to 6 digits>" in err
    assert yaml.safe_load(mapping.read_text())["workloads"][0]["status"] == "needs"
    assert ("add to migration/overrides.yaml under `databaseAdminGroups`:  Team Parkeren: {displayName: <the team's "
            "Entra group>, objectId: <its object id>}") in err

    path = write(tmp_path, OVERRIDES)
    assert main(["migrate", "map", "-i", str(inventory), "-o", str(mapping), "--overrides", str(path)]) == 0
    workload = yaml.safe_load(mapping.read_text())["workloads"][0]
    assert (workload["status"], workload["owner"], workload["costCenter"], workload["dataClassification"]) == (
        "ready", "parkeren@amsterdam.nl", "CC-5120", "BBN3")
    assert main(["migrate", "waves", "-m", str(mapping), "-o", str(plan), "--overrides", str(path)]) == 0
    assert yaml.safe_load(plan.read_text())["waves"][0]["workloads"][0]["id"] == "parkeren/prod"


def test_a_reimport_of_the_cmdb_does_not_revert_the_overrides(tmp_path):
    (tmp_path / "cmdb.csv").write_bytes(DUTCH_EXPORT.encode("utf-8-sig"))
    inventory, mapping = tmp_path / "inventory.yaml", tmp_path / "mapping.yaml"
    path = write(tmp_path, OVERRIDES)
    assert main(["migrate", "import-cmdb", str(tmp_path / "cmdb.csv"), "-o", str(inventory)]) == 0
    assert main(["migrate", "import-cmdb", str(tmp_path / "cmdb.csv"), "-i", str(inventory)]) == 0
    assert main(["migrate", "map", "-i", str(inventory), "-o", str(mapping), "--overrides", str(path)]) == 0
    assert yaml.safe_load(mapping.read_text())["workloads"][0]["owner"] == "parkeren@amsterdam.nl"
