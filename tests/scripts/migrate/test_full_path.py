"""The whole path through `cityctl migrate`, against the moto server: discover, import-cmdb, map, waves, generate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.core import app_config

from .estate import REGIONS, seed_city_estate
from .helpers import workload, write_database_admins

CMDB = """id;name;type;application;environment;owner;cost_center;data_classification;cpu;memory_gb;engine;engine_version;storage_gb;hostname;country;platform;depends_on
srv-01;parking-web-01;server;parking;production;parking@amsterdam.nl;CC-5120;BBN1;4;16;;;;parking-web-01.corp.amsterdam.nl;NL;physical;db-01
db-01;parking-db;database;parking;production;parking@amsterdam.nl;CC-5120;BBN1;4;32;postgres;11.9;250;parking-db.corp.amsterdam.nl;NL;;
"""


@pytest.fixture(scope="module")
def run(aws_env: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Seed the estate and run every step once through the command line; keep the files and exit codes."""
    seed_city_estate(aws_env)
    folder = tmp_path_factory.mktemp("migration")
    (folder / "cmdb.csv").write_text(CMDB, encoding="utf-8")
    paths = {name: folder / f"{name}.yaml" for name in ("inventory", "mapping", "waves")}
    overrides = ["--overrides", str(folder / "overrides.yaml")]
    codes = {
        "discover": main(["migrate", "discover", "--region", ",".join(REGIONS), "--output", str(paths["inventory"]),
                          "--quiet"]),
        "import": main(["migrate", "import-cmdb", str(folder / "cmdb.csv"), "--inventory", str(paths["inventory"])]),
    }
    write_database_admins(paths["inventory"], folder / "overrides.yaml")
    codes |= {
        "map": main(["migrate", "map", "--inventory", str(paths["inventory"]), "--output", str(paths["mapping"]),
                     *overrides]),
        "waves": main(["migrate", "waves", "--mapping", str(paths["mapping"]), "--output", str(paths["waves"]),
                       *overrides]),
        "generate": main(["migrate", "generate", "--mapping", str(paths["mapping"]), "--waves", str(paths["waves"]),
                          "--output-dir", str(folder / "apps"), *overrides]),
    }
    documents = {name: yaml.safe_load(path.read_text()) for name, path in paths.items()}
    return {"codes": codes, "folder": folder, **documents}


def wave_of(plan: dict[str, Any], wid: str) -> int | None:
    return next((w["wave"] for w in plan["waves"] for e in w["workloads"] if e["id"] == wid), None)


def test_every_step_exits_zero(run):
    assert run["codes"] == {"discover": 0, "import": 0, "map": 0, "waves": 0, "generate": 0}


def test_the_inventory_holds_aws_and_cmdb_resources(run):
    assert {r["source"] for r in run["inventory"]["resources"]} == {"aws", "cmdb"}
    assert run["inventory"]["schema"] == "amsterdam.migrate.inventory/v1"


def test_workloads_are_grouped_by_application_and_environment_tags(run):
    ids = {w["id"] for w in run["inventory"]["workloads"]}
    assert ids == {"permits/prod", "notifications/prod", "reports/prod", "archive/prod", "gis/acc", "payments/prod",
                   "legacy-hr/prod", "sandbox-x/sandbox", "parking/prod"}


def test_untagged_listener_and_target_group_join_their_load_balancers_workload(run):
    permits = set(workload(run["inventory"], "permits/prod")["resources"])
    joined = [r for r in run["inventory"]["resources"] if r["id"] in permits
              and r["type"] in ("aws:elbv2:listener", "aws:ec2:volume")]
    assert {r["type"] for r in joined} == {"aws:elbv2:listener"}
    gis = set(workload(run["inventory"], "gis/acc")["resources"])
    assert any("volume/" in rid for rid in gis)


def test_edges_follow_load_balancer_to_service_and_database_in_environment(run):
    kinds = {e["kind"] for e in run["inventory"]["edges"]}
    assert {"has-listener", "forwards-to", "targets", "connects-to", "allows-from", "member-of", "depends-on"} <= kinds


def test_dependencies_come_from_env_vars_security_groups_and_the_cmdb(run):
    depends = {w["id"]: {d["workload"] for d in w["dependsOn"]} for w in run["inventory"]["workloads"]}
    assert depends["notifications/prod"] == {"permits/prod"}   # PERMITS_API names the permits load balancer
    assert depends["reports/prod"] == {"permits/prod"}         # the permits DB security group admits reports
    assert depends["permits/prod"] == set()


def test_strategies_follow_the_rules_file(run):
    strategies = {w["id"]: w["strategy"] for w in run["mapping"]["workloads"]}
    assert strategies == {"permits/prod": "replatform", "notifications/prod": "refactor", "reports/prod": "rehost",
                          "archive/prod": "rehost", "gis/acc": "rehost", "payments/prod": "replatform",
                          "legacy-hr/prod": "retain", "sandbox-x/sandbox": "retire", "parking/prod": "rehost"}


def test_blocked_workloads_name_their_blocker_and_its_tier(run):
    blockers = {w["id"]: (w["status"], sorted(b["code"] for b in w["blockers"]))
                for w in run["mapping"]["workloads"] if w["blockers"]}
    assert blockers == {"archive/prod": ("blocked", ["data-outside-eu"]), "gis/acc": ("needs", ["no-owner"]),
                        "payments/prod": ("blocked", ["personal-data-unclassified"])}


def test_resources_get_azure_targets_and_sizes(run):
    targets = {r["name"]: r["target"] for w in run["mapping"]["workloads"] for r in w["resources"]}
    assert targets["permits-db"]["sku"] == "Standard_D2ds_v5"
    assert targets["notify-db"]["component"] == "mysql-flexible-server"
    assert targets["permits-alb"] == {"component": "application-gateway", "sku": "WAF_v2", "exposure": "public"}
    assert targets["permits-api"]["component"] == "container-app"
    assert targets["parking-web-01"]["size"] == "Standard_D4s_v5"


def test_waves_put_a_dependency_before_its_dependents(run):
    plan = run["waves"]
    assert wave_of(plan, "permits/prod") < wave_of(plan, "notifications/prod")
    assert wave_of(plan, "permits/prod") < wave_of(plan, "reports/prod")


def test_blocked_workloads_get_provisional_waves_and_those_not_moving_are_left_out(run):
    plan = run["waves"]
    provisional = {e["id"] for w in plan["waves"] for e in w["workloads"] if e.get("provisional")}
    assert provisional == {"archive/prod", "payments/prod"}
    assert wave_of(plan, "gis/acc") is not None and plan["heldBack"] == []
    assert {n["id"] for n in plan["notMoving"]} == {"legacy-hr/prod", "sandbox-x/sandbox"}


def test_generated_config_for_a_container_app_is_complete_and_valid(run):
    path = run["folder"] / "apps" / "permits" / "Pulumi.prod.yaml"
    config = yaml.safe_load(path.read_text())["config"]
    app_config.validate(config, str(path))
    app = config["app:app"]
    assert config["app:platformStack"] == "organization/amsterdam-platform/prod"
    assert (app["runtime"], app["image"]) == ("container", "cramsterdamprod.azurecr.io/permits-api:1.4.2")
    assert (app["exposure"], app["dataClassification"], app["costCenter"]) == ("public", "BBN2", "CC-4120")
    assert app["data"]["postgres"] == {"sku": "Standard_D2ds_v5", "storageGb": 128, "version": "14"}
    assert (app["data"]["storage"], app["data"]["keyVault"]) == (True, True)
    assert app["source"]["workload"] == "permits/prod"


def test_generated_config_for_a_function_is_a_function_app_on_mysql(run):
    config = yaml.safe_load((run["folder"] / "apps" / "notifications" / "Pulumi.prod.yaml").read_text())["config"]
    app = config["app:app"]
    assert (app["runtime"], app["exposure"]) == ("function", "internal")
    assert [(g["name"], g["stack"]) for g in app["functions"]["groups"]] == [("python312", "PYTHON|3.12")]
    assert app["data"]["mysql"]["version"] == "8.0.21"


def test_ready_workloads_get_app_config_including_rehosted_vms_from_aws_and_the_cmdb(run):
    written = sorted(str(p.relative_to(run["folder"] / "apps")) for p in (run["folder"] / "apps").rglob("Pulumi.*.yaml"))
    assert written == ["notifications/Pulumi.prod.yaml", "parking/Pulumi.prod.yaml", "permits/Pulumi.prod.yaml",
                       "reports/Pulumi.prod.yaml"]
    reports = yaml.safe_load((run["folder"] / "apps" / "reports" / "Pulumi.prod.yaml").read_text())["config"]["app:app"]
    assert (reports["runtime"], reports["vm"]["size"], reports["vm"]["count"]) == ("vm", "Standard_D4s_v5", 2)


def test_the_data_copy_plan_copies_each_bucket_into_a_private_container(run):
    plan = yaml.safe_load((run["folder"] / "apps" / "permits" / "data-copy.prod.yaml").read_text())
    assert [b["source"]["bucket"] for b in plan["buckets"]] == ["permits-documents-prod"]
    assert plan["buckets"][0]["target"] == {"container": "permits-documents-prod", "publicAccess": False}
    assert plan["images"][0]["target"] == "cramsterdamprod.azurecr.io/permits-api:1.4.2"


def test_no_temporary_files_are_left_behind(run):
    assert [p.name for p in Path(run["folder"]).rglob("*.tmp")] == []


def test_the_app_templates_loader_accepts_the_generated_container_config(run):
    loader = pytest.importorskip("amsterdam_cloud.components.app_hosting.config")
    path = run["folder"] / "apps" / "permits" / "Pulumi.prod.yaml"
    spec = loader.parse(yaml.safe_load(path.read_text())["config"], str(path))
    assert (spec.name, spec.environment, spec.image) == ("permits", "prod", "cramsterdamprod.azurecr.io/permits-api:1.4.2")
