"""Done when: the migration lead's estate (issue 17 review: Dutch tag keys, a container with settings and secrets, a
function with secret-valued variables, an application-only ECS cluster, servers with disks) runs through every
step with what each workload needs carried into the mapping, app config, runbooks and report, and no secret value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main

from .estate import LEAD_CMDB, LEAD_SECRETS, seed_lead_estate
from .helpers import workload, write_database_admins

OVERRIDES = """\
schema: amsterdam.migrate.overrides/v1
owners:
  Team Belastingen: belastingen@amsterdam.nl
  Team Geo: geo@amsterdam.nl
  Team Markten: markten@amsterdam.nl
  Team Parkeren: parkeren@amsterdam.nl
  Team Vergunningen: vergunningen@amsterdam.nl
workloads:
  archief/prod: {retireApproved: true}
  marktplaats-intern/prod: {exclude: true}
  parkeren/prod: {costCenter: CC-5130}
  belastingen/prod: {wave: 1}
"""


@pytest.fixture(scope="module")
def run(aws_env: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Seed the lead's estate and run discover, import-cmdb, map and waves once; the tests generate and report."""
    facts = seed_lead_estate(aws_env)
    folder = tmp_path_factory.mktemp("lead")
    (folder / "cmdb.csv").write_text(LEAD_CMDB, encoding="utf-8")
    overrides = folder / "overrides.yaml"
    overrides.write_text(OVERRIDES)
    paths = {name: folder / f"{name}.yaml" for name in ("inventory", "mapping", "waves")}
    apps = folder / "apps"
    with_overrides = ["--overrides", str(overrides)]
    codes = {
        "discover": main(["migrate", "discover", "--region", "eu-west-1,us-east-1", "-o", str(paths["inventory"]),
                          "--quiet", *with_overrides]),
        "import": main(["migrate", "import-cmdb", str(folder / "cmdb.csv"), "-i", str(paths["inventory"]), *with_overrides]),
    }
    write_database_admins(paths["inventory"], overrides)
    codes |= {
        "map": main(["migrate", "map", "-i", str(paths["inventory"]), "-o", str(paths["mapping"]), *with_overrides]),
        "waves": main(["migrate", "waves", "-m", str(paths["mapping"]), "-o", str(paths["waves"]), *with_overrides]),
    }
    documents = {name: yaml.safe_load(path.read_text()) for name, path in paths.items()}
    return {"codes": codes, "folder": folder, "facts": facts, "apps": apps, "with_overrides": with_overrides,
            **documents, "paths": paths}


def generate(run: dict[str, Any], *extra: str) -> int:
    return main(["migrate", "generate", "-m", str(run["paths"]["mapping"]), "-w", str(run["paths"]["waves"]),
                 "-o", str(run["apps"]), *run["with_overrides"], *extra])


def report(run: dict[str, Any], *extra: str) -> Path:
    folder = run["folder"] / "report"
    assert main(["migrate", "report", "-m", str(run["paths"]["mapping"]), "-w", str(run["paths"]["waves"]),
                 "-o", str(folder), "--status", str(run["folder"] / "status.yaml"), *extra]) == 0
    return folder


def app_config(run: dict[str, Any], wid: str) -> dict[str, Any]:
    application, environment = wid.split("/")
    platform = workload(run["mapping"], wid)["platformEnvironment"]
    path = run["apps"] / application / f"Pulumi.{platform}.yaml"
    assert generate(run) == 0
    return yaml.safe_load(path.read_text())["config"]["app:app"]


def wave_of(run: dict[str, Any], wid: str) -> int:
    return next(w["wave"] for w in run["waves"]["waves"] for e in w["workloads"] if e["id"] == wid)


def test_every_step_exits_zero(run):
    assert run["codes"] == {"discover": 0, "import": 0, "map": 0, "waves": 0}


# 1. Dutch and odd-cased tag keys

def test_dutch_classificatie_tag_key_is_read_as_the_classification(run):
    inventory = {w["id"]: w for w in run["inventory"]["workloads"]}
    assert inventory["vergunningen/prod"]["dataClassification"] == "Vertrouwelijk"
    assert inventory["archief/prod"]["dataClassification"] == "intern"
    assert inventory["vergunningen/prod"]["costCenter"] == "CC-5120"
    assert workload(run["mapping"], "vergunningen/prod")["dataClassification"] == "BBN3"


def test_the_aws_inventory_and_the_cmdb_importer_share_one_list_of_key_aliases():
    from amsterdam_cloud.scripts.migrate import cmdb, inventory

    for canonical, column in (("data-classification", "data_classification"), ("owner", "owner"),
                              ("environment", "environment"), ("cost-center", "cost_center")):
        assert set(inventory.TAG_ALIASES[canonical]) <= {inventory.fold(a) for a in cmdb.HEADER_ALIASES[column]} | {inventory.fold(column)}
        assert {inventory.fold(a) for a in cmdb.HEADER_ALIASES[column]} <= set(inventory.TAG_ALIASES[canonical])


# 2. Container CPU, memory and plain settings

def test_container_cpu_memory_and_plain_settings_reach_the_app_config(run):
    from amsterdam_cloud.components.app_hosting.config import parse

    app = app_config(run, "parkeren/prod")
    assert app["cpu"] == 1.0
    assert app["settings"] == {"DB_HOST": run["facts"]["db_host"], "LOG_LEVEL": "info"}
    path = run["apps"] / "parkeren" / "Pulumi.prod.yaml"
    spec = parse(yaml.safe_load(path.read_text())["config"], str(path), stack="prod")
    assert (spec.cpu, spec.settings) == (1.0, app["settings"])
    assert any("DB_HOST" in note and "repoint" in note for note in workload(run["mapping"], "parkeren/prod")["notes"])


# 3. Secrets become references, never settings and never dropped

def test_a_database_url_with_a_password_becomes_a_key_vault_reference(run):
    app = app_config(run, "parkeren/prod")
    assert app["secrets"]["DATABASE_URL"] == "database-url"
    assert "DATABASE_URL" not in app.get("settings", {})


def test_secret_valued_function_variables_become_key_vault_references(run):
    app = app_config(run, "meldingen/acc")
    assert {"Api-Token", "WEBHOOK", "SECRET_KEY"} <= set(app["secrets"])
    assert app["secrets"]["Api-Token"] == "api-token"
    assert app.get("settings", {}) == {"SMTP_HOST": "smtp.amsterdam.nl"}


@pytest.mark.parametrize("name,value", [("PRIMARY_DB", "postgresql://app:Pw0rd123@db.example.nl/app"),
                                        ("WEBHOOK_TARGET", "https://hooks.slack.com/services/T000/B000/XXXX"),
                                        ("Api-Token", "abc")])
def test_the_contract_refuses_a_secret_among_the_plain_settings(run, name, value):
    from amsterdam_cloud.core.errors import UserError
    from amsterdam_cloud.core.app_config import validate

    generate(run)
    path = run["apps"] / "parkeren" / "Pulumi.prod.yaml"
    config = yaml.safe_load(path.read_text())["config"]
    config["app:app"]["settings"][name] = value
    with pytest.raises(UserError, match=f"app:app.settings.{name}: holds a secret; move it"):
        validate(config, str(path))


def test_no_planted_secret_value_appears_in_any_output(run):
    generate(run)
    report(run)
    for path in run["folder"].rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8-sig")
            assert not [s for s in LEAD_SECRETS if s in text], path


# 4. Disks on rehost

def test_ebs_data_volumes_become_data_disks_of_the_vm(run):
    vm = app_config(run, "vergunningen/prod")["vm"]
    assert vm["dataDisksGb"] == [500]
    target = next(r["target"] for r in workload(run["mapping"], "vergunningen/prod")["resources"]
                  if r["type"] == "aws:ec2:instance")
    assert target["dataDisksGb"] == [500]


def test_cmdb_storage_becomes_a_data_disk_rounded_up(run):
    mapping = workload(run["mapping"], "geo-kaarten/test")
    assert mapping["app"]["vm"]["dataDisksGb"] == [256]
    from amsterdam_cloud.scripts.migrate.mapping import vm_shape

    server = {"id": "s", "type": "onprem:server", "properties": {"storageGiB": 1024.5}}
    shape, _ = vm_shape([server], [server], {"s": {"size": "Standard_D2s_v5"}})
    assert shape["dataDisksGb"] == [1025]


# 5. Runbooks name only what generate writes

def test_runbooks_do_not_list_skipped_apps_as_work_and_name_only_existing_data_copy_plans(run):
    generate(run)
    books = {p.name: p.read_text() for p in report(run).glob("runbook-wave-*.md")}
    text = "\n".join(books.values())
    taxes = text[text.index("## belastingen/prod"):].split("\n## ")[0]
    assert "Not generated, do not start" in taxes and "pulumi up" not in taxes
    assert "add `strategy: retain` under `workloads: belastingen/prod`" in taxes
    alerts = text[text.index("## meldingen/acc"):].split("\n## ")[0]
    assert not (run["apps"] / "meldingen" / "data-copy.acc.yaml").exists()
    assert "data-copy" not in alerts and "meldingen/Pulumi.acc.yaml" in alerts
    permits = text[text.index("## vergunningen/prod"):].split("\n## ")[0]
    assert (run["apps"] / "vergunningen" / "data-copy.prod.yaml").exists()
    assert "`vergunningen/data-copy.prod.yaml`" in permits
    assert "Move each server's disks and data" in permits and "data disks 500 GiB" in permits


# 6. What a skipped workload needs

def test_skipped_needs_says_the_blocker_and_the_exact_override_line(run, capsys):
    capsys.readouterr()
    assert generate(run) == 0
    line = next(text for text in capsys.readouterr().err.splitlines() if text.startswith("skipped: belastingen/prod"))
    assert "unsupported-engine" in line and "add `strategy: retain` under `workloads: belastingen/prod`" in line
    blocker = next(b for b in workload(run["mapping"], "belastingen/prod")["blockers"] if b["code"] == "unsupported-engine")
    assert blocker["needs"]["line"] == "strategy: retain"


# 7. An ECS cluster tagged with the application only

def test_an_application_only_ecs_cluster_joins_its_services_workload(run):
    ids = {w["id"] for w in run["inventory"]["workloads"]}
    assert "parkeren/unspecified" not in ids
    cluster = next(r["id"] for r in run["inventory"]["resources"] if r["type"] == "aws:ecs:cluster")
    assert cluster in workload(run["inventory"], "parkeren/prod")["resources"]


def test_a_workload_without_environment_is_told_the_per_workload_override():
    from amsterdam_cloud.scripts.migrate.mapping import map_workload
    from amsterdam_cloud.scripts.migrate.strategy import load

    mapped = map_workload({"id": "kaart/unspecified", "application": "kaart", "environment": "unspecified",
                           "owner": "geo@amsterdam.nl", "costCenter": "CC-4401", "dependsOn": []}, [], load(None))
    blocker = next(b for b in mapped["blockers"] if b["code"] == "unknown-environment")
    assert blocker["needs"]["under"] == "workloads: kaart/unspecified"
    assert blocker["needs"]["line"] == "environment: <dev|test|acc|prod>"


# 8. Notes that say what happens

def test_retired_servers_are_not_told_to_containerize(run):
    notes = workload(run["mapping"], "archief/prod")["notes"]
    assert not any("containerize" in n for n in notes)
    assert any(n.startswith("retire: nothing is built on Azure") for n in notes)


def test_map_prints_no_blocker_lines_for_excluded_workloads(run, capsys):
    capsys.readouterr()
    assert main(["migrate", "map", "-i", str(run["paths"]["inventory"]), "-o", str(run["folder"] / "m2.yaml"),
                 *run["with_overrides"]]) == 0
    err = capsys.readouterr().err
    assert workload(run["mapping"], "marktplaats-intern/prod")["status"] == "blocked"  # outside the EU, no approval
    assert not [text for text in err.splitlines() if text.startswith(("blocked: marktplaats", "needs: marktplaats"))]
    assert "excluded in" in err and "marktplaats-intern/prod" in err


# 9. Data-copy size from the source

def test_the_data_copy_plan_sizes_the_database_by_the_source_allocation(run):
    generate(run)
    plan = yaml.safe_load((run["apps"] / "vergunningen" / "data-copy.prod.yaml").read_text())
    move = plan["databases"][0]
    assert move["sizeGiB"] == 200
    assert "about 4.0 h" in move["downtimeEstimate"]


# 10. The generate summary keeps every wave

def test_generating_wave_by_wave_keeps_every_waves_record(run):
    waves = sorted({w["wave"] for w in run["waves"]["waves"]})
    assert len(waves) >= 2
    for number in waves:
        assert generate(run, "--wave", str(number)) == 0
    summary = yaml.safe_load((run["apps"] / "generate-summary.yaml").read_text())
    assert {e["wave"] for e in summary["written"]} == set(waves)
    written = {e["workload"] for e in summary["written"]}
    assert {"parkeren/prod", "vergunningen/prod", "meldingen/acc"} <= written
    assert not written & {e["workload"] for e in summary["skipped"]}


# 11. The CSV for Dutch Excel

def test_workloads_csv_for_excel_has_a_bom_semicolons_and_targets_for_functions_and_container_apps(run):
    import csv

    raw = (report(run, "--excel") / "workloads.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {r["workload"]: r for r in csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";")}
    assert rows["parkeren/prod"]["targets"].startswith("Container App 1 vCPU / 2 GiB")
    assert rows["meldingen/acc"]["targets"] == "Function App (PYTHON|3.12)"
    plain = (report(run) / "workloads.csv").read_text(encoding="utf-8")
    assert not plain.startswith("\ufeff") and plain.startswith("workload,application")


# 12. The generated app folder plans with the documented command

def test_a_generated_project_plans_with_cityctl_and_its_container_app_gets_size_settings_and_secret_references(
        run, platform_plans, capsys):
    import json

    assert main(["migrate", "generate", "-m", str(run["paths"]["mapping"]), "-o", str(run["folder"] / "projects"),
                 "--project", *run["with_overrides"]]) == 0
    project = run["folder"] / "projects" / "parkeren"
    assert {"Pulumi.yaml", "__main__.py", "Pulumi.prod.yaml"} <= {p.name for p in project.iterdir()}
    assert "\ntemplate:" not in (project / "Pulumi.yaml").read_text()
    plans = platform_plans("prod").parent
    assert main(["plan", "prod", "--project-dir", str(project), "--plans-dir", str(plans), "--no-tree"]) == 0
    exported = json.loads((plans / "parkeren.prod.json").read_text())
    (app,) = [r for r in exported["deployment"]["resources"] if r["type"] == "azure-native:app:ContainerApp"]
    container = app["inputs"]["template"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert (container["resources"]["cpu"], container["resources"]["memory"]) == (1.0, "2Gi")
    assert env["LOG_LEVEL"]["value"] == "info" and env["DATABASE_URL"]["secretRef"] == "database-url"
    assert not [s for s in LEAD_SECRETS if s in json.dumps(exported)]
