"""Front Door under mocks: the platform's one Premium profile with its own identity and its WAF policy in
Prevention mode."""

from __future__ import annotations

from amsterdam_cloud.components.app_hosting.front_door import FrontDoor, FrontDoorArgs


def test_the_platforms_profile_is_premium_with_its_own_identity(plan_inline, tags, diagnostics):
    plan = plan_inline(lambda: FrontDoor("door", FrontDoorArgs(tags=tags, diagnostic_settings=diagnostics,
                                                                 resource_group_name="rg-shared")))
    profile = plan.named("door-profile").inputs
    assert profile["sku"] == {"name": "Premium_AzureFrontDoor"} and profile["location"] == "global"
    assert profile["identity"] == {"type": "SystemAssigned"}


def test_waf_blocks_with_the_default_and_bot_rule_sets(plan_inline, tags):
    policy = plan_inline(lambda: FrontDoor("door", FrontDoorArgs(tags=tags, resource_group_name="rg-shared"))) \
        .named("door-waf").inputs
    assert policy["policySettings"]["mode"] == "Prevention" and policy["policySettings"]["enabledState"] == "Enabled"
    assert [s["ruleSetType"] for s in policy["managedRules"]["managedRuleSets"]] == [
        "Microsoft_DefaultRuleSet", "Microsoft_BotManagerRuleSet"]


def test_detection_mode_is_an_explicit_opt_out(plan_inline, tags):
    policy = plan_inline(lambda: FrontDoor("door", FrontDoorArgs(tags=tags, resource_group_name="rg-shared",
                                                                   waf_mode="Detection"))).named("door-waf").inputs
    assert policy["policySettings"]["mode"] == "Detection"


def test_the_profile_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, diagnostics):
    conforms(FrontDoor, lambda: FrontDoorArgs(tags=tags, diagnostic_settings=diagnostics,
                                              resource_group_name="rg-shared"))
