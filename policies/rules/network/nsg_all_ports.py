"""No NSG rule opens every port to the internet."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.network.nsg_common import ALL_PORTS, internet_rules, port_ranges

FIX = "name a narrow source and the ports the service needs"


def check(resource: Resource, report: Report, settings: Any) -> None:
    for where, rule, source in internet_rules(resource, report, FIX):
        ranges = port_ranges(rule)
        if ranges is UNKNOWN:
            report.unknown(f"{where}the destination ports of a rule from {source}", FIX)
        elif ranges is None:
            report(f"{where}allows traffic from {source} to ports that cannot be read (malformed); "
                   "list the destination ports explicitly")
        elif ALL_PORTS in ranges:
            report(f"{where}allows every port from {source}; allow only the ports the service needs, "
                   "from the Application Gateway or Front Door, never from the internet")

RULE = Rule(
    id="network-nsg-no-all-ports-from-internet",
    title="NSGs do not open all ports to the internet",
    severity=Severity.CRITICAL,
    controls=("BIO 13.1.1", "BIO 9.1.2", "CIS 6.1", "CIS 6.2"),
    remediation="Replace the rule by one that names the needed ports and a narrow source.",
    check=check,
    applies_to=("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"),
)
