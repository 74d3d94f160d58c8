"""Redis caches close the plain-text port."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="enableNonSslPort", want=False, default=False, fix="set enableNonSslPort=False")


RULE = Rule(
    id="redis-non-ssl-port-disabled",
    title="Redis caches close the plain-text port",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation='Leave enableNonSslPort unset or False.',
    check=check,
    applies_to=("azure-native:redis:Redis",),
    settings=("environment",),
    defaults_source='redis Redis, API 2024-11-01: the non-TLS port 6379 is closed unless enableNonSslPort is true',
)
