"""The Budgets API's rule for a monthly budget's start date, shared by the component, the stack config and the mocks.

Microsoft.Consumption budgets (`timePeriod.startDate`): the first of a month; a start in the past must fall in the
current time grain (for a monthly budget: this month); at most 12 months ahead. A hard-coded date breaks the first
`pulumi up` after its month has passed, so the default is the first of the current month, left alone afterwards.
"""

from __future__ import annotations

import datetime

from amsterdam_cloud.core import clock

MAX_MONTHS_AHEAD = 12


def this_month() -> datetime.date:
    """The month Azure judges a start date against, as its first day (read from `core.clock`, so a plan records that
    it depends on the month, not the day: a cached plan holds for the rest of the month)."""
    return clock.this_month()


def first_of_month(today: datetime.date) -> str:
    """The default start: `2026-12-01T00:00:00Z` for any day in December 2026."""
    return f"{today:%Y-%m}-01T00:00:00Z"


def start_date_problem(start: str, today: datetime.date) -> str | None:
    """What the Budgets API refuses in a monthly budget's start date, or None when it accepts it (`today`: any day
    of the current month, the answer depends on the month only)."""
    try:
        day = datetime.datetime.fromisoformat(start.replace("Z", "+00:00")).date()
    except ValueError:
        return "is not an ISO 8601 date such as 2026-12-01T00:00:00Z"
    if day.day != 1:
        return "is not the first of a month"
    this_month = today.replace(day=1)
    if day < this_month:
        return f"is before the current month ({this_month.isoformat()})"
    if (day.year - this_month.year) * 12 + day.month - this_month.month > MAX_MONTHS_AHEAD:
        return f"is more than {MAX_MONTHS_AHEAD} months ahead"
    return None
