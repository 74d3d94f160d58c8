"""PostgreSQL flexible servers are reachable only privately."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="network.publicNetworkAccess", allowed=("Disabled",), default=("Disabled" if resource.get("network.delegatedSubnetResourceId") else "Enabled"), fix="set network.publicNetworkAccess='Disabled'")


RULE = Rule(
    id="postgresql-public-network-access-disabled",
    title="PostgreSQL flexible servers are reachable only privately",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Set network.publicNetworkAccess='Disabled' (private endpoint) or integrate the server into a delegated subnet.",
    check=check,
    applies_to=("azure-native:dbforpostgresql:Server",),
    settings=("environment",),
    defaults_source='dbforpostgresql Server, API 2025-08-01: public access is on unless the server is integrated into a delegated subnet',
)
