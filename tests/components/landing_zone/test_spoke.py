"""A spoke under mocks: subnets with NSGs and routes to the firewall, no default outbound, peered both ways."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import Lock
from amsterdam_cloud.components.landing_zone.hub import HubRef
from amsterdam_cloud.components.landing_zone.spoke import Spoke, SpokeArgs

HUB_ID = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-connectivity/providers/"
          "Microsoft.Network/virtualNetworks/hub-vnet")
FIREWALL_IP = "10.10.0.4"
SUBNET = "azure-native:network:Subnet"


@pytest.fixture
def args(tags, diagnostics, address_plan):
    def make(**overrides) -> SpokeArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-spoke-apps",
                      location="westeurope", network=address_plan.spokes["apps"],
                      hub=HubRef(virtual_network_id=HUB_ID, virtual_network_name="hub-vnet",
                                 resource_group_name="rg-connectivity", firewall_private_ip=FIREWALL_IP))
        values.update(overrides)
        return SpokeArgs(**values)
    return make


def test_every_planned_subnet_exists_with_its_range(plan_inline, args, address_plan):
    plan = plan_inline(lambda: Spoke("apps", args()))
    made = {s.inputs["subnetName"]: s.inputs["addressPrefix"] for s in plan.of_type(SUBNET)}
    assert made == {s.name: s.cidr for s in address_plan.spokes["apps"].subnets}


def test_every_subnet_has_its_own_nsg_that_denies_internet_inbound(plan_inline, args):
    plan = plan_inline(lambda: Spoke("apps", args()))
    for subnet in plan.of_type(SUBNET):
        nsg = plan.named(f"apps-{subnet.inputs['subnetName']}-nsg")
        assert subnet.inputs["networkSecurityGroup"]["id"] == nsg.id
        deny = [r for r in nsg.inputs["securityRules"] if r["sourceAddressPrefix"] == "Internet"]
        assert [(r["direction"], r["access"]) for r in deny] == [("Inbound", "Deny")]


def test_subnets_have_no_default_outbound_access_and_route_through_the_firewall(plan_inline, args):
    plan = plan_inline(lambda: Spoke("apps", args()))
    routes = plan.named("apps-routes")
    assert routes.inputs["routes"] == [{"name": "default-via-firewall", "addressPrefix": "0.0.0.0/0",
                                        "nextHopType": "VirtualAppliance", "nextHopIpAddress": FIREWALL_IP}]
    assert routes.inputs["disableBgpRoutePropagation"] is True
    for subnet in plan.of_type(SUBNET):
        assert subnet.inputs["defaultOutboundAccess"] is False
        assert subnet.inputs["routeTable"]["id"] == routes.id


def test_spoke_resolves_names_through_the_firewall_dns_proxy(plan_inline, args):
    vnet = plan_inline(lambda: Spoke("apps", args())).named("apps-vnet")
    assert vnet.inputs["dhcpOptions"]["dnsServers"] == [FIREWALL_IP]


def test_delegated_subnet_carries_its_delegation(plan_inline, args):
    plan = plan_inline(lambda: Spoke("apps", args()))
    containers = next(s for s in plan.of_type(SUBNET) if s.inputs["subnetName"] == "containers")
    assert containers.inputs["delegations"][0]["serviceName"] == "Microsoft.App/environments"


def test_spoke_is_peered_with_the_hub_in_both_directions(plan_inline, args):
    plan = plan_inline(lambda: Spoke("apps", args()))
    to_hub, from_hub = plan.named("apps-to-hub").inputs, plan.named("apps-from-hub").inputs
    assert to_hub["remoteVirtualNetwork"]["id"] == HUB_ID
    assert from_hub["remoteVirtualNetwork"]["id"] == plan.named("apps-vnet").id
    assert (from_hub["virtualNetworkName"], from_hub["resourceGroupName"]) == ("hub-vnet", "rg-connectivity")
    assert to_hub["allowForwardedTraffic"] is True and to_hub["useRemoteGateways"] is False


def test_everything_is_a_child_of_the_spoke(plan_inline, args):
    plan = plan_inline(lambda: Spoke("apps", args()))
    spoke = plan.named("apps").urn
    assert all(r.parent == spoke for r in plan.resources if r.type.startswith("azure-native:"))


def test_network_and_nsgs_send_diagnostics_and_the_network_is_locked(plan_inline, args, workspace_id):
    plan = plan_inline(lambda: Spoke("apps", args(lock=Lock())))
    covered = {s.inputs["resourceUri"] for s in plan.of_type("azure-native:monitor:DiagnosticSetting")}
    targets = plan.of_type("azure-native:network:NetworkSecurityGroup") + [plan.named("apps-vnet")]
    assert {t.id for t in targets} <= covered
    assert plan.named("apps-lock").inputs["scope"] == plan.named("apps-vnet").id


def test_hub_side_peering_waits_for_the_peerings_it_is_given(plan_inline, args, address_plan):
    def program() -> None:
        first = Spoke("apps", args())
        Spoke("workplace", args(network=address_plan.spokes["workplace"], peer_after=(first.hub_peering,)))

    plan = plan_inline(program)
    assert plan.named("apps-from-hub").urn in plan.named("workplace-from-hub").dependencies


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Spoke, args)
