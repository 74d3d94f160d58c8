"""`VmOperations`: what every workload VM of an environment enrols in, built once by the platform: a Recovery
Services vault with the daily enhanced backup policy (Trusted Launch VMs can only be backed up with an enhanced
policy) and the data collection rule the Azure Monitor Agent of each VM reports through (counters, syslog and
Windows events into the central workspace, sent privately through the platform's data collection endpoint).

The VMs themselves (`virtual_machine.py`) take the ids this exports (`VmBackupRef`, the rule id): the platform
owns the vault and the rule, an app stack only enrols its VMs. Azure Backup reaches a VM's disks through the
platform's snapshot service, so the vault needs no public access and no private endpoint for VM backup.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, recoveryservices as backup

from amsterdam_cloud.components.compute.recovery_vault import recovery_vault
from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, WithInterfaces, require_name, supports

BACKUP_TIME = "2026-01-01T01:00:00Z"
"""When the daily VM backup runs (only the time of day counts, in the policy's time zone): outside office hours."""
TIME_ZONE = "W. Europe Standard Time"
"""Amsterdam's time zone as Azure Backup names it."""
LINUX_COUNTERS = ("Processor(*)\\% Processor Time", "Memory(*)\\% Used Memory", "Logical Disk(*)\\% Used Space",
                  "Network(*)\\Total Bytes")
WINDOWS_COUNTERS = ("\\Processor Information(_Total)\\% Processor Time", "\\Memory\\% Committed Bytes In Use",
                    "\\LogicalDisk(_Total)\\% Free Space", "\\Network Interface(*)\\Bytes Total/sec")
"""The counters every VM reports each minute, in the Azure Monitor Agent's Linux and Windows spellings."""
SYSLOG_FACILITIES = ("auth", "authpriv", "cron", "daemon", "kern", "syslog", "user")
WINDOWS_EVENTS = ("System!*[System[(Level=1 or Level=2 or Level=3)]]",
                  "Application!*[System[(Level=1 or Level=2 or Level=3)]]",
                  "Security!*[System[(band(Keywords,13510798882111488))]]")
"""Warnings and worse from the system logs, and the security log's audit successes and failures."""


@dataclass(frozen=True, kw_only=True)
class VmBackupRef:
    """The platform's VM backup: the vault a VM is protected in and the policy it follows."""

    vault_name: pulumi.Input[str]
    """The Recovery Services vault (in the VMs' region, as Azure Backup requires)."""
    resource_group_name: pulumi.Input[str]
    """The vault's resource group: the protected item lives there, under the vault."""
    policy_id: pulumi.Input[str]
    """The enhanced IaaS VM backup policy's id."""
    provider: pulumi.ProviderResource | None = None
    """An azure-native provider of the vault's subscription, where the protected item is created; None: the
    stack's own provider (the vault is in the VMs' subscription)."""


@dataclass(frozen=True, kw_only=True)
class VmOperationsArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "protect",
                        reason="Azure VM backup reaches the disks through the platform's snapshot service and needs no "
                               "private endpoint to the vault, nor an identity of its own")
    resource_group_name: pulumi.Input[str]
    """The vault's and the rule's resource group (the platform's management group)."""
    location: str
    """Their region: a vault protects VMs of its own region, a rule serves machines of its own region."""
    vault_name: str
    """The Recovery Services vault's name (2-50 letters, digits and hyphens, starting with a letter)."""
    subscription_id: pulumi.Input[str]
    """The vault's subscription (the platform's), exported so app stacks in another subscription enrol their VMs
    through a provider of this one."""
    workspace_id: pulumi.Input[str]
    """The central Log Analytics workspace the VMs' logs and counters go to."""
    data_collection_endpoint_id: pulumi.Input[str]
    """The platform's data collection endpoint in its AMPLS: the agents send privately through it."""
    daily_retention_days: int = 30
    """Daily recovery points kept 30 days."""
    instant_restore_days: int = 7
    """Snapshots kept with the disks for fast restores for 7 days (enhanced policy: 1 to 30)."""
    zone_redundant: bool = False
    """Off: the vault's storage is locally redundant; on: zone redundant."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:recoveryservices:Vault", self.vault_name, "VmOperationsArgs.vault_name")
        if not 7 <= self.daily_retention_days <= 9999:
            raise InterfaceError(f"VmOperationsArgs.daily_retention_days: {self.daily_retention_days}; expected 7 "
                                 "to 9999 (Azure Backup's daily retention range)")
        if not 1 <= self.instant_restore_days <= 30:
            raise InterfaceError(f"VmOperationsArgs.instant_restore_days: {self.instant_restore_days}; expected 1 "
                                 "to 30 (enhanced policy)")


class VmOperations(WithInterfaces, pulumi.ComponentResource):
    """The vault (`resource_id`, `name`), its policy (`backup`: what a VM enrols with) and the data collection
    rule (`data_collection_rule_id`)."""

    def __init__(self, name: str, args: VmOperationsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:compute:VmOperations", name, None, opts)
        tags = dict(args.tags)
        vault = recovery_vault(f"{name}-vault", vault_name=args.vault_name, resource_group_name=args.resource_group_name,
                               location=args.location, zone_redundant=args.zone_redundant, tags=tags,
                               opts=self.child_options(args, stateful=True))
        self.add_interfaces(name, scope_id=vault.id, args=args)
        policy = backup.ProtectionPolicy(
            f"{name}-policy", vault_name=vault.name, resource_group_name=args.resource_group_name,
            policy_name="vms-daily-enhanced",
            properties=backup.AzureIaaSVMProtectionPolicyArgs(
                backup_management_type="AzureIaasVM", policy_type="V2", time_zone=TIME_ZONE,
                instant_rp_retention_range_in_days=args.instant_restore_days,
                schedule_policy=backup.SimpleSchedulePolicyV2Args(
                    schedule_policy_type="SimpleSchedulePolicyV2", schedule_run_frequency="Daily",
                    daily_schedule=backup.DailyScheduleArgs(schedule_run_times=[BACKUP_TIME])),
                retention_policy=backup.LongTermRetentionPolicyArgs(
                    retention_policy_type="LongTermRetentionPolicy",
                    daily_schedule=backup.DailyRetentionScheduleArgs(
                        retention_times=[BACKUP_TIME],
                        retention_duration=backup.RetentionDurationArgs(count=args.daily_retention_days,
                                                                        duration_type="Days")))),
            tags=tags, opts=pulumi.ResourceOptions(parent=self))
        rule = monitor.DataCollectionRule(
            f"{name}-dcr", resource_group_name=args.resource_group_name, location=args.location,
            data_collection_rule_name=f"dcr-{args.vault_name}", data_collection_endpoint_id=args.data_collection_endpoint_id,
            description="Workload VMs: counters, syslog and Windows events into the central workspace",
            data_sources=monitor.DataCollectionRuleDataSourcesArgs(
                performance_counters=[
                    monitor.PerfCounterDataSourceArgs(name="linux-counters", streams=["Microsoft-Perf"],
                                                      sampling_frequency_in_seconds=60,
                                                      counter_specifiers=list(LINUX_COUNTERS)),
                    monitor.PerfCounterDataSourceArgs(name="windows-counters", streams=["Microsoft-Perf"],
                                                      sampling_frequency_in_seconds=60,
                                                      counter_specifiers=list(WINDOWS_COUNTERS))],
                syslog=[monitor.SyslogDataSourceArgs(name="syslog", streams=["Microsoft-Syslog"],
                                                     facility_names=list(SYSLOG_FACILITIES),
                                                     log_levels=["Warning", "Error", "Critical", "Alert",
                                                                 "Emergency"])],
                windows_event_logs=[monitor.WindowsEventLogDataSourceArgs(
                    name="windows-events", streams=["Microsoft-Event"], x_path_queries=list(WINDOWS_EVENTS))]),
            destinations=monitor.DataCollectionRuleDestinationsArgs(log_analytics=[
                monitor.LogAnalyticsDestinationArgs(name="central", workspace_resource_id=args.workspace_id)]),
            data_flows=[monitor.DataFlowArgs(streams=["Microsoft-Perf", "Microsoft-Syslog", "Microsoft-Event"],
                                             destinations=["central"])],
            tags=tags, opts=pulumi.ResourceOptions(parent=self))

        self.resource_id, self.name = vault.id, vault.name
        self.backup = VmBackupRef(vault_name=vault.name, resource_group_name=args.resource_group_name,
                                  policy_id=policy.id)
        self.data_collection_rule_id = rule.id
        self.data_collection_endpoint_id = args.data_collection_endpoint_id
        self.subscription_id = args.subscription_id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "policy_id": policy.id,
                               "data_collection_rule_id": rule.id})

    def exports(self) -> dict[str, pulumi.Input[str]]:
        """What the platform stack exports as `vmOperations`, where app stacks read it."""
        return {"vaultName": self.backup.vault_name, "resourceGroupName": self.backup.resource_group_name,
                "subscriptionId": self.subscription_id,
                "backupPolicyId": self.backup.policy_id, "dataCollectionRuleId": self.data_collection_rule_id,
                "dataCollectionEndpointId": self.data_collection_endpoint_id}
