"""Done when: an estate as the city's tags really are, seeded into the moto server in two accounts, with an
overrides file of under 20 lines: every EU workload is ready, generated (container, function, VM shapes) and
planned with the app template with zero policy violations, the non-EU one is blocked for residency, no secret appears in any document, and every discovered resource is in a
workload or listed (unassigned or orphan)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main
from tests.components.compute.ssh_keys import BREAK_GLASS_KEY

from .estate import MESSY_CMDB, PLANTED_SECRETS, REGIONS, seed_messy_estate

OVERRIDES = """\
schema: amsterdam.migrate.overrides/v1
owners:
  Team Vergunningen: vergunningen@amsterdam.nl
  Team Data: data@amsterdam.nl
  Team Parkeren: parkeren@amsterdam.nl
databaseAdminGroups:
  vergunningen@amsterdam.nl: {displayName: team-vergunningen-dba, objectId: 5f0c1e2d-0000-4000-8000-00000000d0ba}
workloads:
  permits/prod: {costCenter: CC-4120}
  reports/prod: {costCenter: CC-4121}
  notify/prod: {costCenter: CC-4120}
  parking/acc: {costCenter: CC-5120}
  legacy/prod: {retireApproved: true}
"""


@pytest.fixture(scope="module")
def run(aws_env: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    facts = seed_messy_estate(aws_env)
    folder = tmp_path_factory.mktemp("messy")
    overrides = folder / "overrides.yaml"
    overrides.write_text(OVERRIDES)
    cmdb = folder / "cmdb.csv"
    cmdb.write_bytes(MESSY_CMDB.encode("cp1252"))
    paths = {name: folder / f"{name}.yaml" for name in ("inventory", "mapping", "bare-mapping", "waves")}
    with_overrides = ["--overrides", str(overrides)]
    codes = {
        "discover": main(["migrate", "discover", "--region", ",".join(REGIONS), "--organization-role",
                          "OrganizationAccountAccessRole", "-o", str(paths["inventory"]), "--quiet", *with_overrides]),
        "import-cmdb": main(["migrate", "import-cmdb", str(cmdb), "--inventory", str(paths["inventory"])]),
        "bare-map": main(["migrate", "map", "-i", str(paths["inventory"]), "-o", str(paths["bare-mapping"])]),
        "map": main(["migrate", "map", "-i", str(paths["inventory"]), "-o", str(paths["mapping"]), *with_overrides]),
        "waves": main(["migrate", "waves", "-m", str(paths["mapping"]), "-o", str(paths["waves"]), *with_overrides]),
        "generate": main(["migrate", "generate", "-m", str(paths["mapping"]), "-w", str(paths["waves"]),
                          "-o", str(folder / "apps"), *with_overrides]),
        "generate-project": main(["migrate", "generate", "-m", str(paths["mapping"]), "-w", str(paths["waves"]),
                                  "-o", str(folder / "projects"), "--project", *with_overrides]),
        "report": main(["migrate", "report", "-m", str(paths["mapping"]), "-w", str(paths["waves"]),
                        "-o", str(folder / "report"), "--status", str(folder / "status.yaml")]),
    }
    documents = {name: yaml.safe_load(path.read_text()) for name, path in paths.items()}
    completed = [add_break_glass_key(path) for path in sorted(folder.glob("*/*/Pulumi.*.yaml"))]
    return {"codes": codes, "folder": folder, "facts": facts, "completed": [p for p in completed if p], **documents}


def add_break_glass_key(stack_file: Path) -> str | None:
    """What the team does after `generate` (its summary asks for it): a Linux VM group gets the break-glass SSH key,
    which the estate does not know. The app's folder and file, or None for any other app."""
    document = yaml.safe_load(stack_file.read_text())
    vm = document["config"]["app:app"].get("vm")
    if not vm or vm["os"] != "linux":
        return None
    vm["sshPublicKey"] = BREAK_GLASS_KEY
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))
    return f"{stack_file.parent.parent.name}/{stack_file.parent.name}/{stack_file.name}"


def test_the_summary_asks_for_the_ssh_key_of_every_generated_linux_vm_group(run):
    summary = yaml.safe_load((run["folder"] / "apps" / "generate-summary.yaml").read_text())
    asked = {line.split(":", 1)[0] for entry in summary["written"] for line in entry.get("attention", [])
             if "app:app.vm.sshPublicKey" in line}
    linux = {path.split("/")[1] for path in run["completed"] if path.startswith("apps/")}
    assert linux and asked == linux


def statuses(document: dict[str, Any]) -> dict[str, str]:
    return {w["id"]: w["status"] for w in document["workloads"]}


def test_every_step_exits_zero_and_the_overrides_stay_under_20_lines(run):
    assert set(run["codes"].values()) == {0}
    assert len(OVERRIDES.splitlines()) < 20


def test_both_accounts_of_the_organization_are_read(run):
    accounts = {s["account"] for s in run["inventory"]["sources"] if s["kind"] == "aws"}
    assert accounts == {"123456789012", run["facts"]["member_account"]}


def test_without_overrides_the_tags_as_found_leave_every_workload_needing_input(run):
    assert statuses(run["bare-mapping"]) == {"permits/prod": "needs", "reports/prod": "needs", "notify/prod": "needs",
                                            "parking/acc": "needs", "archive/prod": "blocked", "legacy/prod": "blocked"}


def test_generate_writes_the_database_admin_group_of_the_overrides(run):
    permits = next(w for w in run["mapping"]["workloads"] if w["id"] == "permits/prod")
    assert permits["databaseAdminGroup"]["displayName"] == "team-vergunningen-dba"
    config = yaml.safe_load((run["folder"] / "apps" / "permits" / "Pulumi.prod.yaml").read_text())["config"]
    assert config["app:app"]["databaseAdminGroup"] == {"displayName": "team-vergunningen-dba",
                                                        "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}


def test_with_the_overrides_every_eu_workload_is_ready_and_the_us_one_blocked_for_residency(run):
    assert statuses(run["mapping"]) == {"permits/prod": "ready", "reports/prod": "ready", "notify/prod": "ready",
                                       "parking/acc": "ready", "archive/prod": "blocked", "legacy/prod": "not-moving"}
    archive = next(w for w in run["mapping"]["workloads"] if w["id"] == "archive/prod")
    assert [b["code"] for b in archive["blockers"]] == ["data-outside-eu"]
    permits = next(w for w in run["mapping"]["workloads"] if w["id"] == "permits/prod")
    assert (permits["owner"], permits["dataClassification"], permits["personalData"]) == (
        "vergunningen@amsterdam.nl", "BBN3", True)


def test_every_ready_workload_is_generated_in_its_shape_and_accepted_by_the_templates_loader(run):
    from amsterdam_cloud.components.app_hosting.config import parse

    apps = run["folder"] / "apps"
    shapes = {}
    for path in sorted(apps.rglob("Pulumi.*.yaml")):
        spec = parse(yaml.safe_load(path.read_text())["config"], str(path))
        shapes[str(path.relative_to(apps))] = spec.runtime
    assert shapes == {"notify/Pulumi.prod.yaml": "function", "parking/Pulumi.acc.yaml": "vm",
                      "permits/Pulumi.prod.yaml": "container", "permits-permits-worker/Pulumi.prod.yaml": "container",
                      "permits-vm/Pulumi.prod.yaml": "vm", "reports/Pulumi.prod.yaml": "vm"}


def test_every_ecs_service_and_the_on_prem_server_of_the_hybrid_workload_get_an_app(run):
    apps = run["folder"] / "apps"
    worker = yaml.safe_load((apps / "permits-permits-worker" / "Pulumi.prod.yaml").read_text())["config"]["app:app"]
    assert (worker["image"], worker["port"], worker["exposure"], worker["source"]["part"]) == (
        "cramsterdamprod.azurecr.io/permits-worker:2.0", 9000, "internal", "permits-worker")
    server = yaml.safe_load((apps / "permits-vm" / "Pulumi.prod.yaml").read_text())["config"]["app:app"]
    assert (server["vm"]["size"], server["vm"]["os"], server["source"]["workload"]) == (
        "Standard_D4s_v5", "linux", "permits/prod")
    summary = yaml.safe_load((apps / "generate-summary.yaml").read_text())
    permits = next(e for e in summary["written"] if e["workload"] == "permits/prod")
    assert {"permits-permits-worker/Pulumi.prod.yaml", "permits-vm/Pulumi.prod.yaml"} <= set(permits["files"])
    assert any("permits-worker (container)" in line and "srv-permits-batch" not in line and "vm (vm)" in line
               for line in permits["attention"])
    runbooks = "".join(p.read_text(encoding="utf-8") for p in (run["folder"] / "report").glob("runbook-wave-*.md"))
    assert "from `permits-permits-worker/Pulumi.prod.yaml`" in runbooks and "from `permits-vm/Pulumi.prod.yaml`" in runbooks


def test_the_blocked_workload_has_a_provisional_wave(run):
    entry = next(e for w in run["waves"]["waves"] for e in w["workloads"] if e["id"] == "archive/prod")
    assert entry["provisional"] is True


def test_no_secret_appears_in_any_document(run):
    texts = {p: p.read_text(encoding="utf-8").lower() for p in Path(run["folder"]).rglob("*") if p.is_file()}
    assert [(where, p.name) for where, secret in PLANTED_SECRETS.items() for p, text in texts.items()
            if secret.lower() in text] == []


def test_every_discovered_resource_is_in_a_workload_or_listed(run):
    inventory, mapped = run["inventory"], run["mapping"]
    placed = {r["id"] for w in mapped["workloads"] for r in w["resources"]} | {u["id"] for u in mapped["unassigned"]}
    assert placed == {r["id"] for r in inventory["resources"]}
    assert [o["id"].rsplit(":", 1)[-1] for o in mapped["orphans"]] == ["ops-alerts"]
    assert "ops-jobs" in {u["name"] for u in mapped["unassigned"]}


def test_the_functions_of_notify_become_one_function_app_per_runtime_with_their_triggers_mapped(run):
    notify = next(w for w in run["mapping"]["workloads"] if w["id"] == "notify/prod")
    groups = {g["name"]: (g["functions"], g.get("triggers")) for g in notify["app"]["functions"]["groups"]}
    assert groups == {"node20": (["notify-digest"], ["timer"]),
                      "python312": (["notify-sender"], ["http", "serviceBusQueue"])}
    assert notify["app"]["data"]["serviceBus"] == {"queues": [{"name": "notify-outbox"}]}
    assert notify["app"]["exposure"] == "public"  # its regional API Gateway API is reachable from the internet
    digest = next(r["target"] for r in notify["resources"] if r["name"] == "notify-digest")
    assert digest["triggers"] == [{"source": "events", "resource": digest["triggers"][0]["resource"],
                                   "schedule": "0 0 7 * * MON-FRI", "azure": "timer"}]


@pytest.mark.parametrize(("app", "environment"), [("permits", "prod"), ("permits-permits-worker", "prod"),
                                                  ("permits-vm", "prod"), ("reports", "prod"), ("notify", "prod"),
                                                  ("parking", "acc")])
def test_every_generated_app_plans_with_the_template_and_zero_violations(run, platform_plans, capsys, app, environment):
    plans = platform_plans(environment).parent
    project = run["folder"] / "projects" / app
    capsys.readouterr()
    assert main(["plan", environment, "--project-dir", str(project), "--plans-dir", str(plans), "--no-tree"]) == 0
    assert "No violations." in "".join(capsys.readouterr())


def test_the_runbook_says_which_functions_go_to_which_function_app_with_their_triggers(run):
    runbooks = "".join(p.read_text(encoding="utf-8") for p in (run["folder"] / "report").glob("runbook-wave-*.md"))
    assert "Port notify-digest to the function app `node20` (NODE|20-lts; triggers timer)" in runbooks
    assert "Port notify-sender to the function app `python312` (PYTHON|3.12; triggers http, serviceBusQueue)" in runbooks
