"""Storage accounts allow no anonymous blob access."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="allowBlobPublicAccess", want=False, default=False, fix="set allowBlobPublicAccess=False")


RULE = Rule(
    id="storage-no-public-blob-access",
    title="Storage accounts allow no anonymous blob access",
    severity=Severity.CRITICAL,
    controls=("BIO 9.4.1", "BIO 13.1.1"),
    remediation='Set allowBlobPublicAccess=False.',
    check=check,
    applies_to=("azure-native:storage:StorageAccount",),
    settings=("environment",),
    defaults_source="storage StorageAccount, API 2024-01-01: 'The default interpretation is false for this property.'",
)
