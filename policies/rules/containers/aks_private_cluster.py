"""AKS API servers are private."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="apiServerAccessProfile.enablePrivateCluster", want=True, default=False, fix="set apiServerAccessProfile.enablePrivateCluster=True")


RULE = Rule(
    id="aks-private-cluster",
    title="AKS API servers are private",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation='Set apiServerAccessProfile.enablePrivateCluster=True.',
    check=check,
    applies_to=("azure-native:containerservice:ManagedCluster",),
    settings=("environment",),
    defaults_source='containerservice ManagedCluster, API 2025-09-01: the API server is public unless enablePrivateCluster is true',
)
