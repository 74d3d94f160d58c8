"""Baseline alerts routed to the platform's action group: metric thresholds per resource type as data (firewall
health and SNAT, database CPU and storage), and AVD session host health from the central workspace.

Thresholds follow Azure Monitor Baseline Alerts (AMBA, Microsoft's alert set for the landing zone): a firewall below
90% health or above 80% SNAT port use, a flexible server above 80% CPU or 85% storage. AVD host pools have no platform
metric for host health, so that one is a log alert on `WVDAgentHealthStatus`, which every host pool's diagnostics
send to the central workspace (one rule covers every pool of the environment).
"""

from __future__ import annotations

from dataclasses import dataclass
import pulumi
from pulumi_azure_native import monitor

from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, WithInterfaces, supports

OPERATORS = ("GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual")
AGGREGATIONS = ("Average", "Maximum", "Minimum", "Total")


@dataclass(frozen=True, kw_only=True)
class Threshold:
    """One static metric threshold on a resource."""

    name: str
    """Short name of the alert (part of its resource name)."""
    metric: str
    """The metric's REST API name (Microsoft: "Supported metrics" of the resource type)."""
    operator: str
    """How the aggregated value compares to `threshold`."""
    threshold: float
    aggregation: str
    """How the metric's samples in the window are combined."""
    severity: int
    """0 critical to 4 verbose."""
    description: str
    """What it means and what to do, shown in the alert."""
    window: str = "PT15M"
    """The period each evaluation looks back over."""
    frequency: str = "PT5M"
    """How often the rule is evaluated."""

    def __post_init__(self) -> None:
        if self.operator not in OPERATORS or self.aggregation not in AGGREGATIONS or not 0 <= self.severity <= 4:
            raise InterfaceError(f"Threshold {self.name!r}: operator {self.operator!r}, aggregation "
                                 f"{self.aggregation!r}, severity {self.severity}; expected one of "
                                 f"{', '.join(OPERATORS)}, one of {', '.join(AGGREGATIONS)}, 0 to 4")


FIREWALL = (
    Threshold(name="health", metric="FirewallHealth", operator="LessThan", threshold=90, aggregation="Average",
              severity=1, description="Azure Firewall health below 90%: egress and east-west traffic may fail; "
                                      "check the firewall's resource health and SNAT"),
    Threshold(name="snat", metric="SNATPortUtilization", operator="GreaterThan", threshold=80,
              aggregation="Maximum", severity=2, description="Azure Firewall SNAT ports above 80% used: outbound "
                                                             "connections will start failing; add public IPs"),
)
"""Azure Firewall (Microsoft.Network/azureFirewalls)."""
FLEXIBLE_SERVER = (
    Threshold(name="cpu", metric="cpu_percent", operator="GreaterThan", threshold=80, aggregation="Average",
              severity=2, description="Database CPU above 80% for 15 minutes: scale the SKU up or tune queries"),
    Threshold(name="storage", metric="storage_percent", operator="GreaterThan", threshold=85,
              aggregation="Maximum", severity=1, description="Database storage above 85% used: auto-grow is on, "
                                                             "but check growth and the size limit"),
)
"""PostgreSQL and MySQL flexible servers (the same metric names on both)."""

AVD_UNHEALTHY_HOSTS = """WVDAgentHealthStatus
| summarize arg_max(TimeGenerated, Status) by SessionHostName, _ResourceId
| where Status !in ("Available", "Upgrading", "Shutdown")"""
"""Session hosts whose last heartbeat says they cannot take users (hosts the scaling plan stopped report Shutdown)."""


TAGS_ONLY = supports(reason="an alert rule takes only tags")
"""Alert rules take tags and nothing else of the shared interfaces: the others are refused rather than dropped."""


@dataclass(frozen=True, kw_only=True)
class MetricAlertsArgs(CommonArgs):
    SUPPORTS = TAGS_ONLY
    resource_group_name: pulumi.Input[str]
    """The alerts' resource group; the component never creates it."""
    target_id: pulumi.Input[str]
    """The resource watched."""
    thresholds: tuple[Threshold, ...]
    """The thresholds on it (e.g. FIREWALL, FLEXIBLE_SERVER)."""
    action_group_id: pulumi.Input[str]
    """Where a fired alert goes (the platform's action group)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.thresholds:
            raise InterfaceError("MetricAlertsArgs.thresholds: empty; pass the resource type's baseline")


class MetricAlerts(WithInterfaces, pulumi.ComponentResource):
    """One metric alert per threshold on one resource (`alert_ids` by threshold name)."""

    def __init__(self, name: str, args: MetricAlertsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:monitoring:MetricAlerts", name, None, opts)
        self.alert_ids: dict[str, pulumi.Output[str]] = {}
        for threshold in args.thresholds:
            alert = monitor.MetricAlert(
                f"{name}-{threshold.name}", resource_group_name=args.resource_group_name, location="global",
                scopes=[args.target_id], enabled=True, severity=threshold.severity, auto_mitigate=True,
                description=threshold.description, evaluation_frequency=threshold.frequency,
                window_size=threshold.window,
                criteria=monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
                    odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                    all_of=[monitor.MetricCriteriaArgs(
                        criterion_type="StaticThresholdCriterion", name=threshold.name,
                        metric_name=threshold.metric, operator=threshold.operator,
                        threshold=threshold.threshold, time_aggregation=threshold.aggregation)]),
                actions=[monitor.MetricAlertActionArgs(action_group_id=args.action_group_id)],
                tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self))
            self.alert_ids[threshold.name] = alert.id
        self.resource_id = pulumi.Output.from_input(args.target_id)
        self.register_outputs({"alert_ids": self.alert_ids})


@dataclass(frozen=True, kw_only=True)
class HostHealthAlertArgs(CommonArgs):
    SUPPORTS = TAGS_ONLY
    resource_group_name: pulumi.Input[str]
    """The rule's resource group; the component never creates it."""
    location: str
    """The workspace's region (a log alert runs where its workspace is)."""
    workspace_id: pulumi.Input[str]
    """The central workspace the host pools' diagnostics go to."""
    action_group_id: pulumi.Input[str]
    """Where a fired alert goes (the platform's action group)."""


class HostHealthAlert(WithInterfaces, pulumi.ComponentResource):
    """A log alert: a session host that is not available (per host and pool) alerts the action group."""

    def __init__(self, name: str, args: HostHealthAlertArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:monitoring:HostHealthAlert", name, None, opts)
        rule = monitor.ScheduledQueryRule(
            f"{name}-rule", resource_group_name=args.resource_group_name, location=args.location, kind="LogAlert",
            display_name="AVD session host unavailable", enabled=True, severity=1, auto_mitigate=True,
            description="A session host reports a status other than Available (domain trust, FSLogix, agent, "
                        "stack); drain it and check its health checks in AVD Insights",
            scopes=[args.workspace_id], evaluation_frequency="PT5M", window_size="PT15M",
            criteria=monitor.ScheduledQueryRuleCriteriaArgs(all_of=[monitor.ConditionArgs(
                query=AVD_UNHEALTHY_HOSTS, time_aggregation="Count", operator="GreaterThan", threshold=0,
                dimensions=[monitor.DimensionArgs(name="SessionHostName", operator="Include", values=["*"])],
                failing_periods=monitor.ConditionFailingPeriodsArgs(min_failing_periods_to_alert=1,
                                                                    number_of_evaluation_periods=1))]),
            actions=monitor.ActionsArgs(action_groups=[args.action_group_id]),
            tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self))
        self.resource_id, self.name = rule.id, rule.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})
