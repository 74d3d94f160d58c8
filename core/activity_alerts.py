"""The administrative operations the subscription's activity log must alert on (CIS Microsoft Azure Foundations
v2.1.0, section 5.2): one fact read by the component that creates the alerts and the rule that requires them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class AlertedOperation:
    """One activity-log operation that must alert the platform's action group."""

    role: str
    """The alert's logical name suffix (`<management>-<role>`); stable, as it is part of the alert's URN."""
    operation: str
    """The exact `operationName` the alert's condition matches (the Resource Manager operation)."""
    description: str
    """What happened, as the alert's description says it to the people it reaches."""
    cis: str
    """The CIS v2.1.0 recommendation that asks for the alert (`CIS 5.2.1`)."""


CIS_ALERTED_OPERATIONS: tuple[AlertedOperation, ...] = (
    AlertedOperation(role="policy-assignment-written", operation="Microsoft.Authorization/policyAssignments/write",
                     description="A policy assignment (guardrail) was created or changed", cis="CIS 5.2.1"),
    AlertedOperation(role="policy-assignment-deleted", operation="Microsoft.Authorization/policyAssignments/delete",
                     description="A policy assignment (guardrail) was deleted", cis="CIS 5.2.2"),
    AlertedOperation(role="nsg-written", operation="Microsoft.Network/networkSecurityGroups/write",
                     description="A network security group was created or changed", cis="CIS 5.2.3"),
    AlertedOperation(role="nsg-deleted", operation="Microsoft.Network/networkSecurityGroups/delete",
                     description="A network security group was deleted", cis="CIS 5.2.4"),
    AlertedOperation(role="security-solution-written", operation="Microsoft.Security/securitySolutions/write",
                     description="A Defender for Cloud security solution was created or changed", cis="CIS 5.2.5"),
    AlertedOperation(role="security-solution-deleted", operation="Microsoft.Security/securitySolutions/delete",
                     description="A Defender for Cloud security solution was deleted", cis="CIS 5.2.6"),
    AlertedOperation(role="sql-firewall-rule-written", operation="Microsoft.Sql/servers/firewallRules/write",
                     description="A SQL server firewall rule was created or changed", cis="CIS 5.2.7"),
    AlertedOperation(role="sql-firewall-rule-deleted", operation="Microsoft.Sql/servers/firewallRules/delete",
                     description="A SQL server firewall rule was deleted", cis="CIS 5.2.8"),
    AlertedOperation(role="public-ip-written", operation="Microsoft.Network/publicIPAddresses/write",
                     description="A public IP address was created or changed", cis="CIS 5.2.9"),
    AlertedOperation(role="public-ip-deleted", operation="Microsoft.Network/publicIPAddresses/delete",
                     description="A public IP address was deleted", cis="CIS 5.2.10"),
)
"""CIS 5.2.1 to 5.2.10, in the benchmark's order."""
