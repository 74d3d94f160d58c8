"""An app's public entrance under mocks: in the platform's Front Door profile, its own endpoint and route, HTTPS
only, the origin over Private Link only, the shared WAF on its domains, a custom domain served with a certificate from
the platform's vault."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.public_entrance import CustomDomain, FrontDoorRef, PublicEntrance, \
    PublicEntranceArgs
from amsterdam_cloud.components.interfaces import InterfaceError

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups"
SITE = RG + "/rg-app/providers/Microsoft.Web/sites/web-app"
SHARED = FrontDoorRef(profile_name="afd-amsterdam-dev", resource_group_name="rg-shared",
                      waf_policy_id=RG + "/rg-shared/providers/Microsoft.Network/"
                                         "frontdoorWebApplicationFirewallPolicies/wafdoor",
                      certificate_vault_id=RG + "/rg-shared/providers/Microsoft.KeyVault/vaults/kv-ams-certs-dev")


@pytest.fixture
def args(tags):
    def make(**overrides) -> PublicEntranceArgs:
        values = dict(tags=tags, front_door=SHARED, endpoint_name="web-app-dev",
                      origin_host_name="web-app.azurewebsites.net", private_link_resource_id=SITE,
                      private_link_group_id="sites", private_link_location="westeurope")
        values.update(overrides)
        return PublicEntranceArgs(**values)
    return make


def test_an_entrance_lives_in_the_shared_profile(plan_inline, args):
    plan = plan_inline(lambda: PublicEntrance("waf", args()))
    parts = [r for r in plan.resources if r.type.startswith("azure-native:cdn:")]
    assert {r.type.rsplit(":", 1)[1] for r in parts} == {"AFDEndpoint", "AFDOriginGroup", "AFDOrigin", "Route",
                                                         "SecurityPolicy"}
    assert all((r.inputs["profileName"], r.inputs["resourceGroupName"]) == ("afd-amsterdam-dev", "rg-shared")
               for r in parts)


def test_origin_is_reached_over_private_link_with_certificate_checks(plan_inline, args):
    origin = plan_inline(lambda: PublicEntrance("waf", args())).named("waf-origin").inputs
    assert origin["sharedPrivateLinkResource"]["privateLink"] == {"id": SITE}
    assert origin["sharedPrivateLinkResource"]["groupId"] == "sites"
    assert origin["enforceCertificateNameCheck"] is True


def test_route_redirects_to_https_and_forwards_over_https_only(plan_inline, args):
    route = plan_inline(lambda: PublicEntrance("waf", args())).named("waf-route").inputs
    assert route["httpsRedirect"] == "Enabled" and route["forwardingProtocol"] == "HttpsOnly"


def test_security_policy_puts_the_shared_waf_on_the_endpoint(plan_inline, args):
    plan = plan_inline(lambda: PublicEntrance("waf", args()))
    parameters = plan.named("waf-security").inputs["parameters"]
    assert parameters["wafPolicy"] == {"id": SHARED.waf_policy_id}
    assert parameters["associations"][0]["domains"] == [{"id": plan.named("waf-endpoint").id}]


def test_a_custom_domain_uses_the_vaults_certificate_tls12_and_the_waf(plan_inline, args):
    plan = plan_inline(lambda: PublicEntrance("waf", args(custom_domain=CustomDomain(
        host_name="parkeren.amsterdam.nl", certificate_secret="parkeren"))))
    assert plan.named("waf-certificate").inputs["parameters"] == {
        "type": "CustomerCertificate", "secretSource": {"id": f"{SHARED.certificate_vault_id}/secrets/parkeren"},
        "useLatestVersion": True}
    domain = plan.named("waf-domain")
    assert domain.inputs["tlsSettings"] == {"certificateType": "CustomerCertificate", "minimumTlsVersion": "TLS12",
                                            "secret": {"id": plan.named("waf-certificate").id}}
    domains = plan.named("waf-security").inputs["parameters"]["associations"][0]["domains"]
    assert domains == [{"id": plan.named("waf-endpoint").id}, {"id": domain.id}]


def test_an_origin_front_door_cannot_reach_privately_is_refused(args):
    with pytest.raises(InterfaceError, match="private_link_group_id"):
        args(private_link_group_id="blob")


def test_a_host_name_that_is_not_one_is_refused():
    with pytest.raises(InterfaceError, match="CustomDomain.host_name"):
        CustomDomain(host_name="https://parkeren.amsterdam.nl", certificate_secret="parkeren")


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(PublicEntrance, args)
