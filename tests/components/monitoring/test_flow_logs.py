"""VNet flow logs under mocks: every network logged by Azure's regional watcher, kept at least 90 days in a private
account written by identity, traffic analytics into the central workspace."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint
from amsterdam_cloud.components.monitoring.flow_logs import VnetFlowLogs, VnetFlowLogsArgs

from ..conftest import CONFORMANCE_SUBNET, CONFORMANCE_ZONE, SUBSCRIPTION

NETWORKS = {name: f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-{name}/providers/Microsoft.Network/"
                  f"virtualNetworks/{name}" for name in ("hub", "apps")}
CUSTOMER_ID = "0b1c2d3e-0000-4000-8000-000000000042"


@pytest.fixture
def args(tags, workspace_id):
    def make(**overrides) -> VnetFlowLogsArgs:
        values = dict(tags=tags, resource_group_name="rg-management", location="westeurope", networks=NETWORKS,
                      workspace_id=workspace_id, workspace_customer_id=CUSTOMER_ID,
                      storage_account_name="stamsflowlogsdev")
        values.update(overrides)
        return VnetFlowLogsArgs(**values)
    return make


def test_every_network_gets_a_flow_log_kept_90_days_with_traffic_analytics(plan_inline, args, workspace_id):
    plan = plan_inline(lambda: VnetFlowLogs("flows", args()))
    logs = {r.inputs["targetResourceId"]: r for r in plan.of_type("azure-native:network:FlowLog")}
    assert set(logs) == set(NETWORKS.values())
    for log in logs.values():
        assert (log.inputs["resourceGroupName"], log.inputs["networkWatcherName"]) == (
            "NetworkWatcherRG", "NetworkWatcher_westeurope")
        assert log.inputs["retentionPolicy"] == {"enabled": True, "days": 90}
        assert log.inputs["storageId"] == plan.named("flows-st-account").id
        analytics = log.inputs["flowAnalyticsConfiguration"]["networkWatcherFlowAnalyticsConfiguration"]
        assert (analytics["enabled"], analytics["workspaceResourceId"], analytics["workspaceId"]) == (
            True, workspace_id, CUSTOMER_ID)


def test_network_watcher_writes_by_identity_into_an_account_without_keys_or_public_access(plan_inline, args):
    plan = plan_inline(lambda: VnetFlowLogs("flows", args()))
    account = plan.named("flows-st-account").inputs
    assert (account["allowSharedKeyAccess"], account["publicNetworkAccess"]) == (False, "Disabled")
    identity = plan.named("flows-identity").id
    writer = plan.named("flows-writer-role-0")
    assert writer.inputs["scope"] == plan.named("flows-st-account").id
    assert all(log.inputs["identity"]["userAssignedIdentities"] == [identity] and writer.urn in log.dependencies
               for log in plan.of_type("azure-native:network:FlowLog"))


def test_people_reach_the_raw_flow_logs_through_a_blob_endpoint(plan_inline, args):
    endpoint = PrivateEndpoint(subnet_id=CONFORMANCE_SUBNET, private_dns_zone_ids=(CONFORMANCE_ZONE,))
    plan = plan_inline(lambda: VnetFlowLogs("flows", args(private_endpoints=(endpoint,))))
    [pe] = plan.of_type("azure-native:network:PrivateEndpoint")
    [connection] = pe.inputs["privateLinkServiceConnections"]
    assert connection["groupIds"] == ["blob"]
    assert connection["privateLinkServiceId"] == plan.named("flows-st-account").id


def test_retention_under_90_days_is_refused(args):
    with pytest.raises(InterfaceError, match="at least 90 days"):
        args(retention_days=30)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(VnetFlowLogs, args)
