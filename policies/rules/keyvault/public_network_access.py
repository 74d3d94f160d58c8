"""Key vaults are reachable only privately."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="properties.publicNetworkAccess", allowed=("Disabled",), default="Enabled", fix="set properties.publicNetworkAccess='Disabled' and use a private endpoint")


RULE = Rule(
    id="keyvault-public-network-access-disabled",
    title="Key vaults are reachable only privately",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3", "CIS 8.7"),
    remediation="Set properties.publicNetworkAccess='Disabled' and use a private endpoint.",
    check=check,
    applies_to=("azure-native:keyvault:Vault",),
    settings=("environment",),
    defaults_source="keyvault Vault, API 2024-11-01: publicNetworkAccess defaults to 'enabled'",
)
