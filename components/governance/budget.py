"""The monthly cost budget the governance stack puts on subscriptions it does not run itself (sandboxes, app
teams' landing zones): whoever pays is told before the money is gone."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import consumption

from amsterdam_cloud.core import budgets


def monthly_budget(name: str, *, scope: pulumi.Input[str], amount: int, emails: tuple[str, ...],
                   parent: pulumi.Resource) -> consumption.Budget:
    """A monthly cost budget on `scope` that mails `emails` at 80% and 100% actual and at a 100% forecast."""
    notifications = {
        f"{kind.lower()}_{threshold}_percent": consumption.NotificationArgs(
            enabled=True, operator="GreaterThanOrEqualTo", threshold=threshold, threshold_type=kind,
            contact_emails=list(emails), locale="nl-nl")
        for kind, threshold in (("Actual", 80), ("Actual", 100), ("Forecasted", 100))}
    return consumption.Budget(
        name, scope=scope, amount=amount, category="Cost", time_grain="Monthly",
        time_period=consumption.BudgetTimePeriodArgs(start_date=budgets.first_of_month(budgets.this_month())),
        notifications=notifications,
        # Azure refuses a start before the current month: a later run must not move it to "this month".
        opts=pulumi.ResourceOptions(parent=parent, ignore_changes=["timePeriod.startDate"]))
