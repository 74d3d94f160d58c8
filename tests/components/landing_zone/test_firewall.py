"""The firewall under mocks: its policy (threat intelligence deny, DNS proxy, IDPS on Premium), rules and IP."""

from __future__ import annotations

import pulumi
import pytest
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.landing_zone.firewall import Firewall, FirewallArgs

SUBNET_ID = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
             "virtualNetworks/hub/subnets/AzureFirewallSubnet")


def _with_subnet(make_args):
    """The firewall needs a recorded AzureFirewallSubnet: Azure (and the mocks) derive its private IP from it."""
    def program() -> None:
        network.Subnet("subnet", resource_group_name="rg", virtual_network_name="hub",
                       subnet_name="AzureFirewallSubnet", address_prefix="10.10.0.0/26")
        firewall = Firewall("fw", make_args())
        pulumi.export("ip", firewall.private_ip)
    return program


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> FirewallArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-connectivity",
                      location="westeurope", subnet_id=SUBNET_ID, source_ranges=("10.10.0.0/16",))
        values.update(overrides)
        return FirewallArgs(**values)
    return make


def test_policy_denies_known_malicious_traffic_and_proxies_dns(plan_inline, args):
    policy = plan_inline(_with_subnet(args)).named("fw-policy").inputs
    assert policy["threatIntelMode"] == "Deny"
    assert policy["dnsSettings"]["enableProxy"] is True


def test_standard_tier_has_no_intrusion_detection(plan_inline, args):
    plan = plan_inline(_with_subnet(args))
    assert plan.named("fw-policy").inputs["sku"]["tier"] == "Standard"
    assert "intrusionDetection" not in plan.named("fw-policy").inputs
    assert plan.named("fw-firewall").inputs["sku"] == {"name": "AZFW_VNet", "tier": "Standard"}


def test_premium_tier_turns_intrusion_detection_to_deny(plan_inline, args):
    plan = plan_inline(_with_subnet(lambda: args(premium=True)))
    assert plan.named("fw-policy").inputs["intrusionDetection"]["mode"] == "Deny"
    assert plan.named("fw-firewall").inputs["sku"]["tier"] == "Premium"


def test_firewall_uses_its_policy_subnet_and_public_ip(plan_inline, args):
    plan = plan_inline(_with_subnet(args))
    firewall = plan.named("fw-firewall").inputs
    assert firewall["firewallPolicy"]["id"] == plan.named("fw-policy").id
    assert firewall["ipConfigurations"][0]["subnet"]["id"] == SUBNET_ID
    assert firewall["ipConfigurations"][0]["publicIPAddress"]["id"] == plan.named("fw-pip").id


def test_baseline_rules_allow_only_from_the_source_ranges(plan_inline, args):
    group = plan_inline(_with_subnet(args)).named("fw-baseline").inputs
    rules = [rule for collection in group["ruleCollections"] for rule in collection["rules"]]
    assert rules and all(rule["sourceAddresses"] == ["10.10.0.0/16"] for rule in rules)
    assert {collection["action"]["type"] for collection in group["ruleCollections"]} == {"Allow"}


def test_policy_analytics_go_to_the_diagnostics_workspace(plan_inline, args, workspace_id):
    policy = plan_inline(_with_subnet(args)).named("fw-policy").inputs
    assert policy["insights"]["logAnalyticsResources"]["defaultWorkspaceId"]["id"] == workspace_id


def test_public_ip_is_standard_and_static(plan_inline, args):
    pip = plan_inline(_with_subnet(args)).named("fw-pip").inputs
    assert pip["sku"]["name"] == "Standard" and pip["publicIPAllocationMethod"] == "Static"


def test_firewall_and_its_ip_send_diagnostics(plan_inline, args):
    plan = plan_inline(_with_subnet(args))
    assert plan.named("fw-diag").inputs["resourceUri"] == plan.named("fw-firewall").id
    assert plan.named("fw-pip-diag").inputs["resourceUri"] == plan.named("fw-pip").id


def test_private_ip_is_the_fourth_host_of_the_firewall_subnet(plan_inline, args):
    assert plan_inline(_with_subnet(args)).stack_outputs["ip"] == "10.10.0.4"


def test_no_source_ranges_is_rejected(args):
    with pytest.raises(InterfaceError, match="source_ranges"):
        args(source_ranges=())
