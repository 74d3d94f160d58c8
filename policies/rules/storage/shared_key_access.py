"""Storage accounts accept Entra ID only, no shared keys."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="allowSharedKeyAccess", want=False, default=True, fix="set allowSharedKeyAccess=False and use Entra ID (managed identities)")


RULE = Rule(
    id="storage-shared-key-disabled",
    title="Storage accounts accept Entra ID only, no shared keys",
    severity=Severity.HIGH,
    controls=("BIO 9.4.2", "BIO 9.2.4"),
    remediation='Set allowSharedKeyAccess=False and grant data roles to managed identities.',
    check=check,
    applies_to=("azure-native:storage:StorageAccount",),
    settings=("environment",),
    defaults_source="storage StorageAccount, API 2024-01-01: 'The default value is null, which is equivalent to true.'",
)
