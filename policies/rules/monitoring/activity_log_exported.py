"""The stack that owns the subscription exports its activity log to Log Analytics (CIS 5.1.1).

`activity-log-security-categories` judges each export's categories; only this rule fails a platform stack that
makes none (Azure keeps the activity log 90 days and sends it nowhere without a subscription diagnostic setting).
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, Severity, StackReport, StackRule
from amsterdam_cloud.policies.rules.stack.subscription import subscription_stack_urn

SETTING = "azure-native:monitor:SubscriptionDiagnosticSetting"
FIX = ("declare a monitor.SubscriptionDiagnosticSetting with workspace_id set to the central workspace "
       "(the Management component does, with export_activity_log on)")


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    stack_urn = subscription_stack_urn(resources, settings)
    if stack_urn is None:
        return
    exports = [r for r in resources if r.type == SETTING]
    if not exports:
        report(f"the subscription's activity log goes nowhere: no SubscriptionDiagnosticSetting; {FIX}", stack_urn)
        return
    targets = [r.get("workspaceId") for r in exports]
    if any(isinstance(t, str) and t and t is not UNKNOWN for t in targets):
        return
    if any(t is UNKNOWN for t in targets):
        report.unknown("the workspaceId of the activity log export", FIX, exports[0].urn)
    else:
        report(f"no SubscriptionDiagnosticSetting sends the activity log to a workspace (workspaceId unset); {FIX}",
               exports[0].urn)


RULE = StackRule(
    id="activity-log-exported",
    title="The subscription's activity log is exported to the central Log Analytics workspace",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 5.1.1"),
    remediation="Declare a subscription diagnostic setting sending the activity log to the central workspace on "
                "the platform stack (Management's export_activity_log).",
    check=check,
    applies_to=(SETTING,),
    settings=("environment", "subscriptionStacks"),
    defaults_source="monitor SubscriptionDiagnosticSetting, API 2021-05-01-preview: without one the activity log "
                    "is kept 90 days in Azure and exported nowhere (learn.microsoft.com/azure/azure-monitor/"
                    "essentials/activity-log)",
)
