"""Linux VMs and VM scale sets sign in with SSH keys, not passwords (Checkov CKV_AZURE_1, CKV_AZURE_149,
CKV_AZURE_178 for VMs; CKV_AZURE_49 for scale sets). A Windows machine (its osProfile declares
windowsConfiguration) and one without an osProfile (an attached OS disk brings its own accounts) are skipped."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe


def _check_for(profile_path: str, kind: str):
    """The check for machines whose osProfile is at `profile_path` (`kind`: how messages name them)."""
    path = f"{profile_path}.linuxConfiguration.disablePasswordAuthentication"
    fix = f"set {path}=True with ssh.publicKeys (a Windows {kind} declares {profile_path}.windowsConfiguration)"

    def check(resource: Resource, report: Report, settings: Any) -> None:
        profile = resource.get(profile_path)
        windows = resource.get(f"{profile_path}.windowsConfiguration")
        if profile is UNKNOWN or windows is UNKNOWN:
            report.unknown(profile_path, fix)
            return
        if profile is None:
            report.skip(f"no osProfile: the {kind}'s image or attached disk brings its own sign-in")
            return
        if windows is not None:
            report.skip(f"a Windows {kind}: SSH keys do not apply")
            return
        value = resource.get(path)
        if value is UNKNOWN:
            report.unknown(path, fix)
        elif value is None:
            report(f"{path} is not set and Azure documents no default, so password sign-in may stay on; {fix}")
        elif value is not True:
            report(f"{path} is {describe(value)}; {fix}")

    return check


def _rule(id: str, title: str, profile_path: str, kind: str, token: str, keys_from: str) -> Rule:
    """The rule for one machine type (`keys_from`: where its SSH public keys are given)."""
    return Rule(id=id, title=title, severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.4.3"),
                remediation=f"Set linuxConfiguration.disablePasswordAuthentication=True and give {keys_from}.",
                check=_check_for(profile_path, kind), applies_to=(token,), settings=("environment",),
                defaults_source="compute LinuxConfiguration, API 2024-11-01: disablePasswordAuthentication "
                                "documents no default, so unset is a violation")


RULES = (
    _rule("vmss-linux-ssh-keys", "Linux VM scale sets allow SSH key sign-in only", "virtualMachineProfile.osProfile",
          "scale set", "azure-native:compute:VirtualMachineScaleSet", "the scale set SSH public keys"),
    _rule("vm-linux-ssh-keys", "Linux VMs allow SSH key sign-in only", "osProfile", "VM",
          "azure-native:compute:VirtualMachine",
          "ssh.publicKeys (the VM component's ssh_public_key; app config: app:app.vm.sshPublicKey)"),
)
