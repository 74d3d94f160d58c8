"""Premium firewall policies run intrusion detection and prevention in Deny mode."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, equals_ci
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    tier = resource.get("sku.tier", "Standard")
    if tier is UNKNOWN:
        report.unknown("sku.tier", "set sku.tier")
        return
    if not equals_ci(tier, "Premium"):
        report.skip("IDPS exists only in Premium; Standard and Basic have no intrusionDetection")
        return
    check_choice(resource, report, settings, path="intrusionDetection.mode", allowed=("Deny",), default="Off",
                 fix="set intrusionDetection={mode: 'Deny'}")


RULE = Rule(
    id="firewall-policy-idps-deny",
    title="Premium firewall policies block intrusions (IDPS in Deny mode)",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 12.2.1"),
    remediation="Set intrusionDetection={mode: 'Deny'} on Premium firewall policies.",
    check=check,
    applies_to=("azure-native:network:FirewallPolicy",),
    settings=("environment",),
    defaults_source="network FirewallPolicyIntrusionDetection, API 2024-05-01: mode unset is Off; Premium tier only",
)
