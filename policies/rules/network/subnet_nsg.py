"""Every subnet (standalone or inline in a virtual network) has a network security group."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get

# Azure forbids or manages NSGs on these subnets.
EXEMPT_SUBNETS = frozenset({"gatewaysubnet", "azurefirewallsubnet", "azurefirewallmanagementsubnet",
                            "routeserversubnet"})
FIX = "attach the spoke's NSG by its resource id (networkSecurityGroup.id), known at plan time"


def _judge(subnet: Mapping[str, Any], where: str, name: Any, report: Report, settings: Any) -> None:
    if isinstance(name, str) and name.lower() in EXEMPT_SUBNETS:
        report.skip(f"{name} takes no NSG (Azure forbids or manages it)")
        return
    nsg = get(subnet, "networkSecurityGroup")
    if nsg is None:
        report(f"{where}has no network security group; attach the spoke's NSG (networkSecurityGroup.id)")
    elif nsg is UNKNOWN:
        report.unknown(f"{where}networkSecurityGroup", FIX)
    elif get(nsg, "id") is UNKNOWN:
        return  # an NSG is attached: its id is the id of an NSG the plan creates, computed by Azure
    elif not isinstance(nsg, Mapping) or not get(nsg, "id"):
        report(f"{where}networkSecurityGroup has no id; attach the NSG by its resource id")


def check(resource: Resource, report: Report, settings: Any) -> None:
    if resource.type.endswith(":Subnet"):
        _judge(resource.props, "", resource.get("subnetName") or resource.get("name"), report, settings)
        return
    subnets = as_list(resource.get("subnets"))
    if subnets is UNKNOWN:
        report.unknown("subnets", FIX)
        return
    for index, subnet in enumerate(subnets):
        if isinstance(subnet, Mapping):
            name = get(subnet, "name")
            _judge(subnet, f"subnets[{index}] ({name or 'unnamed'}): ", name, report, settings)


RULE = Rule(
    id="network-subnet-has-nsg",
    title="Subnets have a network security group",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 13.1.3"),
    remediation="Attach a network security group to every subnet except GatewaySubnet, AzureFirewall* and RouteServerSubnet.",
    check=check,
    applies_to=("azure-native:network:Subnet", "azure-native:network:VirtualNetwork"),
)
