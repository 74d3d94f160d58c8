"""The city's baseline for every virtual machine, workload or AVD session host: one definition, read by both."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import compute, keyvault

RESERVED_ADMIN_USERNAMES = ("administrator", "admin", "user", "root", "guest")
"""Administrator names Azure rejects or attackers try first."""


def trusted_launch_profile() -> compute.SecurityProfileArgs:
    """Trusted Launch (secure boot, vTPM) with encryption at host: temp disk and caches are encrypted too."""
    return compute.SecurityProfileArgs(
        security_type="TrustedLaunch", encryption_at_host=True,
        uefi_settings=compute.UefiSettingsArgs(secure_boot_enabled=True, v_tpm_enabled=True))


@dataclass(frozen=True, kw_only=True)
class VaultRef:
    """The Key Vault the VMs' (or hosts') local administrator passwords go to."""

    name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]


def keep_admin_password(role: str, computer: str, admin_username: str, password: pulumi.Input[str], vault: VaultRef,
                        tags: dict[str, str], parent: pulumi.Resource, *, retain_on_delete: bool = False) -> None:
    """The VM's generated local administrator password as a Key Vault secret `<computer>-local-admin` (break-glass),
    fixed at creation: a later run's new password is ignored (the vault has it). `retain_on_delete`: kept in the
    vault when the VM is deleted (hosts retired routinely by an image update)."""
    keyvault.Secret(
        f"{role}-admin-password", resource_group_name=vault.resource_group_name,
        vault_name=vault.name, secret_name=f"{computer}-local-admin",
        properties=keyvault.SecretPropertiesArgs(
            value=password, content_type=f"Local administrator {admin_username} of {computer}",
            attributes=keyvault.SecretAttributesArgs(enabled=True)),
        tags=tags, opts=pulumi.ResourceOptions(parent=parent, ignore_changes=["properties.value"],
                                               retain_on_delete=retain_on_delete or None))
