"""A storage account for an app: no public network access, no shared keys (Entra ID only), no anonymous blobs,
no cross-tenant replication, TLS 1.2, a private endpoint per sub-resource the app uses, soft delete and
versioning for blobs, and logs of the blob service to the central workspace."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import storage

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces, \
    create_storage_service_diagnostics, require_auto_name, require_name, supports

ACCOUNT = "azure-native:storage:StorageAccount"

SKUS = ("Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_RAGRS", "Standard_RAGZRS")
SUB_RESOURCES = ("blob", "dfs", "file", "queue", "table", "web")


@dataclass(frozen=True, kw_only=True)
class StorageAccountArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the account needs no identity of its own (Microsoft-managed keys)")
    resource_group_name: pulumi.Input[str]
    """The account's resource group; the component never creates it."""
    location: str
    """The account's EU region."""
    account_name: pulumi.Input[str] | None = None
    """Unset: azure-native's auto-name `<component name>-account` plus 8 characters, which Azure refuses (it allows
    3-24 lower-case letters and digits), so construction stops; set: that globally unique name, checked early."""
    sku: str = "Standard_ZRS"
    """Copies in three zones of the region; GZRS/GRS also copy to the paired region."""
    blob_soft_delete_days: int = 7
    """Days a deleted blob or container can be restored (1 to 365)."""
    hierarchical_namespace: bool = False
    """Off: flat blob namespace; on: Data Lake Storage Gen2 (needs a dfs private endpoint)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.account_name, str):
            require_name(ACCOUNT, self.account_name, "StorageAccountArgs.account_name")
        if self.sku not in SKUS:
            raise InterfaceError(f"StorageAccountArgs.sku: {self.sku!r}; expected one of {', '.join(SKUS)}")
        if not 1 <= self.blob_soft_delete_days <= 365:
            raise InterfaceError(f"StorageAccountArgs.blob_soft_delete_days: {self.blob_soft_delete_days}; "
                                 "expected 1 to 365")
        for endpoint in self.private_endpoints:
            if endpoint.group_id not in SUB_RESOURCES:
                raise InterfaceError(f"StorageAccountArgs.private_endpoints: group_id {endpoint.group_id!r}; "
                                     f"a storage account needs one endpoint per sub-resource, one of "
                                     f"{', '.join(SUB_RESOURCES)}")


class StorageAccount(WithInterfaces, pulumi.ComponentResource):
    """The account; `blob_endpoint` is where clients reach blobs (through the private endpoint's zone)."""

    def __init__(self, name: str, args: StorageAccountArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:StorageAccount", name, None, opts)
        if args.account_name is None:
            require_auto_name(ACCOUNT, f"{name}-account", "StorageAccountArgs.account_name")
        account = storage.StorageAccount(
            f"{name}-account", resource_group_name=args.resource_group_name, location=args.location,
            account_name=args.account_name, kind="StorageV2", sku=storage.SkuArgs(name=args.sku),
            minimum_tls_version="TLS1_2", enable_https_traffic_only=True, allow_blob_public_access=False,
            allow_shared_key_access=False, default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False, allowed_copy_scope="PrivateLink", public_network_access="Disabled",
            is_local_user_enabled=False, is_sftp_enabled=False, is_hns_enabled=args.hierarchical_namespace,
            network_rule_set=storage.NetworkRuleSetArgs(default_action=storage.DefaultAction.DENY,
                                                         bypass="AzureServices"),
            encryption=storage.EncryptionArgs(
                key_source="Microsoft.Storage", require_infrastructure_encryption=True,
                services=storage.EncryptionServicesArgs(
                    blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    file=storage.EncryptionServiceArgs(enabled=True, key_type="Account"))),
            tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        storage.BlobServiceProperties(
            f"{name}-blob-service", resource_group_name=args.resource_group_name, account_name=account.name,
            blob_services_name="default",
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True,
                                                                     days=args.blob_soft_delete_days),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True,
                                                                               days=args.blob_soft_delete_days),
            is_versioning_enabled=not args.hierarchical_namespace,
            opts=pulumi.ResourceOptions(parent=self))
        # the account itself has metrics only; its logs are its blob, queue and table services' (child scopes)
        self.add_interfaces(name, scope_id=account.id, args=args,
                            diagnostics=DiagnosticSupport(logs=False, metrics=True),
                            private_endpoint_group_id="blob", resource_group_name=args.resource_group_name,
                            location=args.location)
        create_storage_service_diagnostics(name, account_id=account.id, kind="StorageV2",
                                           settings=args.diagnostic_settings, parent=self)
        self.resource_id, self.name = account.id, account.name
        self.blob_endpoint = account.primary_endpoints.apply(lambda endpoints: endpoints.blob)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "blob_endpoint": self.blob_endpoint})
