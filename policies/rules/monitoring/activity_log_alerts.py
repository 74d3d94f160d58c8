"""The stack that owns the subscription alerts on the ten administrative operations of CIS 5.2.1-5.2.10.

Azure creates no activity log alert by itself: a deleted policy assignment, a widened NSG or a new public IP is
recorded in the activity log and tells nobody. Each operation (`core/activity_alerts.py`, which the Management
component creates alerts from) needs an enabled ActivityLogAlert on the whole subscription whose condition matches
exactly that `operationName` and that calls an action group. The condition is read as `allOf` leaves only: an
`anyOf` or `containsAny` is not read, so such an alert does not count (fail closed). Judged on the
`subscriptionStacks` (rules/stack/subscription.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Sequence

from amsterdam_cloud.core.activity_alerts import CIS_ALERTED_OPERATIONS
from amsterdam_cloud.policies.rule_model import (UNKNOWN, Resource, Severity, StackReport, StackRule, as_list,
                                                 describe, equals_ci, get)
from amsterdam_cloud.policies.rules.stack.subscription import subscription_stack_urn

ALERT = "azure-native:monitor:ActivityLogAlert"
SUBSCRIPTION_SCOPE = re.compile(r"^/subscriptions/[^/]+/?$", re.IGNORECASE)
FIX = ("declare a monitor.ActivityLogAlert on the subscription (scopes ['/subscriptions/<id>']), enabled, with "
       "condition allOf [category Administrative, operationName <operation>] and the platform's action group "
       "(the Management component does, with security_alerts on)")


def _operations(alert: Resource) -> set[str] | Any:
    """The operation names (lower-cased) the alert fires on, from its condition's allOf leaves: an empty set when it
    names none or narrows the match (another field, a category other than Administrative); UNKNOWN when a leaf
    that decides it is not known yet."""
    leaves = as_list(alert.get("condition.allOf"))
    if leaves is UNKNOWN:
        return UNKNOWN
    matched: set[str] | None = None
    unknown = False
    for leaf in leaves:
        if not isinstance(leaf, Mapping):
            unknown = unknown or leaf is UNKNOWN
            continue
        field, equals = get(leaf, "field"), get(leaf, "equals")
        if field is UNKNOWN or equals is UNKNOWN:
            unknown = True
        elif equals_ci(field, "operationName") and isinstance(equals, str):
            matched = {equals.lower()} if matched is None else matched & {equals.lower()}
        elif equals_ci(field, "category"):
            if not equals_ci(equals, "Administrative"):
                return set()
        else:
            return set()  # narrowed (a resource group, a resource type, a status, an anyOf): not what CIS asks
    if unknown:
        return UNKNOWN
    return matched or set()


def _problem(alert: Resource) -> str | Any:
    """Why the alert cannot count ("" when it can); UNKNOWN when that is not known until deployment."""
    enabled = alert.get("enabled", True)  # the API's default: an alert rule is enabled unless said otherwise
    scopes = as_list(alert.get("scopes"))
    groups = as_list(alert.get("actions.actionGroups"))
    if enabled is UNKNOWN or scopes is UNKNOWN or groups is UNKNOWN:
        return UNKNOWN
    if enabled is not True:
        return f"alert {alert.name} is not enabled (enabled {describe(enabled)})"
    # its own subscription: from its ARM id, else (a new alert in a real preview) its provider's; an alert watching
    # another one is not this subscription's
    own = alert.id.split("/")[2] if alert.id and alert.id.lower().startswith("/subscriptions/") \
        else alert.provider_subscription
    if not own:
        return UNKNOWN
    if not any(isinstance(scope, str) and scope is not UNKNOWN and SUBSCRIPTION_SCOPE.match(scope)
               and scope.rstrip("/").rsplit("/", 1)[-1].lower() == own.lower() for scope in scopes):
        if any(scope is UNKNOWN for scope in scopes):
            return UNKNOWN
        return f"alert {alert.name} does not watch the whole subscription it is in (scopes {describe(scopes)})"
    if not any(isinstance(group, Mapping) and get(group, "actionGroupId") is not None for group in groups):
        if any(group is UNKNOWN for group in groups):
            return UNKNOWN
        return f"alert {alert.name} calls no action group, so it tells nobody"
    return ""


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    stack_urn = subscription_stack_urn(resources, settings, report, (ALERT,))
    if stack_urn is None:
        return
    judged = [(alert, _operations(alert), _problem(alert)) for alert in resources if alert.type == ALERT]
    for wanted in CIS_ALERTED_OPERATIONS:
        operation, fix = wanted.operation.lower(), FIX.replace("<operation>", wanted.operation)
        unknown: list[Resource] = []   # alerts that may turn out to be the one
        reasons: list[tuple[str, str]] = []   # (why an alert on the operation does not count, its URN)
        for alert, operations, problem in judged:
            if operations is not UNKNOWN and operation not in operations:
                continue
            if operations is UNKNOWN or problem is UNKNOWN:
                if problem is UNKNOWN or problem == "":
                    unknown.append(alert)
            elif problem == "":
                break
            else:
                reasons.append((problem, alert.urn))
        else:
            if unknown:
                report.unknown(f"whether an enabled subscription-wide alert on {wanted.operation} ({wanted.cis}) "
                               "exists", fix, unknown[0].urn)
            else:
                why = "".join(f"; {problem}" for problem, _ in reasons)
                report(f"no enabled activity log alert on the subscription for {wanted.operation} ({wanted.cis}: "
                       f"{wanted.description[0].lower()}{wanted.description[1:]} and nobody hears of it){why}; {fix}",
                       reasons[0][1] if reasons else stack_urn)


RULE = StackRule(
    id="monitoring-activity-log-alerts",
    title="The subscription alerts on the ten administrative operations CIS 5.2 names",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", *(alert.cis for alert in CIS_ALERTED_OPERATIONS)),
    remediation="Declare an enabled subscription-wide ActivityLogAlert calling the platform's action group for "
                "each operation of core/activity_alerts.py (Management's security_alerts).",
    check=check,
    applies_to=(ALERT,),
    settings=("environment", "subscriptionStacks"),
    defaults_source="monitor ActivityLogAlert, API 2020-10-01: Azure creates no activity log alert; `enabled` "
                    "defaults to true (learn.microsoft.com/azure/azure-monitor/alerts/activity-log-alerts)",
)
