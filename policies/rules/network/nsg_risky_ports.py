"""No NSG rule opens WinRM, plain HTTP or a database port to the internet (CIS 6.4; Checkov CKV_AZURE_160)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.engine import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.network.nsg_common import (ALL_PORTS, internet_source, is_inbound_allow,
                                                               port_ranges, security_rules)

RISKY_PORTS = {80: "HTTP", 5985: "WinRM", 5986: "WinRM over TLS", 1433: "SQL Server", 3306: "MySQL",
               5432: "PostgreSQL", 6379: "Redis", 6380: "Redis over TLS", 27017: "MongoDB", 9200: "Elasticsearch"}


def check(resource: Resource, report: Report, settings: Any) -> None:
    for where, rule in security_rules(resource):
        if not is_inbound_allow(rule):
            continue
        source = internet_source(rule)
        if source is None or (source == "an unknown source" and not settings.strict):
            continue
        ranges = port_ranges(rule)
        if ranges is None:
            if settings.strict:
                report(f"{where}admits {source} on ports that are unknown until deployment; name the ports")
            continue
        if ALL_PORTS in ranges:
            continue  # all ports: reported by network-nsg-no-all-ports-from-internet
        opened = [f"{name} ({port})" for port, name in RISKY_PORTS.items() if any(lo <= port <= hi for lo, hi in ranges)]
        if opened:
            report(f"{where}allows {', '.join(opened)} from {source}; publish through Front Door or the hub "
                   "and reach databases and WinRM privately")


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
