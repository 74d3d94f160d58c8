"""Azure SQL servers require TLS 1.2."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_min_tls, UNSET


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_min_tls(resource, report, settings, path="minimalTlsVersion", default=UNSET, fix="set minimalTlsVersion='1.2'")


RULE = Rule(
    id="sql-min-tls12",
    title="Azure SQL servers require TLS 1.2",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation="Set minimalTlsVersion='1.2'.",
    check=check,
    applies_to=("azure-native:sql:Server",),
    settings=("environment",),
    defaults_source="sql Server, API 2023-08-01: minimalTlsVersion has no documented default ('None' is allowed): set it explicitly",
)
