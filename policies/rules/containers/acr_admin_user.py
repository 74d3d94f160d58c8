"""Container registries have no admin user."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="adminUserEnabled", want=False, default=False, fix="set adminUserEnabled=False and pull with a managed identity")


RULE = Rule(
    id="acr-admin-user-disabled",
    title="Container registries have no admin user",
    severity=Severity.HIGH,
    controls=("BIO 9.2.3", "BIO 9.4.2"),
    remediation='Leave adminUserEnabled unset or False; pull with managed identities (AcrPull).',
    check=check,
    applies_to=("azure-native:containerregistry:Registry",),
    settings=("environment",),
    defaults_source='containerregistry Registry, API 2023-01-01-preview: admin user is off unless enabled',
)
