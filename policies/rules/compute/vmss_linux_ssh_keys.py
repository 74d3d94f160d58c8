"""Linux VM scale sets sign in with SSH keys, not passwords (Checkov CKV_AZURE_49)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

PATH = "virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication"
FIX = (f"set {PATH}=True with ssh.publicKeys (a Windows scale set declares "
       "virtualMachineProfile.osProfile.windowsConfiguration)")


def check(resource: Resource, report: Report, settings: Any) -> None:
    profile = resource.get("virtualMachineProfile.osProfile")
    windows = resource.get("virtualMachineProfile.osProfile.windowsConfiguration")
    if profile is UNKNOWN or windows is UNKNOWN:
        report.unknown("virtualMachineProfile.osProfile", FIX)
        return
    if profile is None:
        report.skip("no osProfile: the scale set's image or attached disk brings its own sign-in")
        return
    if windows is not None:
        report.skip("a Windows scale set: SSH keys do not apply")
        return
    value = resource.get(PATH)
    if value is UNKNOWN:
        report.unknown(PATH, FIX)
    elif value is None:
        report(f"{PATH} is not set and Azure documents no default, so password sign-in may stay on; {FIX}")
    elif value is not True:
        report(f"{PATH} is {describe(value)}; {FIX}")


RULE = Rule(
    id="vmss-linux-ssh-keys",
    title="Linux VM scale sets allow SSH key sign-in only",
    severity=Severity.HIGH,
    controls=("BIO 9.4.2", "BIO 9.4.3"),
    remediation="Set linuxConfiguration.disablePasswordAuthentication=True and give the scale set SSH public keys.",
    check=check,
    applies_to=("azure-native:compute:VirtualMachineScaleSet",),
    settings=("environment",),
    defaults_source="compute LinuxConfiguration, API 2024-11-01: disablePasswordAuthentication documents no "
                    "default, so unset is a violation",
)
