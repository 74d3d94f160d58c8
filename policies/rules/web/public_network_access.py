"""Web and function apps are reachable only privately."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="publicNetworkAccess", allowed=("Disabled",), default="Enabled", fix="set publicNetworkAccess='Disabled' and publish through a private endpoint")


RULE = Rule(
    id="webapp-public-network-access-disabled",
    title="Web and function apps are reachable only privately",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Set publicNetworkAccess='Disabled' and publish through the city's Application Gateway or Front Door with a private endpoint.",
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source="web WebApp, API 2025-05-01: publicNetworkAccess unset or '' is Enabled",
)
