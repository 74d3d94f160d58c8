"""The container registry under mocks: Premium, no admin user, no anonymous pull, no public access, exports off,
a private endpoint, diagnostics, lock and protection."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock, PrivateEndpoint
from amsterdam_cloud.components.security.container_registry import ContainerRegistry, ContainerRegistryArgs, \
    city_registry_name, login_server

SUBNET = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
          "virtualNetworks/hub/subnets/shared")
ZONE = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
        "privateDnsZones/privatelink.azurecr.io")


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> ContainerRegistryArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-shared",
                      location="westeurope", registry_name="cramsterdamdev",
                      private_endpoints=(PrivateEndpoint(subnet_id=SUBNET, private_dns_zone_ids=(ZONE,)),))
        values.update(overrides)
        return ContainerRegistryArgs(**values)
    return make


def test_registry_is_premium_without_admin_user_anonymous_pull_or_public_network(plan_inline, args):
    registry = plan_inline(lambda: ContainerRegistry("acr", args())).named("acr-registry").inputs
    assert registry["sku"] == {"name": "Premium"}
    assert (registry["adminUserEnabled"], registry["anonymousPullEnabled"]) == (False, False)
    assert registry["publicNetworkAccess"] == "Disabled"


def test_images_cannot_be_exported_by_default(plan_inline, args):
    registry = plan_inline(lambda: ContainerRegistry("acr", args())).named("acr-registry").inputs
    assert registry["policies"]["exportPolicy"]["status"] == "disabled"


def test_untagged_manifests_are_purged_after_a_month(plan_inline, args):
    registry = plan_inline(lambda: ContainerRegistry("acr", args())).named("acr-registry").inputs
    assert registry["policies"]["retentionPolicy"] == {"status": "enabled", "days": 30}


@pytest.mark.parametrize("days", [-1, 366])
def test_a_retention_outside_azures_range_is_refused(args, days):
    with pytest.raises(InterfaceError, match="untagged_retention_days"):
        args(untagged_retention_days=days)


def test_private_endpoint_reaches_the_registry_subresource(plan_inline, args):
    plan = plan_inline(lambda: ContainerRegistry("acr", args()))
    connection = plan.named("acr-pe").inputs["privateLinkServiceConnections"][0]
    assert connection["groupIds"] == ["registry"]
    assert connection["privateLinkServiceId"] == plan.named("acr-registry").id
    assert plan.named("acr-pe-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == ZONE


def test_registry_sends_logs_and_metrics(plan_inline, args, workspace_id):
    setting = plan_inline(lambda: ContainerRegistry("acr", args())).named("acr-diag").inputs
    assert setting["workspaceId"] == workspace_id and setting["logs"][0]["categoryGroup"] == "allLogs"


@pytest.mark.parametrize("zone_redundant,expected", [(False, "Disabled"), (True, "Enabled")])
def test_zone_redundancy_follows_the_switch(plan_inline, args, zone_redundant, expected):
    plan = plan_inline(lambda: ContainerRegistry("acr", args(zone_redundant=zone_redundant)))
    assert plan.named("acr-registry").inputs["zoneRedundancy"] == expected


def test_protect_and_lock_apply_to_the_registry(plan_inline, args):
    plan = plan_inline(lambda: ContainerRegistry("acr", args(protect=True, lock=Lock())))
    assert plan.named("acr-registry").protect is True
    assert plan.named("acr-lock").inputs["scope"] == plan.named("acr-registry").id


def test_registry_keeps_its_given_name_and_login_server(plan_inline, args):
    plan = plan_inline(lambda: ContainerRegistry("acr", args()))
    assert plan.named("acr-registry").inputs["registryName"] == "cramsterdamdev"
    assert plan.named("acr-registry").id.endswith("/Microsoft.ContainerRegistry/registries/cramsterdamdev")


def test_the_city_registry_of_an_environment_is_a_valid_acr_name():
    assert login_server(city_registry_name("prod")) == "cramsterdamprod.azurecr.io"


@pytest.mark.parametrize("name", ["cr-amsterdam", "cr", "CRAmsterdam"])
def test_a_name_other_than_5_to_50_lower_case_letters_and_digits_is_refused(args, name):
    with pytest.raises(InterfaceError, match="registry_name"):
        args(registry_name=name)


def test_a_basic_or_standard_sku_is_refused(args):
    with pytest.raises(InterfaceError, match="Premium"):
        args(sku="Standard")


def test_public_access_with_exports_disabled_is_refused(args):
    with pytest.raises(InterfaceError, match="export_enabled"):
        args(public_network_access=True)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(ContainerRegistry, args)
