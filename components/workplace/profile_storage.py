"""FSLogix profile storage: an Azure Files premium share that users reach with their Entra ID identity (Kerberos),
over a private endpoint only, in the session hosts' region.

Secure by default: no shared keys, no public network, TLS 1.2, SMB 3.1.1 with Kerberos AES-256 and AES-256-GCM
channel encryption only, no cross-tenant replication; share-level access by Entra ID group (users: SMB Share
Contributor, administrators: Elevated Contributor); deleted shares recoverable for 14 days. Zone-redundant
(Premium_ZRS) where the caller asks for it (prod), locally redundant otherwise.

The NTFS permissions FSLogix needs on the share root (creator owner, users may create their own folder only) are
set once by an administrator from a host; docs/workplace.md has the commands.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import storage

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, RoleAssignment,
                                                   WithInterfaces, create_diagnostic_settings,
                                                   create_role_assignments, require_name, supports)
from amsterdam_cloud.components.workplace.sizing import MAX_PREMIUM_SHARE_GIB, MIN_PREMIUM_SHARE_GIB

SMB_SHARE_CONTRIBUTOR = "0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb"
"""Storage File Data SMB Share Contributor: read, write and delete in the share over SMB."""
SMB_SHARE_ELEVATED_CONTRIBUTOR = "a7264617-510b-434b-a828-9731dc254ea7"
"""Storage File Data SMB Share Elevated Contributor: also change NTFS permissions (administrators)."""


@dataclass(frozen=True, kw_only=True)
class ProfileStorageArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the account needs no identity of its own (Entra Kerberos for the users)")
    resource_group_name: pulumi.Input[str]
    """The account's resource group; the component never creates it."""
    location: str
    """The session hosts' region: profiles attach at every sign-in, so they must be close."""
    account_name: str
    """The storage account's name (3-24 lower-case letters and digits, unique in Azure)."""
    share_gib: int
    """Provisioned size of the profile share in GiB (from the sizing formula); premium IOPS grow with it."""
    zone_redundant: bool = False
    """Off: Premium_LRS, three copies in one zone; on: Premium_ZRS, copies in three zones (prod)."""
    user_group_ids: tuple[str, ...] = ()
    """Entra ID groups whose members get a profile (SMB Share Contributor on the share); empty: nobody yet."""
    admin_group_ids: tuple[str, ...] = ()
    """Entra ID groups that administer the profiles (SMB Share Elevated Contributor); empty: none."""
    share_name: str = "profiles"
    """The share FSLogix's VHDLocations points at."""
    deleted_share_retention_days: int = 14
    """Days a deleted share can be restored (1 to 365)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:storage:StorageAccount", self.account_name, "ProfileStorageArgs.account_name")
        if not MIN_PREMIUM_SHARE_GIB <= self.share_gib <= MAX_PREMIUM_SHARE_GIB:
            raise InterfaceError(f"ProfileStorageArgs.share_gib: {self.share_gib}; a premium share is "
                                 f"{MIN_PREMIUM_SHARE_GIB} to {MAX_PREMIUM_SHARE_GIB} GiB")
        if not 1 <= self.deleted_share_retention_days <= 365:
            raise InterfaceError(f"ProfileStorageArgs.deleted_share_retention_days: "
                                 f"{self.deleted_share_retention_days}; expected 1 to 365")
        if not self.private_endpoints:
            raise InterfaceError("ProfileStorageArgs.private_endpoints: empty; the account has no public network "
                                 "access, so session hosts reach it only over a private endpoint (group file)")


class ProfileStorage(WithInterfaces, pulumi.ComponentResource):
    """The account (`resource_id`, `name`) and its share; `unc_path` is FSLogix's VHDLocations value."""

    def __init__(self, name: str, args: ProfileStorageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:ProfileStorage", name, None, opts)
        tags = dict(args.tags)
        account = storage.StorageAccount(
            f"{name}-account", account_name=args.account_name, resource_group_name=args.resource_group_name,
            location=args.location, kind="FileStorage",
            sku=storage.SkuArgs(name="Premium_ZRS" if args.zone_redundant else "Premium_LRS"),
            minimum_tls_version="TLS1_2", enable_https_traffic_only=True, allow_blob_public_access=False,
            allow_shared_key_access=False, allow_cross_tenant_replication=False, default_to_o_auth_authentication=True,
            public_network_access="Disabled", large_file_shares_state="Enabled", is_local_user_enabled=False,
            network_rule_set=storage.NetworkRuleSetArgs(default_action=storage.DefaultAction.DENY, bypass="AzureServices"),
            encryption=storage.EncryptionArgs(  # double encryption: settable only when the account is created
                key_source="Microsoft.Storage", require_infrastructure_encryption=True,
                services=storage.EncryptionServicesArgs(file=storage.EncryptionServiceArgs(enabled=True,
                                                                                           key_type="Account"))),
            azure_files_identity_based_authentication=storage.AzureFilesIdentityBasedAuthenticationArgs(
                directory_service_options="AADKERB", default_share_permission="None"),
            tags=tags, opts=self.child_options(args, stateful=True))
        # The account itself has metrics only; its logs come from the file service below.
        self.add_interfaces(name, scope_id=account.id, args=args, diagnostics=DiagnosticSupport(logs=False),
                            private_endpoint_group_id="file", resource_group_name=args.resource_group_name,
                            location=args.location)

        files = storage.FileServiceProperties(
            f"{name}-files", account_name=account.name, resource_group_name=args.resource_group_name,
            file_services_name="default",
            protocol_settings=storage.ProtocolSettingsArgs(smb=storage.SmbSettingArgs(
                versions="SMB3.1.1", authentication_methods="Kerberos", kerberos_ticket_encryption="AES-256",
                channel_encryption="AES-256-GCM", multichannel=storage.MultichannelArgs(enabled=True))),
            share_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
                enabled=True, days=args.deleted_share_retention_days),
            opts=pulumi.ResourceOptions(parent=self))
        # The file service's id, built from the account's, so the logs count as the account's (they are).
        file_service_id = pulumi.Output.all(account.id, files.name).apply(
            lambda parts: f"{parts[0]}/fileServices/{parts[1]}")
        create_diagnostic_settings(f"{name}-files", resource_uri=file_service_id, settings=args.diagnostic_settings,
                                   support=DiagnosticSupport(), parent=self)

        share = storage.FileShare(
            f"{name}-share", account_name=account.name, resource_group_name=args.resource_group_name,
            share_name=args.share_name, share_quota=args.share_gib, enabled_protocols="SMB",
            opts=self.child_options(args, stateful=True, depends_on=[files]))
        create_role_assignments(f"{name}-share", scope_id=share.id, parent=self, assignments=[
            *(RoleAssignment(role=SMB_SHARE_CONTRIBUTOR, principal_id=group, principal_type="Group",
                             description="FSLogix: members keep their profile here") for group in args.user_group_ids),
            *(RoleAssignment(role=SMB_SHARE_ELEVATED_CONTRIBUTOR, principal_id=group, principal_type="Group",
                             description="FSLogix: members administer the profiles") for group in args.admin_group_ids),
        ])

        self.resource_id, self.name = account.id, account.name
        self.share_id = share.id
        self.share_name = args.share_name
        self.unc_path = pulumi.Output.concat("\\\\", account.name, ".file.core.windows.net\\", args.share_name)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "share_id": self.share_id,
                               "unc_path": self.unc_path})
