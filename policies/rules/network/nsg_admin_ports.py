"""No NSG rule opens SSH (22) or RDP (3389) to the internet; use Azure Bastion."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.network.nsg_common import ALL_PORTS, internet_rules, opened, port_ranges

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
FIX = "name the source and ports explicitly, never SSH or RDP from the internet; use Azure Bastion"


def check(resource: Resource, report: Report, settings: Any) -> None:
    for where, rule, source in internet_rules(resource, report, FIX):
        ranges = port_ranges(rule)
        if ranges is UNKNOWN:
            report.unknown(f"{where}the destination ports of a rule from {source}", FIX)
        elif ranges is not None and ALL_PORTS not in ranges and opened(ranges, ADMIN_PORTS):
            # malformed or all ports: reported by network-nsg-no-all-ports-from-internet
            report(f"{where}allows {' and '.join(opened(ranges, ADMIN_PORTS))} from {source}; remove the rule "
                   "and reach machines through Azure Bastion in the hub")

RULE = Rule(
    id="network-nsg-no-admin-ports-from-internet",
    title="NSGs do not open SSH or RDP to the internet",
    severity=Severity.CRITICAL,
    controls=("BIO 13.1.1", "BIO 9.1.2", "CIS 6.1", "CIS 6.2"),
    remediation="Delete inbound Allow rules for 22/3389 from */Internet/0.0.0.0/0; use Azure Bastion.",
    check=check,
    applies_to=("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"),
)
