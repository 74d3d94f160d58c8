"""IP forwarding (routing other machines' traffic) only on network appliances in the connectivity part."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool
from amsterdam_cloud.policies.rules.network.connectivity import SETTINGS, in_connectivity, report_unknown_subscription


def check(resource: Resource, report: Report, settings: Any) -> None:
    exempt = in_connectivity(resource, settings)
    if exempt is UNKNOWN and resource.get("enableIPForwarding") is True:
        report_unknown_subscription(report)
    elif exempt is True:
        report.skip("in the landing zone's connectivity part")
    else:
        check_bool(resource, report, settings, path="enableIPForwarding", want=False, default=False,
                   fix="set enableIPForwarding=False; only hub appliances route traffic")


RULE = Rule(
    id="network-no-ip-forwarding",
    title="No IP forwarding outside the connectivity part",
    severity=Severity.MEDIUM,
    controls=("BIO 13.1.3",),
    remediation="Set enableIPForwarding=False on the network interface.",
    check=check,
    applies_to=("azure-native:network:NetworkInterface",),
    settings=SETTINGS,
    defaults_source="network NetworkInterface, API 2024-05-01: IP forwarding is off unless enabled",
)
