"""PostgreSQL flexible servers allow Entra ID authentication only."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="authConfig.passwordAuth", allowed=("Disabled",), default="Enabled", fix="set authConfig.passwordAuth='Disabled' and authConfig.activeDirectoryAuth='Enabled'")


RULE = Rule(
    id="postgresql-password-auth-disabled",
    title="PostgreSQL flexible servers allow Entra ID authentication only",
    severity=Severity.HIGH,
    controls=("BIO 9.4.2", "BIO 9.2.4"),
    remediation="Set authConfig.passwordAuth='Disabled' and authConfig.activeDirectoryAuth='Enabled'.",
    check=check,
    applies_to=("azure-native:dbforpostgresql:Server",),
    settings=("environment",),
    defaults_source='dbforpostgresql Server, API 2025-08-01: passwordAuth defaults to Enabled',
)
