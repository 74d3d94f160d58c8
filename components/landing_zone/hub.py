"""The environment hub: the hub network and its subnets, Azure Firewall, Azure Bastion, and, for a stand-alone
environment, a gateway subnet and private DNS zones of its own (attached to the connectivity hub it uses that hub's
gateway and zones, `hub_attachment.py`). Public IPs exist only here and in the connectivity hub (policy
`network-public-ip-only-in-connectivity` allows them under `amsterdam:landingzone:Hub` and `...:Connectivity`)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   SharedInterfaces, create_diagnostic_settings, supports)
from amsterdam_cloud.components.landing_zone import nsg_rules
from amsterdam_cloud.components.landing_zone.address_plan import HUB_SUBNETS, NetworkPlan
from amsterdam_cloud.components.landing_zone.bastion import Bastion, BastionArgs
from amsterdam_cloud.components.landing_zone.firewall import Firewall, FirewallArgs
from amsterdam_cloud.components.landing_zone.private_dns import PrivateDnsZones, PrivateDnsZonesArgs

NO_NSG_SUBNETS = frozenset({"AzureFirewallSubnet", "GatewaySubnet"})
"""Azure forbids a network security group on these."""


@dataclass(frozen=True, kw_only=True)
class HubRef:
    """What a spoke needs of the hub: where to peer and where to route."""

    virtual_network_id: pulumi.Input[str]
    virtual_network_name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    firewall_private_ip: pulumi.Input[str]


@dataclass(frozen=True, kw_only=True)
class HubArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="networks have no private endpoint and need no identity; the hub holds no state to "
                               "protect")
    resource_group_name: pulumi.Input[str]
    """The connectivity resource group; the component never creates it."""
    location: str
    """The hub's region."""
    network: NetworkPlan
    """The hub's range and subnets from the address plan (AzureFirewallSubnet, AzureBastionSubnet, GatewaySubnet,
    shared)."""
    egress_ranges: tuple[str, ...]
    """Ranges whose internet egress the firewall's baseline rules allow (the environment's block)."""
    gateway_subnet: bool = True
    """On: a GatewaySubnet for a gateway of the hub's own (stand-alone environment); off: none (the environment uses
    the connectivity hub's gateway); its range stays reserved in the address plan either way, so `shared` keeps its
    addresses when the switch changes."""
    spoke_ranges: tuple[str, ...] = ()
    """Spoke ranges routed through the firewall from the gateway subnet; empty: no gateway route table."""
    private_dns_zones: tuple[str, ...] = ()
    """Private-link zones to create and link to the hub; empty: none (see `city_private_link_zones`)."""
    zone_redundant: bool = False
    """Off: firewall, bastion and public IPs in one zone; on: across zones 1-3."""
    firewall_premium: bool = False
    """Off: Azure Firewall Standard; on: Premium with IDPS in deny mode."""
    firewall_snat_private_traffic: bool = False
    """Off: the firewall keeps private sources; on: it translates them, so east-west flows to private endpoints come
    back through it (`FirewallArgs.snat_private_traffic`)."""
    firewall_private_link_fqdns: tuple[str, ...] = ()
    """Names reached through private endpoints beyond the hub (`FirewallArgs.private_link_fqdns`); empty: none."""
    bastion_native_client: bool = False
    """Off: Bastion sessions through the portal only; on: native-client tunneling for administrators."""

    def __post_init__(self) -> None:
        super().__post_init__()
        names = {subnet.name for subnet in self.network.subnets}
        missing = [name for name, _ in HUB_SUBNETS if name not in names]
        if missing:
            raise InterfaceError(f"HubArgs.network: the hub plan lacks subnet(s) {', '.join(missing)}; build it "
                                 "with address_plan.plan()")
        if self.spoke_ranges and not self.gateway_subnet:
            raise InterfaceError("HubArgs.spoke_ranges: routes for a gateway subnet the hub does not have "
                                 "(gateway_subnet is off); leave spoke_ranges empty")


class Hub(WithInterfaces, pulumi.ComponentResource):
    """The hub; `ref` is what spokes take, `private_dns_zone_ids` what private endpoints take."""

    def __init__(self, name: str, args: HubArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Hub", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        vnet = network.VirtualNetwork(
            f"{name}-vnet", resource_group_name=args.resource_group_name, location=args.location,
            address_space=network.AddressSpaceArgs(address_prefixes=[args.network.cidr]),
            encryption=network.VirtualNetworkEncryptionArgs(enabled=True, enforcement="AllowUnencrypted"),
            tags=tags, opts=pulumi.ResourceOptions(parent=self, ignore_changes=["subnets"]))
        self.add_interfaces(name, scope_id=vnet.id, args=args, diagnostics=DiagnosticSupport())

        nsgs = {
            "AzureBastionSubnet": nsg_rules.bastion(),
            "shared": nsg_rules.deny_internet_inbound(),
        }
        subnets: dict[str, network.Subnet] = {}
        previous: list[network.Subnet] = []
        for plan in args.network.subnets:
            if plan.name == "GatewaySubnet":
                continue  # created after the firewall, with the route table that sends spoke traffic through it
            security_group = None
            if plan.name in nsgs:
                role = _role(plan.name)
                security_group = network.NetworkSecurityGroup(
                    f"{name}-{role}-nsg", resource_group_name=args.resource_group_name, location=args.location,
                    security_rules=nsgs[plan.name], tags=tags, opts=child)
                create_diagnostic_settings(f"{name}-{role}-nsg", resource_uri=security_group.id,
                                           settings=args.diagnostic_settings,
                                           support=DiagnosticSupport(metrics=False), parent=self)
            subnet = network.Subnet(
                f"{name}-{_role(plan.name)}", resource_group_name=args.resource_group_name,
                virtual_network_name=vnet.name, subnet_name=plan.name, address_prefix=plan.cidr,
                network_security_group=network.NetworkSecurityGroupArgs(id=security_group.id)
                if security_group else None,
                default_outbound_access=False if plan.name == "shared" else None,
                private_endpoint_network_policies="Enabled" if plan.name == "shared" else None,
                # one subnet at a time: Azure rejects concurrent changes to one virtual network
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:]))
            subnets[plan.name] = subnet
            previous.append(subnet)

        def once_all_exist(subnet: network.Subnet) -> pulumi.Output[str]:
            """The subnet's id, known only when every subnet so far exists: appliances join their subnet after the
            network has stopped changing."""
            return pulumi.Output.all(subnet.id, *(other.id for other in previous)).apply(lambda ids: ids[0])

        shared_args = SharedInterfaces(tags=args.tags, lock=args.lock, diagnostic_settings=args.diagnostic_settings)
        firewall = Firewall(f"{name}-fw", FirewallArgs(
            **shared_args, resource_group_name=args.resource_group_name, location=args.location,
            subnet_id=once_all_exist(subnets["AzureFirewallSubnet"]), source_ranges=args.egress_ranges,
            premium=args.firewall_premium, zone_redundant=args.zone_redundant,
            snat_private_traffic=args.firewall_snat_private_traffic,
            private_link_fqdns=args.firewall_private_link_fqdns), opts=child)
        bastion = Bastion(f"{name}-bastion", BastionArgs(
            tags=args.tags, diagnostic_settings=args.diagnostic_settings,
            resource_group_name=args.resource_group_name, location=args.location,
            subnet_id=once_all_exist(subnets["AzureBastionSubnet"]), zone_redundant=args.zone_redundant,
            native_client=args.bastion_native_client), opts=child)

        if args.gateway_subnet:
            subnets["GatewaySubnet"] = self._gateway_subnet(name, args, vnet, firewall, previous)

        dns = PrivateDnsZones(f"{name}-dns", PrivateDnsZonesArgs(
            tags=args.tags, resource_group_name=args.resource_group_name,  # no lock: it blocks record clean-up
            zones=args.private_dns_zones, virtual_network_ids=(vnet.id,)), opts=child) \
            if args.private_dns_zones else None

        self.resource_id, self.name = vnet.id, vnet.name
        self.firewall = firewall
        self.bastion = bastion
        self.firewall_private_ip = firewall.private_ip
        self.subnet_ids: dict[str, pulumi.Output[str]] = {subnet_name: subnet.id
                                                           for subnet_name, subnet in subnets.items()}
        self.private_dns_zone_ids: dict[str, pulumi.Output[str]] = dict(dns.zone_ids) if dns else {}
        # A spoke peers into the hub network only once every hub subnet is in place (one change at a time).
        settled = pulumi.Output.all(*(subnet.id for subnet in subnets.values()))
        self.ref = HubRef(virtual_network_id=pulumi.Output.all(vnet.id, settled).apply(lambda values: values[0]),
                          virtual_network_name=pulumi.Output.all(vnet.name, settled).apply(lambda values: values[0]),
                          resource_group_name=args.resource_group_name, firewall_private_ip=firewall.private_ip)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "firewall_private_ip": self.firewall_private_ip, "subnet_ids": self.subnet_ids,
                               "private_dns_zone_ids": self.private_dns_zone_ids})

    def _gateway_subnet(self, name: str, args: HubArgs, vnet: network.VirtualNetwork, firewall: Firewall,
                        previous: list[network.Subnet]) -> network.Subnet:
        """GatewaySubnet, created last, with the route table that sends the gateway's spoke traffic through the
        firewall (when there are spokes)."""
        gateway_routes = None
        if args.spoke_ranges:
            gateway_routes = network.RouteTable(
                f"{name}-gateway-routes", resource_group_name=args.resource_group_name, location=args.location,
                disable_bgp_route_propagation=False,  # the gateway subnet must keep learning on-premises routes
                routes=[network.RouteArgs(name=f"spoke-{index}", address_prefix=cidr,
                                          next_hop_type="VirtualAppliance", next_hop_ip_address=firewall.private_ip)
                        for index, cidr in enumerate(args.spoke_ranges)],
                tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self))
        gateway = network.Subnet(
            f"{name}-gateway", resource_group_name=args.resource_group_name, virtual_network_name=vnet.name,
            subnet_name="GatewaySubnet", address_prefix=args.network.subnet("GatewaySubnet").cidr,
            route_table=network.RouteTableArgs(id=gateway_routes.id) if gateway_routes else None,
            opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:]))
        return gateway


def _role(subnet_name: str) -> str:
    return {"AzureFirewallSubnet": "firewall-subnet", "AzureBastionSubnet": "bastion-subnet",
            "GatewaySubnet": "gateway"}.get(subnet_name, subnet_name)
