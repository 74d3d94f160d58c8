"""Key Vault secrets say what they hold (contentType), so an owner can rotate or retire them."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe


def check(resource: Resource, report: Report, settings: Any) -> None:
    value = resource.get("properties.contentType")
    if value is UNKNOWN:
        report.unknown("properties.contentType", "describe the secret")
    elif not isinstance(value, str) or not value.strip():
        report(f"properties.contentType is {describe(value)}; say what the secret is (e.g. 'Local administrator "
               "of vm01')")


RULE = Rule(
    id="keyvault-secret-content-type",
    title="Key Vault secrets say what they hold",
    severity=Severity.LOW,
    controls=("BIO 10.1.2", "BIO 8.1.1"),
    remediation="Set properties.contentType to what the secret is and who uses it.",
    check=check,
    applies_to=("azure-native:keyvault:Secret",),
    settings=("environment",),
    defaults_source="keyvault SecretProperties, API 2024-11-01: contentType unset is empty",
)
