"""Private ingestion under mocks: one scope per DNS namespace with exactly one private endpoint registered in every
Azure Monitor zone, both access modes PrivateOnly; each environment's workspace and closed data collection endpoint
scoped into it, in the scope's own subscription when that is another one."""

from __future__ import annotations

import pulumi_azure_native as azure_native
import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint
from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_ZONES, MonitorPrivateLinkScope, \
    MonitorPrivateLinkScopeArgs, PrivateIngestion, PrivateIngestionArgs, PrivateLinkScopeRef

from ..conftest import SUBSCRIPTION

NETWORK = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network"
ENDPOINT = PrivateEndpoint(subnet_id=f"{NETWORK}/virtualNetworks/hub/subnets/shared",
                           private_dns_zone_ids=tuple(f"{NETWORK}/privateDnsZones/{zone}" for zone in AMPLS_ZONES))
CONNECTIVITY = "00000009-0000-4000-8000-000000000009"
CITY_SCOPE = PrivateLinkScopeRef(name="ampls-amsterdam", resource_group_name="rg-connectivity-prod",
                                 subscription_id=CONNECTIVITY)


def scope_args(tags, **overrides) -> MonitorPrivateLinkScopeArgs:
    values = dict(tags=tags, resource_group_name="rg-connectivity-prod", location="westeurope",
                  scope_name="ampls-amsterdam", private_endpoints=(ENDPOINT,))
    values.update(overrides)
    return MonitorPrivateLinkScopeArgs(**values)


def test_the_scope_is_private_only_for_ingestion_and_query(plan_inline, tags):
    plan = plan_inline(lambda: MonitorPrivateLinkScope("scope", scope_args(tags)))
    scope = plan.named("scope-ampls")
    assert (scope.inputs["scopeName"], scope.inputs["location"]) == ("ampls-amsterdam", "global")
    assert scope.inputs["accessModeSettings"] == {"ingestionAccessMode": "PrivateOnly",
                                                  "queryAccessMode": "PrivateOnly"}


def test_the_scopes_one_endpoint_registers_in_every_azure_monitor_zone(plan_inline, tags):
    plan = plan_inline(lambda: MonitorPrivateLinkScope("scope", scope_args(tags)))
    [endpoint] = plan.of_type("azure-native:network:PrivateEndpoint")
    assert endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["azuremonitor"]
    assert endpoint.inputs["privateLinkServiceConnections"][0]["privateLinkServiceId"] == plan.named("scope-ampls").id
    zones = [z["privateDnsZoneId"].rsplit("/", 1)[1]
             for z in plan.named("scope-pe-dns").inputs["privateDnsZoneConfigs"]]
    assert zones == list(AMPLS_ZONES)


def test_a_scope_without_exactly_one_private_endpoint_is_refused(tags):
    with pytest.raises(InterfaceError, match="expected exactly one"):
        scope_args(tags, private_endpoints=())
    with pytest.raises(InterfaceError, match="expected exactly one"):
        scope_args(tags, private_endpoints=(ENDPOINT, ENDPOINT))


def test_an_endpoint_missing_a_monitor_zone_is_refused(tags):
    with pytest.raises(InterfaceError, match="registers in 5 zones"):
        scope_args(tags, private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINT.subnet_id,
                                                            private_dns_zone_ids=ENDPOINT.private_dns_zone_ids[:2]),))


def test_the_environment_scopes_its_workspace_and_closed_endpoint_into_the_city_scope_in_its_subscription(
        plan_inline, tags, workspace_id):
    def program() -> None:
        provider = azure_native.Provider("connectivity", subscription_id=CONNECTIVITY, location="westeurope")
        PrivateIngestion("ingest", PrivateIngestionArgs(
            tags=tags, resource_group_name="rg-management", location="westeurope", workspace_id=workspace_id,
            scope=CITY_SCOPE, scoped_name_prefix="dev", scope_provider=provider))

    plan = plan_inline(program)
    scoped = {r.inputs["name"]: r for r in plan.of_type("azure-native:monitor:PrivateLinkScopedResource")}
    assert {name: r.inputs["linkedResourceId"] for name, r in scoped.items()} == {
        "dev-workspace": workspace_id, "dev-dce": plan.named("ingest-dce").id}
    for resource in scoped.values():
        assert resource.inputs["scopeName"] == "ampls-amsterdam"
        assert resource.id.startswith(f"/subscriptions/{CONNECTIVITY}/resourceGroups/rg-connectivity-prod/")
    dce = plan.named("ingest-dce")
    assert dce.inputs["networkAcls"] == {"publicNetworkAccess": "Disabled"}
    assert dce.id.startswith(f"/subscriptions/{SUBSCRIPTION}/")
    assert plan.of_type("azure-native:monitor:PrivateLinkScope") == []


def test_a_scope_in_another_subscription_needs_a_provider_for_it(tags, workspace_id):
    with pytest.raises(InterfaceError, match="scope_provider"):
        PrivateIngestionArgs(tags=tags, resource_group_name="rg", location="westeurope", workspace_id=workspace_id,
                             scope=CITY_SCOPE, scoped_name_prefix="dev")


def test_the_scope_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags):
    conforms(MonitorPrivateLinkScope, lambda: scope_args(tags))


def test_ingestion_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, workspace_id):
    conforms(PrivateIngestion, lambda provider: PrivateIngestionArgs(
        tags=tags, resource_group_name="rg-management", location="westeurope", workspace_id=workspace_id,
        scope=CITY_SCOPE, scoped_name_prefix="dev", scope_provider=provider),
        setup=lambda: azure_native.Provider("connectivity", subscription_id=CONNECTIVITY, location="westeurope"))
