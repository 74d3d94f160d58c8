"""A private storage account for analytics data: a data lake (hierarchical namespace) by default, or a plain blob
account (the Machine Learning workspace's own storage). No public network access, no shared keys (Entra ID only),
no anonymous blobs, TLS 1.2, no cross-tenant replication; soft delete on blobs and filesystems; resource logs of the
blob service and the account's metrics to the central workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import storage

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   create_storage_service_diagnostics, require_name, supports)

FILESYSTEM = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
"""An ADLS Gen2 filesystem (container) name: 3 to 63 lower-case letters, digits and single hyphens."""


@dataclass(frozen=True, kw_only=True)
class DataLakeArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the account needs no identity of its own (Microsoft-managed keys)")
    resource_group_name: pulumi.Input[str]
    """The account's resource group; the component never creates it."""
    location: str
    """The account's region."""
    account_name: str
    """Globally unique account name, 3 to 24 lower-case letters and digits."""
    filesystems: tuple[str, ...] = ()
    """Filesystems (containers) to create, all private; none: the account starts empty."""
    hierarchical_namespace: bool = True
    """On: a data lake (ADLS Gen2: directories, POSIX ACLs); off: a plain blob account."""
    zone_redundant: bool = False
    """Off: locally redundant (three copies in one datacentre); on: zone-redundant (three zones)."""
    soft_delete_retention_days: int = 14
    """Days a deleted blob or filesystem can be restored (1 to 365)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:storage:StorageAccount", self.account_name, "DataLakeArgs.account_name")
        for filesystem in self.filesystems:
            if not FILESYSTEM.fullmatch(filesystem):
                raise InterfaceError(f"DataLakeArgs.filesystems: {filesystem!r}; expected 3 to 63 lower-case letters, "
                                     "digits and single hyphens")
        if len(set(self.filesystems)) != len(self.filesystems):
            raise InterfaceError(f"DataLakeArgs.filesystems: {list(self.filesystems)!r} names a filesystem twice")
        if not 1 <= self.soft_delete_retention_days <= 365:
            raise InterfaceError(f"DataLakeArgs.soft_delete_retention_days: {self.soft_delete_retention_days}; "
                                 "expected 1 to 365")


class DataLake(WithInterfaces, pulumi.ComponentResource):
    """The account; `filesystem_ids` maps each filesystem to its resource id (the narrowest scope for data roles)."""

    def __init__(self, name: str, args: DataLakeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:analytics:DataLake", name, None, opts)
        account = storage.StorageAccount(
            f"{name}-account", account_name=args.account_name, resource_group_name=args.resource_group_name,
            location=args.location, kind="StorageV2",
            sku=storage.SkuArgs(name="Standard_ZRS" if args.zone_redundant else "Standard_LRS"),
            is_hns_enabled=args.hierarchical_namespace, access_tier=storage.AccessTier.HOT,
            minimum_tls_version="TLS1_2", enable_https_traffic_only=True, allow_blob_public_access=False,
            allow_shared_key_access=False, default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False, allowed_copy_scope="PrivateLink", public_network_access="Disabled",
            network_rule_set=storage.NetworkRuleSetArgs(default_action=storage.DefaultAction.DENY,
                                                         bypass="AzureServices"),
            is_sftp_enabled=False, is_local_user_enabled=False,
            encryption=storage.EncryptionArgs(key_source="Microsoft.Storage", require_infrastructure_encryption=True,
                                              services=storage.EncryptionServicesArgs(
                                                  blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                                                  file=storage.EncryptionServiceArgs(enabled=True,
                                                                                     key_type="Account"))),
            tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        retention = storage.DeleteRetentionPolicyArgs(enabled=True, days=args.soft_delete_retention_days)
        blob_service = storage.BlobServiceProperties(
            f"{name}-blob-service", account_name=account.name, resource_group_name=args.resource_group_name,
            blob_services_name="default", delete_retention_policy=retention,
            container_delete_retention_policy=retention, opts=pulumi.ResourceOptions(parent=self))
        self.filesystem_ids: dict[str, pulumi.Output[str]] = {}
        for filesystem in args.filesystems:
            container = storage.BlobContainer(
                f"{name}-{filesystem}", account_name=account.name, resource_group_name=args.resource_group_name,
                container_name=filesystem, public_access=storage.PublicAccess.NONE,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[blob_service]))
            self.filesystem_ids[filesystem] = container.id
        # The account itself has only metrics; its resource logs (reads, writes, deletes) belong to its services.
        self.add_interfaces(name, scope_id=account.id, args=args, diagnostics=DiagnosticSupport(logs=False),
                            private_endpoint_group_id="dfs" if args.hierarchical_namespace else "blob",
                            resource_group_name=args.resource_group_name, location=args.location)
        create_storage_service_diagnostics(name, account_id=account.id, kind="StorageV2",
                                           settings=args.diagnostic_settings, parent=self)
        self.resource_id, self.name = account.id, account.name
        self.dfs_endpoint = account.primary_endpoints.apply(lambda endpoints: endpoints.dfs)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "filesystem_ids": self.filesystem_ids})
