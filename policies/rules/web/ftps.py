"""Web and function apps allow no FTP."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="siteConfig.ftpsState", allowed=("Disabled",), default="AllAllowed", fix="set siteConfig.ftpsState='Disabled'")


RULE = Rule(
    id="webapp-ftps-disabled",
    title="Web and function apps allow no FTP",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 9.10"),
    remediation="Set siteConfig.ftpsState='Disabled'.",
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source='web WebApp, API 2025-05-01: ftpsState unset is AllAllowed',
)
