"""Defender reporting under mocks: the subscription's one security contact, and continuous export of alerts,
recommendations, scores and compliance to the central workspace."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.security.defender import EXPORTED, DefenderReporting, DefenderReportingArgs


def test_the_contact_is_the_subscriptions_default_and_mails_medium_and_above(plan_inline, tags, subscription_id,
                                                                             workspace_id):
    plan = plan_inline(lambda: DefenderReporting("defender", DefenderReportingArgs(
        tags=tags, subscription_id=subscription_id, resource_group_name="rg-security", location="westeurope",
        emails=("soc@amsterdam.nl", "cloud@amsterdam.nl"), workspace_id=workspace_id)))
    contact = plan.named("defender-contact")
    assert contact.id == f"/subscriptions/{subscription_id}/providers/Microsoft.Security/securityContacts/default"
    assert contact.inputs["emails"] == "soc@amsterdam.nl;cloud@amsterdam.nl"
    assert contact.inputs["notificationsSources"] == [{"sourceType": "Alert", "minimalSeverity": "Medium"}]


def test_findings_are_exported_continuously_to_the_central_workspace(plan_inline, tags, subscription_id,
                                                                     workspace_id):
    plan = plan_inline(lambda: DefenderReporting("defender", DefenderReportingArgs(
        tags=tags, subscription_id=subscription_id, resource_group_name="rg-security", location="westeurope",
        emails=("soc@amsterdam.nl",), workspace_id=workspace_id)))
    export = plan.named("defender-export").inputs
    assert export["scopes"][0]["scopePath"] == f"/subscriptions/{subscription_id}"
    assert [s["eventSource"] for s in export["sources"]] == list(EXPORTED)
    assert export["actions"] == [{"actionType": "Workspace", "workspaceResourceId": workspace_id}]


def test_a_contact_without_a_valid_mailbox_is_refused(tags, subscription_id):
    with pytest.raises(InterfaceError, match="emails"):
        DefenderReportingArgs(tags=tags, subscription_id=subscription_id, resource_group_name="rg",
                              location="westeurope", emails=("not-a-mailbox",), workspace_id="x")


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, subscription_id, workspace_id):
    conforms(DefenderReporting, lambda: DefenderReportingArgs(
        tags=tags, subscription_id=subscription_id, resource_group_name="rg-security", location="westeurope",
        emails=("soc@amsterdam.nl",), workspace_id=workspace_id))
