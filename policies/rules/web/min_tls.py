"""Web and function apps require TLS 1.2."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_min_tls


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_min_tls(resource, report, settings, path="siteConfig.minTlsVersion", default="1.2", fix="set siteConfig.minTlsVersion='1.2'")


RULE = Rule(
    id="webapp-min-tls12",
    title="Web and function apps require TLS 1.2",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 9.3"),
    remediation="Leave siteConfig.minTlsVersion unset (1.2) or set '1.2' or '1.3'.",
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source='web WebApp, API 2025-05-01: new apps default to minTlsVersion 1.2',
)
