"""The city's Recovery Services vault, one definition for every vault (workload VMs, the FSLogix profile share):
no public access, soft delete with enhanced security, immutability possible, every failed job an Azure Monitor
alert, locally or zone redundant storage and no cross-region restore (the copy stays in its region)."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import recoveryservices as backup


def recovery_vault(logical_name: str, *, vault_name: str, resource_group_name: pulumi.Input[str], location: str,
                   zone_redundant: bool, tags: dict[str, str], opts: pulumi.ResourceOptions) -> backup.Vault:
    """A vault with the city's settings; the caller adds its interfaces (lock, diagnostics) and policies."""
    return backup.Vault(
        logical_name, vault_name=vault_name, resource_group_name=resource_group_name, location=location,
        sku=backup.SkuArgs(name="RS0", tier="Standard"),
        properties=backup.VaultPropertiesArgs(
            public_network_access="Disabled",
            security_settings=backup.SecuritySettingsArgs(
                soft_delete_settings=backup.SoftDeleteSettingsArgs(
                    soft_delete_state="Enabled", soft_delete_retention_period_in_days=14,
                    enhanced_security_state="Enabled"),
                immutability_settings=backup.ImmutabilitySettingsArgs(state="Unlocked")),
            redundancy_settings=backup.VaultPropertiesRedundancySettingsArgs(
                standard_tier_storage_redundancy="ZoneRedundant" if zone_redundant else "LocallyRedundant",
                cross_region_restore="Disabled"),
            monitoring_settings=backup.MonitoringSettingsArgs(
                azure_monitor_alert_settings=backup.AzureMonitorAlertSettingsArgs(alerts_for_all_job_failures="Enabled"),
                classic_alert_settings=backup.ClassicAlertSettingsArgs(alerts_for_critical_operations="Disabled"))),
        tags=tags, opts=opts)
