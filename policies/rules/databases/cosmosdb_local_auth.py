"""Cosmos DB accepts Entra ID only, no account keys."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="disableLocalAuth", want=True, default=False, fix="set disableLocalAuth=True")


RULE = Rule(
    id="cosmosdb-local-auth-disabled",
    title="Cosmos DB accepts Entra ID only, no account keys",
    severity=Severity.HIGH,
    controls=("BIO 9.4.2", "BIO 9.2.4", "CIS 4.5.3"),
    remediation='Set disableLocalAuth=True and grant Cosmos DB data roles.',
    check=check,
    applies_to=("azure-native:cosmosdb:DatabaseAccount",),
    settings=("environment",),
    defaults_source='cosmosdb DatabaseAccount, API 2025-10-15: disableLocalAuth unset means keys are accepted',
)
