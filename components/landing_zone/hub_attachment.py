"""An environment hub attached to the city's connectivity hub (`connectivity.py`), from the environment's stack.

What it creates, half of it in the connectivity subscription (through the provider it is given, as Azure landing
zone subscription vending does): both sides of the peering (gateway transit: the environment uses the connectivity
hub's VPN/ExpressRoute gateway), a link from every central private-link zone and from the resolver's forwarding
ruleset to the environment hub (its firewall's DNS proxy resolves both there), and routes that send traffic for the
environment's block (and its hub's `shared` subnet, which the peering would otherwise reach directly) from the
gateway and from the CI agents through the environment's firewall.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import dnsresolver, network, privatedns

from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, supports
from amsterdam_cloud.components.landing_zone.connectivity import (AGENTS_ROUTE_TABLE, FORWARDING_RULESET,
                                                                  GATEWAY_ROUTE_TABLE, ConnectivityRef)
from amsterdam_cloud.components.landing_zone.hub import HubRef


@dataclass(frozen=True, kw_only=True)
class HubAttachmentArgs(CommonArgs):
    SUPPORTS = supports(
                        reason="peerings, zone links and routes in two subscriptions: no lock, roles, logs, "
                               "endpoints, identity or state of their own")
    connectivity: ConnectivityRef
    """The connectivity hub to attach to."""
    connectivity_provider: pulumi.ProviderResource
    """An azure-native provider for the connectivity subscription: its half is created there."""
    environment: str
    """The environment's name, in the names of what it creates in the connectivity hub (one per environment)."""
    hub: HubRef
    """The environment hub (its network, resource group and firewall)."""
    address_space: str
    """The environment's block: routed from the gateway and the agents to the environment's firewall."""
    hub_shared_range: str
    """The environment hub's `shared` subnet (the platform's private endpoints): routed to the firewall too, since
    the peering's route for the hub's own range is more specific than the block's and would bypass it."""
    private_dns_zones: tuple[str, ...]
    """The central zones to link the environment hub to."""
    use_gateway: bool = False
    """Off: no gateway transit (on-premises and VPN clients do not reach the environment); on: the environment hub
    uses the connectivity hub's gateway and the gateway routes the block to the environment's firewall."""
    peer_after: tuple[pulumi.Resource, ...] = ()
    """Changes to the environment hub network to finish first (the spokes' peerings): one change at a time."""

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            block, shared = ipaddress.IPv4Network(self.address_space), ipaddress.IPv4Network(self.hub_shared_range)
        except ValueError as error:
            raise InterfaceError(f"HubAttachmentArgs: {error}; expected the environment's block such as "
                                 "10.10.0.0/16 and its hub's shared subnet inside it") from None
        if not shared.subnet_of(block):
            raise InterfaceError(f"HubAttachmentArgs.hub_shared_range: {shared} lies outside the block {block}")
        if not self.private_dns_zones:
            raise InterfaceError("HubAttachmentArgs.private_dns_zones: empty; expected the central zones to link")


class HubAttachment(pulumi.ComponentResource):
    """`hub_peering` is the environment hub's side of the peering (the last change to that network)."""

    def __init__(self, name: str, args: HubAttachmentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:HubAttachment", name, None, opts)
        ref, env = args.connectivity, args.environment
        there = pulumi.ResourceOptions(parent=self, provider=args.connectivity_provider)
        group = ref.resource_group_name

        from_connectivity = network.VirtualNetworkPeering(
            f"{name}-from-connectivity", resource_group_name=group, virtual_network_name=ref.virtual_network_name,
            virtual_network_peering_name=f"to-{env}",
            remote_virtual_network=network.SubResourceArgs(id=args.hub.virtual_network_id),
            allow_virtual_network_access=True, allow_forwarded_traffic=True,
            allow_gateway_transit=args.use_gateway, use_remote_gateways=False, opts=there)
        # use_remote_gateways needs the other side to allow gateway transit first.
        self.hub_peering = network.VirtualNetworkPeering(
            f"{name}-to-connectivity", resource_group_name=args.hub.resource_group_name,
            virtual_network_name=args.hub.virtual_network_name, virtual_network_peering_name="to-connectivity",
            remote_virtual_network=network.SubResourceArgs(id=ref.virtual_network_id),
            allow_virtual_network_access=True, allow_forwarded_traffic=True, allow_gateway_transit=False,
            use_remote_gateways=args.use_gateway,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[from_connectivity, *args.peer_after]))

        tables = (AGENTS_ROUTE_TABLE, GATEWAY_ROUTE_TABLE) if args.use_gateway else (AGENTS_ROUTE_TABLE,)
        for table in tables:
            for role, prefix in (("", args.address_space), ("-shared", args.hub_shared_range)):
                network.Route(
                    f"{name}-{table}{role}", resource_group_name=group, route_table_name=table,
                    route_name=f"{env}{role}-via-firewall", address_prefix=prefix,
                    next_hop_type="VirtualAppliance", next_hop_ip_address=args.hub.firewall_private_ip, opts=there)

        for zone in args.private_dns_zones:
            privatedns.VirtualNetworkLink(
                f"{name}-{zone.removeprefix('privatelink.').replace('.', '-')}", resource_group_name=group,
                private_zone_name=zone, virtual_network_link_name=f"{env}-hub", location="global",
                registration_enabled=False, virtual_network=privatedns.SubResourceArgs(id=args.hub.virtual_network_id),
                tags=dict(args.tags), opts=there)
        dnsresolver.PrivateResolverVirtualNetworkLink(
            f"{name}-ruleset", resource_group_name=group, dns_forwarding_ruleset_name=FORWARDING_RULESET,
            virtual_network_link_name=f"{env}-hub",
            virtual_network=dnsresolver.SubResourceArgs(id=args.hub.virtual_network_id), opts=there)

        self.zone_ids = {zone: ref.zone_id(zone) for zone in args.private_dns_zones}
        """The central zones' ids, by zone name: what the environment's private endpoints register in."""
        self.register_outputs({"zone_ids": self.zone_ids})
