"""Container Apps environments are internal."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    access = resource.get("publicNetworkAccess")
    if isinstance(access, str) and access.lower() == "disabled":  # Azure reads the enum case-insensitively
        return
    check_bool(resource, report, settings, path="vnetConfiguration.internal", want=True, default=False, fix="set vnetConfiguration.internal=True, or publicNetworkAccess='Disabled' with a private endpoint")


RULE = Rule(
    id="containerapps-environment-internal",
    title="Container Apps environments are internal",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Set vnetConfiguration.internal=True (or publicNetworkAccess='Disabled' with a private endpoint).",
    check=check,
    applies_to=("azure-native:app:ManagedEnvironment",),
    settings=("environment",),
    defaults_source='app ManagedEnvironment, API 2025-02-02-preview: an environment is external unless vnetConfiguration.internal is true',
)
