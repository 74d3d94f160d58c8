"""Baseline alerts under mocks: each threshold of a resource type becomes one metric alert on the resource, routed
to the action group; unhealthy AVD session hosts alert from the central workspace."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock
from amsterdam_cloud.components.monitoring.alerts import FIREWALL, HostHealthAlert, HostHealthAlertArgs, \
    MetricAlerts, MetricAlertsArgs

from ..conftest import SUBSCRIPTION

FIREWALL_ID = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/azureFirewalls/fw"
ACTION_GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-management/providers/Microsoft.Insights/" \
               "actionGroups/platform"


def test_each_firewall_threshold_is_a_metric_alert_to_the_action_group(plan_inline, tags):
    plan = plan_inline(lambda: MetricAlerts("fw-alerts", MetricAlertsArgs(
        tags=tags, resource_group_name="rg-management", target_id=FIREWALL_ID, thresholds=FIREWALL,
        action_group_id=ACTION_GROUP)))
    alerts = {a.name: a.inputs for a in plan.of_type("azure-native:monitor:MetricAlert")}
    criteria = {name: a["criteria"]["allOf"][0] for name, a in alerts.items()}
    assert {(c["metricName"], c["operator"], c["threshold"]) for c in criteria.values()} == {
        ("FirewallHealth", "LessThan", 90), ("SNATPortUtilization", "GreaterThan", 80)}
    assert all(a["scopes"] == [FIREWALL_ID] and a["actions"] == [{"actionGroupId": ACTION_GROUP}]
               for a in alerts.values())


def test_unavailable_session_hosts_alert_from_the_workspace(plan_inline, tags, workspace_id):
    plan = plan_inline(lambda: HostHealthAlert("avd", HostHealthAlertArgs(
        tags=tags, resource_group_name="rg-management", location="westeurope", workspace_id=workspace_id,
        action_group_id=ACTION_GROUP)))
    rule = plan.named("avd-rule").inputs
    assert rule["scopes"] == [workspace_id] and rule["actions"]["actionGroups"] == [ACTION_GROUP]
    condition = rule["criteria"]["allOf"][0]
    assert condition["query"].startswith("WVDAgentHealthStatus") and '"Available"' in condition["query"]
    assert (condition["operator"], condition["threshold"]) == ("GreaterThan", 0)


def test_an_alert_refuses_interfaces_it_cannot_honour(tags):
    with pytest.raises(InterfaceError, match="takes only tags"):
        MetricAlertsArgs(tags=tags, lock=Lock(), resource_group_name="rg", target_id=FIREWALL_ID,
                         thresholds=FIREWALL, action_group_id=ACTION_GROUP)


def test_metric_alerts_honour_the_interfaces_they_declare_and_refuse_the_others(conforms, tags):
    conforms(MetricAlerts, lambda: MetricAlertsArgs(tags=tags, resource_group_name="rg-management",
                                                    target_id=FIREWALL_ID, thresholds=FIREWALL,
                                                    action_group_id=ACTION_GROUP))


def test_the_host_health_alert_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags,
                                                                                           workspace_id):
    conforms(HostHealthAlert, lambda: HostHealthAlertArgs(tags=tags, resource_group_name="rg-management",
                                                          location="westeurope", workspace_id=workspace_id,
                                                          action_group_id=ACTION_GROUP))
