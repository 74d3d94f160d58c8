"""Storage accounts accept HTTPS only."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="enableHttpsTrafficOnly", want=True, default=True, fix="set enableHttpsTrafficOnly=True")


RULE = Rule(
    id="storage-secure-transfer",
    title="Storage accounts accept HTTPS only",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 3.1"),
    remediation='Set enableHttpsTrafficOnly=True (the default since API 2019-04-01).',
    check=check,
    applies_to=("azure-native:storage:StorageAccount",),
    settings=("environment",),
    defaults_source="storage StorageAccount, API 2024-01-01: 'The default value is true since API version 2019-04-01.'",
)
