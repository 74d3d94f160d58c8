"""The data-classification tag names a BIO protection level: BBN1, BBN2 or BBN3."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.policies.azure_types import taggable_types
from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe



def check(resource: Resource, report: Report, settings: Any) -> None:
    value = resource.tag("data-classification")
    if value is None:
        return  # missing: reported by tags-required
    if value is UNKNOWN:
        report.unknown("tag data-classification", "set the tag from the stack config")
        return
    if not isinstance(value, str) or value.strip().upper() not in DATA_CLASSIFICATIONS:
        report(f"tag data-classification is {describe(value)}; use a BIO level: {', '.join(DATA_CLASSIFICATIONS)}")


RULE = Rule(
    id="tags-data-classification-valid",
    title="data-classification is a BIO level (BBN1-BBN3)",
    severity=Severity.MEDIUM,
    controls=("BIO 8.2.1", "BIO 8.2.2"),
    remediation="Set the data-classification tag to BBN1, BBN2 or BBN3 (the highest level of data the resource holds).",
    check=check,
    applies_to=tuple(sorted(taggable_types())),
)
