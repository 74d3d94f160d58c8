"""Network flow logs are kept at least 90 days (CIS 6.5; Checkov CKV_AZURE_12)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe
from amsterdam_cloud.policies.rules.values import check_retention_days

MIN_DAYS = 90


def check(resource: Resource, report: Report, settings: Any) -> None:
    enabled = resource.get("retentionPolicy.enabled", False)
    if enabled is UNKNOWN:
        report.unknown("retentionPolicy.enabled", "set it to True with days >= 90")
    elif enabled is not True:
        report(f"retentionPolicy.enabled is {describe(enabled)}, so flow logs are not retained by policy; "
               f"set retentionPolicy={{enabled: True, days: >= {MIN_DAYS}}}")
    else:
        check_retention_days(resource, report, settings, path="retentionPolicy.days", minimum=MIN_DAYS)


RULE = Rule(
    id="network-flow-log-retention",
    title="Network flow logs are kept at least 90 days",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.2", "CIS 6.5"),
    remediation="Set retentionPolicy={enabled: True, days: 90} or more (0 keeps them forever).",
    check=check,
    applies_to=("azure-native:network:FlowLog",),
    settings=("environment",),
    defaults_source="network FlowLog, API 2024-05-01: retentionPolicy unset is disabled with 0 days",
)
