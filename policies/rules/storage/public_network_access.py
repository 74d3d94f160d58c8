"""Storage accounts are reachable only privately."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="publicNetworkAccess", allowed=("Disabled",), default="Enabled", fix="set publicNetworkAccess='Disabled' and use a private endpoint")


RULE = Rule(
    id="storage-public-network-access-disabled",
    title="Storage accounts are reachable only privately",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3", "CIS 3.7"),
    remediation="Set publicNetworkAccess='Disabled' and reach the account through a private endpoint.",
    check=check,
    applies_to=("azure-native:storage:StorageAccount",),
    settings=("environment",),
    defaults_source='storage StorageAccount, API 2024-01-01: publicNetworkAccess unset is treated as Enabled',
)
