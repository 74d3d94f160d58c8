"""Every taggable resource carries the city's mandatory tags."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.azure_types import taggable_types
from amsterdam_cloud.policies.rule_model import UNKNOWN, UNKNOWN_SENTINELS, Report, Resource, Rule, Severity, unwrap

REQUIRED_TAGS = ("owner", "cost-center", "environment", "data-classification", "application")


def _missing(value: Any) -> bool:
    """Absent, null, or blank text (`value` unwrapped); a secret is present (it has a value we cannot read)."""
    return value is None or (isinstance(value, str) and not value.strip())


def check(resource: Resource, report: Report, settings: Any) -> None:
    tags = resource.get("tags")
    if tags is UNKNOWN:
        report.unknown("tags", "merge the stack's tags in the program, not from an output")
        return
    if tags is not None and not isinstance(tags, dict):
        report(f"tags is {type(tags).__name__}, not a mapping of tag names to values")
        return
    tags = tags or {}
    unknown, missing = [], []
    for name in REQUIRED_TAGS:  # one pass: this rule judges every taggable resource
        value = tags.get(name)
        if type(value) is str and value not in UNKNOWN_SENTINELS:  # `unwrap` and `_missing` of plain text, inlined
            if not value.strip():
                missing.append(name)
            continue
        value = unwrap(value)
        if value is UNKNOWN:
            unknown.append(name)
        elif _missing(value):
            missing.append(name)
    if unknown:  # an Output that resolves to "" would deploy the resource untagged
        report.unknown(f"tag(s) {', '.join(unknown)}", "set the tags from the stack config, not from an output")
    if missing:
        report(f"is missing tag(s) {', '.join(missing)}; pass the stack's tags (StackConfig.tags) to every resource")


RULE = Rule(
    id="tags-required",
    title="Resources carry owner, cost-center, environment, data-classification and application tags",
    severity=Severity.MEDIUM,
    controls=("BIO 8.1.1", "BIO 8.1.2", "BIO 8.2.1"),
    remediation="Pass the stack's merged tags to every resource (components do this through CommonArgs.tags).",
    check=check,
    applies_to=tuple(sorted(taggable_types())),
    settings=("environment",),
)
