"""Observability on the recorded platform plans: private ingestion end to end (the workspace and the fixed-named
data collection endpoint held in the city's one AMPLS by the connectivity stack, reached through the firewall), flow
logs on every network, Defender's export and the baseline alerts, all into the central workspace and action group."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.landing_zone.connectivity import MONITOR_SCOPE_NAME
from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_FQDNS
from amsterdam_cloud.core.environments import central_workspace_id, collection_endpoint_id
from amsterdam_cloud.stacks.config import ENVIRONMENTS, load

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_logs_are_ingested_privately_through_the_citys_one_scope_in_the_connectivity_subscription(stack_plan, stack):
    plan = stack_plan(stack)
    outputs = plan.stack_outputs
    ref = load(stack).connectivity.ref
    # no scope and no scope endpoint of its own: a second one on the central zones would rewrite the city's records
    assert plan.of_type("azure-native:monitor:PrivateLinkScope") == []
    assert [e for e in plan.of_type("azure-native:network:PrivateEndpoint")
            if e.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["azuremonitor"]] == []
    # nothing written into the city's scope: the connectivity stack holds this environment's entries, by these ids
    assert plan.of_type("azure-native:monitor:PrivateLinkScopedResource") == []
    assert outputs["workspaceId"] == central_workspace_id(load(stack).subscription_id, stack)
    assert outputs["dataCollectionEndpointId"] == collection_endpoint_id(load(stack).subscription_id, stack)
    assert outputs["monitorPrivateLinkScope"] == {"name": MONITOR_SCOPE_NAME, "resourceGroupName":
                                                  ref.resource_group_name, "subscriptionId": ref.subscription_id}
    assert plan.named("management-workspace").inputs["publicNetworkAccessForIngestion"] == "Disabled"


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_spokes_reach_the_scope_endpoint_beyond_the_hub_through_a_translating_application_rule(stack_plan, stack):
    plan = stack_plan(stack)
    config = load(stack)
    baseline = plan.named("hub-fw-baseline").inputs["ruleCollections"]
    rules = {rule["name"]: rule for collection in baseline for rule in collection["rules"]}
    rule = rules["private-link-beyond-hub"]
    assert rule["ruleType"] == "ApplicationRule"  # application rules always SNAT: the answer returns this way
    assert rule["sourceAddresses"] == [config.network.plan.address_space]
    assert rule["targetFqdns"] == list(AMPLS_FQDNS)
    assert rule["protocols"] == [{"protocolType": "Https", "port": 443}]


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
