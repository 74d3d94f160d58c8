"""The connectivity program: read the typed config once, build the connectivity hub (zones, resolver, gateways,
agents), export what people and the other stacks need.

Its own project, as in the Azure landing zone reference: connectivity is shared by every environment and changes on
its own cadence. Environment stacks attach to it by well-known names (`ConnectivityRef`), not by reading its state.
"""

import pulumi
from pulumi_azure_native import resources

from amsterdam_cloud.components.interfaces import DiagnosticSettings, Lock, PrivateEndpoint
from amsterdam_cloud.components.landing_zone.connectivity import (CI_POOL_NAME, ENDPOINTS_SUBNET, MONITOR_SCOPE_NAME,
                                                                  Connectivity, ConnectivityArgs)
from amsterdam_cloud.core.private_link import city_private_link_zones
from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_ZONES, MonitorPrivateLinkScope, \
    MonitorPrivateLinkScopeArgs, app_entry, environment_entries
from amsterdam_cloud.stacks.connectivity.config import from_pulumi

config = from_pulumi()
tags = config.azure_tags
if config.workspace_id is None:
    pulumi.log.warn(f"{config.source}: no amsterdam-connectivity:workspaceId, so the hub's network, firewall, gateways "
                    "and NSGs send no logs (the pack's monitoring-diagnostic-settings names them: the bootstrap "
                    "waiver); set it once prod's platform stack has created the workspace (docs/landing-zone.md, "
                    "deployment order)")
group = resources.ResourceGroup("rg-connectivity", resource_group_name=config.ref.resource_group_name,
                                location=config.location, tags=tags)
connectivity = Connectivity("connectivity", ConnectivityArgs(
    tags=tags, lock=Lock() if config.features.resource_locks else None,
    diagnostic_settings=(DiagnosticSettings(workspace_id=config.workspace_id),) if config.workspace_id else (),
    resource_group_name=group.name, location=config.location,
    virtual_network_name=config.ref.virtual_network_name, address_space=config.address_space,
    private_dns_zones=city_private_link_zones(config.location), forwarded_zones=config.forwarded_zones,
    site_to_site=config.site_to_site, point_to_site=config.point_to_site, express_route=config.express_route,
    ci_agents=config.ci_agents, zone_redundant=config.features.zone_redundancy,
    firewall_premium=config.features.firewall_premium))

# The city's one Azure Monitor Private Link Scope: one per DNS namespace, and the zones above are the city's one set
# (a scope per environment would rewrite the same global records). This stack holds every entry: the monitored
# environments' workspaces and data collection endpoints and the listed apps' Application Insights (ids derived from
# the environments' stack files and the team files, each entry locked ReadOnly), so no environment's or app's identity
# holds any right on it. No lock on the scope: it would refuse this stack's own entry changes.
monitor_scope = MonitorPrivateLinkScope("monitor-private-link", MonitorPrivateLinkScopeArgs(
    tags=tags, resource_group_name=group.name,
    location=config.location, scope_name=MONITOR_SCOPE_NAME,
    scoped_resources=tuple(entry for monitored in config.monitored_environments for entry in environment_entries(
        monitored.environment, monitored.workspace_id, monitored.endpoint_id)) + tuple(
        app_entry(app.app, app.environment, app.component_id) for app in config.apps),
    private_endpoints=(PrivateEndpoint(subnet_id=connectivity.subnet_ids[ENDPOINTS_SUBNET], private_dns_zone_ids=tuple(
        connectivity.private_dns_zone_ids[zone] for zone in AMPLS_ZONES)),)))

pulumi.export("hubVirtualNetworkId", connectivity.resource_id)
pulumi.export("subnetIds", connectivity.subnet_ids)
pulumi.export("privateDnsZoneIds", connectivity.private_dns_zone_ids)
pulumi.export("resolverInboundIp", connectivity.resolver_inbound_ip)
pulumi.export("forwardingRulesetId", connectivity.forwarding_ruleset_id)
pulumi.export("firewallPrivateIp", connectivity.firewall_private_ip)
pulumi.export("vpnGatewayId", connectivity.gateway_id)
pulumi.export("agentPool", CI_POOL_NAME if config.ci_agents else None)
pulumi.export("monitorPrivateLinkScope", {"name": monitor_scope.name, "resourceGroupName": group.name,
                                          "subscriptionId": config.ref.subscription_id})
