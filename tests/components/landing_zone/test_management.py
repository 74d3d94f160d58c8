"""Management under mocks: the workspace, the action group and the budget, with the interfaces applied."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock
from amsterdam_cloud.core.activity_alerts import CIS_ALERTED_OPERATIONS
from amsterdam_cloud.components.landing_zone.management import Management, ManagementArgs

WORKSPACE = "azure-native:operationalinsights:Workspace"


@pytest.fixture
def args(tags, subscription_id):
    def make(**overrides) -> ManagementArgs:
        values = dict(tags=tags, resource_group_name="rg-management", location="westeurope",
                      subscription_id=subscription_id, retention_days=90, alert_emails=("ops@amsterdam.nl",),
                      budget_monthly_eur=2500)
        values.update(overrides)
        return ManagementArgs(**values)
    return make


def test_workspace_keeps_logs_as_long_as_configured(plan_inline, args):
    plan = plan_inline(lambda: Management("mgmt", args(retention_days=365)))
    workspace = plan.named("mgmt-workspace")
    assert workspace.inputs["retentionInDays"] == 365
    assert workspace.inputs["location"] == "westeurope"
    assert workspace.parent == plan.named("mgmt").urn


def test_workspace_allows_no_local_auth_and_no_public_ingestion(plan_inline, args):
    inputs = plan_inline(lambda: Management("mgmt", args())).named("mgmt-workspace").inputs
    assert inputs["features"]["disableLocalAuth"] is True
    assert inputs["publicNetworkAccessForIngestion"] == "Disabled"
    assert inputs["publicNetworkAccessForQuery"] == "Disabled"


def test_public_query_is_an_explicit_opt_in(plan_inline, args):
    inputs = plan_inline(lambda: Management("mgmt", args(public_query=True))).named("mgmt-workspace").inputs
    assert inputs["publicNetworkAccessForQuery"] == "Enabled"


def test_workspace_sends_its_own_audit_log_to_itself(plan_inline, args):
    plan = plan_inline(lambda: Management("mgmt", args()))
    setting = plan.named("mgmt-diag").inputs
    assert setting["resourceUri"] == plan.named("mgmt-workspace").id == setting["workspaceId"]


def test_action_group_mails_every_alert_address(plan_inline, args):
    plan = plan_inline(lambda: Management("mgmt", args(alert_emails=("a@amsterdam.nl", "b@amsterdam.nl"))))
    group = plan.named("mgmt-alerts").inputs
    assert [r["emailAddress"] for r in group["emailReceivers"]] == ["a@amsterdam.nl", "b@amsterdam.nl"]
    assert group["location"] == "global" and len(group["groupShortName"]) <= 12


def test_budget_notifies_at_each_threshold_and_on_forecast(plan_inline, args, subscription_id):
    plan = plan_inline(lambda: Management("mgmt", args(budget_alert_thresholds=(50, 90))))
    budget = plan.named("mgmt-budget").inputs
    assert budget["scope"] == f"/subscriptions/{subscription_id}" and budget["amount"] == 2500
    notes = budget["notifications"]
    assert sorted(notes) == ["actual_50_percent", "actual_90_percent", "forecasted_100_percent"]
    assert notes["forecasted_100_percent"]["thresholdType"] == "Forecasted"
    assert notes["actual_90_percent"]["contactGroups"] == [plan.named("mgmt-alerts").id]


def test_webhook_url_stays_secret(plan_inline, args):
    import pulumi
    plan = plan_inline(lambda: Management("mgmt", args(alert_webhook_url=pulumi.Output.secret("https://hook/x"))))
    assert "https://hook/x" not in plan.export_text()


def test_protect_and_lock_apply_to_the_workspace(plan_inline, args):
    plan = plan_inline(lambda: Management("mgmt", args(protect=True, lock=Lock())))
    assert plan.named("mgmt-workspace").protect is True
    assert plan.named("mgmt-lock").inputs["scope"] == plan.named("mgmt-workspace").id
    assert plan.named("mgmt-alerts").protect is False


def test_retention_outside_what_azure_allows_is_rejected(args):
    with pytest.raises(InterfaceError, match="retention_days"):
        args(retention_days=10)


def test_no_alert_address_is_rejected(args):
    with pytest.raises(InterfaceError, match="alert_emails"):
        args(alert_emails=())


def test_every_activity_log_category_goes_to_the_workspace(plan_inline, args):
    from amsterdam_cloud.components.landing_zone.management import ACTIVITY_LOG_CATEGORIES
    plan = plan_inline(lambda: Management("mgmt", args()))
    setting = plan.named("mgmt-activity-log").inputs
    assert setting["workspaceId"] == plan.named("mgmt-workspace").id
    assert [log["category"] for log in setting["logs"]] == list(ACTIVITY_LOG_CATEGORIES)


def test_operations_that_weaken_guardrails_alert_the_action_group(plan_inline, args, subscription_id):
    plan = plan_inline(lambda: Management("mgmt", args()))
    alert = plan.named("mgmt-lock-deleted").inputs
    assert alert["scopes"] == [f"/subscriptions/{subscription_id}"]
    assert {"field": "operationName", "equals": "Microsoft.Authorization/locks/delete"} in alert["condition"]["allOf"]
    assert alert["actions"]["actionGroups"][0]["actionGroupId"] == plan.named("mgmt-alerts").id


def test_each_operation_cis_5_2_names_alerts_the_action_group_on_the_whole_subscription(plan_inline, args,
                                                                                          subscription_id):
    plan = plan_inline(lambda: Management("mgmt", args()))
    for wanted in CIS_ALERTED_OPERATIONS:
        alert = plan.named(f"mgmt-{wanted.role}").inputs
        assert alert["enabled"] is True and alert["scopes"] == [f"/subscriptions/{subscription_id}"], wanted.cis
        assert alert["condition"]["allOf"] == [{"field": "category", "equals": "Administrative"},
                                               {"field": "operationName", "equals": wanted.operation}], wanted.cis
        assert alert["actions"]["actionGroups"][0]["actionGroupId"] == plan.named("mgmt-alerts").id


def test_service_health_alert_watches_the_platform_region(plan_inline, args):
    alert = plan_inline(lambda: Management("mgmt", args())).named("mgmt-service-health").inputs
    regions = [c for c in alert["condition"]["allOf"] if "containsAny" in c][0]["containsAny"]
    assert regions == ["West Europe", "Global"]


def test_activity_log_export_and_alerts_can_be_left_to_another_stack(plan_inline, args):
    plan = plan_inline(lambda: Management("mgmt", args(export_activity_log=False, security_alerts=False)))
    assert not plan.of_type("azure-native:monitor:SubscriptionDiagnosticSetting")
    assert not plan.of_type("azure-native:monitor:ActivityLogAlert")


def test_workspace_outside_the_eu_is_rejected(args):
    with pytest.raises(InterfaceError, match="stay in the EU"):
        args(location="uksouth")


def test_the_budget_starts_the_first_of_the_current_month_and_later_runs_leave_the_start_alone(plan_inline, args):
    from amsterdam_cloud.core import budgets

    budget = plan_inline(lambda: Management("mgmt", args())).named("mgmt-budget")
    assert budget.inputs["timePeriod"]["startDate"] == budgets.first_of_month(budgets.this_month())
    assert budget.options["ignoreChanges"] == ["timePeriod.startDate"]


def test_a_budget_start_the_budgets_api_refuses_is_rejected(args):
    with pytest.raises(InterfaceError, match=r"budget_start_date: '2026-01-15T00:00:00Z' is not the first of a month"):
        args(budget_start_date="2026-01-15T00:00:00Z")
    with pytest.raises(InterfaceError, match=r"budget_start_date: '2020-01-01T00:00:00Z' is before the current month"):
        args(budget_start_date="2020-01-01T00:00:00Z")


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Management, args)
