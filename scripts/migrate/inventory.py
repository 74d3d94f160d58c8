"""The normalized inventory: resources from every source, grouped into workloads, with inferred edges.

One YAML document (`schema: amsterdam.migrate.inventory/v1`, described in docs/migration.md) holds:

- `resources`: every discovered or imported resource, keyed by a stable `id` (the ARN for AWS, `cmdb://<file
  stem>/<id>` for a CMDB row), with its tags and type-specific `properties`;
- `edges`: what one resource's configuration says about another (a load balancer's targets, a security group
  allowing another, a function's subnets, a database host in an environment variable);
- `workloads`: resources grouped by their `application` and `environment` tags, with the owner, cost centre and
  classification read from tags, and `dependsOn`: the other workloads this one calls;
- `unassigned`: resources no tag or edge ties to a workload (shared networking, identities, orphans);
- `errors`: what discovery could not read (access denied in a region, a service, or on one item) so a gap is
  never silent;
- `orphans`: what the catch-all sweep (Resource Groups Tagging API) listed and no collector read, each with the
  workload its tags name.

`build` is a pure function of the resources: discovery and the CMDB import both call it after changing them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.scripts.migrate.yaml_documents import display, read_yaml, write_yaml
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides

SCHEMA = "amsterdam.migrate.inventory/v1"

RESOURCE_TYPES: tuple[str, ...] = (
    "aws:ec2:instance", "aws:ec2:volume", "aws:ec2:vpc", "aws:ec2:subnet", "aws:ec2:security-group",
    "aws:rds:instance", "aws:rds:cluster", "aws:s3:bucket", "aws:lambda:function", "aws:ecs:cluster",
    "aws:ecs:service", "aws:elbv2:load-balancer", "aws:elbv2:target-group", "aws:elbv2:listener",
    "aws:route53:zone", "aws:iam:role", "aws:dynamodb:table", "aws:sqs:queue",
    "onprem:server", "onprem:database", "onprem:storage", "onprem:s3:bucket",
)

DATABASE_TYPES = frozenset({"aws:rds:instance", "aws:rds:cluster", "onprem:database"})
STATEFUL_TYPES = DATABASE_TYPES | {"aws:s3:bucket", "aws:ec2:volume", "onprem:storage", "onprem:s3:bucket",
                                   "aws:dynamodb:table", "aws:sqs:queue"}
"""Resource types that hold data; their location decides the data-outside-the-EU blocker."""

# Tag names (and CMDB column names) as teams spell them, Dutch and English, folded to lower case without
# separators. The first name is the canonical one. The one list: the AWS inventory reads tags with it and the CMDB
# importer reads its columns with it (cmdb.HEADER_ALIASES takes these).
TAG_ALIASES: dict[str, tuple[str, ...]] = {
    "application": ("application", "app", "applicationname", "appname", "applicatie", "applicatienaam"),
    "environment": ("environment", "env", "stage", "omgeving", "otap"),
    "owner": ("owner", "owneremail", "team", "contact", "eigenaar", "beheerder", "teameigenaar"),
    "cost-center": ("costcenter", "costcentre", "kostenplaats", "kostenplaatsnummer"),
    "data-classification": ("dataclassification", "classification", "bbn", "classificatie", "dataclassificatie",
                            "bivclassificatie", "vertrouwelijkheid"),
    "personal-data": ("personaldata", "pii", "persoonsgegevens", "gdpr", "bevatpersoonsgegevens", "avg"),
    "algorithm-register-id": ("algorithmregisterid", "algoritmeregister", "lars"),
    "migration-strategy": ("migrationstrategy", "migrate7r", "7r", "migratiestrategie"),
    "data-transfer-approved": ("datatransferapproved", "doorgifteakkoord", "doorgiftegoedgekeurd"),
}
_TRUE = frozenset({"true", "yes", "ja", "1", "y"})


def resource(*, id: str, type: str, name: str, source: str, account: str, region: str,
             tags: Mapping[str, str], properties: Mapping[str, Any]) -> dict[str, Any]:
    """One resource record in the inventory's shape (keys in a fixed order, `None` properties dropped)."""
    return {"id": id, "type": type, "name": name, "source": source, "account": account, "region": region,
            "tags": dict(sorted(tags.items())), "properties": {k: v for k, v in properties.items() if v is not None}}


def fold(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


_ALIAS_TO_CANONICAL = {alias: canonical for canonical, aliases in TAG_ALIASES.items() for alias in aliases}


def canonical_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags the migration reads, under their canonical names (`Application`, `app` -> `application`)."""
    found: dict[str, str] = {}
    for key, value in tags.items():
        canonical = _ALIAS_TO_CANONICAL.get(fold(key))
        if canonical and str(value).strip() and canonical not in found:
            found[canonical] = str(value).strip()
    return found


def slug(text: str) -> str:
    """A lower-case name of letters, digits and single hyphens (`Permit Desk_API` -> `permit-desk-api`)."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")


def is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


# ---------------------------------------------------------------------------------------------------------------
# Building the inventory

def build(resources: Iterable[Mapping[str, Any]], *, sources: list[dict[str, Any]] | None = None,
          errors: list[dict[str, Any]] | None = None, generated_at: str | None = None,
          overrides: Overrides = NONE, orphans: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The whole inventory document from a list of resources (de-duplicated by id; the last one wins).

    Workloads are grouped by application and *platform* environment (the overrides' aliases, then the built-in
    ones), so AWS `prod` and CMDB `Productie` of one application are one workload. `orphans` (what the sweep
    listed and no collector read) are kept beside the resources, each with the workload its tags name.
    """
    by_id: dict[str, dict[str, Any]] = {}
    for record in resources:
        by_id[record["id"]] = dict(record)
    ordered = [by_id[key] for key in sorted(by_id)]
    edges = infer_edges(ordered)
    membership = assign_workloads(ordered, edges, overrides)
    workloads = summarize_workloads(ordered, membership, edges)
    unassigned = sorted(r["id"] for r in ordered if r["id"] not in membership)
    unread = []
    for entry in sorted(orphans, key=lambda o: o["id"]):
        tags = canonical_tags(entry["tags"])
        unread.append({**{k: v for k, v in entry.items() if k != "workload"},
                       "workload": workload_id(tags["application"], tags.get("environment"), overrides)
                       if "application" in tags else None})
    return {
        "schema": SCHEMA,
        "generatedAt": generated_at,
        "sources": sources or [],
        "errors": errors or [],
        "summary": {"resources": len(ordered), "workloads": len(workloads), "edges": len(edges),
                    "unassigned": len(unassigned), "orphans": len(unread), "errors": len(errors or []),
                    "byType": dict(sorted(Counter(r["type"] for r in ordered).items()))},
        "workloads": workloads,
        "unassigned": unassigned,
        "orphans": unread,
        "edges": edges,
        "resources": ordered,
    }


def infer_edges(resources: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Edges read from configuration; each is `{from, to, kind}` between two resources in the inventory.

    Kinds: `attached-to` (volume to instance), `member-of` (to a security group or subnet), `in-vpc`,
    `has-listener`, `forwards-to` (listener to target group), `targets` (target group to instance, function or
    service), `runs-on` (ECS service to cluster), `cluster-member` (DB instance to cluster), `allows-from`
    (security group to a group its rules admit), `connects-to` (a host in configuration names a database or load
    balancer), `depends-on` (declared in the CMDB), `triggered-by` (a function to the queue, stream, table or
    bucket that triggers it; an untagged source joins the function's workload).
    """
    ids = {r["id"] for r in resources}
    by_ip: dict[str, str] = {}
    by_host: dict[str, str] = {}
    for r in resources:
        p = r["properties"]
        if r["type"] in ("aws:ec2:instance", "onprem:server") and p.get("privateIp"):
            by_ip[p["privateIp"]] = r["id"]
        for key in ("endpoint", "readerEndpoint", "dnsName", "hostname"):
            if isinstance(p.get(key), str) and r["type"] != "onprem:s3:bucket":
                by_host[p[key].lower()] = r["id"]
    found: set[tuple[str, str, str]] = set()

    def add(source: str | None, target: str | None, kind: str) -> None:
        if source is not None and target is not None and source in ids and target in ids and target != source:
            found.add((source, target, kind))

    for r in resources:
        p, rid, kind = r["properties"], r["id"], r["type"]
        for group in p.get("securityGroups", []):
            add(rid, group, "member-of")
        for subnet in p.get("subnets", []) + ([p["subnet"]] if p.get("subnet") else []):
            add(rid, subnet, "member-of")
        if kind in ("aws:ec2:subnet", "aws:ec2:security-group", "aws:lambda:function"):
            add(rid, p.get("vpc"), "in-vpc")
        for instance in p.get("attachedTo", []):
            add(rid, instance, "attached-to")
        if kind == "aws:elbv2:listener":
            add(p.get("loadBalancer"), rid, "has-listener")
            for group in p.get("forwardsTo", []):
                add(rid, group, "forwards-to")
        if kind == "aws:elbv2:target-group":
            for target in p.get("targets", []):
                add(rid, by_ip.get(target, target), "targets")
        if kind == "aws:ecs:service":
            add(rid, p.get("cluster"), "runs-on")
            for group in p.get("targetGroups", []):
                add(group, rid, "targets")
        if kind == "aws:rds:instance":
            add(rid, p.get("cluster"), "cluster-member")
        if kind == "aws:ec2:security-group":
            for rule in p.get("ingress", []):
                for other in rule.get("groups", []):
                    add(rid, other, "allows-from")
        for host in p.get("connectsToHosts", []):
            add(rid, by_host.get(host), "connects-to")
        for other in p.get("dependsOn", []):
            add(rid, other, "depends-on")
        for trigger in p.get("triggers", []):
            add(rid, trigger.get("resource"), "triggered-by")
    return [{"from": a, "to": b, "kind": k} for a, b, k in sorted(found)]


# Edges along which an untagged resource joins the workload of the resource at the other end:
# (edge kind, direction) where "to" means the resource at `from` inherits from the one at `to`.
_INHERIT = (("attached-to", "to"), ("has-listener", "from"), ("forwards-to", "from"), ("cluster-member", "to"),
            ("runs-on", "to"), ("targets", "to"), ("triggered-by", "from"))


_SHARED_PARENT = ("runs-on", "cluster-member")
"""Edges from a member to the resource it runs in (an ECS service to its cluster, an instance to its cluster)."""
UNSPECIFIED = "unspecified"
"""The environment part of a workload id whose resources carry no environment tag."""


def assign_workloads(resources: list[dict[str, Any]], edges: list[dict[str, str]],
                     overrides: Overrides = NONE) -> dict[str, str]:
    """Resource id to workload id: from its own tags, else inherited along ownership edges. A resource tagged with
    its application but no environment that its members (services) all place in one workload joins that one."""
    membership: dict[str, str] = {}
    no_environment = []
    for r in resources:
        tags = canonical_tags(r["tags"])
        if "application" in tags:
            membership[r["id"]] = workload_id(tags["application"], tags.get("environment"), overrides)
            if "environment" not in tags and membership[r["id"]].endswith(f"/{UNSPECIFIED}"):
                no_environment.append(r["id"])
    for rid in no_environment:  # an ECS cluster tagged with its application only: it joins its services' workload
        application = membership[rid].rsplit("/", 1)[0]
        joined = {membership[e["from"]] for e in edges if e["to"] == rid and e["kind"] in _SHARED_PARENT
                  and membership.get(e["from"], "").startswith(application + "/") and e["from"] not in no_environment}
        if len(joined) == 1:
            membership[rid] = joined.pop()
    changed = True
    while changed:
        changed = False
        for edge in edges:
            for kind, direction in _INHERIT:
                if edge["kind"] != kind:
                    continue
                child, parent = (edge["from"], edge["to"]) if direction == "to" else (edge["to"], edge["from"])
                if child not in membership and parent in membership:
                    membership[child] = membership[parent]
                    changed = True
    return membership


def workload_id(application: str, environment: str | None, overrides: Overrides = NONE) -> str:
    """`<application>/<environment>`: the platform environment when the tag maps to one, else the tag's slug.

    A workload-level `environment:` override (keyed by the id the tags give) moves it to that environment.
    """
    app = slug(application) or "unnamed"
    found = f"{app}/{overrides.environment(environment) or slug(environment or '') or UNSPECIFIED}"
    moved = overrides.workload(found).get("environment")
    return f"{app}/{overrides.environment(moved) or slug(moved)}" if moved else found


def summarize_workloads(resources: list[dict[str, Any]], membership: Mapping[str, str],
                        edges: list[dict[str, str]]) -> list[dict[str, Any]]:
    by_id = {r["id"]: r for r in resources}
    members: dict[str, list[str]] = defaultdict(list)
    for rid, wid in membership.items():
        members[wid].append(rid)
    dependencies = workload_dependencies(by_id, membership, edges)
    workloads = []
    for wid in sorted(members):
        ids = sorted(members[wid])
        tagged = [canonical_tags(by_id[i]["tags"]) for i in ids]
        values: dict[str, Counter[str]] = defaultdict(Counter)
        for tags in tagged:
            for key, value in tags.items():
                values[key][value] += 1
        conflicts = {key: sorted(counter) for key, counter in values.items() if len(counter) > 1}

        def pick(key: str) -> str | None:
            return values[key].most_common(1)[0][0] if values.get(key) else None

        application, environment = wid.split("/", 1)
        personal = values.get("personal-data")
        workloads.append({
            "id": wid, "application": application, "environment": environment,
            "owner": pick("owner"), "costCenter": pick("cost-center"),
            "dataClassification": pick("data-classification"),
            "personalData": None if not personal else any(is_true(v) for v in personal),
            "algorithmRegisterId": pick("algorithm-register-id"),
            "strategyTag": pick("migration-strategy"),
            "dataTransferApproved": is_true(pick("data-transfer-approved")),
            "tagConflicts": conflicts,
            "sources": sorted({by_id[i]["source"] for i in ids}),
            "accounts": sorted({by_id[i]["account"] for i in ids}),
            "regions": sorted({by_id[i]["region"] for i in ids}),
            "resources": ids,
            "dependsOn": dependencies.get(wid, []),
        })
    return workloads


def workload_dependencies(by_id: Mapping[str, dict[str, Any]], membership: Mapping[str, str],
                          edges: list[dict[str, str]]) -> dict[str, list[dict[str, Any]]]:
    """Workload id to the workloads it calls, each with the reasons (edges) that say so.

    A caller depends on what it calls: a `connects-to` or `depends-on` edge points from caller to callee; a
    target group's `targets` edge makes the load balancer's workload depend on the backend's; and when security
    group A admits group B, every workload with a resource in B calls every workload with a resource in A.
    """
    reasons: dict[tuple[str, str], set[str]] = defaultdict(set)

    def link(caller: str | None, callee: str | None, reason: str) -> None:
        if caller and callee and caller != callee:
            reasons[(caller, callee)].add(reason)

    in_group: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge["kind"] == "member-of" and by_id[edge["to"]]["type"] == "aws:ec2:security-group":
            if edge["from"] in membership:
                in_group[edge["to"]].add(membership[edge["from"]])
    for edge in edges:
        source, target, kind = edge["from"], edge["to"], edge["kind"]
        if kind in ("connects-to", "depends-on", "targets", "triggered-by"):
            link(membership.get(source), membership.get(target),
                 f"{by_id[source]['name']} {kind} {by_id[target]['name']}")
        elif kind == "allows-from":
            for callee in in_group.get(source, ()):
                for caller in in_group.get(target, ()):
                    link(caller, callee, f"security group {by_id[source]['name']} admits {by_id[target]['name']}")
    result: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (caller, callee), why in sorted(reasons.items()):
        result[caller].append({"workload": callee, "reasons": sorted(why)[:5]})
    return result


# ---------------------------------------------------------------------------------------------------------------
# Reading and writing

_RESOURCE_SCHEMA = {
    "type": "object",
    "required": ["id", "type", "name", "source", "account", "region", "tags", "properties"],
    "properties": {
        "id": {"type": "string", "minLength": 1}, "type": {"enum": list(RESOURCE_TYPES)},
        "name": {"type": "string"}, "source": {"type": "string"}, "account": {"type": "string"},
        "region": {"type": "string"}, "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "properties": {"type": "object", "properties": {
            **{key: {"type": "number", "minimum": 0} for key in ("vcpu", "memoryGiB", "memoryMiB", "diskGiB",
                                                                 "storageGiB", "allocatedStorage")},
            **{key: {"type": ["string", "null"]} for key in ("instanceType", "instanceClass", "engine",
                                                             "engineVersion")},
            "dependsOn": {"type": "array", "items": {"type": "string"}}}},
    },
}
JSON_SCHEMA = {
    "type": "object",
    "required": ["schema", "sources", "errors", "workloads", "unassigned", "edges", "resources"],
    "properties": {
        "schema": {"const": SCHEMA},
        "sources": {"type": "array", "items": {"type": "object", "required": ["kind"]}},
        "errors": {"type": "array", "items": {"type": "object", "required": ["service", "code", "message"]}},
        "workloads": {"type": "array", "items": {
            "type": "object", "required": ["id", "application", "environment", "resources", "dependsOn"],
            "properties": {
                **{key: {"type": "string", "minLength": 1} for key in ("id", "application", "environment")},
                **{key: {"type": ["string", "null"]} for key in ("owner", "costCenter", "dataClassification",
                                                                 "algorithmRegisterId", "strategyTag")},
                "personalData": {"type": ["boolean", "null"]}, "dataTransferApproved": {"type": "boolean"},
                "tagConflicts": {"type": "object", "additionalProperties": {"type": "array",
                                                                            "items": {"type": "string"}}},
                **{key: {"type": "array", "items": {"type": "string"}} for key in ("sources", "accounts", "regions",
                                                                                  "resources")},
                "dependsOn": {"type": "array", "items": {
                    "type": "object", "required": ["workload"],
                    "properties": {"workload": {"type": "string"},
                                   "reasons": {"type": "array", "items": {"type": "string"}}}}},
            }}},
        "unassigned": {"type": "array", "items": {"type": "string"}},
        "orphans": {"type": "array", "items": {"type": "object", "required": ["id", "service", "region", "tags"]}},
        "edges": {"type": "array", "items": {"type": "object", "required": ["from", "to", "kind"]}},
        "resources": {"type": "array", "items": _RESOURCE_SCHEMA},
    },
}


def load(path: str) -> dict[str, Any]:
    """Read and validate an inventory file (the output of `cityctl migrate discover` or `import-cmdb`)."""
    document = read_yaml(path, SCHEMA, "inventory written by `cityctl migrate discover` or `import-cmdb`")
    check_schema(document, JSON_SCHEMA, display(path))
    known = {resource["id"] for resource in document["resources"]}
    for index, workload in enumerate(document["workloads"]):
        for position, resource_id in enumerate(workload["resources"]):
            if resource_id not in known:
                raise UserError(f"{display(path)}: workloads[{index}].resources[{position}]: {resource_id!r} is "
                                "not among the inventory's resources; regenerate the inventory")
    return document


def save(path: str, document: Mapping[str, Any]) -> None:
    write_yaml(path, dict(document), header="Migration inventory: written by `cityctl migrate discover` / "
                                            "`import-cmdb`; see docs/migration.md.")
