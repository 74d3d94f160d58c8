"""No NSG rule admits UDP from the internet (CIS 6.3; Checkov CKV_AZURE_77): amplification and DNS/NTP abuse."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, get
from amsterdam_cloud.policies.rules.network.nsg_common import internet_rules

FIX = "set protocol='Tcp' on inbound Allow rules from the internet, or remove them"


def check(resource: Resource, report: Report, settings: Any) -> None:
    for where, rule, source in internet_rules(resource, report, FIX):
        protocol = get(rule, "protocol")
        if protocol is None:
            report(f"{where}sets no protocol (Azure requires one); {FIX}")
        elif protocol is UNKNOWN:
            report.unknown(f"{where}the protocol of a rule from {source}", FIX)
        elif not isinstance(protocol, str) or protocol.strip().lower() in ("udp", "*", "any"):
            report(f"{where}admits UDP (protocol {protocol!r}) from {source}; set protocol='Tcp' or remove the rule")

RULE = Rule(
    id="network-nsg-no-udp-from-internet",
    title="NSGs do not admit UDP from the internet",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 9.1.2", "CIS 6.3"),
    remediation="Set protocol='Tcp' on inbound Allow rules from the internet, or remove them.",
    check=check,
    applies_to=("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"),
    settings=("environment",),
)
