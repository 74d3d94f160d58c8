"""No database firewall rule opens the server to every address or to all of Azure (0.0.0.0)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe


def check(resource: Resource, report: Report, settings: Any) -> None:
    start, end = resource.get("startIpAddress"), resource.get("endIpAddress")
    if start is UNKNOWN or end is UNKNOWN:
        report.unknown("startIpAddress/endIpAddress", "name the addresses")
        return
    if not isinstance(start, str) or not isinstance(end, str):
        report(f"the rule's range ({describe(start)} to {describe(end)}) is not two addresses; name the addresses")
    elif start.strip() == "0.0.0.0" and end.strip() == "0.0.0.0":
        report("the rule 0.0.0.0-0.0.0.0 admits every Azure service of every tenant; remove it and use a "
               "private endpoint")
    elif start.strip() == "0.0.0.0":
        report(f"the rule {start}-{end} admits the internet; remove it and use a private endpoint")


RULE = Rule(
    id="database-firewall-no-allow-all",
    title="Database firewalls admit neither the internet nor all of Azure",
    severity=Severity.CRITICAL,
    controls=("BIO 13.1.1", "BIO 13.1.3", "CIS 4.1.2", "CIS 4.3.7"),
    remediation="Remove firewall rules starting at 0.0.0.0; reach the server through a private endpoint.",
    check=check,
    applies_to=("azure-native:sql:FirewallRule", "azure-native:dbforpostgresql:FirewallRule",
                "azure-native:dbformysql:FirewallRule"),
    settings=("environment",),
)
