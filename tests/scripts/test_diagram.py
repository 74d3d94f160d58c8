"""The network diagram is drawn from a plan's recorded resources: it parses, and names and ranges appear."""

from __future__ import annotations

from pathlib import Path

import xml.etree.ElementTree as ElementTree

import pytest
from pulumi_azure_native import network

from amsterdam_cloud.scripts.diagram import network_svg
from amsterdam_cloud.core.errors import UserError

PLATFORM_DIR = Path(__file__).resolve().parents[2]
"""The platform project (this checkout's root Pulumi.yaml)."""

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [element.text or "" for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def _two_networks() -> None:
    hub = network.VirtualNetwork("core", resource_group_name="rg",
                                 address_space=network.AddressSpaceArgs(address_prefixes=["10.1.0.0/22"]))
    spoke = network.VirtualNetwork("edge", resource_group_name="rg",
                                   address_space=network.AddressSpaceArgs(address_prefixes=["10.1.16.0/20"]))
    firewall_subnet = network.Subnet("core-fw", resource_group_name="rg", virtual_network_name=hub.name,
                                     subnet_name="AzureFirewallSubnet", address_prefix="10.1.0.0/26")
    network.Subnet("edge-web", resource_group_name="rg", virtual_network_name=spoke.name, subnet_name="web",
                   address_prefix="10.1.16.0/24")
    network.AzureFirewall("fw", resource_group_name="rg", ip_configurations=[network.AzureFirewallIPConfigurationArgs(
        name="ipconfig", subnet=network.SubResourceArgs(id=firewall_subnet.id))])
    network.VirtualNetworkPeering("edge-to-core", resource_group_name="rg", virtual_network_name=spoke.name,
                                  remote_virtual_network=network.SubResourceArgs(id=hub.id))


def test_diagram_of_a_plan_is_valid_svg(plan_inline):
    svg = network_svg(plan_inline(_two_networks).to_export())
    assert ElementTree.fromstring(svg).tag == f"{SVG}svg"


def test_networks_and_subnets_appear_with_their_ranges(plan_inline):
    texts = " ".join(_texts(network_svg(plan_inline(_two_networks).to_export())))
    for expected in ("core", "10.1.0.0/22", "edge", "10.1.16.0/20", "AzureFirewallSubnet", "10.1.0.0/26", "web",
                     "10.1.16.0/24"):
        assert expected in texts


def test_firewall_is_drawn_in_its_subnet_with_its_private_ip(plan_inline):
    texts = _texts(network_svg(plan_inline(_two_networks).to_export()))
    assert "Azure Firewall 10.1.0.4" in texts
    assert texts.index("AzureFirewallSubnet") < texts.index("Azure Firewall 10.1.0.4")


def test_the_network_holding_the_firewall_is_drawn_as_the_hub(plan_inline):
    texts = _texts(network_svg(plan_inline(_two_networks).to_export()))
    assert "hub · 10.1.0.0/22" in texts and "virtual network · 10.1.16.0/20" in texts


def test_a_one_way_peering_is_marked_as_such(plan_inline):
    assert "peering (one way)" in _texts(network_svg(plan_inline(_two_networks).to_export()))


@pytest.mark.slow
def test_platform_stack_diagram_shows_hub_spokes_bastion_and_peerings(stack_plan_prod):
    texts = _texts(network_svg(stack_plan_prod.to_export()))
    assert "hub-vnet" in texts and "Azure Bastion" in texts
    assert {"spoke-apps-vnet", "spoke-workplace-vnet", "spoke-analytics-vnet"} <= set(texts)
    assert texts.count("peering") == 4  # three spokes and the connectivity hub, both ways each


@pytest.mark.slow
def test_platform_diagram_shows_the_connectivity_hub_its_gateway_the_zones_and_the_east_west_paths(stack_plan_prod):
    texts = _texts(network_svg(stack_plan_prod.to_export()))
    hub = texts.index("vnet-hub-prod")
    assert texts[hub + 1].startswith("connectivity hub (another stack)")
    assert "gateway transit: its VPN/ExpressRoute gateway" in texts
    assert "28 private-link DNS zones linked" in texts
    assert "DNS forwarding ruleset linked (on-premises zones)" in texts
    assert "East-west flows the firewall allows (TCP)" in texts
    assert "avd-to-internal-apps: spoke-workplace/hosts -> spoke-apps/containers, spoke-apps/endpoints :443" in texts


@pytest.mark.slow
def test_connectivity_diagram_shows_gateway_resolver_agents_monitor_scope_and_zones(tmp_path):
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack
    plan = plan_stack(PulumiProject.load(PLATFORM_DIR / "stacks" / "connectivity"), "prod", plans_dir=tmp_path)
    texts = _texts(network_svg(plan.to_export()))
    assert texts.index("GatewaySubnet") < texts.index("VPN gateway (site-to-site, point-to-site)")
    assert texts.index("snet-dns-inbound") < texts.index("DNS resolver inbound 10.0.0.196")
    assert "DNS resolver outbound (forwarding)" in texts
    assert texts.index("snet-ci-agents") < texts.index("CI agents: pool amsterdam-platform-vnet")
    assert texts.index("snet-private-endpoints") < texts.index("Azure Monitor private link (AMPLS) endpoint")
    assert "28 private-link DNS zones linked" in texts


def test_plan_without_networks_is_a_clear_error():
    with pytest.raises(UserError, match="no azure-native:network:VirtualNetwork"):
        network_svg({"version": 3, "deployment": {"resources": []}})


def test_document_that_is_not_an_export_is_a_clear_error():
    with pytest.raises(UserError, match="deployment.resources"):
        network_svg({"resources": []})


@pytest.fixture
def stack_plan_prod(tmp_path):
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack
    return plan_stack(PulumiProject.load(PLATFORM_DIR), "prod", plans_dir=tmp_path)


def test_appliance_is_placed_by_dependency_when_ids_are_unknown(plan_inline):
    export = plan_inline(_two_networks).to_export()
    for resource in export["deployment"]["resources"]:
        if resource["type"] == "azure-native:network:AzureFirewall":  # as in a real preview: the id is unknown
            resource["outputs"] = {}
            resource["inputs"]["ipConfigurations"][0]["subnet"]["id"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    texts = _texts(network_svg(export))
    assert texts.index("AzureFirewallSubnet") < texts.index("Azure Firewall") < texts.index("edge")
