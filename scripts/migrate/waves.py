"""Wave planning: moving workloads in an order that respects their dependencies, in waves of bounded size.

The rules, in order:

1. Only moving workloads (rehost, relocate, replatform, refactor, repurchase) are planned; a dependency on a
   retired or retained workload does not hold anything up (it stays reachable over the hybrid connection).
   Workloads with `exclude: true` in the overrides are left out (listed under `excluded`); within one
   application, dev moves before test, test before acc, acc before prod.
2. Dependency cycles are found (Tarjan's strongly connected components) and reported with their members and one
   path through them. By default the members are held back; with `merge_cycles` each cycle moves as one unit.
3. Blocked workloads still get a wave, marked `provisional` with the reason, and so does every workload after
   one (transitively); workloads that depend on a held-back cycle are held back too.
4. The rest are placed in waves: a workload goes in the first wave after all of its dependencies; within a wave,
   workloads that unblock the most others go first; a wave holds at most `max_workloads` workloads and (when set)
   `max_resources` resources. A merged cycle larger than the cap gets a wave of its own. A `wave: N` pin in the
   overrides places a workload in wave N, or the first wave after its dependencies when that is later.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.scripts.migrate.yaml_documents import display, read_yaml, write_yaml
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides
from amsterdam_cloud.scripts.migrate.strategy import MOVING

SCHEMA = "amsterdam.migrate.waves/v1"


def strongly_connected(nodes: Iterable[str], edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit on big estates); components in sorted member order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def cycle_path(members: Sequence[str], edges: Mapping[str, Sequence[str]]) -> list[str]:
    """One closed path through a strongly connected component, starting at its first member."""
    inside = set(members)
    start = members[0]
    path, seen = [start], {start}
    node = start
    while True:
        following = sorted(n for n in edges.get(node, ()) if n in inside)
        if start in following and len(path) > 1:
            return path + [start]
        unseen = [n for n in following if n not in seen]
        if not unseen:  # close the loop by the shortest way back
            return path + [start]
        node = unseen[0]
        path.append(node)
        seen.add(node)


"""Within one application, each environment moves after the one before it (dev, test, acc, then prod)."""


def dtap_dependencies(workloads: Mapping[str, Mapping[str, Any]], moving: set[str]) -> dict[str, str]:
    """Workload id to the workload of the same application in the nearest earlier environment that also moves."""
    by_app: dict[str, dict[str, str]] = defaultdict(dict)
    for wid in moving:
        env = workloads[wid].get("platformEnvironment")
        if env in ENVIRONMENTS:
            by_app[workloads[wid]["application"]][env] = wid
    result = {}
    for envs in by_app.values():
        ordered = [envs[e] for e in ENVIRONMENTS if e in envs]
        for earlier, later in zip(ordered, ordered[1:]):
            result[later] = earlier
    return result


def plan(mapping: Mapping[str, Any], *, max_workloads: int = 10, max_resources: int | None = None,
         merge_cycles: bool = False, mapping_source: str = "mapping", mapping_digest: str | None = None,
         generated_at: str | None = None, overrides: Overrides = NONE) -> dict[str, Any]:
    """The wave plan document for a mapping, with the wave pins and exclusions of the overrides."""
    workloads = {w["id"]: w for w in mapping["workloads"]}
    candidates = {wid for wid, w in workloads.items() if w["strategy"] in MOVING and w["status"] != "not-moving"}
    excluded = sorted(wid for wid in candidates if overrides.workload(wid).get("exclude"))
    moving = candidates - set(excluded)
    after = dtap_dependencies(workloads, moving)
    depends = {wid: sorted({d for d in workloads[wid]["dependsOn"] if d in moving and d != wid}
                           | ({after[wid]} if wid in after else set())) for wid in moving}
    components = strongly_connected(moving, depends)
    cycles = [c for c in components if len(c) > 1]
    unit_of = {member: tuple(c) for c in components for member in c}
    held: dict[str, list[str]] = defaultdict(list)
    cycle_reports = []
    for members in cycles:
        path = cycle_path(members, depends)
        cycle_reports.append({"workloads": members, "path": " -> ".join(path)})
        if not merge_cycles:
            for member in members:
                held[member].append(f"dependency cycle: {' -> '.join(path)}")
    provisional: dict[str, list[str]] = defaultdict(list)
    for wid in sorted(moving):
        if workloads[wid]["status"] in ("blocked", "incomplete"):
            provisional[wid].append(f"{workloads[wid]['status']}: " + "; ".join(
                b["code"] for b in workloads[wid]["blockers"] if b.get("tier", "planning") in ("planning", "discovery")))
        for dependency in workloads[wid]["dependsOn"]:
            if dependency in excluded:
                provisional[wid].append(f"depends on excluded {dependency}")
    # A cycle's members can not be ordered: what depends on them waits too. A blocked workload's plan is
    # provisional, and so is the plan of everything after it (until nothing changes).
    changed = True
    while changed:
        changed = False
        for wid in sorted(moving):
            if wid not in held:
                partner = next((m for m in unit_of[wid] if m in held), None)
                dependency = next((d for d in depends[wid] if d in held), None)
                if partner or dependency:
                    held[wid].append(f"moves with held-back {partner}" if partner else f"depends on held-back {dependency}")
                    changed = True
                    continue
            if wid not in provisional:
                dependency = next((d for d in depends[wid] if d in provisional), None)
                if dependency:
                    provisional[wid].append(f"after provisional {dependency}")
                    changed = True
    units = sorted({unit_of[w] for w in moving if w not in held})
    unit_deps = {u: {unit_of[d] for m in u for d in depends[m]} - {u} for u in units}
    pin = {u: max((overrides.workload(m).get("wave") or 0) for m in u) for u in units}
    dependents: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for unit, deps in unit_deps.items():
        for dep in deps:
            dependents[dep].add(unit)

    def reach(unit: tuple[str, ...]) -> int:
        seen, todo = set(), [unit]
        while todo:
            for nxt in dependents[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return len(seen)

    weight = {u: reach(u) for u in units}
    size = {u: sum(len(workloads[m]["resources"]) for m in u) for u in units}
    placed: dict[tuple[str, ...], int] = {}
    waves: list[list[tuple[str, ...]]] = []
    remaining = set(units)
    while remaining:
        number = len(waves) + 1
        ready = sorted((u for u in remaining if all(d in placed for d in unit_deps[u]) and pin[u] <= number),
                       key=lambda u: (-(pin[u] == number), -weight[u], u))
        wave: list[tuple[str, ...]] = []
        count = resources = 0
        for unit in ready:
            fits = count + len(unit) <= max_workloads and (max_resources is None or resources + size[unit] <= max_resources)
            if fits or not wave or pin[unit] == number:
                wave.append(unit)
                count += len(unit)
                resources += size[unit]
        for unit in wave:
            placed[unit] = number
            remaining.discard(unit)
        waves.append(wave)
    document_waves = []
    for number, wave in enumerate(waves, start=1):
        entries = []
        for unit in wave:
            for member in unit:
                w = workloads[member]
                entry: dict[str, Any] = {"id": member, "strategy": w["strategy"], "status": w["status"],
                                         "owner": w.get("owner"), "resources": len(w["resources"]),
                                         "dependsOn": depends[member]}
                if member in after:
                    entry["after"] = after[member]
                if len(unit) > 1:
                    entry["movesWith"] = [m for m in unit if m != member]
                if pin[unit]:
                    entry["pinned"] = pin[unit]
                if member in provisional:
                    entry["provisional"] = True
                    entry["reasons"] = provisional[member]
                entries.append(entry)
        document_waves.append({"wave": number, "workloads": entries,
                               "resources": sum(e["resources"] for e in entries)})
    late = [f"{m} is pinned to wave {pin[u]} but its dependencies place it in wave {placed[u]}"
            for u in units for m in u if pin[u] and placed[u] > pin[u]]
    return {
        "schema": SCHEMA,
        "generatedAt": generated_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "mapping": {"file": mapping_source, "sha256": mapping_digest},
        "overrides": overrides.source,
        "limits": {"maxWorkloads": max_workloads, "maxResources": max_resources, "mergeCycles": merge_cycles},
        "summary": {"waves": len(document_waves), "planned": sum(len(w["workloads"]) for w in document_waves),
                    "provisional": sum(1 for w in document_waves for e in w["workloads"] if e.get("provisional")),
                    "heldBack": len(held), "excluded": len(excluded), "cycles": len(cycle_reports),
                    "notMoving": sum(1 for wid in workloads if wid not in candidates)},
        "waves": document_waves,
        "heldBack": [{"id": wid, "reasons": reasons} for wid, reasons in sorted(held.items())],
        "excluded": [{"id": wid, "reason": f"exclude: true in {overrides.file}"} for wid in excluded],
        "pinsMissed": late,
        "cycles": cycle_reports,
        "notMoving": [{"id": wid, "strategy": w["strategy"], "status": w["status"],
                       **({"blockers": [b["code"] for b in w["blockers"]]} if w["blockers"] else {})}
                      for wid, w in sorted(workloads.items()) if wid not in candidates],
    }


def table(document: Mapping[str, Any]) -> str:
    """The plan as a table people read (wave, workload, strategy, resources, owner, depends on)."""
    rows = [("WAVE", "WORKLOAD", "STRATEGY", "RES", "OWNER", "DEPENDS ON")]
    for wave in document["waves"]:
        for entry in wave["workloads"]:
            number = f"{wave['wave']}?" if entry.get("provisional") else str(wave["wave"])
            why = ", ".join(entry["dependsOn"]) or "-"
            if entry.get("provisional"):
                why += f" (provisional: {'; '.join(entry['reasons'])})"
            rows.append((number, entry["id"], entry["strategy"], str(entry["resources"]), entry.get("owner") or "-", why))
    for held in document["heldBack"]:
        rows.append(("held", held["id"], "-", "-", "-", "; ".join(held["reasons"])))
    for entry in document.get("excluded", []):
        rows.append(("excl", entry["id"], "-", "-", "-", entry["reason"]))
    for entry in document["notMoving"]:
        rows.append(("-", entry["id"], entry["strategy"], "-", "-",
                     "not moving" + (f" (blocked: {', '.join(entry['blockers'])})" if entry.get("blockers") else "")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + row[-1] for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


JSON_SCHEMA = {
    "type": "object",
    "required": ["schema", "waves", "heldBack", "cycles"],
    "properties": {
        "schema": {"const": SCHEMA},
        "waves": {"type": "array", "items": {
            "type": "object", "required": ["wave", "workloads"],
            "properties": {"wave": {"type": "integer"}, "resources": {"type": "integer"}, "workloads": {
                "type": "array", "items": {
                    "type": "object", "required": ["id"],
                    "properties": {"id": {"type": "string"}, "strategy": {"type": ["string", "null"]},
                                   "owner": {"type": ["string", "null"]}, "resources": {"type": "integer"},
                                   "dependsOn": {"type": "array", "items": {"type": "string"}}}}}}}},
        "heldBack": {"type": "array", "items": {
            "type": "object", "required": ["id", "reasons"],
            "properties": {"id": {"type": "string"}, "reasons": {"type": "array", "items": {"type": "string"}}}}},
        "cycles": {"type": "array"},
        "mapping": {"type": "object", "properties": {"file": {"type": ["string", "null"]},
                                                     "sha256": {"type": ["string", "null"]}}},
        "notMoving": {"type": "array", "items": {
            "type": "object", "required": ["id", "strategy"],
            "properties": {"id": {"type": "string"}, "strategy": {"type": "string"}}}},
    },
}


def load(path: str) -> dict[str, Any]:
    document = read_yaml(path, SCHEMA, "wave plan written by `cityctl migrate waves`")
    check_schema(document, JSON_SCHEMA, display(path))
    return document


def save(path: str, document: Mapping[str, Any]) -> None:
    write_yaml(path, dict(document), header="Migration wave plan: written by `cityctl migrate waves`; see docs/migration.md.")
