"""A spoke: a network peered with the hub, whose subnets deny inbound internet traffic, send all egress through
the hub firewall, resolve names through the firewall's DNS proxy, and have no default outbound access."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, WithInterfaces, \
    create_diagnostic_settings, supports
from amsterdam_cloud.components.landing_zone import nsg_rules
from amsterdam_cloud.components.landing_zone.address_plan import NetworkPlan
from amsterdam_cloud.components.landing_zone.hub import HubRef


@dataclass(frozen=True, kw_only=True)
class SpokeArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="networks have no private endpoint and need no identity; a spoke holds no state to "
                               "protect")
    resource_group_name: pulumi.Input[str]
    """The spoke's resource group; the component never creates it."""
    location: str
    """The spoke's region (the hub's)."""
    network: NetworkPlan
    """The spoke's range and subnets from the address plan; must not overlap the hub or another spoke."""
    hub: HubRef
    """The hub to peer with and route through."""
    use_hub_gateway: bool = False
    """Off: the hub has no VPN/ExpressRoute gateway yet; on: the spoke uses it (the hub must have one)."""
    hub_provider: pulumi.ProviderResource | None = None
    """None: the hub is in the spoke's subscription; set: the provider of the hub's subscription, for the hub side
    of the peering (a vended landing zone's spoke lives in the team's own subscription)."""
    peer_after: tuple[pulumi.Resource, ...] = ()
    """Peerings into the hub (other spokes' `hub_peering`) to finish first: Azure rejects concurrent changes to one
    network; empty: no ordering."""


class Spoke(WithInterfaces, pulumi.ComponentResource):
    """The spoke; `subnet_ids` maps each subnet name of the plan to its id (what app and workplace stacks use)."""

    def __init__(self, name: str, args: SpokeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Spoke", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        vnet = network.VirtualNetwork(
            f"{name}-vnet", resource_group_name=args.resource_group_name, location=args.location,
            address_space=network.AddressSpaceArgs(address_prefixes=[args.network.cidr]),
            dhcp_options=network.DhcpOptionsArgs(dns_servers=[args.hub.firewall_private_ip]),
            encryption=network.VirtualNetworkEncryptionArgs(enabled=True, enforcement="AllowUnencrypted"),
            tags=tags, opts=pulumi.ResourceOptions(parent=self, ignore_changes=["subnets"]))
        self.add_interfaces(name, scope_id=vnet.id, args=args, diagnostics=DiagnosticSupport())

        routes = network.RouteTable(
            f"{name}-routes", resource_group_name=args.resource_group_name, location=args.location,
            disable_bgp_route_propagation=True,  # on-premises routes must not bypass the firewall
            routes=[network.RouteArgs(name="default-via-firewall", address_prefix="0.0.0.0/0",
                                      next_hop_type="VirtualAppliance",
                                      next_hop_ip_address=args.hub.firewall_private_ip)],
            tags=tags, opts=child)

        self.subnet_ids: dict[str, pulumi.Output[str]] = {}
        self.network_security_group_ids: dict[str, pulumi.Output[str]] = {}
        previous: list[pulumi.Resource] = []
        for plan in args.network.subnets:
            security_group = network.NetworkSecurityGroup(
                f"{name}-{plan.name}-nsg", resource_group_name=args.resource_group_name, location=args.location,
                security_rules=nsg_rules.deny_internet_inbound(), tags=tags, opts=child)
            create_diagnostic_settings(f"{name}-{plan.name}-nsg", resource_uri=security_group.id,
                                       settings=args.diagnostic_settings, support=DiagnosticSupport(metrics=False),
                                       parent=self)
            subnet = network.Subnet(
                f"{name}-{plan.name}", resource_group_name=args.resource_group_name,
                virtual_network_name=vnet.name, subnet_name=plan.name, address_prefix=plan.cidr,
                network_security_group=network.NetworkSecurityGroupArgs(id=security_group.id),
                route_table=network.RouteTableArgs(id=routes.id), default_outbound_access=False,
                private_endpoint_network_policies="Enabled",
                delegations=[network.DelegationArgs(name=plan.delegation.replace("/", "-"),
                                                    service_name=plan.delegation)] if plan.delegation else None,
                # one subnet at a time: Azure rejects concurrent changes to one virtual network
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:]))
            previous.append(subnet)
            self.subnet_ids[plan.name] = subnet.id
            self.network_security_group_ids[plan.name] = security_group.id

        network.VirtualNetworkPeering(
            f"{name}-to-hub", resource_group_name=args.resource_group_name, virtual_network_name=vnet.name,
            virtual_network_peering_name="to-hub", remote_virtual_network=network.SubResourceArgs(
                id=args.hub.virtual_network_id),
            allow_virtual_network_access=True, allow_forwarded_traffic=True, allow_gateway_transit=False,
            use_remote_gateways=args.use_hub_gateway,
            opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:]))
        self.hub_peering = network.VirtualNetworkPeering(
            f"{name}-from-hub", resource_group_name=args.hub.resource_group_name,
            virtual_network_name=args.hub.virtual_network_name, virtual_network_peering_name=f"to-{name}",
            remote_virtual_network=network.SubResourceArgs(id=vnet.id),
            allow_virtual_network_access=True, allow_forwarded_traffic=True,
            allow_gateway_transit=args.use_hub_gateway, use_remote_gateways=False,
            opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:] + list(args.peer_after),
                                        provider=args.hub_provider))
        """The hub side of the peering (a change to the hub network): the next spoke's `peer_after`."""

        self.resource_id, self.name = vnet.id, vnet.name
        self.route_table_id = routes.id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "subnet_ids": self.subnet_ids})
