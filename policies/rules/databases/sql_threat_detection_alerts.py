"""Azure SQL threat detection raises every alert type (Checkov CKV_AZURE_25): none listed in disabledAlerts."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list

FIX = "leave disabledAlerts unset (every alert type: SQL injection, data exfiltration, unsafe actions, ...)"


def check(resource: Resource, report: Report, settings: Any) -> None:
    disabled = as_list(resource.get("disabledAlerts", []))
    if disabled is UNKNOWN:
        report.unknown("disabledAlerts", FIX)
        return
    named = [alert for alert in disabled if alert is not UNKNOWN and (not isinstance(alert, str) or alert.strip())]
    if any(alert is UNKNOWN for alert in disabled):
        report.unknown("an entry of disabledAlerts", FIX)
    elif named:
        report(f"disabledAlerts turns off {', '.join(repr(a) for a in named)}; {FIX}")


RULE = Rule(
    id="sql-threat-detection-all-alerts",
    title="Azure SQL threat detection raises every alert type",
    severity=Severity.MEDIUM,
    controls=("BIO 12.2.1", "BIO 12.4.1"),
    remediation="Leave ServerSecurityAlertPolicy.disabledAlerts unset so every alert type is raised.",
    check=check,
    applies_to=("azure-native:sql:ServerSecurityAlertPolicy",),
    defaults_source="sql ServerSecurityAlertPolicy, API 2023-08-01: disabledAlerts unset disables no alert",
)
