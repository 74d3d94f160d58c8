"""AI services accept Entra ID only, no keys."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="properties.disableLocalAuth", want=True, default=False, fix="set properties.disableLocalAuth=True")


RULE = Rule(
    id="ai-services-local-auth-disabled",
    title="AI services accept Entra ID only, no keys",
    severity=Severity.HIGH,
    controls=("BIO 9.4.2", "BIO 9.2.4"),
    remediation='Set properties.disableLocalAuth=True.',
    check=check,
    applies_to=("azure-native:cognitiveservices:Account",),
    settings=("environment",),
    defaults_source='cognitiveservices Account, API 2025-06-01: keys are accepted unless disableLocalAuth is true',
)
