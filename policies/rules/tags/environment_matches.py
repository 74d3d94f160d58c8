"""The environment tag names the environment the stack deploys to (no prod data in a resource tagged dev)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.azure_types import taggable_types
from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe


def check(resource: Resource, report: Report, settings: Any) -> None:
    value = resource.tag("environment")
    if value is None:
        return  # missing: reported by tags-required
    if value is UNKNOWN:
        report.unknown("tag environment", "set the tag from the stack config")
        return
    if not isinstance(value, str) or value.strip().lower() != settings.environment:
        report(f"tag environment is {describe(value)} in a {settings.environment} stack; "
               f"set it to {settings.environment!r}")


RULE = Rule(
    id="tags-environment-matches",
    title="The environment tag matches the stack's environment",
    severity=Severity.LOW,
    controls=("BIO 12.1.4", "BIO 8.1.1"),
    remediation="Let the stack program set the environment tag from its config.",
    check=check,
    applies_to=tuple(sorted(taggable_types())),
    settings=("environment",),
)
