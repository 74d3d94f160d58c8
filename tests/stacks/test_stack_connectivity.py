"""The four platform stacks attached to the city's connectivity hub: no copy of the private-link zones, private
endpoints registered in the central zones, both sides of a gateway-transit peering, the environment's block routed
from the gateway and the CI agents to its firewall, and the hub linked to every zone and to the forwarding ruleset."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.landing_zone.connectivity import (AGENTS_ROUTE_TABLE, FORWARDING_RULESET,
                                                                  GATEWAY_ROUTE_TABLE)
from amsterdam_cloud.core.private_link import city_private_link_zones
from amsterdam_cloud.stacks.config import ENVIRONMENTS, load

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_environment_has_no_zones_of_its_own_and_uses_the_central_ones(stack_plan, stack):
    plan = stack_plan(stack)
    ref = load(stack).connectivity.ref
    own = [zone for zone in plan.of_type("azure-native:privatedns:PrivateZone") if not _service_domain(zone)]
    assert own == []
    zone_ids = plan.stack_outputs["privateDnsZoneIds"]
    assert zone_ids == {zone: ref.zone_id(zone) for zone in city_private_link_zones("westeurope")}
    groups = plan.of_type("azure-native:network:PrivateDnsZoneGroup")
    used = {c["privateDnsZoneId"] for g in groups for c in g.inputs["privateDnsZoneConfigs"]}
    assert groups and used <= set(zone_ids.values())


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_hub_peers_with_the_connectivity_hub_using_its_gateway(stack_plan, stack):
    plan = stack_plan(stack)
    ref = load(stack).connectivity.ref
    there, here = plan.named("hub-connectivity-from-connectivity"), plan.named("hub-connectivity-to-connectivity")
    assert there.id.startswith(ref.virtual_network_id + "/virtualNetworkPeerings/")
    assert there.inputs["remoteVirtualNetwork"]["id"] == plan.named("hub-vnet").id
    assert there.inputs["allowGatewayTransit"] is True
    assert here.inputs["remoteVirtualNetwork"]["id"] == ref.virtual_network_id
    assert here.inputs["useRemoteGateways"] is True and here.inputs["allowForwardedTraffic"] is True
    assert there.urn in here.dependencies
    last_spoke = [p for p in plan.of_type("azure-native:network:VirtualNetworkPeering")
                  if p.name == "spoke-analytics-from-hub"]
    assert last_spoke and last_spoke[0].urn in here.dependencies


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_gateway_and_the_agents_reach_the_environment_through_its_firewall(stack_plan, stack):
    plan = stack_plan(stack)
    config = load(stack)
    routes = plan.of_type("azure-native:network:Route")
    shared = config.network.plan.hub.subnet("shared").cidr
    assert sorted((r.inputs["routeTableName"], r.inputs["addressPrefix"]) for r in routes) == sorted(
        (table, prefix) for table in (AGENTS_ROUTE_TABLE, GATEWAY_ROUTE_TABLE)
        for prefix in (config.network.address_space, shared))
    firewall_ip = plan.stack_outputs["firewallPrivateIp"]
    for route in routes:
        assert route.inputs["nextHopType"] == "VirtualAppliance" and route.inputs["nextHopIpAddress"] == firewall_ip
        assert route.id.startswith(config.connectivity.ref.resource_group_id)


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_hub_is_linked_to_every_central_zone_and_the_forwarding_ruleset(stack_plan, stack):
    plan = stack_plan(stack)
    hub = plan.named("hub-vnet").id
    links = [link for link in plan.of_type("azure-native:privatedns:VirtualNetworkLink") if not _service_domain(link)]
    assert sorted(link.inputs["privateZoneName"] for link in links) == sorted(city_private_link_zones("westeurope"))
    assert {link.inputs["virtualNetwork"]["id"] for link in links} == {hub}
    assert all(link.inputs["registrationEnabled"] is False for link in links)
    [ruleset] = plan.of_type("azure-native:dnsresolver:PrivateResolverVirtualNetworkLink")
    assert ruleset.inputs["dnsForwardingRulesetName"] == FORWARDING_RULESET
    assert ruleset.inputs["virtualNetwork"]["id"] == hub


def _service_domain(resource) -> bool:
    """A zone (or its link) of a service's own domain: the shared internal Container Apps environment's, not private link."""
    return "amsterdam:apphosting:ContainerAppsEnvironment" in resource.urn


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_environment_hub_has_no_gateway_subnet_of_its_own_the_gateway_is_the_connectivity_hubs(stack_plan, stack):
    plan = stack_plan(stack)
    subnets = {s.inputs["subnetName"]: s.inputs["addressPrefix"] for s in plan.of_type("azure-native:network:Subnet")
               if s.inputs["virtualNetworkName"] == plan.named("hub-vnet").outputs["name"]}
    assert "GatewaySubnet" not in subnets and set(subnets) >= {"AzureFirewallSubnet", "AzureBastionSubnet", "shared"}
    assert [t.name for t in plan.of_type("azure-native:network:RouteTable") if t.name.startswith("hub-")] == []
    assert subnets["shared"] == load(stack).network.plan.hub.subnet("shared").cidr
