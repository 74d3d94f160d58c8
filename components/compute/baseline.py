"""The city's baseline for every virtual machine, workload or AVD session host: one definition, read by both."""

from __future__ import annotations

from pulumi_azure_native import compute

RESERVED_ADMIN_USERNAMES = ("administrator", "admin", "user", "root", "guest")
"""Administrator names Azure rejects or attackers try first."""


def trusted_launch_profile() -> compute.SecurityProfileArgs:
    """Trusted Launch (secure boot, vTPM) with encryption at host: temp disk and caches are encrypted too."""
    return compute.SecurityProfileArgs(
        security_type="TrustedLaunch", encryption_at_host=True,
        uefi_settings=compute.UefiSettingsArgs(secure_boot_enabled=True, v_tpm_enabled=True))
