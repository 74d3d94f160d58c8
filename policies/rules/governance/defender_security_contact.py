"""The stack that owns the subscription names Defender for Cloud's security contact: e-mail, the Owner role and
alerts from High severity down (CIS 2.1.17-2.1.19; Checkov CKV_AZURE_21, CKV_AZURE_22).

Without a contact Defender mails nobody but the subscription's owners it finds; a contact that is off or mails only
on critical alerts leaves High ones unread. Judged on the `subscriptionStacks` (rules/stack/subscription.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import (UNKNOWN, Resource, Severity, StackReport, StackRule, as_list,
                                                 describe, equals_ci, get)
from amsterdam_cloud.policies.rules.stack.subscription import subscription_stack_urn

CONTACT = "azure-native:security:SecurityContact"
SEVERITIES = ("High", "Medium", "Low")
"""minimalSeverity values that include High alerts."""
FIX = ("declare security.SecurityContact('default') with emails, notifications_by_role state On with role Owner and "
       "an Alert notifications source of minimal_severity High or lower (the DefenderReporting component does)")


def _judge(contact: Resource, report: StackReport) -> None:
    values = {"emails": contact.get("emails"), "isEnabled": contact.get("isEnabled"),
              "notificationsByRole.state": contact.get("notificationsByRole.state"),
              "notificationsByRole.roles": as_list(contact.get("notificationsByRole.roles", [])),
              "notificationsSources": as_list(contact.get("notificationsSources", []))}
    for path, value in values.items():
        if value is UNKNOWN:
            report.unknown(path, FIX, contact.urn)
            return
    if not isinstance(values["emails"], str) or not values["emails"].strip(";, "):
        report(f"emails is {describe(values['emails'])}: Defender's alerts go to no mailbox; {FIX}", contact.urn)
    if values["isEnabled"] is False:
        report(f"isEnabled is False: the contact gets no mail; {FIX}", contact.urn)
    roles = values["notificationsByRole.roles"]
    if equals_ci(values["notificationsByRole.state"], "On") and any(role is UNKNOWN for role in roles) \
            and not any(equals_ci(role, "Owner") for role in roles):
        report.unknown("notificationsByRole.roles[]", FIX, contact.urn)
    elif not equals_ci(values["notificationsByRole.state"], "On") or not any(
            equals_ci(role, "Owner") for role in roles):
        report(f"notificationsByRole does not mail the Owner role (state "
               f"{describe(values['notificationsByRole.state'])}); {FIX}", contact.urn)
    alert = [s for s in values["notificationsSources"] if isinstance(s, Mapping)
             and equals_ci(get(s, "sourceType"), "Alert")]
    maybe_alert = [s for s in values["notificationsSources"]
                   if s is UNKNOWN or (isinstance(s, Mapping) and get(s, "sourceType") is UNKNOWN)]
    if any(get(s, "minimalSeverity") is UNKNOWN for s in alert) or (
            maybe_alert and not any(equals_ci(get(s, "minimalSeverity"), *SEVERITIES) for s in alert)):
        report.unknown("notificationsSources[].minimalSeverity", FIX, contact.urn)
    elif not any(equals_ci(get(s, "minimalSeverity"), *SEVERITIES) for s in alert):
        report(f"no Alert notifications source with minimalSeverity High or lower: High alerts mail nobody; {FIX}",
               contact.urn)


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    stack_urn = subscription_stack_urn(resources, settings, report, (CONTACT,))
    if stack_urn is None:
        return
    contacts = [r for r in resources if r.type == CONTACT]
    if not contacts:
        report(f"the subscription has no Defender for Cloud security contact; {FIX}", stack_urn)
    for contact in contacts:
        _judge(contact, report)


RULE = StackRule(
    id="defender-security-contact",
    title="Defender for Cloud mails the security contact and the Owner role about High alerts",
    severity=Severity.MEDIUM,
    controls=("BIO 12.2.1", "BIO 12.6.1", "CIS 2.1.17", "CIS 2.1.18", "CIS 2.1.19"),
    remediation="Declare the subscription's security contact with e-mail addresses, the Owner role notified and "
                "alerts from High severity down (components/security/defender.py).",
    check=check,
    applies_to=(CONTACT,),
    settings=("environment", "subscriptionStacks"),
    defaults_source="security SecurityContact, API 2023-12-01-preview: without one Defender sends no alert mail "
                    "beyond its own defaults; notificationsSources decides which alerts are mailed",
)
