"""Storage accounts require TLS 1.2."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_min_tls


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_min_tls(resource, report, settings, path="minimumTlsVersion", default="TLS1_0", fix="set minimumTlsVersion='TLS1_2'")


RULE = Rule(
    id="storage-min-tls12",
    title="Storage accounts require TLS 1.2",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 3.15"),
    remediation="Set minimumTlsVersion='TLS1_2'.",
    check=check,
    applies_to=("azure-native:storage:StorageAccount",),
    settings=("environment",),
    defaults_source="storage StorageAccount, API 2024-01-01: 'The default interpretation is TLS 1.0 for this property.'",
)
