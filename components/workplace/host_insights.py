"""What the session hosts themselves report: the data collection rule Azure Virtual Desktop Insights reads
(performance counters and event logs, FSLogix included), sent by the Azure Monitor Agent to the central workspace.

The counters and event logs are those of Microsoft's AVD Insights configuration workbook; AVD Insights finds the
rule by its name, which must start with `microsoft-avdi-`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, InterfaceError, WithInterfaces, supports

RULE_NAME_PREFIX = "microsoft-avdi-"

FAST_COUNTERS = (
    "\\LogicalDisk(C:)\\Avg. Disk Queue Length", "\\LogicalDisk(C:)\\Current Disk Queue Length",
    "\\Memory\\Available Mbytes", "\\Memory\\Page Faults/sec", "\\Memory\\Pages/sec",
    "\\Memory\\% Committed Bytes In Use", "\\PhysicalDisk(*)\\Avg. Disk Queue Length",
    "\\PhysicalDisk(*)\\Avg. Disk sec/Read", "\\PhysicalDisk(*)\\Avg. Disk sec/Transfer",
    "\\PhysicalDisk(*)\\Avg. Disk sec/Write", "\\Processor Information(_Total)\\% Processor Time",
    "\\User Input Delay per Process(*)\\Max Input Delay", "\\User Input Delay per Session(*)\\Max Input Delay",
    "\\RemoteFX Network(*)\\Current TCP RTT", "\\RemoteFX Network(*)\\Current UDP Bandwidth",
)
"""Sampled every 30 seconds: load, memory pressure, disk latency, input delay, network round trip."""
SLOW_COUNTERS = (
    "\\LogicalDisk(C:)\\% Free Space", "\\LogicalDisk(C:)\\Avg. Disk sec/Transfer",
    "\\Terminal Services(*)\\Active Sessions", "\\Terminal Services(*)\\Inactive Sessions",
    "\\Terminal Services(*)\\Total Sessions",
)
"""Sampled every minute: free space and session counts."""
_NOT_VERBOSE = "*[System[(Level=1 or Level=2 or Level=3 or Level=4 or Level=0)]]"
EVENT_LOGS = (
    "Application!*[System[(Level=2 or Level=3)]]",
    "System!*[System[(Level=2 or Level=3)]]",
    f"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin!{_NOT_VERBOSE}",
    f"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational!{_NOT_VERBOSE}",
    f"Microsoft-FSLogix-Apps/Operational!{_NOT_VERBOSE}",
    f"Microsoft-FSLogix-Apps/Admin!{_NOT_VERBOSE}",
)
"""Errors and warnings of Windows; session manager and FSLogix events short of verbose."""


@dataclass(frozen=True, kw_only=True)
class HostInsightsArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments",
                        reason="a data collection rule has no logs, private endpoint, identity or state of its own")
    resource_group_name: pulumi.Input[str]
    """The rule's resource group; the component never creates it."""
    location: str
    """The hosts' region (a rule serves machines in its own region)."""
    workspace_id: pulumi.Input[str]
    """The Log Analytics workspace the hosts report to (the central one)."""
    rule_name: str
    """The rule's name; AVD Insights requires the prefix microsoft-avdi-."""
    data_collection_endpoint_id: pulumi.Input[str] | None = None
    """None: the agents send to the workspace's public ingestion (refused by the city's workspace); the platform's
    data collection endpoint in its AMPLS: they send privately through it."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.rule_name.startswith(RULE_NAME_PREFIX):
            raise InterfaceError(f"HostInsightsArgs.rule_name: {self.rule_name!r}; AVD Insights finds the rule only "
                                 f"by the prefix {RULE_NAME_PREFIX}")


class HostInsights(WithInterfaces, pulumi.ComponentResource):
    """The data collection rule (`resource_id`, `name`); session hosts associate with it."""

    def __init__(self, name: str, args: HostInsightsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:HostInsights", name, None, opts)
        rule = monitor.DataCollectionRule(
            f"{name}-rule", resource_group_name=args.resource_group_name, location=args.location,
            data_collection_rule_name=args.rule_name, kind="Windows",
            data_collection_endpoint_id=args.data_collection_endpoint_id,
            description="Azure Virtual Desktop Insights: session host counters and events",
            data_sources=monitor.DataCollectionRuleDataSourcesArgs(
                performance_counters=[
                    monitor.PerfCounterDataSourceArgs(name="avd-fast", streams=["Microsoft-Perf"],
                                                      sampling_frequency_in_seconds=30,
                                                      counter_specifiers=list(FAST_COUNTERS)),
                    monitor.PerfCounterDataSourceArgs(name="avd-slow", streams=["Microsoft-Perf"],
                                                      sampling_frequency_in_seconds=60,
                                                      counter_specifiers=list(SLOW_COUNTERS))],
                windows_event_logs=[monitor.WindowsEventLogDataSourceArgs(
                    name="avd-events", streams=["Microsoft-Event"], x_path_queries=list(EVENT_LOGS))]),
            destinations=monitor.DataCollectionRuleDestinationsArgs(log_analytics=[
                monitor.LogAnalyticsDestinationArgs(name="central", workspace_resource_id=args.workspace_id)]),
            data_flows=[monitor.DataFlowArgs(streams=["Microsoft-Perf", "Microsoft-Event"],
                                             destinations=["central"])],
            tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self))
        self.add_interfaces(name, scope_id=rule.id, args=args, diagnostics=NO_DIAGNOSTICS)
        self.resource_id, self.name = rule.id, rule.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})
