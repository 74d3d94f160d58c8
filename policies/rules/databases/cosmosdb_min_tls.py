"""Cosmos DB requires TLS 1.2."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_min_tls


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_min_tls(resource, report, settings, path="minimalTlsVersion", default="Tls12", fix="set minimalTlsVersion='Tls12'")


RULE = Rule(
    id="cosmosdb-min-tls12",
    title="Cosmos DB requires TLS 1.2",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation="Leave minimalTlsVersion unset (Tls12) or set 'Tls12' or 'Tls13'.",
    check=check,
    applies_to=("azure-native:cosmosdb:DatabaseAccount",),
    settings=("environment",),
    defaults_source="cosmosdb DatabaseAccount, API 2025-10-15: 'The default value is Tls 1.2.'",
)
