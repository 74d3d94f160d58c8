"""Redis caches accept Entra ID only, no access keys."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="disableAccessKeyAuthentication", want=True, default=False, fix="set disableAccessKeyAuthentication=True")


RULE = Rule(
    id="redis-access-key-auth-disabled",
    title="Redis caches accept Entra ID only, no access keys",
    severity=Severity.MEDIUM,
    controls=("BIO 9.4.2", "BIO 9.2.4"),
    remediation='Set disableAccessKeyAuthentication=True and use Entra ID authentication.',
    check=check,
    applies_to=("azure-native:redis:Redis",),
    settings=("environment",),
    defaults_source="redis Redis, API 2024-11-01: 'Default value is false.'",
)
