"""Web and function apps accept HTTPS only."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="httpsOnly", want=True, default=False, fix="set httpsOnly=True")


RULE = Rule(
    id="webapp-https-only",
    title="Web and function apps accept HTTPS only",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 9.2"),
    remediation='Set httpsOnly=True.',
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source='web WebApp, API 2025-05-01: httpsOnly unset means HTTP is served',
)
