"""MySQL flexible servers are reachable only privately."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="network.publicNetworkAccess", allowed=("Disabled",), default=("Disabled" if resource.get("network.delegatedSubnetResourceId") else "Enabled"), fix="set network.publicNetworkAccess='Disabled'")


RULE = Rule(
    id="mysql-public-network-access-disabled",
    title="MySQL flexible servers are reachable only privately",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Set network.publicNetworkAccess='Disabled' or integrate the server into a delegated subnet.",
    check=check,
    applies_to=("azure-native:dbformysql:Server",),
    settings=("environment",),
    defaults_source="dbformysql Server, API 2024-02-01-preview: 'Value is Disabled when server has VNet integration', Enabled otherwise",
)
