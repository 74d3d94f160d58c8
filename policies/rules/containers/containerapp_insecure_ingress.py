"""Container Apps accept no plain HTTP."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="configuration.ingress.allowInsecure", want=False, default=False, fix="set configuration.ingress.allowInsecure=False")


RULE = Rule(
    id="containerapp-no-insecure-ingress",
    title="Container Apps accept no plain HTTP",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation='Leave configuration.ingress.allowInsecure unset or False.',
    check=check,
    applies_to=("azure-native:app:ContainerApp",),
    settings=("environment",),
    defaults_source='app ContainerApp, API 2025-02-02-preview: HTTP is redirected to HTTPS unless allowInsecure is true',
)
