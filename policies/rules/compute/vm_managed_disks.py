"""Virtual machines keep their disks as managed disks, not VHD blobs in a storage account (Checkov CKV_AZURE_92)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get

FIX = "use managed disks (storageProfile.osDisk.managedDisk, dataDisks[].managedDisk) and no vhd"


def check(resource: Resource, report: Report, settings: Any) -> None:
    vhd = resource.get("storageProfile.osDisk.vhd")
    if vhd is UNKNOWN:
        report.unknown("storageProfile.osDisk.vhd", FIX)
        return
    if vhd is not None:
        report(f"storageProfile.osDisk.vhd puts the OS disk in a storage account blob; {FIX}")
    disks = as_list(resource.get("storageProfile.dataDisks", []))
    if disks is UNKNOWN:
        report.unknown("storageProfile.dataDisks", FIX)
        return
    for index, disk in enumerate(disks):
        if disk is UNKNOWN:
            report.unknown(f"storageProfile.dataDisks[{index}]", FIX)
        elif get(disk, "vhd") is UNKNOWN:
            report.unknown(f"storageProfile.dataDisks[{index}].vhd", FIX)
        elif get(disk, "vhd") is not None:
            report(f"storageProfile.dataDisks[{index}].vhd puts a data disk in a storage account blob; {FIX}")


RULE = Rule(
    id="vm-managed-disks",
    title="Virtual machines use managed disks only",
    severity=Severity.MEDIUM,
    controls=("BIO 9.4.1", "BIO 10.1.1", "CIS 7.2"),
    remediation="Give the OS and data disks a managedDisk (or createOption FromImage/Empty) instead of a vhd URI.",
    check=check,
    applies_to=("azure-native:compute:VirtualMachine",),
    settings=("environment",),
    defaults_source="compute VirtualMachine, API 2024-11-01: a disk without vhd is a managed disk; vhd names an "
                    "unmanaged page blob",
)
