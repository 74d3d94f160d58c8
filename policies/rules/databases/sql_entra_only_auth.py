"""Azure SQL servers allow Entra ID authentication only."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="administrators.azureADOnlyAuthentication", want=True, default=False, fix="set administrators.azureADOnlyAuthentication=True (no SQL logins)")


RULE = Rule(
    id="sql-entra-only-auth",
    title="Azure SQL servers allow Entra ID authentication only",
    severity=Severity.HIGH,
    controls=("BIO 9.4.2", "BIO 9.2.4", "CIS 4.1.4"),
    remediation='Set administrators.azureADOnlyAuthentication=True with an Entra group as administrator.',
    check=check,
    applies_to=("azure-native:sql:Server",),
    settings=("environment",),
    defaults_source='sql Server, API 2023-08-01: azureADOnlyAuthentication unset means SQL authentication stays on',
)
