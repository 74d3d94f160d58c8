"""Private ingestion under mocks: one scope with the workspace and a closed data collection endpoint in it, both
access modes PrivateOnly, reached through a private endpoint registered in every Azure Monitor zone."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint
from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_ZONES, PrivateIngestion, \
    PrivateIngestionArgs

from ..conftest import SUBSCRIPTION

NETWORK = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network"
ENDPOINT = PrivateEndpoint(subnet_id=f"{NETWORK}/virtualNetworks/hub/subnets/shared",
                           private_dns_zone_ids=tuple(f"{NETWORK}/privateDnsZones/{zone}" for zone in AMPLS_ZONES))


@pytest.fixture
def args(tags, workspace_id):
    def make(**overrides) -> PrivateIngestionArgs:
        values = dict(tags=tags, resource_group_name="rg-management", location="westeurope",
                      workspace_id=workspace_id, scope_name="ampls-amsterdam-dev", private_endpoints=(ENDPOINT,))
        values.update(overrides)
        return PrivateIngestionArgs(**values)
    return make


def test_the_scope_holds_the_workspace_and_the_endpoint_with_ingestion_and_query_private_only(plan_inline, args,
                                                                                              workspace_id):
    plan = plan_inline(lambda: PrivateIngestion("ingest", args()))
    scope = plan.named("ingest-ampls")
    assert scope.inputs["accessModeSettings"] == {"ingestionAccessMode": "PrivateOnly",
                                                  "queryAccessMode": "PrivateOnly"}
    scoped = {r.inputs["linkedResourceId"] for r in plan.of_type("azure-native:monitor:PrivateLinkScopedResource")
              if r.inputs["scopeName"] == "ampls-amsterdam-dev"}
    assert scoped == {workspace_id, plan.named("ingest-dce").id}
    assert plan.named("ingest-dce").inputs["networkAcls"] == {"publicNetworkAccess": "Disabled"}


def test_the_scopes_endpoint_registers_in_every_azure_monitor_zone(plan_inline, args):
    plan = plan_inline(lambda: PrivateIngestion("ingest", args()))
    endpoint = plan.named("ingest-pe")
    assert endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["azuremonitor"]
    assert endpoint.inputs["privateLinkServiceConnections"][0]["privateLinkServiceId"] == plan.named("ingest-ampls").id
    zones = [z["privateDnsZoneId"].rsplit("/", 1)[1]
             for z in plan.named("ingest-pe-dns").inputs["privateDnsZoneConfigs"]]
    assert zones == list(AMPLS_ZONES)


def test_a_scope_without_a_private_endpoint_is_refused():
    with pytest.raises(InterfaceError, match="private_endpoints: empty"):
        PrivateIngestionArgs(tags={}, resource_group_name="rg", location="westeurope", workspace_id="x")


def test_an_endpoint_missing_a_monitor_zone_is_refused(args):
    with pytest.raises(InterfaceError, match="registers in 5 zones"):
        args(private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINT.subnet_id,
                                                private_dns_zone_ids=ENDPOINT.private_dns_zone_ids[:2]),))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(PrivateIngestion, args)
