"""Virtual machines run the Azure VM agent, which extensions, Defender and patching need (Checkov CKV_AZURE_179)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

PATHS = ("osProfile.windowsConfiguration.provisionVMAgent", "osProfile.linuxConfiguration.provisionVMAgent")


def check(resource: Resource, report: Report, settings: Any) -> None:
    if resource.get("osProfile") is None:
        report.skip("no osProfile: an attached OS disk brings its own agent (a migrated disk), Azure provisions none")
        return
    for path in PATHS:
        value = resource.get(path)
        if value is UNKNOWN:
            report.unknown(path, f"set {path}=True")
        elif value is not None and value is not True:
            report(f"{path} is {describe(value)}; set it to True (or leave it unset: Azure's default is True)")


RULE = Rule(
    id="vm-agent-provisioned",
    title="Virtual machines run the Azure VM agent",
    severity=Severity.LOW,
    controls=("BIO 12.6.1", "BIO 12.4.1"),
    remediation="Leave provisionVMAgent unset or True in osProfile's windowsConfiguration or linuxConfiguration.",
    check=check,
    applies_to=("azure-native:compute:VirtualMachine",),
    settings=("environment",),
    defaults_source="compute WindowsConfiguration/LinuxConfiguration, API 2024-11-01: 'When this property is not "
                    "specified in the request body, default behavior is to set it to true.'",
)
