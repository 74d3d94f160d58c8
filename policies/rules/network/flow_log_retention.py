"""Network flow logs are kept at least 90 days (CIS 6.5; Checkov CKV_AZURE_12)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.engine import UNKNOWN, Report, Resource, Rule, Severity, describe

MIN_DAYS = 90


def check(resource: Resource, report: Report, settings: Any) -> None:
    enabled, days = resource.get("retentionPolicy.enabled", False), resource.get("retentionPolicy.days", 0)
    if enabled is UNKNOWN or days is UNKNOWN:
        if settings.strict:
            report("retentionPolicy is unknown until deployment; set retentionPolicy enabled with days >= 90")
        return
    if enabled is not True:
        report(f"retentionPolicy.enabled is {describe(enabled)}, so flow logs are not retained by policy; "
               f"set retentionPolicy={{enabled: True, days: >= {MIN_DAYS}}}")
    elif isinstance(days, bool) or not isinstance(days, (int, float)):
        report(f"retentionPolicy.days is {describe(days)}, not a number of days; set it to >= {MIN_DAYS}")
    elif 0 < days < MIN_DAYS:
        report(f"retentionPolicy.days is {days:g}, below {MIN_DAYS}; set it to >= {MIN_DAYS} (0 keeps them forever)")


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
