"""Linux VMs and VM scale sets sign in with SSH keys, not passwords (Checkov CKV_AZURE_1, CKV_AZURE_149,
CKV_AZURE_178 for VMs; CKV_AZURE_49 for scale sets). The operating system is the OS disk's `osType` where the
program states it, else the osProfile's windowsConfiguration or linuxConfiguration; a machine that says neither is
unknown (it may be Windows by its image). Windows machines and machines without an osProfile (an attached OS disk
brings its own accounts) are skipped."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe, equals_ci


def _check_for(prefix: str, kind: str):
    """The check for machines whose osProfile and storageProfile are under `prefix` (`kind`: how messages name
    them)."""
    profile_path, os_type_path = f"{prefix}osProfile", f"{prefix}storageProfile.osDisk.osType"
    path = f"{profile_path}.linuxConfiguration.disablePasswordAuthentication"
    fix = (f"set {path}=True with ssh.publicKeys (a Windows {kind} declares {os_type_path}='Windows' or "
           f"{profile_path}.windowsConfiguration)")

    def check(resource: Resource, report: Report, settings: Any) -> None:
        profile, os_type = resource.get(profile_path), resource.get(os_type_path)
        windows, linux = (resource.get(f"{profile_path}.{part}Configuration") for part in ("windows", "linux"))
        if UNKNOWN in (profile, os_type, windows, linux):
            report.unknown(f"{profile_path} or {os_type_path}", fix)
            return
        if profile is None:
            report.skip(f"no osProfile: the {kind}'s image or attached disk brings its own sign-in")
            return
        if equals_ci(os_type, "Windows") or (os_type is None and windows is not None):
            report.skip(f"a Windows {kind}: SSH keys do not apply")
            return
        if os_type is None and linux is None:
            report.unknown(f"the {kind}'s operating system ({os_type_path}, or a linuxConfiguration or "
                           "windowsConfiguration)", fix)
            return
        value = resource.get(path)
        if value is UNKNOWN:
            report.unknown(path, fix)
        elif value is None:
            report(f"{path} is not set and Azure documents no default, so password sign-in may stay on; {fix}")
        elif value is not True:
            report(f"{path} is {describe(value)}; {fix}")

    return check


def _rule(id: str, title: str, prefix: str, kind: str, token: str, keys_from: str) -> Rule:
    """The rule for one machine type (`keys_from`: where its SSH public keys are given)."""
    return Rule(id=id, title=title, severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.4.3"),
                remediation=f"Set linuxConfiguration.disablePasswordAuthentication=True and give {keys_from}.",
                check=_check_for(prefix, kind), applies_to=(token,), settings=("environment",),
                defaults_source="compute LinuxConfiguration, API 2024-11-01: disablePasswordAuthentication "
                                "documents no default, so unset is a violation")


RULES = (
    _rule("vmss-linux-ssh-keys", "Linux VM scale sets allow SSH key sign-in only", "virtualMachineProfile.",
          "scale set", "azure-native:compute:VirtualMachineScaleSet", "the scale set SSH public keys"),
    _rule("vm-linux-ssh-keys", "Linux VMs allow SSH key sign-in only", "", "VM",
          "azure-native:compute:VirtualMachine",
          "ssh.publicKeys (the VM component's ssh_public_key; app config: app:app.vm.sshPublicKey)"),
)
