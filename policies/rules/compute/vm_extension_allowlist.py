"""Virtual machines and scale sets run only the extensions the city allows (Checkov CKV_AZURE_50, as an allowlist).

Checkov asks for no extensions at all; the city's VMs need some (attestation for Trusted Launch, the Azure Monitor
agent, Entra ID login, and for AVD session hosts the host pool registration), so the rule allows exactly those.
tests/policies/rules/test_compute.py keeps the list equal to what the components install.
"""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get

ALLOWED: frozenset[tuple[str, str]] = frozenset({
    ("microsoft.azure.security.windowsattestation", "guestattestation"),
    ("microsoft.azure.security.linuxattestation", "guestattestation"),
    ("microsoft.azure.monitor", "azuremonitorwindowsagent"),
    ("microsoft.azure.monitor", "azuremonitorlinuxagent"),
    ("microsoft.azure.activedirectory", "aadloginforwindows"),
    ("microsoft.azure.activedirectory", "aadsshloginforlinux"),
    ("microsoft.compute", "customscriptextension"),  # AVD: the session host's registration script
    ("microsoft.powershell", "dsc"),  # AVD: joining the host pool
})
"""(publisher, type), lower-cased: what the city's VM, VM scale set and AVD session host components install."""
FIX = "install only the city's extensions (attestation, Azure Monitor agent, Entra ID login, AVD registration)"
SCALE_SET = "azure-native:compute:VirtualMachineScaleSet"


def _judge(publisher: Any, kind: Any, where: str, report: Report) -> None:
    if publisher is UNKNOWN or kind is UNKNOWN:
        report.unknown(f"{where}publisher/type", FIX)
    elif not (isinstance(publisher, str) and isinstance(kind, str)) or (publisher.lower(), kind.lower()) not in ALLOWED:
        report(f"{where}extension {publisher!r}/{kind!r} is not on the city's allowlist; {FIX}")


def check(resource: Resource, report: Report, settings: Any) -> None:
    if resource.type != SCALE_SET:  # an extension resource of a VM or a scale set
        _judge(resource.get("publisher"), resource.get("type"), "", report)
        return
    extensions = as_list(resource.get("virtualMachineProfile.extensionProfile.extensions", []))
    if extensions is UNKNOWN:
        report.unknown("virtualMachineProfile.extensionProfile.extensions", FIX)
        return
    for index, extension in enumerate(extensions):
        where = f"virtualMachineProfile.extensionProfile.extensions[{index}]: "
        if extension is UNKNOWN:
            report.unknown(where.rstrip(": "), FIX)
        else:
            _judge(get(extension, "publisher"), get(extension, "type"), where, report)


RULE = Rule(
    id="vm-extension-allowlist",
    title="Virtual machines and scale sets run only allowlisted extensions",
    severity=Severity.MEDIUM,
    controls=("BIO 12.5.1", "BIO 12.6.1", "CIS 7.5"),
    remediation="Install only the city's extensions: guest attestation, the Azure Monitor agent, Entra ID login and "
                "the AVD registration (CustomScriptExtension, DSC); anything else needs a waiver.",
    check=check,
    applies_to=("azure-native:compute:VirtualMachineExtension", "azure-native:compute:VirtualMachineScaleSetExtension",
                SCALE_SET),
    settings=("environment",),
    defaults_source="compute VirtualMachineExtension, API 2024-11-01: publisher and type name the extension; a "
                    "scale set carries its extensions in virtualMachineProfile.extensionProfile",
)
