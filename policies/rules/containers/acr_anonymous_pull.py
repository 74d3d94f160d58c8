"""Container registries allow no anonymous pull."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_bool(resource, report, settings, path="anonymousPullEnabled", want=False, default=False, fix="set anonymousPullEnabled=False")


RULE = Rule(
    id="acr-anonymous-pull-disabled",
    title="Container registries allow no anonymous pull",
    severity=Severity.HIGH,
    controls=("BIO 9.4.1",),
    remediation='Leave anonymousPullEnabled unset or False.',
    check=check,
    applies_to=("azure-native:containerregistry:Registry",),
    settings=("environment",),
    defaults_source='containerregistry Registry, API 2023-01-01-preview: anonymous pull is off unless enabled',
)
