"""The four platform stacks under the offline engine: each egress profile's rules come only from the subnets that
enable it (AVD, Intune and Microsoft 365 from the session hosts, Container Apps and App Service builds from theirs)."""

from __future__ import annotations

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.stacks.config import load

pytestmark = pytest.mark.slow

GROUP = "azure-native:network:FirewallPolicyRuleCollectionGroup"


def _sources_of(group: dict, prefix: str) -> set[tuple[str, ...]]:
    return {tuple(rule["sourceAddresses"]) for collection in group["ruleCollections"]
            if collection["name"].startswith(f"{prefix}-") for rule in collection["rules"]}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_avd_egress_rules_come_only_from_the_workplace_hosts_subnet(stack_plan, stack):
    hosts = load(stack).network.plan.spokes["workplace"].subnet("hosts").cidr
    group = stack_plan(stack).named("hub-fw-egress-rules").inputs
    for profile in ("avd-session-hosts", "avd-intune", "avd-microsoft-365"):
        assert _sources_of(group, profile) == {(hosts,)}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_a_container_apps_subnet_has_mcr_egress(stack_plan, stack):
    containers = load(stack).network.plan.spokes["apps"].subnet("containers").cidr
    group = stack_plan(stack).named("hub-fw-egress-rules").inputs
    reached = {fqdn for collection in group["ruleCollections"] for rule in collection["rules"]
               if rule["sourceAddresses"] == [containers] for fqdn in rule.get("targetFqdns", [])}
    assert {"mcr.microsoft.com", "*.data.mcr.microsoft.com", "login.microsoftonline.com"} <= reached


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_app_service_builds_reach_their_package_feeds_from_the_appservice_subnet_only(stack_plan, stack):
    apps = load(stack).network.plan.spokes["apps"]
    group = stack_plan(stack).named("hub-fw-egress-rules").inputs
    sources = {tuple(rule["sourceAddresses"]) for collection in group["ruleCollections"] for rule in collection["rules"]
               if "pypi.org" in rule.get("targetFqdns", [])}
    assert sources == {(apps.subnet("appservice").cidr,)}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_no_subnet_may_reach_every_site_behind_front_door(stack_plan, stack):
    plan = stack_plan(stack)
    destinations = {address for group in plan.of_type(GROUP) for collection in group.inputs["ruleCollections"]
                    for rule in collection["rules"] for address in rule.get("destinationAddresses", [])}
    assert destinations and not any(address.startswith("AzureFrontDoor") for address in destinations)


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_egress_rules_go_into_the_one_firewall_policy(stack_plan, stack):
    plan = stack_plan(stack)
    [policy] = plan.of_type("azure-native:network:FirewallPolicy")
    assert {g.inputs["firewallPolicyName"] for g in plan.of_type(GROUP)} == {policy.outputs["name"]}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_east_west_flows_are_tcp_network_rules_in_their_own_group_before_the_profiles(stack_plan, stack):
    plan = stack_plan(stack)
    network = load(stack).network
    group = plan.named("hub-fw-egress-east-west").inputs
    assert group["ruleCollectionGroupName"] == "east-west"
    assert group["priority"] < plan.named("hub-fw-egress-rules").inputs["priority"]
    [collection] = group["ruleCollections"]
    assert collection["action"]["type"] == "Allow"
    rules = {rule["name"]: rule for rule in collection["rules"]}
    assert set(rules) == {flow.name for flow in network.east_west}
    for flow in network.east_west:
        assert rules[flow.name]["sourceAddresses"] == list(flow.source_ranges)
        assert rules[flow.name]["destinationAddresses"] == list(flow.destination_ranges)
        assert rules[flow.name]["ipProtocols"] == ["TCP"]
    assert plan.named("hub-fw-egress-east-west").urn in plan.named("hub-fw-egress-rules").dependencies


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_avd_hosts_reach_internal_apps_through_the_firewall(stack_plan, stack):
    apps = load(stack).network.plan.spokes["apps"]
    hosts = load(stack).network.plan.spokes["workplace"].subnet("hosts").cidr
    rules = stack_plan(stack).named("hub-fw-egress-east-west").inputs["ruleCollections"][0]["rules"]
    assert any(rule["sourceAddresses"] == [hosts] and apps.subnet("containers").cidr in rule["destinationAddresses"]
               and rule["destinationPorts"] == ["443"] for rule in rules)


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_firewall_translates_private_sources_so_private_endpoints_answer_through_it(stack_plan, stack):
    policy = stack_plan(stack).named("hub-fw-policy").inputs
    assert policy["snat"] == {"privateRanges": ["255.255.255.255/32"]}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_session_hosts_reach_teams_media_over_udp_and_every_required_microsoft_365_category(stack_plan, stack):
    hosts = load(stack).network.plan.spokes["workplace"].subnet("hosts").cidr
    group = stack_plan(stack).named("hub-fw-egress-rules").inputs
    rules = [rule for collection in group["ruleCollections"] for rule in collection["rules"]
             if rule["sourceAddresses"] == [hosts]]
    [media] = [rule for rule in rules if "UDP" in rule.get("ipProtocols", [])]
    assert (media["destinationAddresses"], media["destinationPorts"]) == (
        ["Office365.Skype.Optimize"], ["3478", "3479", "3480", "3481"])
    tags = {tag for rule in rules for tag in rule.get("fqdnTags", [])}
    assert {f"Office365.{product}.Default.Required" for product in ("Exchange", "SharePoint", "Skype", "Common")} \
        <= tags
