"""AI services accounts run with a managed identity (to reach storage and Key Vault without keys)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import has_managed_identity


def check(resource: Resource, report: Report, settings: Any) -> None:
    has_managed_identity(resource, report, settings, fix="set identity={type: 'SystemAssigned'}")


RULE = Rule(
    id="ai-services-managed-identity",
    title="AI services run with a managed identity",
    severity=Severity.MEDIUM,
    controls=("BIO 9.2.4", "BIO 9.4.3"),
    remediation="Set identity={type: 'SystemAssigned'} (or a user-assigned identity).",
    check=check,
    applies_to=("azure-native:cognitiveservices:Account",),
    settings=("environment",),
    defaults_source="cognitiveservices Account, API 2024-10-01: identity unset is none",
)
