"""Web and function apps have remote debugging off."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="siteConfig.remoteDebuggingEnabled", want=False, default=False, fix="set siteConfig.remoteDebuggingEnabled=False")


RULE = Rule(
    id="webapp-remote-debugging-disabled",
    title="Web and function apps have remote debugging off",
    severity=Severity.MEDIUM,
    controls=("BIO 12.5.1", "BIO 14.2.5"),
    remediation='Leave siteConfig.remoteDebuggingEnabled unset or False.',
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source='web WebApp, API 2025-05-01: remote debugging is off unless enabled',
)
