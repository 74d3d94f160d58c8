"""The subscription's activity log sends its security categories to Log Analytics (CIS 5.1.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get

REQUIRED = ("Administrative", "Security", "Policy", "Alert")


def check(resource: Resource, report: Report, settings: Any) -> None:
    logs = as_list(resource.get("logs", []))
    if logs is UNKNOWN:
        report.unknown("logs", "list the categories " + ", ".join(REQUIRED))
        return
    enabled = set()
    for index, entry in enumerate(logs):
        if entry is UNKNOWN:
            report.unknown(f"logs[{index}]", "list the categories " + ", ".join(REQUIRED))
            return
        if not isinstance(entry, Mapping):
            continue
        category, on = get(entry, "category"), get(entry, "enabled")
        if category is UNKNOWN or on is UNKNOWN:
            report.unknown(f"logs[{index}]", "list the categories " + ", ".join(REQUIRED))
            return
        if isinstance(category, str) and on is True:
            enabled.add(category.lower())
        elif get(entry, "categoryGroup") in ("allLogs", "alllogs") and on is True:
            enabled.update(c.lower() for c in REQUIRED)
    missing = [c for c in REQUIRED if c.lower() not in enabled]
    if missing:
        report(f"the activity log does not send {', '.join(missing)}; add them to logs with enabled=True")


RULE = Rule(
    id="activity-log-security-categories",
    title="The activity log sends Administrative, Security, Policy and Alert events",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 5.1.2"),
    remediation="Send the Administrative, Security, Policy and Alert categories (or allLogs) to the central workspace.",
    check=check,
    applies_to=("azure-native:monitor:SubscriptionDiagnosticSetting",),
    settings=("environment",),
    defaults_source="monitor SubscriptionDiagnosticSetting, API 2021-05-01-preview: a category not listed is not sent",
)
