"""Log Analytics workspaces keep logs at least as long as the environment requires."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

AZURE_DEFAULT_RETENTION_DAYS = 30


def check(resource: Resource, report: Report, settings: Any) -> None:
    days = resource.get("retentionInDays")
    need = settings.min_log_retention_days
    if days is None:
        if AZURE_DEFAULT_RETENTION_DAYS < need:
            report(f"retentionInDays is not set, so Azure keeps logs {AZURE_DEFAULT_RETENTION_DAYS} days; "
                   f"{settings.environment} needs at least {need}")
    elif days is UNKNOWN:
        report.unknown("retentionInDays", f"set it to at least {need} from config")
    elif isinstance(days, bool) or not isinstance(days, (int, float)):
        report(f"retentionInDays is {describe(days)}, not a number of days; set it to at least {need}")
    elif days < need:
        report(f"retentionInDays is {days}; {settings.environment} needs at least {need} "
               "(stack config logRetentionDays)")


RULE = Rule(
    id="monitoring-log-retention",
    title="Log Analytics retention meets the environment's minimum",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.2"),
    remediation="Set retentionInDays from the stack config (logRetentionDays) to at least the environment minimum.",
    check=check,
    applies_to=("azure-native:operationalinsights:Workspace",),
    settings=("environment", "minLogRetentionDays"),
    defaults_source="operationalinsights Workspace, API 2023-09-01: 30 days when retentionInDays is unset",
)
