"""Storage accounts do not replicate objects to other Entra tenants (data would leave the city's control)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="allowCrossTenantReplication", want=False, default=False,
               fix="set allowCrossTenantReplication=False")


RULE = Rule(
    id="residency-storage-no-cross-tenant-replication",
    title="Storage accounts do not replicate to other tenants",
    severity=Severity.HIGH,
    controls=("BIO 18.1.4", "BIO 13.2.1", "CIS 3.16"),
    remediation="Set allowCrossTenantReplication=False on the StorageAccount.",
    check=check,
    applies_to=("azure-native:storage:StorageAccount",),
    settings=("environment",),
    defaults_source="storage StorageAccount, API 2024-01-01: 'The default interpretation is false for this property.'",
)
