"""The four platform stacks under the offline engine: the workplace's session hosts, and nothing else, get the AVD
egress rules in the firewall's policy."""

from __future__ import annotations

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.stacks.config import load

pytestmark = pytest.mark.slow

GROUP = "azure-native:network:FirewallPolicyRuleCollectionGroup"


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_avd_egress_rules_come_only_from_the_workplace_hosts_subnet(stack_plan, stack):
    hosts = load(stack).network.plan.spokes["workplace"].subnet("hosts").cidr
    group = stack_plan(stack).named("hub-fw-egress-rules").inputs
    assert [c["name"] for c in group["ruleCollections"]] == ["avd-session-hosts-network",
                                                             "avd-session-hosts-application"]
    sources = {tuple(rule["sourceAddresses"]) for c in group["ruleCollections"] for rule in c["rules"]}
    assert sources == {(hosts,)}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_egress_rules_go_into_the_one_firewall_policy(stack_plan, stack):
    plan = stack_plan(stack)
    [policy] = plan.of_type("azure-native:network:FirewallPolicy")
    assert {g.inputs["firewallPolicyName"] for g in plan.of_type(GROUP)} == {policy.outputs["name"]}
