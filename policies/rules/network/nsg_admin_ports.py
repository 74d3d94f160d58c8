"""No NSG rule opens SSH (22) or RDP (3389) to the internet; use Azure Bastion."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.engine import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.network.nsg_common import (ALL_PORTS, internet_source, is_inbound_allow,
                                                               port_ranges, security_rules)

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}


def check(resource: Resource, report: Report, settings: Any) -> None:
    for where, rule in security_rules(resource):
        if not is_inbound_allow(rule):
            continue
        source = internet_source(rule)
        if source is None:
            continue
        ranges = port_ranges(rule)
        if ranges is None or ALL_PORTS in ranges:
            continue  # all ports: reported by network-nsg-no-all-ports-from-internet
        opened = [f"{name} ({port})" for port, name in ADMIN_PORTS.items() if any(lo <= port <= hi for lo, hi in ranges)]
        if opened:
            report(f"{where}allows {' and '.join(opened)} from {source}; remove the rule and reach machines "
                   "through Azure Bastion in the hub")


RULE = Rule(
    id="network-nsg-no-admin-ports-from-internet",
    title="NSGs do not open SSH or RDP to the internet",
    severity=Severity.CRITICAL,
    controls=("BIO 13.1.1", "BIO 9.1.2", "CIS 6.1", "CIS 6.2"),
    remediation="Delete inbound Allow rules for 22/3389 from */Internet/0.0.0.0/0; use Azure Bastion.",
    check=check,
    applies_to=("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"),
)
