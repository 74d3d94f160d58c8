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
PLATFORM_PROD = {"connectivityStacks": ["amsterdam-platform/prod"]}


def test_public_ip_in_the_hub_of_the_platform_stack_passes():
    assert violations(public_ip.RULE, {"sku": {"name": "Standard"}}, token=PIP, parents=HUB, **PLATFORM_PROD) == []


def test_public_ip_under_a_self_declared_hub_in_an_app_project_is_a_violation():
    for rule, token, props in ((public_ip.RULE, PIP, {}), (ip_forwarding.RULE, NIC, {"enableIPForwarding": True}),
                               (nic_public_ip.RULE, NIC, {"ipConfigurations": [{"publicIPAddress": {"id": "p"}}]})):
        assert len(violations(rule, props, token=token, parents=HUB, project="parkeer", **PLATFORM_PROD)) == 1


def test_public_ip_in_the_hub_of_a_stack_not_named_in_the_pack_config_is_a_violation():
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=HUB, environment="acc", **PLATFORM_PROD)) == 1
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=HUB)) == 1  # none named: fail closed


def test_public_ip_in_a_spoke_is_a_violation():
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=("amsterdam:landingzone:Spoke",))) == 1


def test_connectivity_component_types_come_from_pack_config():
    parents = ("amsterdam:edge:Ingress",)
    assert violations(public_ip.RULE, {}, token=PIP, parents=parents, publicIpAllowedUnder=["amsterdam:edge:*"],
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
    assert violations(ip_forwarding.RULE, {"enableIPForwarding": True}, token=NIC, parents=HUB, **PLATFORM_PROD) == []


def test_the_connectivity_projects_gateway_ip_passes_with_the_committed_prod_config():
    import json

    from amsterdam_cloud.policies.settings import config_path

    block = json.loads(config_path("prod").read_text())["network-public-ip-only-in-connectivity"]
    settings = {key: block[key] for key in ("connectivityStacks", "publicIpAllowedUnder")}
    gateway = ("amsterdam:landingzone:Connectivity",)
    assert violations(public_ip.RULE, {}, token=PIP, parents=gateway, project="amsterdam-connectivity",
                      **settings) == []
    assert len(violations(public_ip.RULE, {}, token=PIP, parents=gateway, project="parkeer", **settings)) == 1
