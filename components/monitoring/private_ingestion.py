"""Private log ingestion: an Azure Monitor Private Link Scope (AMPLS) with the central workspace and a data
collection endpoint in it, reached through one private endpoint in the hub, both access modes PrivateOnly.

Why: the workspace refuses public ingestion, so without a scope agents (AVD hosts, VMs) and Application Insights
SDKs in the city's networks have no way to deliver. With the scope's endpoint in the hub, the global monitoring names
(`*.ods/oms.opinsights.azure.com`, `*.monitor.azure.com`, `*.in.applicationinsights.azure.com`, the agents' blob
store) resolve privately everywhere the hub's DNS serves; PrivateOnly then lets those networks reach only resources
in the scope (Microsoft: "Design your Azure Private Link setup": one AMPLS per DNS, so one per environment).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, InterfaceError, WithInterfaces, supports

PRIVATE_LINK_SCOPE = "azure-native:monitor:PrivateLinkScope"
AMPLS_ZONES = ("privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com",
               "privatelink.ods.opinsights.azure.com", "privatelink.agentsvc.azure-automation.net",
               "privatelink.blob.core.windows.net")
"""The zones an AMPLS private endpoint registers in (Microsoft: "Azure Private Endpoint private DNS zone values",
Azure Monitor): all five, or agents resolve part of their endpoints publicly and fail."""


@dataclass(frozen=True, kw_only=True)
class PrivateIngestionArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "private_endpoints",
                        reason="a private link scope has no logs, needs no identity and holds no state")
    resource_group_name: pulumi.Input[str]
    """The scope's and endpoint's resource group (the management one); the component never creates it."""
    location: str
    """The data collection endpoint's region (the workspace's; rules and machines use an endpoint in theirs)."""
    workspace_id: pulumi.Input[str]
    """The central Log Analytics workspace, scoped into the AMPLS; the component never creates it."""
    scope_name: str | None = None
    """Unset: azure-native's auto-name; set: that name, so app stacks can scope their Application Insights into it."""
    open_query: bool = False
    """Off: networks behind the scope query only scoped resources (PrivateOnly); on: they may query any workspace."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.private_endpoints:
            raise InterfaceError("PrivateIngestionArgs.private_endpoints: empty; the scope is reached only through "
                                 "a private endpoint (the hub's shared subnet, with the AMPLS_ZONES)")
        for endpoint in self.private_endpoints:
            if len(endpoint.private_dns_zone_ids) != len(AMPLS_ZONES):
                raise InterfaceError("PrivateIngestionArgs.private_endpoints: an AMPLS endpoint registers in "
                                     f"{len(AMPLS_ZONES)} zones ({', '.join(AMPLS_ZONES)}); pass all of them")


class PrivateIngestion(WithInterfaces, pulumi.ComponentResource):
    """The scope (`resource_id`, `name`), its data collection endpoint (`endpoint_id`) and private endpoint(s)."""

    def __init__(self, name: str, args: PrivateIngestionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:monitoring:PrivateIngestion", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        scope = monitor.PrivateLinkScope(
            f"{name}-ampls", resource_group_name=args.resource_group_name, location="global",
            scope_name=args.scope_name,
            access_mode_settings=monitor.AccessModeSettingsArgs(
                ingestion_access_mode="PrivateOnly", query_access_mode="Open" if args.open_query else "PrivateOnly"),
            tags=tags, opts=child)
        endpoint = monitor.DataCollectionEndpoint(
            f"{name}-dce", resource_group_name=args.resource_group_name, location=args.location,
            description="Agents fetch their rules and send their data here, privately (through the AMPLS)",
            network_acls=monitor.DataCollectionEndpointNetworkAclsArgs(public_network_access="Disabled"),
            tags=tags, opts=child)
        for role, resource_id in (("workspace", args.workspace_id), ("dce", endpoint.id)):
            monitor.PrivateLinkScopedResource(
                f"{name}-scoped-{role}", resource_group_name=args.resource_group_name, scope_name=scope.name,
                name=role, linked_resource_id=resource_id, kind="Resource", opts=child)
        # the scope has no diagnostics of its own; it is reached through the interface's private endpoints
        self.add_interfaces(name, scope_id=scope.id, args=args, diagnostics=NO_DIAGNOSTICS,
                            private_endpoint_group_id="azuremonitor", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = scope.id, scope.name
        self.endpoint_id = endpoint.id
        """The data collection endpoint: rules (`dataCollectionEndpointId`) and machines (an association named
        `configurationAccessEndpoint`) point at it."""
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "endpoint_id": self.endpoint_id})
