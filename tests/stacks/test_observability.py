"""Observability on the recorded platform plans: private ingestion end to end (AMPLS in the hub, workspace and data
collection endpoint scoped, PrivateOnly), flow logs on every network, Defender's export and the baseline alerts, all
into the central workspace and the action group."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_ZONES
from amsterdam_cloud.stacks.config import ENVIRONMENTS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_logs_are_ingested_privately_through_the_scope_endpoint_in_the_hub(stack_plan, stack):
    plan = stack_plan(stack)
    outputs = plan.stack_outputs
    scope = plan.named("monitor-private-link-ampls")
    assert set(scope.inputs["accessModeSettings"].values()) == {"PrivateOnly"}
    scoped = {r.inputs["linkedResourceId"] for r in plan.of_type("azure-native:monitor:PrivateLinkScopedResource")}
    assert scoped == {outputs["workspaceId"], outputs["dataCollectionEndpointId"]}
    endpoint = plan.named("monitor-private-link-pe")
    assert endpoint.inputs["subnet"]["id"] == plan.named("hub-shared").id
    zones = [z["privateDnsZoneId"] for z in plan.named("monitor-private-link-pe-dns").inputs["privateDnsZoneConfigs"]]
    assert zones == [outputs["privateDnsZoneIds"][zone] for zone in AMPLS_ZONES]
    assert plan.named("management-workspace").inputs["publicNetworkAccessForIngestion"] == "Disabled"


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_network_has_a_flow_log_kept_90_days_or_more_analysed_in_the_central_workspace(stack_plan, stack):
    plan = stack_plan(stack)
    outputs = plan.stack_outputs
    networks = {outputs["hubVirtualNetworkId"]} | {s["virtualNetworkId"] for s in outputs["spokes"].values()}
    logs = {r.inputs["targetResourceId"]: r.inputs for r in plan.of_type("azure-native:network:FlowLog")}
    assert set(logs) == networks
    for log in logs.values():
        assert log["retentionPolicy"]["enabled"] is True and log["retentionPolicy"]["days"] >= 90
        analytics = log["flowAnalyticsConfiguration"]["networkWatcherFlowAnalyticsConfiguration"]
        assert analytics["workspaceResourceId"] == outputs["workspaceId"]
        assert analytics["workspaceId"] == outputs["workspaceCustomerId"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_defender_mails_the_alert_recipients_and_exports_to_the_central_workspace(stack_plan, stack):
    plan = stack_plan(stack)
    [contact] = plan.of_type("azure-native:security:SecurityContact")
    assert contact.inputs["emails"] and contact.inputs["isEnabled"] is True
    [export] = plan.of_type("azure-native:security:Automation")
    assert export.inputs["actions"] == [{"actionType": "Workspace",
                                         "workspaceResourceId": plan.stack_outputs["workspaceId"]}]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_firewall_and_session_host_health_alert_the_action_group(stack_plan, stack):
    plan = stack_plan(stack)
    action_group = plan.stack_outputs["actionGroupId"]
    firewall = plan.of_type("azure-native:network:AzureFirewall")[0].id
    metric = {a.inputs["criteria"]["allOf"][0]["metricName"]: a.inputs
              for a in plan.of_type("azure-native:monitor:MetricAlert")}
    assert set(metric) == {"FirewallHealth", "SNATPortUtilization"}
    assert all(a["scopes"] == [firewall] and a["actions"] == [{"actionGroupId": action_group}]
               for a in metric.values())
    [hosts] = plan.of_type("azure-native:monitor:ScheduledQueryRule")
    assert hosts.inputs["scopes"] == [plan.stack_outputs["workspaceId"]]
    assert hosts.inputs["actions"]["actionGroups"] == [action_group]
