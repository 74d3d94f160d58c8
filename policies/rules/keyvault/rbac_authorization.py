"""Key vaults authorise data access with Azure RBAC."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="properties.enableRbacAuthorization", want=True, default=False, fix="set properties.enableRbacAuthorization=True and grant Key Vault data roles")


RULE = Rule(
    id="keyvault-rbac-authorization",
    title="Key vaults authorise data access with Azure RBAC",
    severity=Severity.HIGH,
    controls=("BIO 9.1.1", "BIO 9.2.3", "CIS 8.6"),
    remediation='Set properties.enableRbacAuthorization=True and drop access policies.',
    check=check,
    applies_to=("azure-native:keyvault:Vault",),
    settings=("environment",),
    defaults_source='keyvault Vault, API 2024-11-01: enableRbacAuthorization unset means access policies (false)',
)
