"""Public IP addresses exist only in the connectivity part of the landing zone (hub firewall, gateways, Bastion)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.network.connectivity import SETTINGS, in_connectivity, report_unknown_subscription


def check(resource: Resource, report: Report, settings: Any) -> None:
    exempt = in_connectivity(resource, settings)
    if exempt is UNKNOWN:
        report_unknown_subscription(report)
    elif exempt is True:
        report.skip("in the landing zone's connectivity part")
    else:
        report("is a public IP outside the connectivity part of the landing zone; publish through the hub's "
               "Application Gateway, Front Door or firewall instead")


RULE = Rule(
    id="network-public-ip-only-in-connectivity",
    title="Public IPs only in the landing zone's connectivity part",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Remove the PublicIPAddress; expose the workload through the hub (Application Gateway, Front Door).",
    check=check,
    applies_to=("azure-native:network:PublicIPAddress",),
    settings=SETTINGS,
)
