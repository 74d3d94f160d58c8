"""The human view of a plan: a tree like `pulumi preview` prints, and the counts to create by type."""

from __future__ import annotations

from collections import defaultdict

from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.recorder import RecordedResource

FOLD_AFTER = 12
"""More siblings of one type than this are folded into one line, so a 3,000-resource plan stays readable."""


def render_tree(plan: Plan) -> str:
    children: dict[str, list[RecordedResource]] = defaultdict(list)
    for resource in plan.resources[1:]:
        children[resource.parent].append(resource)
    type_width = max((len(r.type) + 3 * _depth(r, plan) for r in plan.resources), default=20) + 4
    lines = [f"     {'Type':<{type_width}}Name"]

    def walk(resource: RecordedResource, prefix: str, last: bool, depth: int) -> None:
        branch = "" if depth == 0 else ("└─ " if last else "├─ ")
        mark = "=" if resource.external else "+"
        label = f"{prefix}{branch}{resource.type}"
        note = " [protect]" if resource.protect else ""
        lines.append(f" {mark}   {label:<{type_width}}{resource.name}{note}")
        kids = children.get(resource.urn, [])
        shown, folded = _fold(kids)
        extension = "" if depth == 0 else ("   " if last else "│  ")
        for index, child in enumerate(shown):
            walk(child, prefix + extension, index == len(shown) - 1 and not folded, depth + 1)
        for index, (type_, count) in enumerate(folded):
            glyph = "└─ " if index == len(folded) - 1 else "├─ "
            lines.append(f" +   {prefix + extension}{glyph}… {count} more {type_}")

    walk(plan.stack_resource, "", True, 0)
    return "\n".join(lines)


def render_summary(plan: Plan) -> str:
    counts = plan.counts_by_type()
    total = sum(counts.values())
    reads = sum(1 for r in plan.resources if r.external)
    lines = ["Resources:", f"    + {total} to create" + (f", {reads} read" if reads else "")]
    for type_, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"      {count:>5}  {type_}")
    return "\n".join(lines)


def _fold(kids: list[RecordedResource]) -> tuple[list[RecordedResource], list[tuple[str, int]]]:
    by_type: dict[str, list[RecordedResource]] = defaultdict(list)
    for kid in kids:
        by_type[kid.type].append(kid)
    seen: dict[str, int] = defaultdict(int)
    shown = []
    for kid in kids:
        if len(by_type[kid.type]) <= FOLD_AFTER or seen[kid.type] < FOLD_AFTER // 2:
            shown.append(kid)
        seen[kid.type] += 1
    folded = [(t, len(group) - FOLD_AFTER // 2) for t, group in by_type.items() if len(group) > FOLD_AFTER]
    return shown, folded


def _depth(resource: RecordedResource, plan: Plan) -> int:
    return resource.urn.split("::")[2].count("$") + (1 if resource.parent else 0)
