"""The public entrance under mocks: Front Door Premium, WAF in Prevention mode, origin over Private Link only."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.front_door import PublicEntrance, PublicEntranceArgs
from amsterdam_cloud.components.interfaces import InterfaceError

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app"
SITE = RG + "/providers/Microsoft.Web/sites/web-app"


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> PublicEntranceArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app",
                      origin_host_name="web-app.azurewebsites.net", private_link_resource_id=SITE,
                      private_link_group_id="sites", private_link_location="westeurope")
        values.update(overrides)
        return PublicEntranceArgs(**values)
    return make


def test_profile_is_front_door_premium(plan_inline, args):
    profile = plan_inline(lambda: PublicEntrance("waf", args())).named("waf-profile").inputs
    assert profile["sku"] == {"name": "Premium_AzureFrontDoor"} and profile["location"] == "global"


def test_waf_blocks_with_the_default_and_bot_rule_sets(plan_inline, args):
    policy = plan_inline(lambda: PublicEntrance("waf", args())).named("waf-waf").inputs
    assert policy["policySettings"]["mode"] == "Prevention" and policy["policySettings"]["enabledState"] == "Enabled"
    assert [s["ruleSetType"] for s in policy["managedRules"]["managedRuleSets"]] == [
        "Microsoft_DefaultRuleSet", "Microsoft_BotManagerRuleSet"]


def test_origin_is_reached_over_private_link_with_certificate_checks(plan_inline, args):
    origin = plan_inline(lambda: PublicEntrance("waf", args())).named("waf-origin").inputs
    assert origin["sharedPrivateLinkResource"]["privateLink"] == {"id": SITE}
    assert origin["sharedPrivateLinkResource"]["groupId"] == "sites"
    assert origin["enforceCertificateNameCheck"] is True


def test_route_redirects_to_https_and_forwards_over_https_only(plan_inline, args):
    route = plan_inline(lambda: PublicEntrance("waf", args())).named("waf-route").inputs
    assert route["httpsRedirect"] == "Enabled" and route["forwardingProtocol"] == "HttpsOnly"


def test_security_policy_puts_the_waf_on_the_endpoint(plan_inline, args):
    plan = plan_inline(lambda: PublicEntrance("waf", args()))
    parameters = plan.named("waf-security").inputs["parameters"]
    assert parameters["wafPolicy"] == {"id": plan.named("waf-waf").id}
    assert parameters["associations"][0]["domains"] == [{"id": plan.named("waf-endpoint").id}]


def test_detection_mode_is_an_explicit_opt_out(plan_inline, args):
    policy = plan_inline(lambda: PublicEntrance("waf", args(waf_mode="Detection"))).named("waf-waf").inputs
    assert policy["policySettings"]["mode"] == "Detection"


def test_an_origin_front_door_cannot_reach_privately_is_refused(args):
    with pytest.raises(InterfaceError, match="private_link_group_id"):
        args(private_link_group_id="blob")
