"""VNet flow logs: every network of the environment logged by Network Watcher into a private storage account, kept
at least 90 days, with traffic analytics into the central workspace (who talked to whom, allowed or denied).

VNet flow logs replace NSG flow logs (retired for new ones since June 2025) and also see traffic no NSG governs.
Network Watcher writes with a user-assigned identity (Storage Blob Data Contributor), so the account keeps shared
keys off. The watcher is Azure's own per region (`NetworkWatcher_<region>` in `NetworkWatcherRG`, created with the
region's first network): the flow logs are its children, it is never created here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

import pulumi
from pulumi_azure_native import managedidentity, network

from amsterdam_cloud.components.app_hosting.storage import StorageAccount, StorageAccountArgs
from amsterdam_cloud.components.interfaces import (CommonArgs, InterfaceError, RoleAssignment, WithInterfaces,
                                                   create_role_assignments, supports)

MIN_RETENTION_DAYS = 90
"""The city's floor for flow logs (CIS Azure 6.5, BIO 12.4.1; the pack's network-flow-log-retention)."""
TRAFFIC_ANALYTICS_INTERVALS = (10, 60)
"""Minutes between traffic analytics runs that Azure accepts."""


def network_watcher(location: str) -> tuple[str, str]:
    """The resource group and name of the Network Watcher Azure creates in a region."""
    return "NetworkWatcherRG", f"NetworkWatcher_{location}"


@dataclass(frozen=True, kw_only=True)
class VnetFlowLogsArgs(CommonArgs):
    SUPPORTS = supports("lock", "diagnostic_settings", "protect", "private_endpoints",
                        reason="Network Watcher writes as the component's own identity, and the storage takes no "
                               "other roles")
    resource_group_name: pulumi.Input[str]
    """The resource group of the flow log storage and identity (the management one); never created here."""
    location: str
    """The networks' region (flow logs, storage and watcher must share it)."""
    networks: Mapping[str, pulumi.Input[str]]
    """Short name (hub, a spoke) to virtual network id: each gets one flow log."""
    workspace_id: pulumi.Input[str]
    """The central workspace's ARM id: traffic analytics writes there."""
    workspace_customer_id: pulumi.Input[str]
    """The same workspace's customer id (a GUID), which traffic analytics also asks for."""
    storage_account_name: str
    """The flow log account's globally unique name (3-24 lower-case letters and digits)."""
    retention_days: int = MIN_RETENTION_DAYS
    """How long the raw flow logs are kept (90 days or more)."""
    traffic_analytics_interval: int = 10
    """Minutes between traffic analytics runs (10 or 60)."""
    storage_sku: str = "Standard_ZRS"
    """Copies in three zones of the region."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.networks:
            raise InterfaceError("VnetFlowLogsArgs.networks: empty; pass the hub and spokes by name")
        if self.retention_days < MIN_RETENTION_DAYS:
            raise InterfaceError(f"VnetFlowLogsArgs.retention_days: {self.retention_days}; the city keeps flow logs "
                                 f"at least {MIN_RETENTION_DAYS} days")
        if self.traffic_analytics_interval not in TRAFFIC_ANALYTICS_INTERVALS:
            raise InterfaceError(f"VnetFlowLogsArgs.traffic_analytics_interval: {self.traffic_analytics_interval}; "
                                 "expected 10 or 60")


class VnetFlowLogs(WithInterfaces, pulumi.ComponentResource):
    """The flow logs by network name (`flow_log_ids`) and their storage (`resource_id`, `name`); `lock`, `protect`,
    `diagnostic_settings` and `private_endpoints` (blob unless they name another sub-resource) apply to the storage."""

    def __init__(self, name: str, args: VnetFlowLogsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:monitoring:VnetFlowLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        storage = StorageAccount(f"{name}-st", StorageAccountArgs(
            tags=tags, lock=args.lock, protect=args.protect, diagnostic_settings=args.diagnostic_settings,
            resource_group_name=args.resource_group_name, location=args.location,
            account_name=args.storage_account_name, sku=args.storage_sku,
            # Network Watcher writes through the trusted-services bypass; people reading the raw logs (an incident)
            # come through the endpoint, as for every account closed to the public (CIS 3.10).
            private_endpoints=tuple(replace(endpoint, group_id=endpoint.group_id or "blob")
                                    for endpoint in args.private_endpoints)), opts=child)
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity", resource_group_name=args.resource_group_name, location=args.location, tags=tags,
            opts=child)
        writer = create_role_assignments(f"{name}-writer", scope_id=storage.resource_id, parent=self, assignments=(
            RoleAssignment(role="Storage Blob Data Contributor", principal_id=identity.principal_id,
                           principal_type="ServicePrincipal",
                           description="Network Watcher writes the VNet flow logs with this identity"),))
        watcher_group, watcher = network_watcher(args.location)
        self.flow_log_ids: dict[str, pulumi.Output[str]] = {}
        for network_name, network_id in args.networks.items():
            flow_log = network.FlowLog(
                f"{name}-{network_name}", resource_group_name=watcher_group, network_watcher_name=watcher,
                location=args.location, target_resource_id=network_id, storage_id=storage.resource_id,
                enabled=True, format=network.FlowLogFormatParametersArgs(type="JSON", version=2),
                retention_policy=network.RetentionPolicyParametersArgs(enabled=True, days=args.retention_days),
                flow_analytics_configuration=network.TrafficAnalyticsPropertiesArgs(
                    network_watcher_flow_analytics_configuration=network.TrafficAnalyticsConfigurationPropertiesArgs(
                        enabled=True, traffic_analytics_interval=args.traffic_analytics_interval,
                        workspace_id=args.workspace_customer_id, workspace_region=args.location,
                        workspace_resource_id=args.workspace_id)),
                identity=network.ManagedServiceIdentityArgs(type=network.ResourceIdentityType.USER_ASSIGNED,
                                                            user_assigned_identities=[identity.id]),
                tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=list(writer)))
            self.flow_log_ids[network_name] = flow_log.id
        self.resource_id, self.name = storage.resource_id, storage.name
        self.principal_id = identity.principal_id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "flow_log_ids": self.flow_log_ids})
