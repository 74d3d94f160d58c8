"""Key vaults keep soft delete on."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="properties.enableSoftDelete", want=True, default=True, fix="leave properties.enableSoftDelete unset or set it to True")


RULE = Rule(
    id="keyvault-soft-delete",
    title="Key vaults keep soft delete on",
    severity=Severity.MEDIUM,
    controls=("BIO 12.3.1", "BIO 10.1.2"),
    remediation='Leave properties.enableSoftDelete unset or True.',
    check=check,
    applies_to=("azure-native:keyvault:Vault",),
    settings=("environment",),
    defaults_source="keyvault Vault, API 2024-11-01: 'If it's not set to any value(true or false) when creating new key vault, it will be set to true by default.'",
)
