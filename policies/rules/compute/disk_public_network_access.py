"""Managed disks cannot be exported over the internet."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="networkAccessPolicy", allowed=("DenyAll", "AllowPrivate"), default="AllowAll", fix="set networkAccessPolicy='DenyAll'")
    check_choice(resource, report, settings, path="publicNetworkAccess", allowed=("Disabled",), default="Enabled", fix="set publicNetworkAccess='Disabled'")


RULE = Rule(
    id="disk-no-public-network-access",
    title="Managed disks cannot be exported over the internet",
    severity=Severity.MEDIUM,
    controls=("BIO 13.1.1", "BIO 9.4.1"),
    remediation="Set publicNetworkAccess='Disabled' and networkAccessPolicy='DenyAll' (or 'AllowPrivate').",
    check=check,
    applies_to=("azure-native:compute:Disk",),
    settings=("environment",),
    defaults_source='compute Disk, API 2024-03-02: networkAccessPolicy defaults to AllowAll, publicNetworkAccess to Enabled',
)
