"""The connectivity part of the landing zone, once for the city (Azure landing zones: the connectivity subscription):
the connectivity hub network, ONE set of private-link DNS zones, the DNS Private Resolver (inbound and outbound
endpoints in delegated subnets, a forwarding ruleset for the city's on-premises zones), the VPN gateway (site-to-site,
point-to-site) and/or an ExpressRoute gateway, a firewall for the hub's own egress, the subnet for the state backend's
private endpoints, and the pipelines' agents (a Managed DevOps Pool named where the pipelines expect it).

Environment hubs attach themselves to it (`hub_attachment.py`), through `ConnectivityRef`: the well-known names
below are the contract between the two, so neither stack reads the other's state.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from typing import Callable

import pulumi
from pulumi_azure_native import devcenter, devopsinfrastructure, dnsresolver, network

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, RoleAssignment,
                                                   WithInterfaces, create_diagnostic_settings,
                                                   create_role_assignments, supports)
from amsterdam_cloud.components.landing_zone import nsg_rules
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlanError, SubnetRequest, carve
from amsterdam_cloud.components.landing_zone.egress_profiles import EgressGrant
from amsterdam_cloud.components.landing_zone.firewall import Firewall, FirewallArgs, FirewallEgress, FirewallEgressArgs
from amsterdam_cloud.components.landing_zone.private_dns import PrivateDnsZones, PrivateDnsZonesArgs
from amsterdam_cloud.components.monitoring.private_ingestion import PrivateLinkScopeRef

FIREWALL_SUBNET, GATEWAY_SUBNET = "AzureFirewallSubnet", "GatewaySubnet"
AGENTS_SUBNET, ENDPOINTS_SUBNET = "snet-ci-agents", "snet-private-endpoints"
DNS_INBOUND_SUBNET, DNS_OUTBOUND_SUBNET = "snet-dns-inbound", "snet-dns-outbound"
CONNECTIVITY_SUBNETS: tuple[SubnetRequest, ...] = (
    SubnetRequest(name=FIREWALL_SUBNET, prefix_length=26),   # Azure's name, at least a /26
    SubnetRequest(name=AGENTS_SUBNET, prefix_length=26, delegation="Microsoft.DevOpsInfrastructure/pools"),
    SubnetRequest(name=GATEWAY_SUBNET, prefix_length=27),    # Azure's name; /27 holds a VPN and an ER gateway
    SubnetRequest(name=ENDPOINTS_SUBNET, prefix_length=27),  # the state backend's and the city AMPLS's endpoints
    SubnetRequest(name=DNS_INBOUND_SUBNET, prefix_length=28, delegation="Microsoft.Network/dnsResolvers"),
    SubnetRequest(name=DNS_OUTBOUND_SUBNET, prefix_length=28, delegation="Microsoft.Network/dnsResolvers"),
)
"""The connectivity hub's subnets, carved from its range like every range (`address_plan.carve`): Azure's names for
its appliances, the resolver's endpoints in their own delegated /28s (the documented minimum), the agents' subnet
delegated to Managed DevOps Pools."""
NO_NSG_SUBNETS = frozenset({FIREWALL_SUBNET, GATEWAY_SUBNET})

GATEWAY_ROUTE_TABLE = "rt-gateway"
"""The GatewaySubnet's route table: each environment adds `<its block> -> its firewall` (on-premises and VPN clients
reach an environment only through its firewall)."""
AGENTS_ROUTE_TABLE = "rt-ci-agents"
"""The agents' subnet's route table: `0.0.0.0/0 -> this hub's firewall`; each environment adds `<its block> -> its
firewall`."""
FORWARDING_RULESET = "dnsfrs-city"
"""The resolver's forwarding ruleset (the city's on-premises zones); each environment hub links to it."""
CI_POOL_NAME = "amsterdam-platform-vnet"
"""The agent pool the pipelines name (`DEPLOY_POOL` in .ci/, `runs-on` in .github/): the Managed DevOps Pool's name."""
MONITOR_SCOPE_NAME = "ampls-amsterdam"
"""The city's one Azure Monitor Private Link Scope (one per DNS namespace: the central zones are one), with its one
private endpoint in the hub's endpoints subnet; every environment scopes its workspace and DCE into it."""
VPN_CLIENT_APP_ID = "c632b3df-fb67-4d84-bdcf-b95ad541b5c8"
"""The Microsoft-registered Azure VPN Client app: the audience of point-to-site Entra ID authentication
(https://learn.microsoft.com/azure/vpn-gateway/point-to-site-entra-gateway)."""

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True, kw_only=True)
class ConnectivityRef:
    """Where the connectivity part lives: what an environment hub needs to attach to it. Every id is derived from
    these three names and the fixed names above, so the environment stacks need no reference to its state."""

    subscription_id: str
    """The connectivity subscription."""
    resource_group_name: str
    """Its resource group (hub network, zones, resolver, gateways, route tables)."""
    virtual_network_name: str
    """The connectivity hub network."""

    @property
    def resource_group_id(self) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group_name}"

    @property
    def virtual_network_id(self) -> str:
        return f"{self.resource_group_id}/providers/Microsoft.Network/virtualNetworks/{self.virtual_network_name}"

    def zone_id(self, zone: str) -> str:
        """The id of one of the central private-link zones (the zone's name is its resource name)."""
        return f"{self.resource_group_id}/providers/Microsoft.Network/privateDnsZones/{zone}"

    def subnet_id(self, subnet: str) -> str:
        return f"{self.virtual_network_id}/subnets/{subnet}"

    @property
    def monitor_scope(self) -> PrivateLinkScopeRef:
        """The city's Azure Monitor Private Link Scope, in the connectivity subscription."""
        return PrivateLinkScopeRef(name=MONITOR_SCOPE_NAME, resource_group_name=self.resource_group_name,
                                   subscription_id=self.subscription_id)


@dataclass(frozen=True, kw_only=True)
class ForwardedZone:
    """An on-premises DNS zone the resolver forwards to the city's DNS servers."""

    domain: str
    """The zone, e.g. `amsterdam.local` (written to Azure with its trailing dot)."""
    dns_servers: tuple[str, ...]
    """The on-premises DNS servers' IPv4 addresses (port 53)."""


@dataclass(frozen=True, kw_only=True)
class SiteToSite:
    """An IPsec (IKEv2) tunnel to the city's on-premises VPN device."""

    gateway_ip: str
    """The on-premises device's public IPv4 address."""
    address_spaces: tuple[str, ...]
    """The on-premises ranges routed into the tunnel."""
    shared_key: pulumi.Input[str]
    """The pre-shared key: a secret from the stack config, never in plain text."""


@dataclass(frozen=True, kw_only=True)
class PointToSite:
    """Remote staff with the Azure VPN Client, signed in with Entra ID (OpenVPN); no certificates to manage."""

    client_address_pool: str
    """The range VPN clients get their addresses from; outside every network and on-premises range."""
    tenant_id: str
    """The Entra ID tenant the clients sign in to."""
    routes: tuple[str, ...]
    """The ranges pushed to clients beyond the hub (environment blocks they may reach: the per-environment switch;
    each environment's firewall decides in its `eastWest` whether the pool gets in)."""


@dataclass(frozen=True, kw_only=True)
class ExpressRoute:
    """A connection to the city's ExpressRoute circuit."""

    circuit_id: str
    """The circuit's resource id (provisioned by the provider, outside this stack)."""
    authorization_key: pulumi.Input[str] | None = None
    """The circuit owner's authorization key, a secret; None: the circuit is in the same subscription."""


@dataclass(frozen=True, kw_only=True)
class CiAgents:
    """The pipelines' agents: a Managed DevOps Pool in the hub's delegated agents subnet."""

    organization_url: str
    """The Azure DevOps organisation, e.g. https://dev.azure.com/gemeente-amsterdam."""
    devops_infrastructure_principal_id: str
    """Object id of the tenant's `DevOpsInfrastructure` service principal: Azure requires it to hold Reader and
    Network Contributor on the network the pool injects agents into."""
    maximum_concurrency: int = 4
    """Agents at most at once."""
    image: str = "ubuntu-22.04/latest"
    """A Managed DevOps Pools well-known image."""
    vm_size: str = "Standard_D2ads_v5"
    """The agents' VM size."""


@dataclass(frozen=True, kw_only=True)
class ConnectivityArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="networks have no private endpoint and need no identity; the hub network is always "
                               "protected, never by a switch")
    """`lock` covers the firewall and its policy, never the hub network: the hub side of every environment's peering
    is the network's child, so a lock there refuses each environment's peering clean-up (dev's too); the network is
    protected instead (`protect`: Pulumi never deletes or replaces it)."""
    resource_group_name: pulumi.Input[str]
    """The connectivity resource group; the component never creates it."""
    location: str
    """The hub's region."""
    virtual_network_name: str
    """The hub network's fixed name (`ConnectivityRef.virtual_network_name`: environments derive its id)."""
    address_space: str
    """The hub's range; its subnets (`CONNECTIVITY_SUBNETS`) are carved from it."""
    private_dns_zones: tuple[str, ...]
    """The city's private-link zones, created once here (`city_private_link_zones` of core/private_link.py)."""
    forwarded_zones: tuple[ForwardedZone, ...] = ()
    """On-premises zones the resolver forwards; empty: a ruleset without rules (Azure names resolve only)."""
    site_to_site: SiteToSite | None = None
    """None: no tunnel to on-premises."""
    point_to_site: PointToSite | None = None
    """None: no VPN clients."""
    express_route: ExpressRoute | None = None
    """None: no ExpressRoute gateway."""
    ci_agents: CiAgents | None = None
    """None: no agent pool in the hub."""
    zone_redundant: bool = False
    """Off: the firewall and its IP in one zone; on: across zones 1-3 (the gateways are always zone-redundant: the
    non-AZ gateway SKUs are retired)."""
    firewall_premium: bool = False
    """Off: Azure Firewall Standard; on: Premium with IDPS in deny mode."""

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            carve(self.address_space, CONNECTIVITY_SUBNETS, "connectivity")
        except (AddressPlanError, ValueError) as error:
            raise InterfaceError(f"ConnectivityArgs.address_space: {error}") from None
        for zone in self.forwarded_zones:
            if not _DOMAIN.match(zone.domain) or zone.domain.startswith("privatelink."):
                raise InterfaceError(f"ConnectivityArgs.forwarded_zones: {zone.domain!r} is not an on-premises "
                                     "zone name; expected e.g. amsterdam.local")
            if not zone.dns_servers:
                raise InterfaceError(f"ConnectivityArgs.forwarded_zones: {zone.domain} has no DNS servers")
        if self.point_to_site and not GUID.match(self.point_to_site.tenant_id):
            raise InterfaceError("ConnectivityArgs.point_to_site.tenant_id: expected the Entra ID tenant's GUID")
        if self.point_to_site and ipaddress.IPv4Network(self.point_to_site.client_address_pool).overlaps(
                ipaddress.IPv4Network(self.address_space)):
            raise InterfaceError("ConnectivityArgs.point_to_site.client_address_pool: overlaps the hub's range; "
                                 "expected a range outside every network")


class Connectivity(WithInterfaces, pulumi.ComponentResource):
    """The connectivity hub; `subnet_ids`, `private_dns_zone_ids`, `resolver_inbound_ip`, `firewall_private_ip`,
    `gateway_id` (None without a VPN gateway) and `pool_id` (None without agents) are what others use."""

    def __init__(self, name: str, args: ConnectivityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Connectivity", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        group = args.resource_group_name
        placed = {subnet.name: subnet for subnet in carve(args.address_space, CONNECTIVITY_SUBNETS, "connectivity")}

        vnet = network.VirtualNetwork(
            f"{name}-vnet", virtual_network_name=args.virtual_network_name, resource_group_name=group,
            location=args.location, address_space=network.AddressSpaceArgs(address_prefixes=[args.address_space]),
            encryption=network.VirtualNetworkEncryptionArgs(enabled=True, enforcement="AllowUnencrypted"),
            tags=tags, opts=pulumi.ResourceOptions(parent=self, ignore_changes=["subnets"], protect=True))
        self.add_interfaces(name, scope_id=vnet.id, args=replace(args, lock=None), diagnostics=DiagnosticSupport())

        # Route tables without inline routes: this stack and every environment add theirs as Route resources.
        gateway_routes = network.RouteTable(
            f"{name}-gateway-routes", route_table_name=GATEWAY_ROUTE_TABLE, resource_group_name=group,
            location=args.location, disable_bgp_route_propagation=False, tags=tags,
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["routes"]))
        agent_routes = network.RouteTable(
            f"{name}-agent-routes", route_table_name=AGENTS_ROUTE_TABLE, resource_group_name=group,
            location=args.location, disable_bgp_route_propagation=True, tags=tags,
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["routes"]))
        route_tables = {GATEWAY_SUBNET: gateway_routes, AGENTS_SUBNET: agent_routes}

        subnets: dict[str, network.Subnet] = {}
        previous: list[network.Subnet] = []
        for plan in placed.values():
            security_group = None
            if plan.name not in NO_NSG_SUBNETS:
                security_group = network.NetworkSecurityGroup(
                    f"{name}-{plan.name}-nsg", resource_group_name=group, location=args.location,
                    security_rules=nsg_rules.deny_internet_inbound(), tags=tags, opts=child)
                create_diagnostic_settings(f"{name}-{plan.name}-nsg", resource_uri=security_group.id,
                                           settings=args.diagnostic_settings,
                                           support=DiagnosticSupport(metrics=False), parent=self)
            table = route_tables.get(plan.name)
            subnets[plan.name] = network.Subnet(
                f"{name}-{plan.name}", resource_group_name=group, virtual_network_name=vnet.name,
                subnet_name=plan.name, address_prefix=plan.cidr,
                network_security_group=network.NetworkSecurityGroupArgs(id=security_group.id)
                if security_group else None,
                route_table=network.RouteTableArgs(id=table.id) if table else None,
                default_outbound_access=None if plan.name in NO_NSG_SUBNETS else False,
                private_endpoint_network_policies="Enabled" if plan.name == ENDPOINTS_SUBNET else None,
                delegations=[network.DelegationArgs(name=plan.delegation.replace("/", "-"),
                                                    service_name=plan.delegation)] if plan.delegation else None,
                # one subnet at a time: Azure rejects concurrent changes to one virtual network
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:]))
            previous.append(subnets[plan.name])

        def once_all_exist(subnet: network.Subnet) -> pulumi.Output[str]:
            return pulumi.Output.all(subnet.id, *(other.id for other in previous)).apply(lambda ids: ids[0])

        # The hub's own egress (the agents') leaves through its firewall, which allows only the `ci-agents` profile.
        firewall = Firewall(f"{name}-fw", FirewallArgs(
            tags=args.tags, lock=args.lock, diagnostic_settings=args.diagnostic_settings, resource_group_name=group,
            location=args.location, subnet_id=once_all_exist(subnets[FIREWALL_SUBNET]),
            source_ranges=(placed[AGENTS_SUBNET].cidr,), premium=args.firewall_premium,
            zone_redundant=args.zone_redundant), opts=child)
        network.Route(
            f"{name}-agents-default", resource_group_name=group, route_table_name=agent_routes.name,
            route_name="default-via-firewall", address_prefix="0.0.0.0/0", next_hop_type="VirtualAppliance",
            next_hop_ip_address=firewall.private_ip, opts=child)
        if args.ci_agents:
            FirewallEgress(f"{name}-fw-egress", FirewallEgressArgs(
                tags=args.tags, firewall=firewall,
                grants=(EgressGrant(profile="ci-agents", source_ranges=(placed[AGENTS_SUBNET].cidr,)),)), opts=child)

        dns = PrivateDnsZones(f"{name}-dns", PrivateDnsZonesArgs(
            tags=args.tags, resource_group_name=group, zones=args.private_dns_zones,
            virtual_network_ids=(vnet.id,)), opts=child)
        self.resolver_inbound_ip, self.forwarding_ruleset_id = self._resolver(
            name, args, vnet, subnets, placed[DNS_INBOUND_SUBNET].cidr, once_all_exist)
        self.gateway_id, self.express_route_gateway_id = self._gateways(name, args, subnets, once_all_exist)
        self.pool_id = self._agents(name, args, args.ci_agents, vnet, subnets, once_all_exist) if args.ci_agents \
            else None

        self.resource_id, self.name = vnet.id, vnet.name
        self.firewall_private_ip = firewall.private_ip
        self.subnet_ids = {subnet_name: subnet.id for subnet_name, subnet in subnets.items()}
        self.private_dns_zone_ids = dict(dns.zone_ids)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "subnet_ids": self.subnet_ids,
                               "private_dns_zone_ids": self.private_dns_zone_ids,
                               "resolver_inbound_ip": self.resolver_inbound_ip,
                               "firewall_private_ip": self.firewall_private_ip})

    def _resolver(self, name: str, args: ConnectivityArgs, vnet: network.VirtualNetwork,
                  subnets: dict[str, network.Subnet], inbound_range: str,
                  once_all_exist: Callable[[network.Subnet], pulumi.Output[str]]) -> tuple[str, pulumi.Output[str]]:
        """The DNS Private Resolver: on-premises servers forward Azure zones to the inbound endpoint (a fixed IP, the
        subnet's first usable address), the outbound endpoint forwards the city's zones to on-premises."""
        child = pulumi.ResourceOptions(parent=self)
        group, tags = args.resource_group_name, dict(args.tags)
        inbound_ip = str(ipaddress.IPv4Network(inbound_range).network_address + 4)
        resolver = dnsresolver.DnsResolver(
            f"{name}-resolver", resource_group_name=group, location=args.location,
            virtual_network=dnsresolver.SubResourceArgs(id=vnet.id), tags=tags, opts=child)
        dnsresolver.InboundEndpoint(
            f"{name}-resolver-in", resource_group_name=group, dns_resolver_name=resolver.name, location=args.location,
            ip_configurations=[dnsresolver.IpConfigurationArgs(
                subnet=dnsresolver.SubResourceArgs(id=once_all_exist(subnets[DNS_INBOUND_SUBNET])),
                private_ip_allocation_method="Static", private_ip_address=inbound_ip)],
            tags=tags, opts=child)
        outbound = dnsresolver.OutboundEndpoint(
            f"{name}-resolver-out", resource_group_name=group, dns_resolver_name=resolver.name,
            location=args.location,
            subnet=dnsresolver.SubResourceArgs(id=once_all_exist(subnets[DNS_OUTBOUND_SUBNET])), tags=tags,
            opts=child)
        ruleset = dnsresolver.DnsForwardingRuleset(
            f"{name}-ruleset", dns_forwarding_ruleset_name=FORWARDING_RULESET, resource_group_name=group,
            location=args.location, dns_resolver_outbound_endpoints=[dnsresolver.SubResourceArgs(id=outbound.id)],
            tags=tags, opts=child)
        for zone in args.forwarded_zones:
            dnsresolver.ForwardingRule(
                f"{name}-forward-{zone.domain.replace('.', '-')}", resource_group_name=group,
                dns_forwarding_ruleset_name=ruleset.name, domain_name=f"{zone.domain}.",
                forwarding_rule_state="Enabled",
                target_dns_servers=[dnsresolver.TargetDnsServerArgs(ip_address=server, port=53)
                                    for server in zone.dns_servers], opts=child)
        dnsresolver.PrivateResolverVirtualNetworkLink(
            f"{name}-ruleset-link", resource_group_name=group, dns_forwarding_ruleset_name=ruleset.name,
            virtual_network_link_name="connectivity-hub", virtual_network=dnsresolver.SubResourceArgs(id=vnet.id),
            opts=child)
        return inbound_ip, ruleset.id

    def _gateways(self, name: str, args: ConnectivityArgs, subnets: dict[str, network.Subnet],
                  once_all_exist: Callable[[network.Subnet], pulumi.Output[str]]
                  ) -> tuple[pulumi.Output[str] | None, pulumi.Output[str] | None]:
        """The VPN gateway (site-to-site and/or point-to-site) and the ExpressRoute gateway, each with its own
        zone-redundant public IP, side by side in GatewaySubnet; one at a time (one change to a subnet at a time)."""
        group, tags = args.resource_group_name, dict(args.tags)
        vpn_id: pulumi.Output[str] | None = None
        after: list[network.VirtualNetworkGateway] = []

        def gateway(role: str, gateway_type: str, sku: str, **settings) -> network.VirtualNetworkGateway:
            public_ip = network.PublicIPAddress(
                f"{name}-{role}-pip", resource_group_name=group, location=args.location,
                sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
                public_ip_allocation_method="Static", public_ip_address_version="IPv4", zones=["1", "2", "3"],
                ddos_settings=network.DdosSettingsArgs(protection_mode="VirtualNetworkInherited"),
                tags=tags, opts=pulumi.ResourceOptions(parent=self))
            create_diagnostic_settings(f"{name}-{role}-pip", resource_uri=public_ip.id,
                                       settings=args.diagnostic_settings, support=DiagnosticSupport(), parent=self)
            created = network.VirtualNetworkGateway(
                f"{name}-{role}", resource_group_name=group, location=args.location, gateway_type=gateway_type,
                sku=network.VirtualNetworkGatewaySkuArgs(name=sku, tier=sku), active_active=False,
                ip_configurations=[network.VirtualNetworkGatewayIPConfigurationArgs(
                    name="default", private_ip_allocation_method="Dynamic",
                    subnet=network.SubResourceArgs(id=once_all_exist(subnets[GATEWAY_SUBNET])),
                    public_ip_address=network.SubResourceArgs(id=public_ip.id))],
                tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=list(after)), **settings)
            create_diagnostic_settings(f"{name}-{role}", resource_uri=created.id, settings=args.diagnostic_settings,
                                       support=DiagnosticSupport(), parent=self)
            after.append(created)
            return created

        if args.site_to_site or args.point_to_site:
            p2s = args.point_to_site
            vpn = gateway(
                "vpn", "Vpn", "VpnGw1AZ", vpn_type="RouteBased", vpn_gateway_generation="Generation1",
                enable_bgp=False,
                vpn_client_configuration=network.VpnClientConfigurationArgs(
                    vpn_client_address_pool=network.AddressSpaceArgs(address_prefixes=[p2s.client_address_pool]),
                    vpn_client_protocols=["OpenVPN"], vpn_authentication_types=["AAD"],
                    aad_tenant=f"https://login.microsoftonline.com/{p2s.tenant_id}/",
                    aad_audience=VPN_CLIENT_APP_ID, aad_issuer=f"https://sts.windows.net/{p2s.tenant_id}/")
                if p2s else None,
                custom_routes=network.AddressSpaceArgs(address_prefixes=list(p2s.routes)) if p2s and p2s.routes
                else None)
            vpn_id = vpn.id
            if args.site_to_site:
                s2s = args.site_to_site
                on_premises = network.LocalNetworkGateway(
                    f"{name}-on-premises", resource_group_name=group, location=args.location,
                    gateway_ip_address=s2s.gateway_ip,
                    local_network_address_space=network.AddressSpaceArgs(address_prefixes=list(s2s.address_spaces)),
                    tags=tags, opts=pulumi.ResourceOptions(parent=self))
                network.VirtualNetworkGatewayConnection(
                    f"{name}-s2s", resource_group_name=group, location=args.location, connection_type="IPsec",
                    connection_protocol="IKEv2", virtual_network_gateway1=network.VirtualNetworkGatewayArgs(id=vpn.id),
                    local_network_gateway2=network.LocalNetworkGatewayArgs(id=on_premises.id),
                    shared_key=pulumi.Output.secret(s2s.shared_key), enable_bgp=False, tags=tags,
                    opts=pulumi.ResourceOptions(parent=self))
        if args.express_route:
            er = args.express_route
            gateway_er = gateway("er", "ExpressRoute", "ErGw1AZ")
            network.VirtualNetworkGatewayConnection(
                f"{name}-er-connection", resource_group_name=group, location=args.location,
                connection_type="ExpressRoute", virtual_network_gateway1=network.VirtualNetworkGatewayArgs(
                    id=gateway_er.id), peer=network.SubResourceArgs(id=er.circuit_id),
                authorization_key=pulumi.Output.secret(er.authorization_key) if er.authorization_key else None,
                tags=tags, opts=pulumi.ResourceOptions(parent=self))
        return vpn_id, (after[-1].id if args.express_route else None)

    def _agents(self, name: str, args: ConnectivityArgs, agents: CiAgents, vnet: network.VirtualNetwork,
                subnets: dict[str, network.Subnet],
                once_all_exist: Callable[[network.Subnet], pulumi.Output[str]]) -> pulumi.Output[str]:
        """A Dev Center and its project (Managed DevOps Pools belong to one), the pool in the agents subnet, and the
        rights Azure requires the DevOpsInfrastructure principal to hold on the network it injects agents into."""
        child = pulumi.ResourceOptions(parent=self)
        group, tags = args.resource_group_name, dict(args.tags)
        rights = create_role_assignments(f"{name}-devops", scope_id=vnet.id, parent=self, assignments=tuple(
            RoleAssignment(role=role, principal_id=agents.devops_infrastructure_principal_id,
                           description="Managed DevOps Pools injects the agents into this network")
            for role in ("Reader", "Network Contributor")))
        center = devcenter.DevCenter(
            f"{name}-devcenter", dev_center_name="dc-amsterdam-ci", resource_group_name=group,
            location=args.location, tags=tags, opts=child)
        project = devcenter.Project(
            f"{name}-devcenter-project", project_name="prj-amsterdam-ci", resource_group_name=group,
            location=args.location, dev_center_id=center.id, description="The platform pipelines' agent pools",
            tags=tags, opts=child)
        pool = devopsinfrastructure.Pool(
            f"{name}-pool", pool_name=CI_POOL_NAME, resource_group_name=group, location=args.location,
            dev_center_project_resource_id=project.id, maximum_concurrency=agents.maximum_concurrency,
            organization_profile=devopsinfrastructure.AzureDevOpsOrganizationProfileArgs(
                kind="AzureDevOps", organizations=[devopsinfrastructure.OrganizationArgs(
                    url=agents.organization_url, parallelism=agents.maximum_concurrency)]),
            agent_profile=devopsinfrastructure.StatelessAgentProfileArgs(kind="Stateless"),
            fabric_profile=devopsinfrastructure.VmssFabricProfileArgs(
                kind="Vmss", sku=devopsinfrastructure.DevOpsAzureSkuArgs(name=agents.vm_size),
                images=[devopsinfrastructure.PoolImageArgs(well_known_image_name=agents.image)],
                network_profile=devopsinfrastructure.NetworkProfileArgs(
                    subnet_id=once_all_exist(subnets[AGENTS_SUBNET]))),
            tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=list(rights)))
        return pool.id

