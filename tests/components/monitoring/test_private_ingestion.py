"""Private ingestion under mocks: one scope per DNS namespace with exactly one private endpoint registered in every
Azure Monitor zone, both access modes PrivateOnly, holding the environments' workspaces and data collection endpoints
and the apps' components as ReadOnly-locked entries; an environment's closed data collection endpoint with its fixed
name."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint
from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_ZONES, MonitorPrivateLinkScope, \
    MonitorPrivateLinkScopeArgs, PrivateIngestion, PrivateIngestionArgs, app_entry, environment_entries
from amsterdam_cloud.core.environments import app_insights_id, collection_endpoint_id, collection_endpoint_name

from ..conftest import SUBSCRIPTION

NETWORK = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network"
ENDPOINT = PrivateEndpoint(subnet_id=f"{NETWORK}/virtualNetworks/hub/subnets/shared",
                           private_dns_zone_ids=tuple(f"{NETWORK}/privateDnsZones/{zone}" for zone in AMPLS_ZONES))


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


def test_a_locked_scope_is_refused_since_the_lock_would_block_scoped_resource_deletes(tags):
    from amsterdam_cloud.components.interfaces import Lock

    with pytest.raises(InterfaceError, match="MonitorPrivateLinkScopeArgs.lock"):
        scope_args(tags, lock=Lock())


def test_an_endpoint_missing_a_monitor_zone_is_refused(tags):
    with pytest.raises(InterfaceError, match="registers in 5 zones"):
        scope_args(tags, private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINT.subnet_id,
                                                            private_dns_zone_ids=ENDPOINT.private_dns_zone_ids[:2]),))


def test_the_scope_holds_each_environments_workspace_and_endpoint_as_a_read_only_locked_entry(
        plan_inline, tags, workspace_id):
    endpoint_id = collection_endpoint_id(SUBSCRIPTION, "dev")
    plan = plan_inline(lambda: MonitorPrivateLinkScope("scope", scope_args(
        tags, scoped_resources=environment_entries("dev", workspace_id, endpoint_id))))
    scoped = {r.inputs["name"]: r for r in plan.of_type("azure-native:monitor:PrivateLinkScopedResource")}
    assert {name: r.inputs["linkedResourceId"] for name, r in scoped.items()} == {
        "dev-workspace": workspace_id, "dev-dce": endpoint_id}
    assert all(r.inputs["scopeName"] == "ampls-amsterdam" and r.id.startswith(plan.named("scope-ampls").id + "/")
               for r in scoped.values())
    locks = {lock.inputs["scope"]: lock.inputs["level"]
             for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    # each entry locked, never the scope itself (a lock there would cover every app's entry too)
    assert locks == {r.id: "ReadOnly" for r in scoped.values()}


def test_an_apps_entry_is_locked_like_an_environments_and_a_new_link_replaces_it_lock_first(plan_inline, tags):
    component_id = app_insights_id(SUBSCRIPTION, "parkeer", "dev")
    plan = plan_inline(lambda: MonitorPrivateLinkScope("scope", scope_args(
        tags, scoped_resources=(app_entry("parkeer", "dev", component_id),))))
    [scoped] = plan.of_type("azure-native:monitor:PrivateLinkScopedResource")
    [lock] = plan.of_type("azure-native:authorization:ManagementLockByScope")
    assert (scoped.inputs["name"], scoped.inputs["linkedResourceId"]) == ("dev-appi-parkeer", component_id)
    assert (lock.inputs["scope"], lock.inputs["level"]) == (scoped.id, "ReadOnly")
    # delete-before-replace on a changed link: Pulumi deletes the lock (its scope depends on the entry) first
    assert (scoped.options["replaceOnChanges"], scoped.options["deleteBeforeReplace"]) == (["linkedResourceId"], True)
    assert lock.property_dependencies["scope"] == [scoped.urn]


def test_an_entry_named_twice_is_refused(tags, workspace_id):
    entries = environment_entries("dev", workspace_id, workspace_id)
    with pytest.raises(InterfaceError, match="unique"):
        scope_args(tags, scoped_resources=entries + entries[:1])


def test_the_environments_closed_endpoint_has_the_name_the_scope_owner_derives(plan_inline, tags):
    plan = plan_inline(lambda: PrivateIngestion("ingest", PrivateIngestionArgs(
        tags=tags, resource_group_name="rg-amsterdam-management-dev", location="westeurope",
        endpoint_name=collection_endpoint_name("dev"))))
    dce = plan.named("ingest-dce")
    assert dce.inputs["networkAcls"] == {"publicNetworkAccess": "Disabled"}
    assert dce.id == collection_endpoint_id(SUBSCRIPTION, "dev")
    assert plan.of_type("azure-native:monitor:PrivateLinkScopedResource") == []


def test_the_scope_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags):
    conforms(MonitorPrivateLinkScope, lambda: scope_args(tags))


def test_ingestion_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags):
    conforms(PrivateIngestion, lambda: PrivateIngestionArgs(
        tags=tags, resource_group_name="rg-management", location="westeurope",
        endpoint_name=collection_endpoint_name("dev")))
