"""Network rules: NSG rules open to the internet, subnets without NSG, public IPs, IP forwarding."""

import pytest

from tests.policies.rule_fixtures import UNKNOWN_VALUE, violations
from amsterdam_cloud.policies.rules.network import (ip_forwarding, nic_public_ip, nsg_admin_ports, nsg_all_ports,
                                                    public_ip, subnet_nsg)

NSG = "azure-native:network:NetworkSecurityGroup"
RULE = "azure-native:network:SecurityRule"
HTTPS_FROM_GATEWAY = {"name": "https", "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                      "sourceAddressPrefix": "10.40.1.0/24", "destinationPortRange": "443", "priority": 100}


def rule_with(**changes):
    return {**HTTPS_FROM_GATEWAY, **changes}


def test_nsg_admitting_https_from_the_gateway_passes_both_rules():
    props = {"securityRules": [HTTPS_FROM_GATEWAY]}
    assert violations(nsg_admin_ports.RULE, props, token=NSG) == violations(nsg_all_ports.RULE, props, token=NSG) == []


@pytest.mark.parametrize("change", [
    {"sourceAddressPrefix": "*", "destinationPortRange": "22"},
    {"sourceAddressPrefix": "Internet", "destinationPortRange": "3389"},
    {"sourceAddressPrefix": "0.0.0.0/0", "destinationPortRange": "20-25"},
    {"sourceAddressPrefix": None, "sourceAddressPrefixes": ["10.0.0.0/8", "Internet"], "destinationPortRange": "3389"},
    {"sourceAddressPrefix": "*", "destinationPortRange": None, "destinationPortRanges": ["443", "3000-4000"]},
], ids=["ssh-any", "rdp-internet", "range-with-22", "listed-source", "listed-range-with-3389"])
def test_admin_port_open_to_the_internet_is_a_violation(change):
    found = violations(nsg_admin_ports.RULE, {"securityRules": [rule_with(**change)]}, token=NSG)
    assert len(found) == 1 and "securityRules[0]" in found[0]


def test_standalone_security_rule_opening_ssh_is_a_violation():
    assert len(violations(nsg_admin_ports.RULE, rule_with(sourceAddressPrefix="*", destinationPortRange="22"),
                          token=RULE)) == 1


def test_deny_rule_for_ssh_from_the_internet_passes():
    props = {"securityRules": [rule_with(sourceAddressPrefix="*", destinationPortRange="22", access="Deny")]}
    assert violations(nsg_admin_ports.RULE, props, token=NSG) == []


def test_outbound_rule_to_port_22_passes():
    props = {"securityRules": [rule_with(sourceAddressPrefix="*", destinationPortRange="22", direction="Outbound")]}
    assert violations(nsg_admin_ports.RULE, props, token=NSG) == []


@pytest.mark.parametrize("ports", ["*", "0-65535"])
def test_all_ports_open_to_the_internet_is_one_violation_of_the_all_ports_rule(ports):
    props = {"securityRules": [rule_with(sourceAddressPrefix="*", destinationPortRange=ports)]}
    assert len(violations(nsg_all_ports.RULE, props, token=NSG)) == 1
    assert violations(nsg_admin_ports.RULE, props, token=NSG) == []


def test_unreadable_ports_from_the_internet_are_a_violation_not_a_crash():
    props = {"securityRules": [rule_with(sourceAddressPrefix="*", destinationPortRange="ssh")]}
    assert len(violations(nsg_all_ports.RULE, props, token=NSG)) == 1


SUBNET = "azure-native:network:Subnet"
VNET = "azure-native:network:VirtualNetwork"


def test_subnet_with_nsg_passes():
    assert violations(subnet_nsg.RULE, {"subnetName": "apps", "networkSecurityGroup": {"id": UNKNOWN_VALUE}},
                      token=SUBNET) == []


def test_subnet_without_nsg_is_a_violation():
    assert len(violations(subnet_nsg.RULE, {"subnetName": "apps", "addressPrefix": "10.0.0.0/24"}, token=SUBNET)) == 1


@pytest.mark.parametrize("name", ["GatewaySubnet", "AzureFirewallSubnet", "RouteServerSubnet"])
def test_subnets_azure_forbids_an_nsg_on_pass(name):
    assert violations(subnet_nsg.RULE, {"subnetName": name}, token=SUBNET) == []


def test_inline_subnet_without_nsg_is_a_violation_naming_it():
    props = {"subnets": [{"name": "apps", "networkSecurityGroup": {"id": "nsg-id"}}, {"name": "data"}]}
    found = violations(subnet_nsg.RULE, props, token=VNET)
    assert len(found) == 1 and "subnets[1] (data)" in found[0]


PIP = "azure-native:network:PublicIPAddress"
NIC = "azure-native:network:NetworkInterface"
HUB = ("amsterdam:landingzone:Hub",)
HUB_GROUP = "/subscriptions/00000004-0000-4000-8000-000000000004/resourceGroups/rg-amsterdam-connectivity-prod"
APP_GROUP = "/subscriptions/00000007-0000-4000-8000-000000000007/resourceGroups/rg-amsterdam-connectivity-prod"
PLATFORM_PROD = {"connectivityStacks": ["amsterdam-platform/prod"], "connectivityResourceGroups": [HUB_GROUP]}
IN_HUB_GROUP = {"resourceGroupName": "rg-amsterdam-connectivity-prod"}


HUB_SUBSCRIPTION = "00000004-0000-4000-8000-000000000004"
APP_SUBSCRIPTION = "00000007-0000-4000-8000-000000000007"


def test_public_ip_in_the_hub_of_the_platform_stack_passes_by_its_id_or_before_it_exists_by_its_provider():
    props = {"sku": {"name": "Standard"}, **IN_HUB_GROUP}
    assert violations(public_ip.RULE, props, token=PIP, parents=HUB, provider_subscription=HUB_SUBSCRIPTION,
                      **PLATFORM_PROD) == []
    assert violations(public_ip.RULE, props, token=PIP, parents=HUB, arm_id=f"{HUB_GROUP}/providers/"
                      "Microsoft.Network/publicIPAddresses/hub-fw-pip", **PLATFORM_PROD) == []


def test_new_public_ip_in_the_hub_group_on_a_provider_naming_no_subscription_is_unknown_so_fails_in_prod_only():
    props = {"sku": {"name": "Standard"}, **IN_HUB_GROUP}
    found = violations(public_ip.RULE, props, token=PIP, parents=HUB, **PLATFORM_PROD)
    assert len(found) == 1 and "azure-native:subscriptionId" in found[0]
    dev = {"connectivityStacks": ["amsterdam-platform/dev"], "connectivityResourceGroups": [HUB_GROUP]}
    assert violations(public_ip.RULE, props, token=PIP, parents=HUB, environment="dev", **dev) == []


SPOOFABLE = ((public_ip.RULE, PIP, {}), (ip_forwarding.RULE, NIC, {"enableIPForwarding": True}),
             (nic_public_ip.RULE, NIC, {"ipConfigurations": [{"publicIPAddress": {"id": "p"}}]}))


def test_app_project_named_amsterdam_platform_with_its_own_hub_is_a_violation_by_its_subscription():
    # the URN says amsterdam-platform/prod under a Hub, as a spoofing app's would; its id is in the app's subscription
    for rule, token, props in SPOOFABLE:
        found = violations(rule, {**props, **IN_HUB_GROUP}, token=token, parents=HUB, arm_id=f"{APP_GROUP}/providers/"
                           "Microsoft.Network/publicIPAddresses/pip", **PLATFORM_PROD)
        assert len(found) == 1, rule.id


def test_spoofing_app_in_a_preview_without_ids_in_a_hub_named_group_is_a_violation_by_its_providers_subscription():
    # the review's spoof-new: project and stack the platform's, a self-declared Hub, the hub group's *name*, no id yet
    for rule, token, props in SPOOFABLE:
        found = violations(rule, {**props, **IN_HUB_GROUP}, token=token, parents=HUB,
                           provider_subscription=APP_SUBSCRIPTION, **PLATFORM_PROD)
        assert len(found) == 1 and "subscriptionId" not in found[0], rule.id  # the rule's own violation
        found = violations(rule, {**props, **IN_HUB_GROUP}, token=token, parents=HUB, **PLATFORM_PROD)
        assert len(found) == 1 and "subscriptionId" in found[0], rule.id


def test_nic_without_forwarding_or_public_ip_passes_whatever_its_subscription():
    for rule, props in ((ip_forwarding.RULE, {"enableIPForwarding": False}),
                        (nic_public_ip.RULE, {"ipConfigurations": [{"name": "ip"}]})):
        assert violations(rule, {**props, **IN_HUB_GROUP}, token=NIC, parents=HUB, **PLATFORM_PROD) == []


def test_spoofing_app_in_a_preview_without_ids_is_a_violation_by_its_resource_group():
    for rule, token, props in SPOOFABLE:
        found = violations(rule, {**props, "resourceGroupName": "rg-parkeer-prod"}, token=token, parents=HUB,
                           **PLATFORM_PROD)
        assert len(found) == 1, rule.id
        found = violations(rule, {**props, "resourceGroupName": UNKNOWN_VALUE}, token=token, parents=HUB,
                           **PLATFORM_PROD)
        assert len(found) == 1, rule.id


def test_no_connectivity_resource_groups_in_the_pack_config_exempts_nothing():
    stacks_only = {"connectivityStacks": PLATFORM_PROD["connectivityStacks"]}
    assert len(violations(public_ip.RULE, IN_HUB_GROUP, token=PIP, parents=HUB, **stacks_only)) == 1


def test_public_ip_under_a_self_declared_hub_in_an_app_project_is_a_violation():
    for rule, token, props in ((public_ip.RULE, PIP, {}), (ip_forwarding.RULE, NIC, {"enableIPForwarding": True}),
                               (nic_public_ip.RULE, NIC, {"ipConfigurations": [{"publicIPAddress": {"id": "p"}}]})):
        assert len(violations(rule, {**props, **IN_HUB_GROUP}, token=token, parents=HUB, project="parkeer",
                              **PLATFORM_PROD)) == 1


def test_public_ip_in_the_hub_of_a_stack_not_named_in_the_pack_config_is_a_violation():
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=HUB, environment="acc", **PLATFORM_PROD)) == 1
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=HUB)) == 1  # none named: fail closed


def test_public_ip_in_a_spoke_is_a_violation():
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=("amsterdam:landingzone:Spoke",))) == 1


def test_connectivity_component_types_come_from_pack_config():
    parents = ("amsterdam:edge:Ingress",)
    assert violations(public_ip.RULE, IN_HUB_GROUP, token=PIP, parents=parents,
                      provider_subscription=HUB_SUBSCRIPTION, publicIpAllowedUnder=["amsterdam:edge:*"],
                      **PLATFORM_PROD) == []


def test_nic_without_public_ip_passes():
    props = {"ipConfigurations": [{"name": "ip", "subnet": {"id": "s"}}], "enableIPForwarding": False}
    assert violations(nic_public_ip.RULE, props, token=NIC) == violations(ip_forwarding.RULE, props, token=NIC) == []


def test_nic_with_public_ip_outside_connectivity_is_a_violation():
    props = {"ipConfigurations": [{"name": "ip", "publicIPAddress": {"id": UNKNOWN_VALUE}}]}
    assert len(violations(nic_public_ip.RULE, props, token=NIC)) == 1


def test_ip_forwarding_outside_connectivity_is_a_violation():
    assert len(violations(ip_forwarding.RULE, {"enableIPForwarding": True}, token=NIC)) == 1


def test_ip_forwarding_on_a_hub_appliance_passes():
    assert violations(ip_forwarding.RULE, {"enableIPForwarding": True, **IN_HUB_GROUP}, token=NIC, parents=HUB,
                      provider_subscription=HUB_SUBSCRIPTION, **PLATFORM_PROD) == []


def test_the_connectivity_projects_gateway_ip_passes_with_the_committed_prod_config():
    import json

    from amsterdam_cloud.policies.settings import config_path

    block = json.loads(config_path("prod").read_text())["network-public-ip-only-in-connectivity"]
    settings = {key: block[key] for key in ("connectivityStacks", "publicIpAllowedUnder", "connectivityResourceGroups")}
    gateway = ("amsterdam:landingzone:Connectivity",)
    arm_id = ("/subscriptions/00000009-0000-4000-8000-000000000009/resourceGroups/rg-connectivity-prod/providers/"
              "Microsoft.Network/publicIPAddresses/vpngw-pip")
    assert violations(public_ip.RULE, {}, token=PIP, parents=gateway, project="amsterdam-connectivity",
                      arm_id=arm_id, **settings) == []
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=gateway, project="parkeer", arm_id=arm_id,
                          **settings)) == 1
