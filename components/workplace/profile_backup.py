"""Backup of the FSLogix profile share: a Recovery Services vault, an Azure Files backup policy with the
environment's retention, the profile storage account registered with the vault and the share protected.

Azure Files backup takes share snapshots in the storage account, orchestrated by the vault; Azure Backup reaches
the account as a trusted Azure service (the account's `bypass: AzureServices`), so neither the account nor the
vault needs public network access or a private endpoint for it. Secure by default: no public access to the vault,
soft delete and immutability on, every failed job an Azure Monitor alert, the vault's logs to the central
workspace; the registered account gets Azure Backup's own delete lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import recoveryservices as backup

from amsterdam_cloud.components.compute.recovery_vault import recovery_vault
from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, WithInterfaces, require_name, supports
from amsterdam_cloud.components.workplace.schedule import OfficeHours

MAX_SHARE_SNAPSHOTS = 200
"""Azure Files keeps at most 200 snapshots per share: every retained backup point is one."""
BACKUP_TIME = "2026-01-01T02:00:00Z"
"""When the daily backup runs (only the time of day counts, in the policy's time zone): outside office hours."""


@dataclass(frozen=True, kw_only=True)
class BackupRetention:
    """How long backup points of the profile share are kept; per environment from the stack config."""

    daily_days: int = 30
    """Daily points kept this many days (1 to 200)."""
    weekly_weeks: int = 0
    """Sunday's point also kept this many weeks (0: none, up to 200)."""

    def __post_init__(self) -> None:
        if not 1 <= self.daily_days <= MAX_SHARE_SNAPSHOTS:
            raise InterfaceError(f"BackupRetention.daily_days: {self.daily_days}; expected 1 to {MAX_SHARE_SNAPSHOTS}")
        if not 0 <= self.weekly_weeks <= MAX_SHARE_SNAPSHOTS:
            raise InterfaceError(f"BackupRetention.weekly_weeks: {self.weekly_weeks}; expected 0 to "
                                 f"{MAX_SHARE_SNAPSHOTS}")
        if self.daily_days + self.weekly_weeks > MAX_SHARE_SNAPSHOTS:
            raise InterfaceError(f"BackupRetention: {self.daily_days} daily and {self.weekly_weeks} weekly points "
                                 f"exceed the {MAX_SHARE_SNAPSHOTS} snapshots a share keeps; keep fewer")


@dataclass(frozen=True, kw_only=True)
class ProfileBackupArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "protect",
                        reason="Azure Files backup reaches the account as a trusted Azure service and needs no "
                               "private endpoint to the vault, nor an identity of its own")
    resource_group_name: pulumi.Input[str]
    """The vault's resource group (the profile storage account's: Azure Files backup needs the same region)."""
    location: str
    """The vault's region: the storage account's."""
    vault_name: str
    """The Recovery Services vault's name (2-50 letters, digits and hyphens, starting with a letter)."""
    storage_account_id: pulumi.Input[str]
    """The profile storage account registered with the vault."""
    storage_account_name: pulumi.Input[str]
    """Its name: part of the protection container's name."""
    share_name: str
    """The profile share to protect."""
    retention: BackupRetention = field(default_factory=BackupRetention)
    """30 daily points, no weekly ones."""
    time_zone: str = OfficeHours().time_zone
    """The time zone the backup time is read in (Amsterdam's)."""
    zone_redundant: bool = False
    """Off: the vault's own storage is locally redundant; on: zone redundant (the share snapshots live with the
    share, whose redundancy is the account's)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:recoveryservices:Vault", self.vault_name, "ProfileBackupArgs.vault_name")


class ProfileBackup(WithInterfaces, pulumi.ComponentResource):
    """The vault (`resource_id`, `name`), its policy (`policy_id`) and the protected share (`protected_item_id`)."""

    def __init__(self, name: str, args: ProfileBackupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:ProfileBackup", name, None, opts)
        tags = dict(args.tags)
        vault = recovery_vault(f"{name}-vault", vault_name=args.vault_name, resource_group_name=args.resource_group_name,
                               location=args.location, zone_redundant=args.zone_redundant, tags=tags,
                               opts=self.child_options(args, stateful=True))
        self.add_interfaces(name, scope_id=vault.id, args=args)

        retention = args.retention
        policy = backup.ProtectionPolicy(
            f"{name}-policy", vault_name=vault.name, resource_group_name=args.resource_group_name,
            policy_name="profiles-daily",
            properties=backup.AzureFileShareProtectionPolicyArgs(
                backup_management_type="AzureStorage", work_load_type="AzureFileShare", time_zone=args.time_zone,
                schedule_policy=backup.SimpleSchedulePolicyArgs(
                    schedule_policy_type="SimpleSchedulePolicy", schedule_run_frequency="Daily",
                    schedule_run_times=[BACKUP_TIME]),
                retention_policy=backup.LongTermRetentionPolicyArgs(
                    retention_policy_type="LongTermRetentionPolicy",
                    daily_schedule=backup.DailyRetentionScheduleArgs(
                        retention_times=[BACKUP_TIME],
                        retention_duration=backup.RetentionDurationArgs(count=retention.daily_days,
                                                                        duration_type="Days")),
                    weekly_schedule=backup.WeeklyRetentionScheduleArgs(
                        days_of_the_week=[backup.DayOfWeek.SUNDAY], retention_times=[BACKUP_TIME],
                        retention_duration=backup.RetentionDurationArgs(count=retention.weekly_weeks,
                                                                        duration_type="Weeks"))
                    if retention.weekly_weeks else None)),
            tags=tags, opts=pulumi.ResourceOptions(parent=self))

        container_name = pulumi.Output.concat("StorageContainer;Storage;", args.resource_group_name, ";",
                                              args.storage_account_name)
        container = backup.ProtectionContainer(
            f"{name}-container", vault_name=vault.name, resource_group_name=args.resource_group_name,
            fabric_name="Azure", container_name=container_name,
            properties=backup.AzureStorageContainerArgs(
                container_type="StorageContainer", backup_management_type="AzureStorage",
                source_resource_id=args.storage_account_id, acquire_storage_account_lock="Acquire"),
            tags=tags, opts=pulumi.ResourceOptions(parent=self))
        item = backup.ProtectedItem(
            f"{name}-share", vault_name=vault.name, resource_group_name=args.resource_group_name,
            fabric_name="Azure", container_name=container_name, protected_item_name=f"AzureFileShare;{args.share_name}",
            properties=backup.AzureFileshareProtectedItemArgs(
                protected_item_type="AzureFileShareProtectedItem", source_resource_id=args.storage_account_id,
                policy_id=policy.id, friendly_name=args.share_name),
            tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[container]))

        self.resource_id, self.name = vault.id, vault.name
        self.policy_id = policy.id
        self.protected_item_id = item.id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "policy_id": self.policy_id,
                               "protected_item_id": self.protected_item_id})
