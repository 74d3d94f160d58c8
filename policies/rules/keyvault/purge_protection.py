"""Key vaults have purge protection."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="properties.enablePurgeProtection", want=True, default=False, fix="set properties.enablePurgeProtection=True")


RULE = Rule(
    id="keyvault-purge-protection",
    title="Key vaults have purge protection",
    severity=Severity.HIGH,
    controls=("BIO 12.3.1", "BIO 10.1.2", "CIS 8.5"),
    remediation='Set properties.enablePurgeProtection=True (irreversible, by design).',
    check=check,
    applies_to=("azure-native:keyvault:Vault",),
    settings=("environment",),
    defaults_source='keyvault Vault, API 2024-11-01: enablePurgeProtection unset means off',
)
