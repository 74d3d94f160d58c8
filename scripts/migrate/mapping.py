"""Mapping: each workload gets a 7R strategy, each resource an Azure target and size, and blockers are named.

Resource targets follow Microsoft's AWS-to-Azure service comparison: EC2 -> Virtual Machines (sized by
`azure_sizes.vm_size`), EBS -> managed disks, RDS PostgreSQL / MySQL / MariaDB / Aurora -> PostgreSQL or MySQL flexible
server (sized by `azure_sizes.flexible_server_sku`), ECS/Fargate -> Container Apps, Lambda -> Functions, S3 ->
Blob storage, ALB -> Application Gateway WAF_v2, NLB -> Azure Load Balancer, Route 53 -> Azure DNS, IAM roles ->
managed identities with RBAC, VPCs and subnets -> the platform's spoke networks.

Blockers come in two tiers (`TIERS`): a planning blocker (data outside the EU without approval, personal data
without a known classification, a state-secret classification, an unknown environment, a retire that drops live
data) makes the workload `blocked`; a generate blocker (owner, cost centre, an unknown classification word, an
engine, runtime or size without a target) makes it `needs`: planned, but not generated. Each blocker says what to
add to the overrides file (`needs`: file, section, line). Metadata comes from the overrides first, then the tags.

The mapping also derives `app`, the facts the app template needs (runtime, image or stack, exposure, data,
scale), for workloads the app template can host; `cityctl migrate generate` turns it into stack config.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.scripts.migrate import azure_sizes
from amsterdam_cloud.core.app_config import CPU_MEMORY, FLEX_MEMORY_MB
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.core.environments import ENVIRONMENT_CHOICES, ENVIRONMENTS_IN_WORDS
from amsterdam_cloud.core.ids import EMAIL_ANY_CASE
from amsterdam_cloud.scripts.migrate.yaml_documents import display, read_yaml, write_yaml
from amsterdam_cloud.scripts.migrate import inventory as inventory_module
from amsterdam_cloud.scripts.migrate.inventory import DATABASE_TYPES, STATEFUL_TYPES, slug
from amsterdam_cloud.scripts.migrate.overrides import NONE, NOT_BIO, Overrides, need, workload_need
from amsterdam_cloud.core.secrets import is_secret_name
from amsterdam_cloud.scripts.migrate.strategy import MOVING, STRATEGIES, Decision, Rules

SCHEMA = "amsterdam.migrate.mapping/v1"

AWS_EU_REGIONS = frozenset({"eu-west-1", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2"})
"""AWS regions inside the EU. London (eu-west-2) and Zurich (eu-central-2) are in Europe but not in the EU."""
EU_COUNTRIES = frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                          "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"})
"""ISO 3166 codes of the EU member states, for on-prem data centres (CMDB `country`)."""

CLASSIFICATIONS = DATA_CLASSIFICATIONS
ASSUMED_CLASSIFICATION = "BBN2"
"""The BIO level assumed for a workload with no classification and no personal data (stated in a note)."""

PLANNING, GENERATE, DISCOVERY = "planning", "generate", "discovery"
TIERS: dict[str, str] = {
    "data-outside-eu": PLANNING, "personal-data-unclassified": PLANNING, "classification-beyond-bio": PLANNING,
    "unknown-environment": PLANNING, "retire-live-data": PLANNING,
    "no-owner": GENERATE, "no-cost-center": GENERATE, "invalid-classification": GENERATE,
    "unsupported-engine": GENERATE, "unsupported-runtime": GENERATE, "no-size": GENERATE,
    "unsupported-trigger": GENERATE, "no-database-admin-group": GENERATE,
    "incomplete-discovery": DISCOVERY,
}
"""Blockers in two tiers: a `planning` blocker stops the workload's plan (its wave is provisional); a `generate`
blocker only stops `generate` (the wave holds, the stack config waits for the missing fact); a discovery gap
makes the workload `incomplete`: never ready, its wave provisional, until discovery reads what it missed."""
STATUSES = ("ready", "needs", "incomplete", "blocked", "not-moving")
"""ready: nothing missing; needs: only generate-tier blockers; incomplete: discovery missed something that may
belong to it; blocked: a planning-tier blocker; not-moving: retire or retain without a blocker."""

ENGINE_FAMILIES: dict[str, str] = {
    "postgres": "postgres", "aurora-postgresql": "postgres", "postgresql": "postgres",
    "mysql": "mysql", "aurora-mysql": "mysql", "aurora": "mysql", "mariadb": "mysql",
}
"""Database engines with a flexible-server target; every other engine is an `unsupported-engine` blocker."""
MARIADB_CAVEAT = "MariaDB is not MySQL"
"""The start of the note on a MariaDB source: Azure's target is MySQL flexible server (Azure Database for MariaDB
is retired), a move with a compatibility check, never a copy as is."""

LAMBDA_STACKS: tuple[tuple[str, str], ...] = (
    (r"^python(3\.\d+)$", "PYTHON|{0}"), (r"^nodejs(\d+)\.x$", "NODE|{0}-lts"), (r"^java(\d+)$", "JAVA|{0}"),
    (r"^dotnet(\d+)$", "DOTNETCORE|{0}.0"), (r"^dotnetcore(\d+\.\d+)$", "DOTNETCORE|{0}"),
)
"""Lambda runtimes to App Service / Functions stacks; `provided`, `go1.x` and `ruby` need a container instead."""

LAMBDA_TRIGGERS: dict[str, str] = {
    "sqs": "serviceBusQueue", "sns": "serviceBusTopic", "dynamodb": "cosmosDbChangeFeed", "kinesis": "eventHubs",
    "s3": "eventGridBlob", "apigateway": "http", "elasticloadbalancing": "http", "function-url": "http",
}
"""Lambda event sources to the Azure Functions trigger of their Azure counterpart: SQS -> Service Bus queue, SNS ->
Service Bus topic, a DynamoDB stream -> the Cosmos DB change feed, Kinesis -> Event Hubs, S3 notifications -> an
Event Grid blob trigger, API Gateway, a load balancer or a function URL -> HTTP. An EventBridge schedule becomes a
timer; every other source (an event pattern, Kafka, IoT, Cognito, ...) is an `unsupported-trigger` blocker."""
BY_HAND: dict[str, str] = {
    "serviceBusTopic": "a Service Bus topic and the function's subscription",
    "eventHubs": "an Event Hubs namespace and hub (Kafka clients can keep their protocol)",
    "eventGridBlob": "an Event Grid subscription from the storage account to the function's blob extension",
}
"""Triggers whose source the app template does not build (it builds HTTP, timers, Service Bus queues and Cosmos DB)."""
_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$")


def ncrontab(expression: str | None) -> str | None:
    """An EventBridge schedule (`rate(5 minutes)`, `cron(0 12 ? * MON-FRI *)`, UTC) as the timer trigger's
    six-field NCRONTAB (UTC too), or None when it uses what NCRONTAB lacks (L, W, #, a year)."""
    rate = _RATE.match(expression or "")
    if rate:
        every, unit = int(rate.group(1)), rate.group(2).rstrip("s")
        step = "*" if every == 1 else f"*/{every}"
        return {"minute": f"0 {step} * * * *", "hour": f"0 0 {step} * * *", "day": f"0 0 0 {step} * *"}[unit]
    cron = _CRON.match(expression or "")
    if not cron:
        return None
    minute, hour, day, month, weekday, year = cron.groups()
    if year not in ("*", "?") or any(c in "".join(cron.groups()) for c in "LW#"):
        return None
    # EventBridge counts weekdays 1-7 from Sunday, NCRONTAB 0-6
    weekday = re.sub(r"\d", lambda m: str(int(m.group(0)) - 1), weekday)
    return " ".join(("0", minute, hour, day.replace("?", "*"), month, weekday.replace("?", "*")))


def function_triggers(name: str, triggers: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Each Lambda trigger with its Azure Functions trigger (and a timer's NCRONTAB), and a blocker for each that
    has no Azure counterpart."""
    mapped, problems = [], []
    for trigger in triggers:
        source = trigger["source"]
        azure = LAMBDA_TRIGGERS.get(source)
        entry = {"source": source, **{k: trigger[k] for k in ("resource", "public") if k in trigger}}
        if source == "events" and trigger.get("schedule"):
            schedule = ncrontab(trigger["schedule"])
            if schedule:
                azure, entry["schedule"] = "timer", schedule
            else:
                problems.append(("unsupported-trigger", f"{name}: schedule {trigger['schedule']} uses what a timer "
                                                        "trigger's NCRONTAB lacks (L, W, #, a year); write the "
                                                        "schedule by hand"))
        if azure:
            entry["azure"] = azure
        elif source != "events" or not trigger.get("schedule"):
            what = "an EventBridge event pattern" if source == "events" else f"a {source} trigger"
            problems.append(("unsupported-trigger", f"{name}: {what} has no Azure Functions trigger; route it "
                                                    "through Event Grid or Service Bus by hand"))
        mapped.append(entry)
    return mapped, problems


_COST_CENTER = re.compile(r"^(?:CC-?)?(\d{4,6})$", re.I)
_EMAIL = EMAIL_ANY_CASE


def map_inventory(inventory: Mapping[str, Any], rules: Rules, *, inventory_source: str = "inventory",
                  inventory_digest: str | None = None, generated_at: str | None = None,
                  overrides: Overrides = NONE) -> dict[str, Any]:
    """The mapping document for a whole inventory, with the overrides in force.

    The workloads are put together again from the inventory's resources with these overrides (their environment
    aliases may join or move workloads), so an edited overrides file takes effect without discovering again.
    """
    inventory = inventory_module.build(inventory["resources"], sources=inventory.get("sources"),
                                       errors=inventory.get("errors"), generated_at=inventory.get("generatedAt"),
                                       overrides=overrides, orphans=inventory.get("orphans", []))
    by_id = {r["id"]: r for r in inventory["resources"]}
    members = {r["id"]: r for r in inventory["resources"] if r["type"] == "aws:rds:instance"}
    workloads = [map_workload(w, [by_id[i] for i in w["resources"]], rules, by_id=by_id, members=members,
                              overrides=overrides, gaps=gaps_of(w, by_id, inventory))
                 for w in inventory["workloads"]]
    gap_of = {e["resource"]: e for e in inventory["errors"] if e.get("resource")}
    summary = {"workloads": len(workloads),
               **{status: sum(1 for w in workloads if w["status"] == status) for status in STATUSES},
               "byStrategy": {s: n for s in STRATEGIES if (n := sum(1 for w in workloads if w["strategy"] == s))}}
    return {
        "schema": SCHEMA,
        "generatedAt": generated_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "inventory": {"file": inventory_source, "sha256": inventory_digest},
        "rules": rules.source,
        "overrides": overrides.source,
        "summary": summary,
        "workloads": workloads,
        "unassigned": [{"id": rid, "type": by_id[rid]["type"], "name": by_id[rid]["name"],
                        "region": by_id[rid]["region"],
                        **({"gap": f"{gap_of[rid]['operation']}: {gap_of[rid]['code']}"} if rid in gap_of else {})}
                       for rid in inventory["unassigned"]],
        "orphans": [{"id": o["id"], "service": o["service"], "resourceType": o["resourceType"], "region": o["region"],
                     "workload": o["workload"]} for o in inventory["orphans"]],
    }


def gaps_of(workload: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]],
            inventory: Mapping[str, Any]) -> list[str]:
    """What discovery could not read that may belong to this workload, one line each.

    A gap on one of its resources; a service or part of a service that could not be read in an account and
    region where the workload has resources (its database may be what was not read); an orphan its tags name.
    """
    ids = set(workload["resources"])
    places = {(by_id[i]["account"], by_id[i]["region"]) for i in ids}
    accounts = {account for account, _ in places}
    found = []
    for error in inventory.get("errors", []):
        where = (error.get("account"), error.get("region"))
        operation = f" {error['operation']}" if error.get("operation") else ""
        if error.get("resource"):
            if error["resource"] in ids:
                found.append(f"{by_id[error['resource']]['name']}:{operation} {error['code']}")
        elif where in places or (error.get("region") == "global" and error.get("account") in accounts):
            found.append(f"{error['service']}{operation} in {error['region']}: {error['code']}")
    for entry in inventory.get("orphans", []):
        if entry.get("workload") == workload["id"]:
            found.append(f"{entry['service']} {entry['resourceType']} {entry['id']}: no collector reads it")
    return sorted(set(found))


RESOURCE_NEEDS: dict[str, tuple[str, str]] = {"unsupported-engine": ("strategy", "retain")}
"""The override line that lifts a resource's blocker when the source cannot be changed (key, value)."""


def map_workload(workload: Mapping[str, Any], resources: Sequence[Mapping[str, Any]], rules: Rules, *,
                 by_id: Mapping[str, Mapping[str, Any]] | None = None,
                 members: Mapping[str, Mapping[str, Any]] | None = None,
                 overrides: Overrides = NONE, gaps: Sequence[str] = ()) -> dict[str, Any]:
    """One workload's strategy, targets, blockers (each with its tier and what to add to the overrides) and status."""
    wid = workload["id"]
    given = overrides.workload(wid)
    if given.get("strategy"):
        decision = Decision(strategy=given["strategy"], rule="overrides")
    else:
        decision = rules.decide(workload, resources)
    moving = decision.strategy in MOVING
    blockers: list[dict[str, Any]] = []
    notes: list[str] = []

    def block(code: str, message: str, resource: str | None = None, needs: dict[str, str] | None = None) -> None:
        entry: dict[str, Any] = {"code": code, "tier": TIERS[code], "message": message}
        if resource:
            entry["resource"] = resource
        if needs:
            entry["needs"] = needs
        if entry not in blockers:
            blockers.append(entry)

    member_classes = _member_classes(resources, members or {})
    targets = []
    for r in resources:
        target, problems = resource_target(r, member_classes.get(r["id"]))
        for code, message in problems:
            block(code, message, r["id"], needs=workload_need(overrides, wid, *RESOURCE_NEEDS[code])
                  if code in RESOURCE_NEEDS else None)
        if target.get("component") == "virtual-machine":
            target = {**target, **server_disks(r, resources)}
        targets.append({"id": r["id"], "type": r["type"], "name": r["name"], "region": r["region"], "target": target})

    shares = sorted(r["name"] for r in resources if r["type"] == "onprem:storage")
    if shares and moving:
        notes.append(f"on-prem shares {', '.join(shares)} move into private Blob containers of the app's storage "
                     "account (the data-copy plan's `shares`); if the app needs SMB access, plan them by hand as "
                     "Azure Files shares")
    mariadb = sorted(t["name"] for t in targets if t["target"].get("sourceEngine") == "mariadb")
    if mariadb:
        notes.append(f"{MARIADB_CAVEAT}: {', '.join(mariadb)} {'moves' if len(mariadb) == 1 else 'move'} to Azure "
                     "Database for MySQL flexible server (Azure "
                     "has no MariaDB server any more); check the schema for what MySQL 8 lacks (sequences, "
                     "system-versioned tables, Aria or ColumnStore tables, JSON stored as LONGTEXT) and rehearse the "
                     "dump and restore; test the application on MySQL 8")
    tagged_owner = workload.get("owner")
    owner = given.get("owner") or overrides.owner(tagged_owner)
    if owner is None and tagged_owner:
        block("no-owner", f"owner {tagged_owner!r} is a team name, not a mailbox; map the team to its mailbox",
              needs=need(overrides, "owners", f"{tagged_owner}: <team mailbox>@amsterdam.nl"))
    elif owner is None:
        block("no-owner", "no `owner` tag on any resource and no owner in the overrides",
              needs=workload_need(overrides, wid, "owner", "<team mailbox>@amsterdam.nl"))
    found_cost_center = given.get("costCenter") or workload.get("costCenter")
    cost_center = normalize_cost_center(found_cost_center)
    if cost_center is None:
        block("no-cost-center", (f"cost centre {found_cost_center!r} is malformed" if found_cost_center
                                 else "no `cost-center` tag on any resource and none in the overrides"),
              needs=workload_need(overrides, wid, "costCenter", "CC-<4 to 6 digits>"))
    personal = given["personalData"] if "personalData" in given else workload.get("personalData")
    word = given.get("dataClassification") or workload.get("dataClassification")
    classification = overrides.classification(word) if word else None
    if classification == NOT_BIO:
        block("classification-beyond-bio", f"classification {word!r} is beyond the BIO (state secret, VIR-BI): it does "
              "not move to a public cloud without a decision by the CISO; reclassify or retain",
              needs=workload_need(overrides, wid, "strategy", "retain"))
        classification = None
    elif word and classification is None:
        code = "personal-data-unclassified" if personal else "invalid-classification"
        block(code, f"classification {word!r} is no BIO level or known word (openbaar, intern, vertrouwelijk, geheim "
              "and their English forms); map the word", needs=need(overrides, "classifications", f"{word}: <BBN1|BBN2|BBN3>"))
    elif classification is None and personal:
        block("personal-data-unclassified", "holds personal data but has no data-classification; the owner sets "
              "BBN2 or BBN3 after a DPIA", needs=workload_need(overrides, wid, "dataClassification", "<BBN2|BBN3>"))
    elif classification is None:
        notes.append(f"no data-classification tag and no personal data recorded: {ASSUMED_CLASSIFICATION} assumed")
    approved = given.get("dataTransferApproved", workload.get("dataTransferApproved"))
    outside = sorted({f"{r['region']}" for r in resources if r["type"] in STATEFUL_TYPES and _outside_eu(r)})
    if outside and not approved:
        block("data-outside-eu", f"holds data outside the EU ({', '.join(outside)}); the privacy officer assesses the "
              "transfer first", needs=workload_need(overrides, wid, "dataTransferApproved", "true"))
    platform_environment = overrides.environment(workload["environment"])
    if platform_environment is None:
        if workload["environment"] == inventory_module.UNSPECIFIED:  # no tag: only this workload's override helps
            block("unknown-environment", "no `environment` tag on any resource and no environment in the overrides",
                  needs=workload_need(overrides, wid, "environment", f"<{ENVIRONMENT_CHOICES}>"))
        else:
            block("unknown-environment", f"environment {workload['environment']!r} does not map to "
                  f"{ENVIRONMENTS_IN_WORDS}",
                  needs=need(overrides, "environments", f"{workload['environment']}: <{ENVIRONMENT_CHOICES}>"))
    live = live_data(resources)
    if decision.strategy == "retire" and live and not given.get("retireApproved"):
        block("retire-live-data", f"retiring drops live data ({', '.join(live[:3])}{' ...' if len(live) > 3 else ''}); "
              "the owner archives or moves it first", needs=workload_need(overrides, wid, "retireApproved", "true"))
    if gaps and moving:
        block("incomplete-discovery", f"discovery could not read everything that may belong here: {'; '.join(gaps[:5])}"
              f"{' ...' if len(gaps) > 5 else ''}; re-run discover with read access (or plan what is missing by hand)")
    if workload.get("tagConflicts"):
        for key, values in sorted(workload["tagConflicts"].items()):
            notes.append(f"resources disagree on {key}: {', '.join(values)}; the most common value is used")
    if given:
        notes.append(f"overrides from {overrides.file}: {', '.join(sorted(given))}")

    app, app_notes = app_facts(resources, targets, decision.strategy, platform_environment, by_id or {})
    notes += app_notes
    admin_group = None
    if app and (app["data"]["postgres"] or app["data"]["mysql"]):
        admin_group = given.get("databaseAdminGroup") or overrides.database_admin_group(owner, tagged_owner)
        if admin_group is None:  # the app's plan refuses a database without its Entra administrator
            group = "{displayName: <the team's Entra group>, objectId: <its object id>}"
            block("no-database-admin-group", "the database needs the team's Entra group as its administrator",
                  needs=need(overrides, "databaseAdminGroups", f"{owner or tagged_owner}: {group}")
                  if owner or tagged_owner else workload_need(overrides, wid, "databaseAdminGroup", group))
    if not moving:
        blockers = [b for b in blockers if b["code"] == "retire-live-data"]
    status = status_of(moving, blockers)
    return {
        "id": wid, "application": workload["application"], "environment": workload["environment"],
        "platformEnvironment": platform_environment, "owner": owner, "costCenter": cost_center,
        "databaseAdminGroup": admin_group and dict(admin_group),
        "dataClassification": classification or (None if personal or word else ASSUMED_CLASSIFICATION),
        "personalData": personal, "algorithmRegisterId": workload.get("algorithmRegisterId"),
        "strategy": decision.strategy, "strategyRule": decision.rule, "status": status,
        "blockers": blockers, "notes": notes,
        "dependsOn": [d["workload"] for d in workload.get("dependsOn", [])],
        "app": app if moving else None,
        "appReason": None if app or not moving else app_notes[-1],
        "resources": targets,
    }


def status_of(moving: bool, blockers: Sequence[Mapping[str, Any]]) -> str:
    if any(b["tier"] == PLANNING for b in blockers):
        return "blocked"
    if not moving:
        return "not-moving"
    if any(b["tier"] == DISCOVERY for b in blockers):
        return "incomplete"
    return "needs" if blockers else "ready"


_LIVE_DATA_TYPES = DATABASE_TYPES | {"aws:s3:bucket", "onprem:storage", "onprem:s3:bucket", "aws:dynamodb:table"}
_GONE = frozenset({"deleted", "deleting", "stopped", "retired", "decommissioned", "archived"})


def live_data(resources: Sequence[Mapping[str, Any]]) -> list[str]:
    """Names of the databases (not stopped or deleted) and buckets or shares a workload holds: data a retire drops."""
    return sorted(r["name"] for r in resources if r["type"] in _LIVE_DATA_TYPES
                  and str(r["properties"].get("status") or r["properties"].get("state") or "").lower() not in _GONE)


def normalize_cost_center(value: str | None) -> str | None:
    match = _COST_CENTER.match((value or "").strip())
    return f"CC-{match.group(1)}" if match else None


def _outside_eu(r: Mapping[str, Any]) -> bool:
    if r["source"] == "aws":
        return r["region"] not in AWS_EU_REGIONS and r["region"] != "global"
    country = str(r["properties"].get("country") or "").upper()
    return bool(country) and country not in EU_COUNTRIES


def _member_classes(resources: Sequence[Mapping[str, Any]], members: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """For each Aurora cluster, the largest instance class among its members (clusters have no class of their own)."""
    classes = {}
    for r in resources:
        if r["type"] == "aws:rds:cluster":
            found = [members[m]["properties"].get("instanceClass") for m in r["properties"].get("members", []) if m in members]
            found = [c for c in found if c]
            if found:
                classes[r["id"]] = max(found, key=lambda c: (azure_sizes.rds_shape(c) or (0, 0)))
    return classes


def resource_target(r: Mapping[str, Any], cluster_class: str | None = None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The Azure target of one resource, and the blockers (code, message) it raises."""
    kind, p = r["type"], r["properties"]
    problems: list[tuple[str, str]] = []
    if kind in ("aws:ec2:instance", "onprem:server"):
        size = azure_sizes.vm_size(p.get("instanceType"), p.get("vcpu"), p.get("memoryGiB"), cpu_p95=p.get("cpuP95Percent"),
                              memory_p95=p.get("memoryP95Percent"))
        if size.name is None:
            problems.append(("no-size", f"{r['name']}: {size.note}"))
        return _clean({"component": "virtual-machine", "size": size.name, "vcpu": size.vcpu, "memoryGiB": size.memory_gib,
                       "os": p.get("os") or p.get("platform"), "note": size.note}), problems
    if kind == "aws:ec2:volume":
        table = OS_DISK_SKUS if p.get("root") else DATA_DISK_SKUS
        disk = table.get(p.get("volumeType"), "Premium_LRS")
        return {"component": "os-disk" if p.get("root") else "managed-disk", "sku": disk,
                "sizeGiB": p.get("sizeGiB")}, problems
    if kind in DATABASE_TYPES:
        engine = str(p.get("engine") or "").lower()
        family = ENGINE_FAMILIES.get(engine)
        if kind == "aws:rds:instance" and p.get("cluster"):
            return {"component": "part-of-cluster", "cluster": p["cluster"]}, problems
        if family is None:
            problems.append(("unsupported-engine", f"{r['name']}: engine {engine or '(unknown)'} has no flexible-server "
                                                   "target (PostgreSQL or MySQL); record the engine (a CMDB row's "
                                                   "`Database engine` column) and import again, or retain the workload "
                                                   "and plan the database by hand"))
            return {"component": "unsupported-database", "engine": engine}, problems
        size = azure_sizes.flexible_server_sku(family, cluster_class or p.get("instanceClass"), p.get("vcpu"), p.get("memoryGiB"))
        if size.name is None:
            problems.append(("no-size", f"{r['name']}: {size.note}"))
        version, version_note = azure_sizes.engine_version(family, p.get("engineVersion"))
        storage_note = None
        if kind == "aws:rds:cluster" and not p.get("allocatedStorageGiB"):
            storage_note = ("Aurora reports no allocated size and none was measured (discover --utilization-days "
                            "reads VolumeBytesUsed): storage starts at the smallest size and grows; check it")
        note = "; ".join(n for n in (size.note, version_note, storage_note) if n) or None
        return _clean({"component": f"{family}-flexible-server", "engine": family,
                       "sourceEngine": "mariadb" if engine == "mariadb" else None, "sku": size.name, "tier": size.tier,
                       "vcpu": size.vcpu, "memoryGiB": size.memory_gib,
                       "storageGb": azure_sizes.storage_gib(family, p.get("allocatedStorageGiB") or p.get("storageGiB")),
                       "sourceStorageGiB": p.get("allocatedStorageGiB") or p.get("storageGiB"),
                       "version": version, "note": note}), problems
    if kind in ("aws:s3:bucket", "onprem:s3:bucket"):
        return {"component": "blob-storage", "container": container_name(r["name"]),
                "publicAccess": False}, problems
    if kind == "onprem:storage":  # files become blobs: the app template builds Blob storage, not Azure Files
        return _clean({"component": "blob-storage", "container": container_name(r["name"]), "publicAccess": False,
                       "sizeGiB": p.get("storageGiB") or p.get("diskGiB"), "from": "smb-share",
                       "host": p.get("hostname")}), problems
    if kind == "aws:lambda:function":
        if p.get("packageType") == "Image":
            return _clean({"component": "function-app", "runtime": "container", "image": p.get("image")}), problems
        stack = lambda_stack(p.get("runtime"))
        if stack is None:
            problems.append(("unsupported-runtime", f"{r['name']}: Lambda runtime {p.get('runtime')} has no Functions "
                                                    "stack; package the function as a container image"))
        triggers, trigger_problems = function_triggers(r["name"], p.get("triggers", []))
        return _clean({"component": "function-app", "stack": stack, "triggers": triggers or None}), \
            problems + trigger_problems
    if kind == "aws:dynamodb:table":
        return _clean({"component": "cosmos-db-nosql", "container": r["name"],
                       "partitionKey": f"/{p['hashKey']}" if p.get("hashKey") else "/id",
                       "sizeGiB": p.get("sizeGiB")}), problems
    if kind == "aws:sqs:queue":
        # Service Bus wants a letter or digit last; SQS also allows - and _
        return _clean({"component": "service-bus-queue", "queue": r["name"].rstrip("-_") or r["name"],
                       "sessions": p.get("fifo") or None}), problems
    if kind == "aws:ecs:cluster":
        return {"component": "container-apps-environment"}, problems
    if kind == "aws:ecs:service":
        return _clean({"component": "container-app", "image": p.get("image"),
                       "cpu": round(p["cpuUnits"] / 1024, 2) if p.get("cpuUnits") else None,
                       "memoryGiB": round(p["memoryMiB"] / 1024, 2) if p.get("memoryMiB") else None,
                       "replicas": p.get("desiredCount")}), problems
    if kind == "aws:elbv2:load-balancer":
        exposure = "public" if p.get("scheme") == "internet-facing" else "internal"
        if p.get("type") == "network":
            return {"component": "load-balancer", "sku": "Standard", "exposure": exposure}, problems
        return {"component": "application-gateway", "sku": "WAF_v2", "exposure": exposure}, problems
    if kind == "aws:elbv2:target-group":
        return {"component": "application-gateway-backend-pool"}, problems
    if kind == "aws:elbv2:listener":
        return _clean({"component": "application-gateway-listener", "protocol": p.get("protocol"), "port": p.get("port")}), problems
    if kind == "aws:route53:zone":
        return {"component": "private-dns-zone" if p.get("private") else "dns-zone"}, problems
    if kind == "aws:iam:role":
        return {"component": "managed-identity"}, problems
    if kind in ("aws:ec2:vpc", "aws:ec2:subnet"):
        return {"component": "landing-zone-spoke", "note": "networks come from the platform's spokes"}, problems
    if kind == "aws:ec2:security-group":
        return {"component": "network-security-group", "rules": len(p.get("ingress", []))}, problems
    return {"component": "manual"}, problems


DATA_DISK_SKUS = {"gp3": "PremiumV2_LRS", "io1": "PremiumV2_LRS", "io2": "PremiumV2_LRS", "gp2": "Premium_LRS",
                  "st1": "StandardSSD_LRS", "sc1": "Standard_LRS", "standard": "Standard_LRS"}
"""EBS volume types to managed disk types for data disks."""
OS_DISK_SKUS = {**DATA_DISK_SKUS, "gp3": "Premium_LRS", "io1": "Premium_LRS", "io2": "Premium_LRS",
                "st1": "StandardSSD_LRS", "sc1": "StandardSSD_LRS", "standard": "StandardSSD_LRS"}
"""For a root volume: Premium SSD v2 and Standard HDD cannot be an OS disk, so the nearest OS-disk type."""


def lambda_stack(runtime: str | None) -> str | None:
    for pattern, stack in LAMBDA_STACKS:
        match = re.match(pattern, runtime or "")
        if match:
            return stack.format(*match.groups())
    return None


def container_name(bucket: str) -> str:
    """A Blob container name for a bucket name: 3-63 lower-case letters, digits and single hyphens."""
    name = slug(bucket)[:63].strip("-")
    return name if len(name) >= 3 else (name + "-data")[:63]


STAYING = {"retire": "retire: nothing is built on Azure; the owner archives what must be kept, then the source is "
                     "switched off",
           "retain": "retain: nothing is built on Azure; the workload stays where it is and is reviewed again later"}
"""The note of a workload that does not move, by strategy."""


def app_facts(resources: Sequence[Mapping[str, Any]], targets: Sequence[Mapping[str, Any]], strategy: str,
              platform_environment: str | None, by_id: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Any] | None, list[str]]:
    """What the app template needs to host the workload, or None (with the reason in the notes)."""
    notes: list[str] = []
    target_of = {t["id"]: t["target"] for t in targets}
    services = [r for r in resources if r["type"] == "aws:ecs:service"]
    functions = [r for r in resources if r["type"] == "aws:lambda:function"]
    servers = [r for r in resources if r["type"] in ("aws:ec2:instance", "onprem:server")]
    prod = platform_environment == "prod"
    ordered = sorted(services, key=lambda s: (not s["properties"].get("targetGroups"),
                                              -int(s["properties"].get("desiredCount") or 0), s["name"]))
    # (part, runtime facts, scale, source resource ids): the first is the app config, each other an app of its own
    parts: list[tuple[str, dict[str, Any], dict[str, int], list[str]]] = []
    for service in ordered:
        facts, scale = service_facts(service, target_of, prod, notes)
        parts.append((slug(service["name"]), facts, scale, [service["id"]]))
    if functions:
        facts, scale = function_facts(functions, target_of, prod, notes)
        parts.append(("func", facts, scale, [f["id"] for f in functions]))
    if servers and (parts or strategy == "rehost"):
        shape, problem = vm_shape(servers, resources, target_of)
        names = ", ".join(sorted(s["name"] for s in servers))
        if shape is None and not parts:
            notes.append(problem)
            return None, notes
        if shape is None:
            notes.append(f"servers {names} are not generated ({problem}): plan them by hand")
        else:
            parts.append(("vm", {"runtime": "vm", "vm": shape}, {"minReplicas": shape["count"],
                                                                  "maxReplicas": shape["count"]},
                          [s["id"] for s in servers]))
    if not parts:
        if strategy not in MOVING:
            notes.append(STAYING[strategy])
        elif servers and strategy == "relocate":
            notes.append("relocate: the servers move to Azure VMware Solution as they are, not through the app template")
        elif servers:
            notes.append(f"{strategy} of virtual machines: containerize first, then set the image in the app config")
        else:
            notes.append("no compute to host: the data moves (see the data-copy plan), no app config")
        return None, notes
    (_, runtime, scale, _), others = parts[0], parts[1:]
    if others:
        notes.append(f"{len(parts)} parts to host ({', '.join(describe_part(p) for p in parts)}): the app config "
                     f"hosts {describe_part(parts[0])} with the data; each other part gets an app of its own in the "
                     "same workload and wave (`<app>-<part>`; internal unless a public load balancer served it), "
                     "whose identity the team grants access to the first app's data by hand")

    data: dict[str, Any] = {"postgres": None, "mysql": None, "storage": False, "keyVault": False}
    for engine in ("postgres", "mysql"):
        servers_of = [t["target"] for t in targets if t["target"].get("engine") == engine and t["target"].get("sku")]
        if servers_of:
            biggest = max(servers_of, key=lambda t: (t.get("vcpu") or 0, t.get("memoryGiB") or 0))
            storage = sum(int(t["storageGb"]) for t in servers_of)
            if len(servers_of) > 1:
                notes.append(f"{len(servers_of)} {engine} servers become one flexible server with their databases")
            sku = biggest["sku"]
            if prod:
                raised = azure_sizes.highly_available(engine, sku)
                if raised.note:
                    notes.append(raised.note)
                sku = raised.name
            data[engine] = {"sku": sku, "storageGb": azure_sizes.storage_gib(engine, storage),
                            "version": max((t["version"] for t in servers_of), key=_version_key)}
    data["storage"] = any(r["type"] in ("aws:s3:bucket", "onprem:s3:bucket", "onprem:storage") for r in resources)
    containers = [{"name": t["target"]["container"], "partitionKey": t["target"]["partitionKey"]}
                  for t in targets if t["target"].get("component") == "cosmos-db-nosql"]
    if containers:
        data["cosmos"] = {"containers": containers}
    queues = [_clean({"name": t["target"]["queue"], "sessions": t["target"].get("sessions")})
              for t in targets if t["target"].get("component") == "service-bus-queue"]
    if queues:
        data["serviceBus"] = {"queues": queues}
    data["keyVault"] = runtime["runtime"] == "vm" or bool(data["postgres"] or data["mysql"]) or any(
        r["properties"].get("usesSecrets") or any(is_secret_name(k) for k in r["properties"].get("environmentKeys", []))
        for r in services + functions)
    exposure = "internal"
    for r in resources:
        scheme_public = r["type"] == "aws:elbv2:load-balancer" and r["properties"].get("scheme") == "internet-facing"
        scheme_public |= any(t.get("public") for t in r["properties"].get("triggers", []))  # a public API or URL
        if scheme_public or str(r["properties"].get("exposure", "")).lower() in ("public", "internet"):
            exposure = "public"
    if runtime["runtime"] == "vm" and exposure == "public":
        notes.append("public virtual machines need a load balancer behind the city's WAF: plan the entrance by hand, "
                     "then generate the VMs as internal")
        return None, notes
    public = {s["id"] for s in services if served_publicly(s, by_id)}
    companions = [{"part": part, "resources": ids, **facts, "scale": part_scale,
                   "exposure": "public" if ids[0] in public else "internal",
                   "data": {"postgres": None, "mysql": None, "storage": False,
                            "keyVault": facts["runtime"] == "vm" or bool(facts.get("secrets"))}}
                  for part, facts, part_scale, ids in others]
    return {**runtime, "exposure": exposure, "data": data, "scale": scale,
            **({"companions": companions} if companions else {})}, notes


def served_publicly(service: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether an internet-facing load balancer forwards to the ECS service (through its target groups)."""
    balancers = {lb for group in service["properties"].get("targetGroups", [])
                 for lb in by_id.get(group, {}).get("properties", {}).get("loadBalancers", [])}
    return any(by_id.get(lb, {}).get("properties", {}).get("scheme") == "internet-facing" for lb in balancers)


def describe_part(part: tuple[str, Mapping[str, Any], Mapping[str, int], Sequence[str]]) -> str:
    """A part of a workload as the notes name it: `afval-web (container)`."""
    return f"{part[0]} ({part[1]['runtime']})"


def service_facts(service: Mapping[str, Any], target_of: Mapping[str, Mapping[str, Any]], prod: bool,
                  notes: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    """The container app that hosts one ECS service (image, port, size, settings, secrets) and its scale."""
    desired = int(service["properties"].get("desiredCount") or 1)
    minimum = max(2 if prod else 1, desired)
    runtime: dict[str, Any] = {"runtime": "container", "image": service["properties"].get("image")}
    ports = service["properties"].get("containerPorts") or []
    if ports:
        runtime["port"] = ports[0]
        if len(ports) > 1:
            notes.append(f"{service['name']} listens on {', '.join(map(str, ports))}; the app config exposes {ports[0]}")
    runtime.update(secret_references(service))
    runtime.update(plain_settings(service, notes))
    size = container_size(target_of[service["id"]].get("cpu"), target_of[service["id"]].get("memoryGiB"))
    if size:
        runtime["cpu"] = size
    elif target_of[service["id"]].get("cpu"):
        notes.append(f"{service['name']} needs more than {max(CPU_MEMORY)} vCPU / {CPU_MEMORY[max(CPU_MEMORY)]}: "
                     "a dedicated workload profile, sized by hand; the app config keeps the default size")
    return runtime, {"minReplicas": minimum, "maxReplicas": min(30, max(3, 2 * minimum))}


def function_facts(functions: Sequence[Mapping[str, Any]], target_of: Mapping[str, Mapping[str, Any]], prod: bool,
                   notes: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    """The function apps that host a workload's Lambda functions (or one container app for image functions), with
    every function's settings and secrets, and their scale."""
    packaged = [f for f in functions if target_of[f["id"]].get("stack")]
    if packaged:
        runtime: dict[str, Any] = {"runtime": "function", "functions": function_groups(packaged, target_of, notes)}
        images = sorted(f["name"] for f in functions if target_of[f["id"]].get("runtime") == "container")
        if images:
            notes.append(f"container-image functions {', '.join(images)} need a Functions Premium plan with a "
                         "custom container or a container app of their own: plan them by hand")
    else:
        main = functions[0]
        if len(functions) > 1:
            notes.append(f"{len(functions)} Lambda functions; they share one container app ({main['name']}'s image)")
        runtime = {"runtime": "container", "image": target_of[main["id"]].get("image")}
    differ = set()
    for function in sorted(functions, key=lambda f: f["name"]):  # every function's settings and secrets, in each app
        for key, value in {**secret_references(function), **plain_settings(function, notes)}.items():
            known = runtime.setdefault(key, {})
            differ |= {f"{key}.{name}" for name in value if name in known and known[name] != value[name]}
            known.update({name: item for name, item in value.items() if name not in known})
    if differ:
        notes.append(f"the functions disagree on {', '.join(sorted(differ))}; the app config keeps the first "
                     "function's (by name) value: set the others per function app by hand")
    return runtime, {"minReplicas": 2 if prod else 1, "maxReplicas": 10 if prod else 3}


def function_groups(functions: Sequence[Mapping[str, Any]], target_of: Mapping[str, Mapping[str, Any]],
                    notes: list[str]) -> dict[str, Any]:
    """The function apps that host Lambda functions: one per group of functions sharing a language runtime (a
    function app runs one), Flex Consumption sized by the largest function's memory, with the Azure triggers."""
    by_stack: dict[str, list[Mapping[str, Any]]] = {}
    for function in sorted(functions, key=lambda f: f["name"]):
        by_stack.setdefault(target_of[function["id"]]["stack"], []).append(function)
    groups: list[dict[str, Any]] = []
    for stack, members in sorted(by_stack.items()):
        memory = max(int(f["properties"].get("memoryMiB") or 128) for f in members)
        size = next((m for m in FLEX_MEMORY_MB if m >= memory), None)
        if size is None:
            notes.append(f"{stack} functions use {memory} MiB, above Flex Consumption's largest instance (4096 MB): "
                         "set app:app.functions.plan to premium with a larger plan, or split the function")
        language, _, version = stack.partition("|")
        triggers = sorted({t["azure"] for f in members for t in target_of[f["id"]].get("triggers", []) if t.get("azure")})
        groups.append({"name": (language.split("-")[0] + re.sub(r"\D", "", version))[:12].lower(), "stack": stack,
                       "memoryMb": size or max(FLEX_MEMORY_MB), "functions": [f["name"] for f in members],
                       **({"triggers": triggers} if triggers else {})})
    unbuilt = sorted({t for g in groups for t in g.get("triggers", [])} & set(BY_HAND))
    if unbuilt:
        notes.append("the app template does not build what these triggers listen to; plan it by hand: "
                     + "; ".join(f"{t}: {BY_HAND[t]}" for t in unbuilt))
    if len(groups) > 1:
        notes.append(f"{len(functions)} Lambda functions in {len(groups)} runtimes: one function app per runtime "
                     f"({', '.join(g['name'] for g in groups)})")
    return {"plan": "flex", "groups": groups}


def secret_references(source: Mapping[str, Any]) -> dict[str, Any]:
    """`secrets`: each secret environment variable (by name or value, see secrets.split_environment) and each ECS
    secret of the source as a reference to a Key Vault secret of the same name in kebab case; names only, the values
    are copied by hand into the vault. None is dropped: every name that is not an environment variable name is
    reported by `validate` (exit 2) instead."""
    p = source["properties"]
    names = list(p["secretVariables"] or []) if "secretVariables" in p else [
        k for k in p.get("environmentKeys", []) if is_secret_name(k)]
    names += p.get("secretNames", [])
    references = {name: re.sub(r"[^0-9A-Za-z-]+", "-", name).strip("-").lower()[:127] for name in sorted(set(names))}
    return {"secrets": references} if references else {}


def plain_settings(source: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """`settings`: the source's plain (non-secret) environment variables with their values; a note when one names a
    source host, which the team repoints at its Azure counterpart (the platform sets POSTGRES_HOST and the like)."""
    settings = dict(source["properties"].get("settings") or {})
    hosts = sorted(k for k, v in settings.items() if any(h in v for h in source["properties"].get("connectsToHosts", [])))
    if hosts:
        notes.append(f"{source['name']}: settings {', '.join(hosts)} name hosts of the source; repoint them at Azure "
                     "before cut-over")
    return {"settings": settings} if settings else {}


def container_size(cpu: float | None, memory_gib: float | None) -> float | None:
    """The smallest Container Apps consumption size (vCPU; memory follows) with at least the source's CPU and
    memory, or None when the source gives neither or none is big enough."""
    if not cpu and not memory_gib:
        return None
    return next((size for size, memory in sorted(CPU_MEMORY.items())
                 if size >= (cpu or 0) and memory >= (memory_gib or 0)), None)


_STOPPED_STATES = frozenset({"stopped", "stopping", "off"})


def vm_shape(servers: Sequence[Mapping[str, Any]], resources: Sequence[Mapping[str, Any]],
             target_of: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Any] | None, str]:
    """The VM group that rehosts these servers: the largest mapped size, one VM per running server, the OS, and
    the disks of the largest server (its root volume is the OS disk, the others data disks)."""
    sized = [s for s in servers if target_of[s["id"]].get("size")]
    if not sized:
        return None, "no VM size fits the servers (see the no-size blocker)"
    systems = {"windows" if "windows" in str(s["properties"].get("os") or s["properties"].get("platform") or "").lower()
               else "linux" for s in servers}
    if len(systems) > 1:
        return None, "the servers run both Linux and Windows: split them into two workloads (overrides) first"
    largest = max(sized, key=lambda s: (target_of[s["id"]].get("vcpu") or 0, target_of[s["id"]].get("memoryGiB") or 0))
    disks = server_disks(largest, resources)
    running = [s for s in servers if str(s["properties"].get("state") or "").lower() not in _STOPPED_STATES]
    shape = {"size": target_of[largest["id"]]["size"], "os": systems.pop(), "count": max(1, len(running)),
             **disks}
    return shape, ""


def server_disks(server: Mapping[str, Any], resources: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The managed disks that rehost one server: its root EBS volume is the OS disk (128 GiB when unknown), its other
    EBS volumes and a CMDB row's disk or storage size (rounded up: 1024.5 -> 1025) are data disks, so no space is lost."""
    attached = [r for r in resources if r["type"] == "aws:ec2:volume"
                and server["id"] in r["properties"].get("attachedTo", [])]
    roots = [math.ceil(r["properties"].get("sizeGiB") or 0) for r in attached if r["properties"].get("root")]
    volumes = sorted(math.ceil(r["properties"].get("sizeGiB") or 0) for r in attached if not r["properties"].get("root"))
    if not roots and volumes:  # the root device is unknown: the smallest volume is taken for it
        roots, volumes = volumes[:1], volumes[1:]
    disk = server["properties"].get("diskGiB") or server["properties"].get("storageGiB")
    data_disks = volumes + ([math.ceil(disk)] if disk else [])
    return {"osDiskGb": min(4095, max(30, roots[0] if roots else 128)),
            "dataDisksGb": [min(32767, max(4, d)) for d in data_disks][:16]}


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _clean(target: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in target.items() if v is not None}


# ---------------------------------------------------------------------------------------------------------------

JSON_SCHEMA = {
    "type": "object",
    "required": ["schema", "inventory", "summary", "workloads"],
    "properties": {
        "schema": {"const": SCHEMA},
        "workloads": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "application", "environment", "strategy", "status", "blockers", "dependsOn", "resources"],
            "properties": {
                **{key: {"type": "string", "minLength": 1} for key in ("id", "application", "environment")},
                **{key: {"type": ["string", "null"]} for key in ("platformEnvironment", "owner", "costCenter",
                                                                 "dataClassification", "algorithmRegisterId",
                                                                 "appReason")},
                "strategy": {"enum": list(STRATEGIES)},
                "status": {"enum": list(STATUSES)},
                "dependsOn": {"type": "array", "items": {"type": "string"}},
                "notes": {"type": "array", "items": {"type": "string"}},
                "blockers": {"type": "array", "items": {
                    "type": "object", "required": ["code", "tier", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
                "app": {"type": ["object", "null"]},
                "databaseAdminGroup": {"type": ["object", "null"]},
                "resources": {"type": "array", "items": {
                    "type": "object", "required": ["id", "type"],
                    "properties": {**{key: {"type": "string"} for key in ("id", "type", "name", "region")},
                                   "target": {"type": ["object", "null"]}}}},
            },
        }},
    },
}


def digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load(path: str | Path) -> dict[str, Any]:
    document = read_yaml(path, SCHEMA, "mapping written by `cityctl migrate map`")
    check_schema(document, JSON_SCHEMA, display(path))
    return document


def save(path: str | Path, document: Mapping[str, Any]) -> None:
    write_yaml(path, dict(document), header="Migration mapping: written by `cityctl migrate map`; see docs/migration.md.")
