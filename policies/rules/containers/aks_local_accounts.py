"""AKS clusters have no local accounts."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="disableLocalAccounts", want=True, default=False, fix="set disableLocalAccounts=True")


RULE = Rule(
    id="aks-local-accounts-disabled",
    title="AKS clusters have no local accounts",
    severity=Severity.HIGH,
    controls=("BIO 9.2.3", "BIO 9.4.2"),
    remediation='Set disableLocalAccounts=True with Entra ID integration (aadProfile.managed).',
    check=check,
    applies_to=("azure-native:containerservice:ManagedCluster",),
    settings=("environment",),
    defaults_source='containerservice ManagedCluster, API 2025-09-01: local accounts exist unless disableLocalAccounts is true',
)
