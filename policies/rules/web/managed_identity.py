"""Web and function apps run with a managed identity."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import has_managed_identity


def check(resource: Resource, report: Report, settings: Any) -> None:
    has_managed_identity(resource, report, settings, fix="set identity.type to 'SystemAssigned' or 'UserAssigned'")


RULE = Rule(
    id="webapp-managed-identity",
    title="Web and function apps run with a managed identity",
    severity=Severity.MEDIUM,
    controls=("BIO 9.2.4", "BIO 9.4.3", "CIS 9.4"),
    remediation="Give the app identity.type 'SystemAssigned' or 'UserAssigned'.",
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source='',
)
