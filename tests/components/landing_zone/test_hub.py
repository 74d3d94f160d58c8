"""The hub under mocks: its network and subnets, the firewall, bastion and DNS beneath it, the gateway routes."""

from __future__ import annotations

import ipaddress

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock
from amsterdam_cloud.components.landing_zone.address_plan import NetworkPlan
from amsterdam_cloud.components.landing_zone.hub import Hub, HubArgs

SUBNET = "azure-native:network:Subnet"


@pytest.fixture
def args(tags, diagnostics, address_plan):
    def make(**overrides) -> HubArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-connectivity",
                      location="westeurope", network=address_plan.hub, egress_ranges=("10.10.0.0/16",),
                      spoke_ranges=address_plan.spoke_ranges(),
                      private_dns_zones=("privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net"))
        values.update(overrides)
        return HubArgs(**values)
    return make


def test_hub_network_takes_the_planned_range(plan_inline, args, address_plan):
    plan = plan_inline(lambda: Hub("hub", args()))
    assert plan.named("hub-vnet").inputs["addressSpace"]["addressPrefixes"] == [address_plan.hub.cidr]
    assert plan.named("hub-vnet").parent == plan.named("hub").urn


def test_every_planned_subnet_is_a_subnet_resource_with_its_range(plan_inline, args, address_plan):
    plan = plan_inline(lambda: Hub("hub", args()))
    made = {s.inputs["subnetName"]: s.inputs["addressPrefix"] for s in plan.of_type(SUBNET)}
    assert made == {s.name: s.cidr for s in address_plan.hub.subnets}


def test_subnets_without_azure_restriction_have_an_nsg(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    with_nsg = {s.inputs["subnetName"] for s in plan.of_type(SUBNET) if s.inputs.get("networkSecurityGroup")}
    assert with_nsg == {"AzureBastionSubnet", "shared"}


def test_subnets_are_created_one_after_another(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    subnets = plan.of_type(SUBNET)
    for earlier, later in zip(subnets, subnets[1:]):
        assert earlier.urn in later.dependencies


def test_bastion_subnet_nsg_allows_https_from_the_internet_and_denies_the_rest(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    rules = {r["name"]: r for r in plan.named("hub-bastion-subnet-nsg").inputs["securityRules"]}
    assert rules["allow-https-inbound"]["destinationPortRange"] == "443"
    assert rules["allow-https-inbound"]["sourceAddressPrefix"] == "Internet"
    assert rules["deny-all-inbound"]["access"] == "Deny"


def test_firewall_bastion_and_dns_are_children_of_the_hub(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    hub = plan.named("hub").urn
    for child in ("hub-fw", "hub-bastion", "hub-dns"):
        assert plan.named(child).parent == hub
    assert all(pip.urn.split("::")[2].startswith("amsterdam:landingzone:Hub$")
               for pip in plan.of_type("azure-native:network:PublicIPAddress"))


def test_firewall_sits_in_the_firewall_subnet(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    configuration = plan.named("hub-fw-firewall").inputs["ipConfigurations"][0]
    assert configuration["subnet"]["id"] == plan.named("hub-firewall-subnet").id


def test_gateway_subnet_routes_spoke_ranges_through_the_firewall(plan_inline, args, address_plan):
    plan = plan_inline(lambda: Hub("hub", args()))
    firewall_ip = str(ipaddress.IPv4Network(address_plan.hub.subnet("AzureFirewallSubnet").cidr)[4])
    routes = plan.named("hub-gateway-routes").inputs
    assert [r["addressPrefix"] for r in routes["routes"]] == list(address_plan.spoke_ranges())
    assert {r["nextHopIpAddress"] for r in routes["routes"]} == {firewall_ip}
    assert routes["disableBgpRoutePropagation"] is False
    assert plan.named("hub-gateway").inputs["routeTable"]["id"] == plan.named("hub-gateway-routes").id


def test_without_spokes_the_gateway_subnet_has_no_route_table(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args(spoke_ranges=())))
    assert "routeTable" not in plan.named("hub-gateway").inputs
    assert not plan.of_type("azure-native:network:RouteTable")


def test_a_hub_using_the_connectivity_gateway_has_no_gateway_subnet_and_shared_keeps_its_range(plan_inline, args,
                                                                                             address_plan):
    plan = plan_inline(lambda: Hub("hub", args(gateway_subnet=False, spoke_ranges=())))
    subnets = {s.inputs["subnetName"]: s.inputs["addressPrefix"] for s in plan.of_type(SUBNET)}
    assert "GatewaySubnet" not in subnets and not plan.of_type("azure-native:network:RouteTable")
    assert subnets["shared"] == address_plan.hub.subnet("shared").cidr


def test_spoke_routes_for_a_gateway_subnet_the_hub_does_not_have_are_refused(args, address_plan):
    with pytest.raises(InterfaceError, match="spoke_ranges"):
        args(gateway_subnet=False, spoke_ranges=address_plan.spoke_ranges())


def test_diagnostics_go_to_the_workspace_from_every_hub_resource_that_has_them(plan_inline, args, workspace_id):
    plan = plan_inline(lambda: Hub("hub", args()))
    covered = {s.inputs["resourceUri"] for s in plan.of_type("azure-native:monitor:DiagnosticSetting")
               if s.inputs["workspaceId"] == workspace_id}
    for type_ in ("VirtualNetwork", "AzureFirewall", "BastionHost", "PublicIPAddress", "NetworkSecurityGroup"):
        for resource in plan.of_type(f"azure-native:network:{type_}"):
            assert resource.id in covered, resource.name


def test_lock_covers_network_firewall_policy_not_bastion_nor_private_dns_zones(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args(lock=Lock())))
    locked = {lock.inputs["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert locked == {plan.named(n).id for n in ("hub-vnet", "hub-fw-firewall", "hub-fw-policy")}


def test_zone_redundancy_spreads_firewall_bastion_and_ips_over_three_zones(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args(zone_redundant=True)))
    for name in ("hub-fw-firewall", "hub-fw-pip", "hub-bastion-host", "hub-bastion-pip"):
        assert plan.named(name).inputs["zones"] == ["1", "2", "3"]


def test_without_zone_redundancy_nothing_is_zonal(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    assert all("zones" not in plan.named(n).inputs for n in ("hub-fw-firewall", "hub-bastion-host"))


def test_firewall_private_ip_is_exposed_for_spokes(plan_inline, args, address_plan):
    import pulumi

    def program() -> None:
        pulumi.export("ip", Hub("hub", args()).firewall_private_ip)

    plan = plan_inline(program)
    subnet = ipaddress.IPv4Network(address_plan.hub.subnet("AzureFirewallSubnet").cidr)
    assert plan.stack_outputs["ip"] == str(subnet[4])


def test_hub_plan_without_the_azure_subnets_is_rejected(args, address_plan):
    partial = NetworkPlan(name="hub", cidr=address_plan.hub.cidr, subnets=address_plan.hub.subnets[:1])
    with pytest.raises(InterfaceError, match="AzureBastionSubnet"):
        args(network=partial)


def test_spokes_peer_into_the_hub_only_after_every_hub_subnet_exists(plan_inline, args, address_plan, tags):
    from amsterdam_cloud.components.landing_zone.spoke import Spoke, SpokeArgs

    def program() -> None:
        hub = Hub("hub", args())
        Spoke("apps", SpokeArgs(tags=tags, resource_group_name="rg-apps", location="westeurope",
                                network=address_plan.spokes["apps"], hub=hub.ref))

    plan = plan_inline(program)
    peering = plan.named("apps-from-hub")
    assert {s.urn for s in plan.of_type(SUBNET) if s.parent == plan.named("hub").urn} <= set(peering.dependencies)


def test_firewall_and_bastion_join_the_network_after_all_its_subnets_exist(plan_inline, args):
    plan = plan_inline(lambda: Hub("hub", args()))
    early = {s.urn for s in plan.of_type(SUBNET) if s.inputs["subnetName"] != "GatewaySubnet"}
    assert early <= set(plan.named("hub-fw-firewall").dependencies)
    assert early <= set(plan.named("hub-bastion-host").dependencies)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Hub, args)
