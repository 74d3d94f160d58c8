"""Network interfaces outside the connectivity part carry no public IP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get
from amsterdam_cloud.policies.rules.network.connectivity import SETTINGS, in_connectivity, report_unknown_subscription


def check(resource: Resource, report: Report, settings: Any) -> None:
    exempt = in_connectivity(resource, settings)
    if exempt is True:
        report.skip("in the landing zone's connectivity part")
        return
    configs = as_list(resource.get("ipConfigurations"))
    if configs is UNKNOWN:
        report.unknown("ipConfigurations", "declare the IP configurations in the program, without publicIPAddress")
        return
    for index, config in enumerate(configs):
        public_ip = get(config, "publicIPAddress") if isinstance(config, Mapping) else None
        if public_ip is UNKNOWN:
            report.unknown(f"ipConfigurations[{index}].publicIPAddress", "leave publicIPAddress unset")
        elif public_ip is not None and exempt is UNKNOWN:
            report_unknown_subscription(report)
        elif public_ip is not None:
            report(f"ipConfigurations[{index}] has a public IP; remove publicIPAddress and reach the machine "
                   "through Azure Bastion")


RULE = Rule(
    id="network-nic-no-public-ip",
    title="Network interfaces carry no public IP",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Drop ipConfigurations[].publicIPAddress; use Azure Bastion for administration.",
    check=check,
    applies_to=("azure-native:network:NetworkInterface",),
    settings=SETTINGS,
)
