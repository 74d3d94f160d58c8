"""The stack that owns the subscription's landing zone has an Azure Bastion host (CIS 7.1).

Without one, administrators reach virtual machines some other way: a public IP on the machine or RDP/SSH opened
towards it, which the NSG and public-IP rules then have to catch one by one. The landing zone's hub creates the
bastion (components/landing_zone/bastion.py); this rule fails a platform stack where it is gone. Judged on the
`subscriptionStacks` (rules/stack/subscription.py).
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import Resource, Severity, StackReport, StackRule
from amsterdam_cloud.policies.rules.stack.subscription import subscription_stack_urn

BASTION = "azure-native:network:BastionHost"


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    stack_urn = subscription_stack_urn(resources, settings, report, (BASTION,))
    if stack_urn is not None and not any(r.type == BASTION for r in resources):
        report("the landing zone has no Azure Bastion host, so administrators would need public IPs or open RDP/SSH "
               "to reach machines; declare a network.BastionHost in the hub's AzureBastionSubnet (the Hub component "
               "does)", stack_urn)


RULE = StackRule(
    id="network-bastion-present",
    title="The landing zone has an Azure Bastion host for administrative access",
    severity=Severity.MEDIUM,
    controls=("BIO 9.4.2", "BIO 13.1.1", "CIS 7.1"),
    remediation="Keep the Hub component's Bastion on the platform stack; reach machines through it, never through a "
                "public IP or an open RDP/SSH port.",
    check=check,
    applies_to=(BASTION,),
    settings=("environment", "subscriptionStacks"),
    defaults_source="network BastionHost, API 2024-05-01: a subscription has no bastion unless one is deployed "
                    "(learn.microsoft.com/azure/bastion/bastion-overview)",
)
