"""AVD Insights under mocks: the data collection rule's name, what it collects and where it sends it."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.workplace.host_insights import HostInsights, HostInsightsArgs


@pytest.fixture
def args(tags, workspace_id):
    def make(**overrides) -> HostInsightsArgs:
        values = dict(tags=tags, resource_group_name="rg-hosts", location="westeurope", workspace_id=workspace_id,
                      rule_name="microsoft-avdi-avd-dev")
        values.update(overrides)
        return HostInsightsArgs(**values)
    return make


def test_rule_sends_counters_and_events_to_the_workspace(plan_inline, args, workspace_id):
    rule = plan_inline(lambda: HostInsights("insights", args())).named("insights-rule").inputs
    assert rule["destinations"]["logAnalytics"] == [{"name": "central", "workspaceResourceId": workspace_id}]
    assert rule["dataFlows"] == [{"streams": ["Microsoft-Perf", "Microsoft-Event"], "destinations": ["central"]}]
    assert rule["dataCollectionRuleName"] == "microsoft-avdi-avd-dev" and rule["kind"] == "Windows"


def test_rule_collects_input_delay_and_fslogix_events(plan_inline, args):
    sources = plan_inline(lambda: HostInsights("insights", args())).named("insights-rule").inputs["dataSources"]
    counters = [c for source in sources["performanceCounters"] for c in source["counterSpecifiers"]]
    assert "\\User Input Delay per Session(*)\\Max Input Delay" in counters
    assert any(query.startswith("Microsoft-FSLogix-Apps/Operational!")
               for query in sources["windowsEventLogs"][0]["xPathQueries"])


def test_a_rule_avd_insights_cannot_find_is_refused(args):
    with pytest.raises(InterfaceError, match="prefix microsoft-avdi-"):
        args(rule_name="avd-dev-insights")


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(HostInsights, args)
