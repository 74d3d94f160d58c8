"""A Key Vault, secure by default: RBAC only (no access policies), soft delete with purge protection, no public
network access (reach it through a private endpoint), diagnostics through the shared interface."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import keyvault

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_auto_name, require_name, supports)

VAULT = "azure-native:keyvault:Vault"
SKUS = ("standard", "premium")


@dataclass(frozen=True, kw_only=True)
class KeyVaultArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="a vault needs no identity of its own")
    resource_group_name: pulumi.Input[str]
    """The vault's resource group; the component never creates it."""
    location: str
    """The vault's region."""
    tenant_id: str
    """The Entra ID tenant that authenticates requests to the vault."""
    vault_name: str | None = None
    """Unset: auto-named `<component name>-vault` plus 8 characters, refused at construction when that breaks
    Azure's 3-24 characters; set: a globally unique name such as `kv-ams-plat-dev`, checked against `core/naming.py`."""
    sku: str = "standard"
    """standard: software-protected keys; premium: HSM-protected keys."""
    soft_delete_retention_days: int = 90
    """Days a deleted vault or secret can be recovered (7 to 90); purge protection keeps it unpurgeable."""
    public_network_access: bool = False
    """Off: only private endpoints reach the vault; on: public endpoint open (firewall rules still deny by default)."""
    trusted_services_bypass: bool = True
    """On: trusted Microsoft services (backup, disk encryption) pass the network rules; off: they do not."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not GUID.match(self.tenant_id):
            raise InterfaceError(f"KeyVaultArgs.tenant_id: {self.tenant_id!r} is not a tenant GUID")
        if self.vault_name is not None:
            require_name(VAULT, self.vault_name, "KeyVaultArgs.vault_name")
        if self.sku not in SKUS:
            raise InterfaceError(f"KeyVaultArgs.sku: {self.sku!r}; expected one of {', '.join(SKUS)}")
        if not 7 <= self.soft_delete_retention_days <= 90:
            raise InterfaceError(f"KeyVaultArgs.soft_delete_retention_days: {self.soft_delete_retention_days}; "
                                 "expected 7 to 90")


class KeyVault(WithInterfaces, pulumi.ComponentResource):
    """The vault; `vault_uri` is where clients send requests."""

    def __init__(self, name: str, args: KeyVaultArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:security:KeyVault", name, None, opts)
        if args.vault_name is None:
            require_auto_name(VAULT, f"{name}-vault", "KeyVaultArgs.vault_name")
        vault = keyvault.Vault(
            f"{name}-vault", resource_group_name=args.resource_group_name, location=args.location,
            vault_name=args.vault_name, properties=keyvault.VaultPropertiesArgs(
                tenant_id=args.tenant_id, sku=keyvault.SkuArgs(family="A", name=keyvault.SkuName(args.sku)),
                enable_rbac_authorization=True, enable_soft_delete=True, enable_purge_protection=True,
                soft_delete_retention_in_days=args.soft_delete_retention_days,
                public_network_access="Enabled" if args.public_network_access else "Disabled",
                network_acls=keyvault.NetworkRuleSetArgs(
                    default_action="Deny", bypass="AzureServices" if args.trusted_services_bypass else "None"),
                enabled_for_deployment=False, enabled_for_template_deployment=False,
                enabled_for_disk_encryption=False),
            tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        self.add_interfaces(name, scope_id=vault.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="vault", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = vault.id, vault.name
        self.vault_uri = vault.properties.apply(lambda properties: properties.vault_uri)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "vault_uri": self.vault_uri})
