"""Redis caches require TLS 1.2."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_min_tls


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_min_tls(resource, report, settings, path="minimumTlsVersion", default="1.2", fix="set minimumTlsVersion='1.2'")


RULE = Rule(
    id="redis-min-tls12",
    title="Redis caches require TLS 1.2",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation="Set minimumTlsVersion='1.2'.",
    check=check,
    applies_to=("azure-native:redis:Redis",),
    settings=("environment",),
    defaults_source='redis Redis, API 2024-11-01: TLS 1.0 and 1.1 are retired for Azure Cache for Redis, so unset means 1.2',
)
