"""Microsoft Defender for Cloud's reporting: the subscription's security contacts (who hears of an alert) and
continuous export of alerts, recommendations and secure scores to the central workspace (so they are queried,
alerted on and kept with every other log, not only in the portal for 90 days)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import security

from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, WithInterfaces, supports
from amsterdam_cloud.core.ids import EMAIL

SEVERITIES = ("Low", "Medium", "High")
EXPORTED = ("Alerts", "Assessments", "SubAssessments", "SecureScores", "SecureScoreControls",
            "RegulatoryComplianceAssessment")
"""What continuous export sends (Defender's event sources): alerts, recommendations and their findings, the secure
score and its controls, and regulatory compliance (the BIO initiative's state)."""


@dataclass(frozen=True, kw_only=True)
class DefenderReportingArgs(CommonArgs):
    SUPPORTS = supports(reason="contacts and export take only tags")
    subscription_id: str
    """The subscription whose Defender findings are reported and exported."""
    resource_group_name: pulumi.Input[str]
    """The export automation's resource group (the management one); the component never creates it."""
    location: str
    """The export automation's region."""
    emails: tuple[str, ...]
    """Mailboxes that get Defender's alert e-mails (the security team's)."""
    workspace_id: pulumi.Input[str]
    """The central workspace the export writes to."""
    minimal_severity: str = "Medium"
    """Alerts of this severity and above are mailed; Low is left to the workspace."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.emails or not all(EMAIL.fullmatch(email) for email in self.emails):
            raise InterfaceError(f"DefenderReportingArgs.emails: {list(self.emails)}; expected one or more e-mail "
                                 "addresses")
        if self.minimal_severity not in SEVERITIES:
            raise InterfaceError(f"DefenderReportingArgs.minimal_severity: {self.minimal_severity!r}; expected one "
                                 f"of {', '.join(SEVERITIES)}")


class DefenderReporting(WithInterfaces, pulumi.ComponentResource):
    """The security contact and the continuous export (`resource_id`, `name`: the export automation)."""

    def __init__(self, name: str, args: DefenderReportingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:security:DefenderReporting", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Defender has one contact per subscription, named `default` (API 2023-12-01-preview)
        self.contact = security.SecurityContact(
            f"{name}-contact", security_contact_name="default", emails=";".join(args.emails), is_enabled=True,
            notifications_by_role=security.SecurityContactPropertiesNotificationsByRoleArgs(
                state="On", roles=["Owner"]),
            notifications_sources=[security.NotificationsSourceAlertArgs(
                source_type="Alert", minimal_severity=args.minimal_severity)],
            opts=child)
        subscription = f"/subscriptions/{args.subscription_id}"
        export = security.Automation(
            f"{name}-export", resource_group_name=args.resource_group_name, location=args.location,
            description="Continuous export of Defender for Cloud findings to the central workspace", is_enabled=True,
            scopes=[security.AutomationScopeArgs(description="The environment's subscription",
                                                 scope_path=subscription)],
            sources=[security.AutomationSourceArgs(event_source=source) for source in EXPORTED],
            actions=[security.AutomationActionWorkspaceArgs(action_type="Workspace",
                                                            workspace_resource_id=args.workspace_id)],
            tags=dict(args.tags), opts=child)
        self.resource_id, self.name = export.id, export.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})
