"""AI services are reachable only privately."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="properties.publicNetworkAccess", allowed=("Disabled",), default="Enabled", fix="set properties.publicNetworkAccess='Disabled'")


RULE = Rule(
    id="ai-services-public-network-access-disabled",
    title="AI services are reachable only privately",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Set properties.publicNetworkAccess='Disabled' and use a private endpoint.",
    check=check,
    applies_to=("azure-native:cognitiveservices:Account",),
    settings=("environment",),
    defaults_source='cognitiveservices Account, API 2025-06-01: publicNetworkAccess unset is Enabled',
)
