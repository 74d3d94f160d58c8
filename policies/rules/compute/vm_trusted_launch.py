"""Virtual machines use Trusted Launch with secure boot and vTPM."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool, check_choice, UNSET


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="securityProfile.securityType", allowed=("TrustedLaunch", "ConfidentialVM"), default=UNSET, fix="set securityProfile.securityType='TrustedLaunch'")
    if resource.get("securityProfile.securityType") is not None:
        check_bool(resource, report, settings, path="securityProfile.uefiSettings.secureBootEnabled", want=True, default=UNSET, fix="set securityProfile.uefiSettings.secureBootEnabled=True")
        check_bool(resource, report, settings, path="securityProfile.uefiSettings.vTpmEnabled", want=True, default=UNSET, fix="set securityProfile.uefiSettings.vTpmEnabled=True")


RULE = Rule(
    id="vm-trusted-launch",
    title="Virtual machines use Trusted Launch with secure boot and vTPM",
    severity=Severity.HIGH,
    controls=("BIO 12.2.1", "BIO 14.2.5", "CIS 7.9"),
    remediation="Set securityProfile.securityType='TrustedLaunch' with uefiSettings.secureBootEnabled and vTpmEnabled True.",
    check=check,
    applies_to=("azure-native:compute:VirtualMachine",),
    settings=("environment",),
    defaults_source='compute VirtualMachine, API 2024-11-01: the default security type depends on the image generation, so it must be set',
)
