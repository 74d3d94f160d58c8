"""AI services under mocks: a private, key-less account whose model deployments only process data in the EU."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.analytics.ai_services import AiDeployment, AiServices, AiServicesArgs
from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint

MINI = AiDeployment(name="categorise", model="gpt-4o-mini", version="2024-07-18")
EMBED = AiDeployment(name="embed", model="text-embedding-3-small", version="1", deployment_type="Standard")


@pytest.fixture
def args(tags, diagnostics, subnet_id, zone_ids):
    def make(**overrides) -> AiServicesArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-analytics",
                      location="westeurope", account_name="ai-ams-ruimte-signalen-dev", deployments=(MINI, EMBED),
                      private_endpoints=(PrivateEndpoint(subnet_id=subnet_id, private_dns_zone_ids=(
                          zone_ids["privatelink.cognitiveservices.azure.com"],
                          zone_ids["privatelink.openai.azure.com"])),))
        values.update(overrides)
        return AiServicesArgs(**values)
    return make


@pytest.mark.parametrize("deployment_type", ["GlobalStandard", "GlobalProvisionedManaged", "GlobalBatch"])
def test_global_deployment_types_are_refused(deployment_type):
    with pytest.raises(InterfaceError, match="outside the EU"):
        AiDeployment(name="chat", model="gpt-4o", version="2024-08-06", deployment_type=deployment_type)


def test_account_takes_entra_id_only_and_no_public_traffic(plan_inline, args):
    account = plan_inline(lambda: AiServices("ai", args())).named("ai-account").inputs
    assert account["properties"]["disableLocalAuth"] is True
    assert account["properties"]["publicNetworkAccess"] == "Disabled"
    assert account["properties"]["networkAcls"]["defaultAction"] == "Deny"
    assert account["properties"]["customSubDomainName"] == "ai-ams-ruimte-signalen-dev"


def test_deployments_keep_their_eu_type_and_pinned_version(plan_inline, args):
    plan = plan_inline(lambda: AiServices("ai", args()))
    deployment = plan.named("ai-categorise").inputs
    assert deployment["sku"]["name"] == "DataZoneStandard"
    assert deployment["properties"]["model"]["version"] == "2024-07-18"
    assert deployment["properties"]["versionUpgradeOption"] == "NoAutoUpgrade"
    assert plan.named("ai-embed").inputs["sku"]["name"] == "Standard"


def test_deployments_are_made_one_after_another(plan_inline, args):
    plan = plan_inline(lambda: AiServices("ai", args()))
    assert plan.named("ai-categorise").urn in plan.named("ai-embed").dependencies


def test_private_endpoint_reaches_the_account_subresource(plan_inline, args):
    plan = plan_inline(lambda: AiServices("ai", args()))
    assert plan.named("ai-pe").inputs["privateLinkServiceConnections"][0]["groupIds"] == ["account"]


def test_a_deployment_named_twice_is_refused(args):
    with pytest.raises(InterfaceError, match="twice"):
        args(deployments=(MINI, MINI))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(AiServices, args)
