"""Management: the central Log Analytics workspace, the platform's action group for alerts, and the monthly budget."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pulumi
from pulumi_azure_native import consumption, monitor, operationalinsights

from amsterdam_cloud.core import budgets, ids
from amsterdam_cloud.core.activity_alerts import CIS_ALERTED_OPERATIONS
from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSettings, DiagnosticSupport,
                                                   InterfaceError, WithInterfaces, create_diagnostic_settings,
                                                   require_auto_name, require_name, supports)
from amsterdam_cloud.core.regions import EU_REGIONS

WORKSPACE = "azure-native:operationalinsights:Workspace"
_EMAIL = ids.EMAIL

ACTIVITY_LOG_CATEGORIES = ("Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy",
                           "Autoscale", "ResourceHealth")
"""Every category of the subscription's activity log: all of it goes to the central workspace."""

SECURITY_OPERATIONS: dict[str, tuple[str, str]] = {
    **{alert.role: (alert.operation, alert.description) for alert in CIS_ALERTED_OPERATIONS},
    "lock-deleted": ("Microsoft.Authorization/locks/delete", "A management lock was deleted"),
    "nsg-rule-changed": ("Microsoft.Network/networkSecurityGroups/securityRules/write",
                         "A network security rule was created or changed"),
    "firewall-policy-changed": ("Microsoft.Network/firewallPolicies/ruleCollectionGroups/write",
                                "A firewall rule collection group was created or changed"),
}
"""Activity-log operations that weaken the guardrails: the ten of CIS 5.2 (`core/activity_alerts.py`, which
`monitoring-activity-log-alerts` requires) and the city's own; each one alerts the action group."""


@dataclass(frozen=True, kw_only=True)
class ManagementArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "managed_identities", "protect",
                        reason="a workspace has no private endpoint of its own (that is an Azure Monitor Private Link "
                               "Scope)")
    resource_group_name: pulumi.Input[str]
    """The resource group of the workspace and the action group; the component never creates it."""
    location: str
    """The workspace's region (an EU region from the stack config)."""
    subscription_id: str
    """The subscription the budget watches."""
    retention_days: int
    """How long the workspace keeps logs (30 to 730 days; 365 in prod)."""
    alert_emails: tuple[str, ...]
    """Mailboxes the action group and the budget notify."""
    budget_monthly_eur: int
    """The subscription's monthly budget in euros."""
    workspace_name: str | None = None
    """Auto-named: the workspace gets a random suffix; a fixed name gives it an id that the policy pack config and
    other stacks can name before it exists (the platform names its central workspace)."""
    budget_alert_thresholds: tuple[int, ...] = (80, 100)
    """Percentages of the budget at which actual spend is reported; a forecast of 100% is always reported."""
    budget_start_date: str | None = None
    """Unset: the first of the month of the first deployment (a later `pulumi up` leaves it alone); set: the first of
    a month from the current one to 12 months ahead (`2026-12-01T00:00:00Z`), as the Budgets API demands."""
    alert_webhook_url: pulumi.Input[str] | None = None
    """No webhook: alerts go to e-mail only; a URL (a secret) is called with the common alert schema."""
    public_query: bool = False
    """Off: the workspace answers queries only over private link; on: Entra ID-authenticated queries from any
    network (the portal), an explicit opt-out that the stack states."""
    daily_quota_gb: float | None = None
    """No cap: ingestion is never cut off (audit logs keep flowing); a number caps daily ingestion in GB."""
    export_activity_log: bool = True
    """On: the subscription's activity log (every category) goes to the workspace; off: it stays in Azure for
    90 days only (turn off only where another stack already exports it)."""
    security_alerts: bool = True
    """On: service health in the region and operations that weaken guardrails (CIS 5.2.1-5.2.10 and the city's
    own) alert the action group; off: none do (only where another stack of the subscription creates them; the
    policy `monitoring-activity-log-alerts` fails a subscription's owner stack without them)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.location not in EU_REGIONS:
            raise InterfaceError(f"ManagementArgs.location: {self.location!r}; the city's logs stay in the EU: "
                                 f"expected one of {', '.join(sorted(EU_REGIONS))}")
        if not 30 <= self.retention_days <= 730:
            raise InterfaceError(f"ManagementArgs.retention_days: {self.retention_days}; expected 30 to 730")
        if not self.alert_emails or not all(_EMAIL.match(email) for email in self.alert_emails):
            raise InterfaceError(f"ManagementArgs.alert_emails: {list(self.alert_emails)}; expected one or more "
                                 "e-mail addresses")
        if self.workspace_name is not None:
            require_name(WORKSPACE, self.workspace_name, "ManagementArgs.workspace_name")
        if self.budget_start_date is not None:
            wrong = budgets.start_date_problem(self.budget_start_date, budgets.this_month())
            if wrong is not None:
                raise InterfaceError(f"ManagementArgs.budget_start_date: {self.budget_start_date!r} {wrong}; expected "
                                     "the first of a month from the current one to 12 months ahead, or unset")
        if self.budget_monthly_eur <= 0:
            raise InterfaceError(f"ManagementArgs.budget_monthly_eur: {self.budget_monthly_eur}; expected > 0")
        if not self.budget_alert_thresholds or len(self.budget_alert_thresholds) > 4:
            raise InterfaceError("ManagementArgs.budget_alert_thresholds: expected 1 to 4 percentages (Azure "
                                 "allows 5 notifications per budget; one is the forecast)")


class Management(WithInterfaces, pulumi.ComponentResource):
    """The workspace every resource's diagnostics go to, the action group alerts go to, and the budget."""

    def __init__(self, name: str, args: ManagementArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Management", name, None, opts)
        if args.workspace_name is None:
            require_auto_name(WORKSPACE, f"{name}-workspace", "ManagementArgs.workspace_name")
        tags = dict(args.tags)
        workspace = operationalinsights.Workspace(
            f"{name}-workspace", resource_group_name=args.resource_group_name, location=args.location,
            workspace_name=args.workspace_name, sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"), retention_in_days=args.retention_days,
            features=operationalinsights.WorkspaceFeaturesArgs(disable_local_auth=True,
                                                               enable_log_access_using_only_resource_permissions=True),
            public_network_access_for_ingestion="Disabled",
            public_network_access_for_query="Enabled" if args.public_query else "Disabled",
            workspace_capping=operationalinsights.WorkspaceCappingArgs(daily_quota_gb=args.daily_quota_gb)
            if args.daily_quota_gb else None,
            identity=args.managed_identities.as_identity() if args.managed_identities else None,
            tags=tags, opts=self.child_options(args, stateful=True))
        # The workspace's own audit log (who queried what) goes to itself unless the caller points it elsewhere.
        own_diagnostics = args.diagnostic_settings or (DiagnosticSettings(workspace_id=workspace.id),)
        # A workspace has no private endpoint of its own (that is an Azure Monitor Private Link Scope).
        self.add_interfaces(name, scope_id=workspace.id, args=replace(args, diagnostic_settings=()),
                            resource_group_name=args.resource_group_name, location=args.location)
        create_diagnostic_settings(name, resource_uri=workspace.id, settings=own_diagnostics,
                                   support=DiagnosticSupport(), parent=self)

        receivers = [monitor.MicrosoftCommonEmailReceiverArgs(name=f"email-{index}", email_address=email,
                                                              use_common_alert_schema=True)
                     for index, email in enumerate(args.alert_emails)]
        webhooks = [monitor.WebhookReceiverArgs(name="webhook", service_uri=args.alert_webhook_url,
                                                use_common_alert_schema=True)] if args.alert_webhook_url else None
        action_group = monitor.ActionGroup(
            f"{name}-alerts", resource_group_name=args.resource_group_name, location="global", enabled=True,
            group_short_name=_short_name(name), email_receivers=receivers, webhook_receivers=webhooks,
            tags=tags, opts=pulumi.ResourceOptions(parent=self))

        notifications = {
            f"actual_{threshold}_percent": consumption.NotificationArgs(
                enabled=True, operator="GreaterThanOrEqualTo", threshold=threshold, threshold_type="Actual",
                contact_emails=list(args.alert_emails), contact_groups=[action_group.id], locale="nl-nl")
            for threshold in args.budget_alert_thresholds}
        notifications["forecasted_100_percent"] = consumption.NotificationArgs(
            enabled=True, operator="GreaterThanOrEqualTo", threshold=100, threshold_type="Forecasted",
            contact_emails=list(args.alert_emails), contact_groups=[action_group.id], locale="nl-nl")
        budget = consumption.Budget(
            f"{name}-budget", scope=f"/subscriptions/{args.subscription_id}", amount=args.budget_monthly_eur,
            category="Cost", time_grain="Monthly",
            time_period=consumption.BudgetTimePeriodArgs(
                start_date=args.budget_start_date or budgets.first_of_month(budgets.this_month())),
            notifications=notifications,
            # Azure refuses a start before the current month: a later run must not move it back to "today".
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["timePeriod.startDate"]))

        subscription = f"/subscriptions/{args.subscription_id}"
        if args.export_activity_log:
            monitor.SubscriptionDiagnosticSetting(
                f"{name}-activity-log", name="activity-log-to-central-workspace", workspace_id=workspace.id,
                logs=[monitor.SubscriptionLogSettingsArgs(category=category, enabled=True)
                      for category in ACTIVITY_LOG_CATEGORIES], opts=pulumi.ResourceOptions(parent=self))
        self.alert_ids: dict[str, pulumi.Output[str]] = {}
        if args.security_alerts:
            alerts = {"service-health": (
                [monitor.AlertRuleAnyOfOrLeafConditionArgs(field="category", equals="ServiceHealth"),
                 monitor.AlertRuleAnyOfOrLeafConditionArgs(
                     field="properties.impactedServices[*].ImpactedRegions[*].RegionName",
                     contains_any=[_region_display(args.location), "Global"])],
                "Azure service health incidents and maintenance in the platform's region")}
            for role, (operation, description) in SECURITY_OPERATIONS.items():
                alerts[role] = ([monitor.AlertRuleAnyOfOrLeafConditionArgs(field="category", equals="Administrative"),
                                 monitor.AlertRuleAnyOfOrLeafConditionArgs(field="operationName", equals=operation)],
                                description)
            for role, (conditions, description) in alerts.items():
                alert = monitor.ActivityLogAlert(
                    f"{name}-{role}", resource_group_name=args.resource_group_name, location="global",
                    scopes=[subscription], enabled=True, description=description,
                    condition=monitor.AlertRuleAllOfConditionArgs(all_of=conditions),
                    actions=monitor.ActionListArgs(action_groups=[
                        monitor.ActionGroupArgs(action_group_id=action_group.id)]),
                    tags=tags, opts=pulumi.ResourceOptions(parent=self))
                self.alert_ids[role] = alert.id

        self.resource_id, self.name = workspace.id, workspace.name
        self.workspace_id = workspace.id
        """The workspace's ARM id: what every DiagnosticSettings interface points at."""
        self.workspace_customer_id = workspace.customer_id
        """The workspace (customer) id agents and queries use."""
        self.action_group_id = action_group.id
        self.budget_id = budget.id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "action_group_id": self.action_group_id, "budget_id": self.budget_id})


def _region_display(location: str) -> str:
    """Service health names regions by display name (`West Europe`); the config holds `westeurope`."""
    known = {"westeurope": "West Europe", "northeurope": "North Europe", "swedencentral": "Sweden Central",
             "germanywestcentral": "Germany West Central", "francecentral": "France Central",
             "italynorth": "Italy North", "polandcentral": "Poland Central", "spaincentral": "Spain Central"}
    return known.get(location, location)


def _short_name(name: str) -> str:
    """Action group short names are at most 12 characters (they appear in SMS and e-mail subjects)."""
    return re.sub(r"[^A-Za-z0-9-]", "", name)[:12] or "platform"
