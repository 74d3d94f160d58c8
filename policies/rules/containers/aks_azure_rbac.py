"""AKS clusters authorise with Azure RBAC."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="aadProfile.enableAzureRBAC", want=True, default=False, fix="set aadProfile.enableAzureRBAC=True")
    check_bool(resource, report, settings, path="enableRBAC", want=True, default=True, fix="leave enableRBAC unset or True")


RULE = Rule(
    id="aks-azure-rbac",
    title="AKS clusters authorise with Azure RBAC",
    severity=Severity.MEDIUM,
    controls=("BIO 9.1.1", "BIO 9.2.3"),
    remediation='Set aadProfile.enableAzureRBAC=True (and leave enableRBAC on).',
    check=check,
    applies_to=("azure-native:containerservice:ManagedCluster",),
    settings=("environment",),
    defaults_source='containerservice ManagedCluster, API 2025-09-01: enableRBAC defaults to true, enableAzureRBAC to false',
)
