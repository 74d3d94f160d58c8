"""AVD host pools keep session hosts off the public network."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="publicNetworkAccess", allowed=("Disabled", "EnabledForClientsOnly"), default="Enabled", fix="set publicNetworkAccess='EnabledForClientsOnly' or 'Disabled'")


RULE = Rule(
    id="avd-host-pool-public-network-access",
    title="AVD host pools keep session hosts off the public network",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Set publicNetworkAccess='Disabled' or 'EnabledForClientsOnly' (session hosts then talk to AVD over a private endpoint).",
    check=check,
    applies_to=("azure-native:desktopvirtualization:HostPool",),
    settings=("environment",),
    defaults_source='desktopvirtualization HostPool, API 2024-04-03: publicNetworkAccess unset is Enabled',
)
