"""The Budgets API's start-date rule."""

from __future__ import annotations

import datetime as dt

import pytest

from amsterdam_cloud.core import budgets

TODAY = dt.date(2026, 12, 2)


def test_the_default_start_is_the_first_of_the_current_month():
    assert budgets.first_of_month(TODAY) == "2026-12-01T00:00:00Z"
    assert budgets.start_date_problem(budgets.first_of_month(TODAY), TODAY) is None


@pytest.mark.parametrize(("start", "wrong"), [
    ("2026-01-01T00:00:00Z", "is before the current month (2026-12-01)"),
    ("2026-12-15T00:00:00Z", "is not the first of a month"),
    ("2028-01-01T00:00:00Z", "is more than 12 months ahead"),
    ("next month", "is not an ISO 8601 date such as 2026-12-01T00:00:00Z"),
])
def test_a_start_the_budgets_api_refuses_is_named(start, wrong):
    assert budgets.start_date_problem(start, TODAY) == wrong


def test_twelve_months_ahead_is_still_accepted():
    assert budgets.start_date_problem("2027-12-01T00:00:00Z", TODAY) is None
