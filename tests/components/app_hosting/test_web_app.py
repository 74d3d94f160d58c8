"""The web app under mocks: HTTPS and TLS 1.2 only, no FTP or basic auth, private, all traffic through the VNet."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.web_app import WebApp, WebAppArgs
from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app"
SUBNET = RG + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/appservice"
ENDPOINTS = RG + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/endpoints"
ZONE = RG + "/providers/Microsoft.Network/privateDnsZones/privatelink.azurewebsites.net"
IDENTITY = RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app"


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> WebAppArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app",
                      location="westeurope", runtime_stack="PYTHON|3.12", integration_subnet_id=SUBNET,
                      identity_id=IDENTITY,
                      private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINTS, private_dns_zone_ids=(ZONE,)),))
        values.update(overrides)
        return WebAppArgs(**values)
    return make


def test_site_accepts_https_with_tls12_only_and_no_ftp(plan_inline, args):
    site = plan_inline(lambda: WebApp("web", args())).named("web-app").inputs
    assert site["httpsOnly"] is True
    assert site["siteConfig"]["minTlsVersion"] == "1.2" and site["siteConfig"]["ftpsState"] == "Disabled"
    assert site["siteConfig"]["remoteDebuggingEnabled"] is False


def test_site_has_no_public_network_access_and_a_private_endpoint(plan_inline, args):
    plan = plan_inline(lambda: WebApp("web", args()))
    assert plan.named("web-app").inputs["publicNetworkAccess"] == "Disabled"
    connection = plan.named("web-pe").inputs["privateLinkServiceConnections"][0]
    assert connection["groupIds"] == ["sites"] and connection["privateLinkServiceId"] == plan.named("web-app").id


def test_all_outbound_traffic_leaves_through_the_integration_subnet(plan_inline, args):
    site = plan_inline(lambda: WebApp("web", args())).named("web-app").inputs
    assert site["virtualNetworkSubnetId"] == SUBNET
    assert site["outboundVnetRouting"] == {"allTraffic": True} and site["siteConfig"]["vnetRouteAllEnabled"] is True


def test_basic_auth_publishing_is_off(plan_inline, args):
    plan = plan_inline(lambda: WebApp("web", args()))
    assert plan.named("web-ftp-basic-auth").inputs["allow"] is False
    assert plan.named("web-scm-basic-auth").inputs["allow"] is False


def test_secrets_are_key_vault_references_resolved_by_the_identity(plan_inline, args):
    site = plan_inline(lambda: WebApp("web", args(key_vault_uri="https://kv.vault.azure.net/",
                                                  secrets={"API_KEY": "api-key"}))).named("web-app").inputs
    assert site["keyVaultReferenceIdentity"] == IDENTITY
    assert {"name": "API_KEY", "value": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/api-key)"} \
        in site["siteConfig"]["appSettings"]


def test_zone_redundant_plan_runs_three_instances(plan_inline, args):
    plan = plan_inline(lambda: WebApp("web", args(zone_redundant=True))).named("web-plan").inputs
    assert plan["zoneRedundant"] is True and plan["sku"]["capacity"] == 3


def test_zone_redundancy_needs_a_premium_sku(args):
    with pytest.raises(InterfaceError, match="Premium v3"):
        args(sku="S1", zone_redundant=True)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(WebApp, args)
