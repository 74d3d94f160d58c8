"""The firewall under mocks: its policy (threat intelligence deny, DNS proxy, IDPS on Premium), rules and IP; and
the egress profiles' rule collection group, sourced only from the subnets granted a profile."""

from __future__ import annotations

import pulumi
import pytest
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.landing_zone.egress_profiles import EGRESS_PROFILES, EgressGrant
from amsterdam_cloud.components.landing_zone.firewall import Firewall, FirewallArgs, FirewallEgress, FirewallEgressArgs

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


def test_baseline_leaves_the_avd_fqdn_tag_to_the_egress_profile(plan_inline, args):
    group = plan_inline(_with_subnet(args)).named("fw-baseline").inputs
    tags = {tag for collection in group["ruleCollections"] for rule in collection["rules"]
            for tag in rule.get("fqdnTags", [])}
    assert "WindowsUpdate" in tags and "WindowsVirtualDesktop" not in tags


# --- egress profiles ----------------------------------------------------------------------------------------------

HOSTS = "10.10.32.0/21"
AVD = (EgressGrant(profile="avd-session-hosts", source_ranges=(HOSTS,)),)


def _with_egress(make_args, tags, grants=AVD):
    def program() -> None:
        network.Subnet("subnet", resource_group_name="rg", virtual_network_name="hub",
                       subnet_name="AzureFirewallSubnet", address_prefix="10.10.0.0/26")
        firewall = Firewall("fw", make_args())
        FirewallEgress("egress", FirewallEgressArgs(tags=tags, firewall=firewall, grants=grants))
    return program


def _collection(group: dict, name: str) -> dict:
    [collection] = [c for c in group["ruleCollections"] if c["name"] == name]
    return collection


def _rule(group: dict, collection: str, rule: str) -> dict:
    [found] = [r for r in _collection(group, collection)["rules"] if r["name"] == rule]
    return found


@pytest.fixture
def egress_plan(plan_inline, args, tags):
    return plan_inline(_with_egress(args, tags))


def test_egress_group_is_written_into_the_firewalls_policy(egress_plan):
    group = egress_plan.named("egress-rules").inputs
    assert group["firewallPolicyName"] == egress_plan.named("fw-policy").outputs["name"]
    assert group["resourceGroupName"] == "rg-connectivity"
    assert group["priority"] > egress_plan.named("fw-baseline").inputs["priority"]


def test_egress_group_waits_for_the_baseline_group_and_the_firewall(egress_plan):
    dependencies = set(egress_plan.named("egress-rules").dependencies)
    assert {egress_plan.named("fw-baseline").urn, egress_plan.named("fw-firewall").urn} <= dependencies


def test_every_egress_rule_comes_only_from_the_granted_subnet(egress_plan):
    group = egress_plan.named("egress-rules").inputs
    rules = [rule for collection in group["ruleCollections"] for rule in collection["rules"]]
    assert rules and all(rule["sourceAddresses"] == [HOSTS] for rule in rules)
    assert {collection["action"]["type"] for collection in group["ruleCollections"]} == {"Allow"}


def test_avd_network_collection_allows_its_service_tags_on_tcp_443_without_all_of_front_door(egress_plan):
    rule = _rule(egress_plan.named("egress-rules").inputs, "avd-session-hosts-network", "avd-service-tags")
    assert sorted(rule["destinationAddresses"]) == ["AzureMonitor", "WindowsVirtualDesktop"]
    assert rule["destinationPorts"] == ["443"] and rule["ipProtocols"] == ["TCP"]


def test_avd_windows_activation_is_a_network_rule_to_kms_on_tcp_1688(egress_plan):
    rule = _rule(egress_plan.named("egress-rules").inputs, "avd-session-hosts-network", "avd-windows-activation")
    assert sorted(rule["destinationFqdns"]) == ["azkms.core.windows.net", "kms.core.windows.net"]
    assert rule["destinationPorts"] == ["1688"] and rule["ipProtocols"] == ["TCP"]


def test_avd_application_collection_allows_the_documented_fqdns_on_https_443(egress_plan):
    collection = _collection(egress_plan.named("egress-rules").inputs, "avd-session-hosts-application")
    https = {fqdn for rule in collection["rules"] if rule["protocols"] == [{"protocolType": "Https", "port": 443}]
             for fqdn in rule.get("targetFqdns", [])}
    assert https == {"*.wvd.microsoft.com", "gcs.prod.monitoring.core.windows.net",
                     "*.prod.warm.ingest.monitor.core.windows.net", "catalogartifact.azureedge.net",
                     "mrsglobalsteus2prod.blob.core.windows.net", "wvdportalstorageblob.blob.core.windows.net",
                     "login.microsoftonline.com"}


def test_avd_certificate_checks_are_allowed_on_http_80_only(egress_plan):
    rule = _rule(egress_plan.named("egress-rules").inputs, "avd-session-hosts-application", "avd-certificates")
    assert sorted(rule["targetFqdns"]) == ["oneocsp.microsoft.com", "www.microsoft.com"]
    assert rule["protocols"] == [{"protocolType": "Http", "port": 80}]


def test_avd_windows_update_is_the_fqdn_tag(egress_plan):
    rule = _rule(egress_plan.named("egress-rules").inputs, "avd-session-hosts-application", "avd-windows-update")
    assert rule["fqdnTags"] == ["WindowsUpdate"] and "targetFqdns" not in rule


def test_egress_collections_have_distinct_priorities(egress_plan):
    priorities = [c["priority"] for c in egress_plan.named("egress-rules").inputs["ruleCollections"]]
    assert len(priorities) == 2 and len(set(priorities)) == len(priorities)


def test_unknown_egress_profile_is_rejected(tags):
    with pytest.raises(InterfaceError, match="unknown egress profile 'avd'.*avd-session-hosts"):
        FirewallEgressArgs(tags=tags, firewall=None, grants=(EgressGrant(profile="avd", source_ranges=(HOSTS,)),))


def test_profile_granted_twice_is_rejected(tags):
    with pytest.raises(InterfaceError, match="granted twice"):
        FirewallEgressArgs(tags=tags, firewall=None, grants=AVD + AVD)


@pytest.mark.parametrize("profile", sorted(EGRESS_PROFILES))
def test_every_egress_profile_cites_the_page_its_list_follows(profile):
    assert "https://learn.microsoft.com/" in EGRESS_PROFILES[profile].reference


@pytest.mark.parametrize("profile", sorted(EGRESS_PROFILES))
def test_no_egress_profile_opens_a_whole_front_door_service_tag(profile):
    tags = {tag for rule in EGRESS_PROFILES[profile].network_rules for tag in getattr(rule, "service_tags", ())}
    assert not any(tag.startswith("AzureFrontDoor") for tag in tags)


def test_teams_media_is_a_udp_network_rule_to_the_teams_optimize_ranges(plan_inline, args, tags):
    grants = (EgressGrant(profile="avd-microsoft-365", source_ranges=(HOSTS,)),)
    group = plan_inline(_with_egress(args, tags, grants)).named("egress-rules").inputs
    rule = _rule(group, "avd-microsoft-365-network", "m365-teams-media")
    assert rule["destinationAddresses"] == ["Office365.Skype.Optimize"] and rule["ipProtocols"] == ["UDP"]
    assert rule["destinationPorts"] == ["3478", "3479", "3480", "3481"] and rule["sourceAddresses"] == [HOSTS]


def test_microsoft_365_allows_every_required_category_of_exchange_sharepoint_teams_and_common(plan_inline, args, tags):
    grants = (EgressGrant(profile="avd-microsoft-365", source_ranges=(HOSTS,)),)
    group = plan_inline(_with_egress(args, tags, grants)).named("egress-rules").inputs
    tags_allowed = {tag for rule in _collection(group, "avd-microsoft-365-application")["rules"]
                    for tag in rule["fqdnTags"]}
    # the endpoint list's required categories per product (Common has no Optimize endpoints, SharePoint no Allow)
    assert tags_allowed == {"Office365.Exchange.Optimize", "Office365.Exchange.Allow.Required",
                            "Office365.Exchange.Default.Required", "Office365.SharePoint.Optimize",
                            "Office365.SharePoint.Default.Required", "Office365.Skype.Allow.Required",
                            "Office365.Skype.Default.Required", "Office365.Common.Allow.Required",
                            "Office365.Common.Default.Required"}


def test_a_service_tag_rule_on_another_protocol_than_tcp_or_udp_is_refused():
    from amsterdam_cloud.components.landing_zone.egress_profiles import ServiceTagRule

    with pytest.raises(ValueError, match="protocol is one of TCP, UDP"):
        ServiceTagRule(name="x", description="x", service_tags=("AzureMonitor",), protocol="ICMP")


def test_private_endpoints_beyond_the_hub_are_an_application_rule_on_https_from_the_source_ranges(plan_inline, args):
    fqdns = ("*.monitor.azure.com", "*.ods.opinsights.azure.com")
    baseline = plan_inline(_with_subnet(lambda: args(private_link_fqdns=fqdns))).named("fw-baseline").inputs
    rule = _rule(baseline, "platform-application", "private-link-beyond-hub")
    assert rule["ruleType"] == "ApplicationRule" and rule["targetFqdns"] == list(fqdns)
    assert rule["sourceAddresses"] == ["10.10.0.0/16"]
    assert rule["protocols"] == [{"protocolType": "Https", "port": 443}]
    without = plan_inline(_with_subnet(args)).named("fw-baseline").inputs
    assert "private-link-beyond-hub" not in {r["name"] for c in without["ruleCollections"] for r in c["rules"]}


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Firewall, lambda subnet: args(), setup=lambda: network.Subnet(
        "subnet", resource_group_name="rg", virtual_network_name="hub", subnet_name="AzureFirewallSubnet",
        address_prefix="10.10.0.0/26"))


def test_egress_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args, tags):
    def firewall() -> Firewall:
        network.Subnet("subnet", resource_group_name="rg", virtual_network_name="hub",
                       subnet_name="AzureFirewallSubnet", address_prefix="10.10.0.0/26")
        return Firewall("fw", args())

    conforms(FirewallEgress, lambda made: FirewallEgressArgs(tags=tags, firewall=made, grants=AVD), setup=firewall)
