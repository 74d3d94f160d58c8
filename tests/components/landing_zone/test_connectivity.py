"""The connectivity hub and an environment's attachment to it under mocks: what each switch adds or leaves out, and
the args Azure would refuse."""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native
import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.landing_zone.connectivity import (AGENTS_ROUTE_TABLE, Connectivity, ConnectivityArgs,
                                                                  ConnectivityRef, ExpressRoute, ForwardedZone,
                                                                  PointToSite)
from amsterdam_cloud.components.landing_zone.hub import HubRef
from amsterdam_cloud.components.landing_zone.hub_attachment import HubAttachment, HubAttachmentArgs

ZONES = ("privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net")
REF = ConnectivityRef(subscription_id="00000009-0000-4000-8000-000000000009",
                      resource_group_name="rg-connectivity-prod", virtual_network_name="vnet-hub-prod")
CIRCUIT = ("/subscriptions/00000009-0000-4000-8000-000000000009/resourceGroups/rg-er/providers/"
           "Microsoft.Network/expressRouteCircuits/city")
TENANT = "9a1b2c3d-0000-4000-8000-000000000001"


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> ConnectivityArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-connectivity-prod",
                      location="westeurope", virtual_network_name="vnet-hub-prod", address_space="10.0.0.0/24",
                      private_dns_zones=ZONES)
        values.update(overrides)
        return ConnectivityArgs(**values)
    return make


def test_without_gateways_or_agents_there_is_no_gateway_pool_or_egress_profile(plan_inline, args):
    plan = plan_inline(lambda: Connectivity("c", args()))
    assert plan.of_type("azure-native:network:VirtualNetworkGateway") == []
    assert plan.of_type("azure-native:devopsinfrastructure:Pool") == []
    assert [g.inputs["ruleCollectionGroupName"] for g in
            plan.of_type("azure-native:network:FirewallPolicyRuleCollectionGroup")] == ["platform-baseline"]
    assert len(plan.of_type("azure-native:privatedns:PrivateZone")) == len(ZONES)


def test_express_route_adds_its_own_gateway_and_connection_to_the_circuit(plan_inline, args):
    plan = plan_inline(lambda: Connectivity("c", args(express_route=ExpressRoute(circuit_id=CIRCUIT))))
    [gateway] = plan.of_type("azure-native:network:VirtualNetworkGateway")
    assert (gateway.inputs["gatewayType"], gateway.inputs["sku"]["name"]) == ("ExpressRoute", "ErGw1AZ")
    [connection] = plan.of_type("azure-native:network:VirtualNetworkGatewayConnection")
    assert connection.inputs["connectionType"] == "ExpressRoute" and connection.inputs["peer"]["id"] == CIRCUIT


def test_point_to_site_alone_needs_no_on_premises_device(plan_inline, args):
    p2s = PointToSite(client_address_pool="10.0.8.0/24", tenant_id=TENANT, routes=("10.10.0.0/16",))
    plan = plan_inline(lambda: Connectivity("c", args(point_to_site=p2s)))
    [gateway] = plan.of_type("azure-native:network:VirtualNetworkGateway")
    assert gateway.inputs["vpnClientConfiguration"]["aadTenant"] == f"https://login.microsoftonline.com/{TENANT}/"
    assert plan.of_type("azure-native:network:LocalNetworkGateway") == []


def test_the_gateways_public_ip_is_zone_redundant_even_when_the_rest_is_not(plan_inline, args):
    p2s = PointToSite(client_address_pool="10.0.8.0/24", tenant_id=TENANT, routes=())
    plan = plan_inline(lambda: Connectivity("c", args(point_to_site=p2s)))
    assert plan.named("c-vpn-pip").inputs["zones"] == ["1", "2", "3"]


@pytest.mark.parametrize(("overrides", "problem"), [
    ({"address_space": "10.0.0.0/26"}, "address_space: .*exhausted"),
    ({"forwarded_zones": (ForwardedZone(domain="privatelink.blob.core.windows.net", dns_servers=("172.16.0.10",)),)},
     "not an on-premises zone"),
    ({"forwarded_zones": (ForwardedZone(domain="amsterdam.local", dns_servers=()),)}, "has no DNS servers"),
    ({"point_to_site": PointToSite(client_address_pool="10.0.0.0/25", tenant_id=TENANT, routes=())},
     "overlaps the hub's range"),
    ({"point_to_site": PointToSite(client_address_pool="10.0.8.0/24", tenant_id="contoso", routes=())},
     "tenant's GUID"),
])
def test_args_azure_would_refuse_are_refused(args, overrides, problem):
    with pytest.raises(InterfaceError, match=problem):
        args(**overrides)


def _attached(tags, use_gateway: bool):
    def program() -> None:
        provider = azure_native.Provider("connectivity", subscription_id=REF.subscription_id)
        hub = HubRef(virtual_network_id="/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-hub/"
                                        "providers/Microsoft.Network/virtualNetworks/hub",
                     virtual_network_name="hub", resource_group_name="rg-hub", firewall_private_ip="10.10.0.4")
        attachment = HubAttachment("a", HubAttachmentArgs(
            tags=tags, connectivity=REF, connectivity_provider=provider, environment="dev", hub=hub,
            address_space="10.10.0.0/16", hub_shared_range="10.10.0.160/27", private_dns_zones=ZONES,
            use_gateway=use_gateway))
        pulumi.export("zones", attachment.zone_ids)
    return program


def test_without_the_gateway_only_the_agents_route_and_no_transit(plan_inline, tags):
    plan = plan_inline(_attached(tags, use_gateway=False))
    routes = plan.of_type("azure-native:network:Route")
    assert {r.inputs["routeTableName"] for r in routes} == {AGENTS_ROUTE_TABLE}
    assert sorted(r.inputs["addressPrefix"] for r in routes) == ["10.10.0.0/16", "10.10.0.160/27"]
    assert plan.named("a-from-connectivity").inputs["allowGatewayTransit"] is False
    assert plan.named("a-to-connectivity").inputs["useRemoteGateways"] is False


def test_the_attachment_points_private_endpoints_at_the_central_zones(plan_inline, tags):
    plan = plan_inline(_attached(tags, use_gateway=True))
    assert plan.stack_outputs["zones"] == {zone: REF.zone_id(zone) for zone in ZONES}
    links = plan.of_type("azure-native:privatedns:VirtualNetworkLink")
    assert {link.id.rsplit("/virtualNetworkLinks/", 1)[0] for link in links} == {REF.zone_id(z) for z in ZONES}


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Connectivity, args)


def test_the_attachment_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags):
    hub = HubRef(virtual_network_id="/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-hub/"
                                    "providers/Microsoft.Network/virtualNetworks/hub",
                 virtual_network_name="hub", resource_group_name="rg-hub", firewall_private_ip="10.10.0.4")
    conforms(HubAttachment, lambda provider: HubAttachmentArgs(
        tags=tags, connectivity=REF, connectivity_provider=provider, environment="dev", hub=hub,
        address_space="10.10.0.0/16", hub_shared_range="10.10.0.160/27", private_dns_zones=ZONES),
        setup=lambda: azure_native.Provider("connectivity", subscription_id=REF.subscription_id))
