"""AKS clusters enforce network policy."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="networkProfile.networkPolicy", allowed=("azure", "calico", "cilium"), default="none", fix="set networkProfile.networkPolicy to 'azure', 'calico' or 'cilium'")


RULE = Rule(
    id="aks-network-policy",
    title="AKS clusters enforce network policy",
    severity=Severity.MEDIUM,
    controls=("BIO 13.1.3",),
    remediation="Set networkProfile.networkPolicy to 'azure', 'calico' or 'cilium'.",
    check=check,
    applies_to=("azure-native:containerservice:ManagedCluster",),
    settings=("environment",),
    defaults_source='containerservice ManagedCluster, API 2025-09-01: networkPolicy unset means no network policy',
)
