"""No NSG rule opens WinRM, plain HTTP or a database port to the internet (CIS 6.4; Checkov CKV_AZURE_160)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.network.nsg_common import ALL_PORTS, internet_rules, opened, port_ranges

RISKY_PORTS = {80: "HTTP", 5985: "WinRM", 5986: "WinRM over TLS", 1433: "SQL Server", 3306: "MySQL",
               5432: "PostgreSQL", 6379: "Redis", 6380: "Redis over TLS", 27017: "MongoDB", 9200: "Elasticsearch"}
FIX = "name the ports; publish HTTP through Front Door and reach databases and WinRM privately"


def check(resource: Resource, report: Report, settings: Any) -> None:
    for where, rule, source in internet_rules(resource, report, FIX):
        ranges = port_ranges(rule)
        if ranges is UNKNOWN:
            report.unknown(f"{where}the destination ports of a rule from {source}", FIX)
        elif ranges is not None and ALL_PORTS not in ranges and opened(ranges, RISKY_PORTS):
            # malformed or all ports: reported by network-nsg-no-all-ports-from-internet
            report(f"{where}allows {', '.join(opened(ranges, RISKY_PORTS))} from {source}; publish through Front "
                   "Door or the hub and reach databases and WinRM privately")

RULE = Rule(
    id="network-nsg-no-risky-ports-from-internet",
    title="NSGs do not open WinRM, HTTP or database ports to the internet",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 9.1.2", "CIS 6.4"),
    remediation="Delete inbound Allow rules for 80, 5985/5986 and database ports from */Internet/0.0.0.0/0.",
    check=check,
    applies_to=("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"),
    settings=("environment",),
)
