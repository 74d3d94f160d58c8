"""`core.clock`: what a block read of the clock, and until when a result computed with it holds."""

from __future__ import annotations

import datetime as dt

import pytest

from amsterdam_cloud.core import budgets, clock

NOW = dt.datetime(2026, 12, 3, 10, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def at_now(monkeypatch):
    monkeypatch.setattr(clock, "_now", lambda: NOW)


def test_a_budget_reads_the_month_so_its_result_holds_all_month_and_no_longer():
    with clock.reading() as reads:
        assert budgets.first_of_month(budgets.this_month()) == "2026-12-01T00:00:00Z"
    assert reads.date == "2026-12" and reads.valid_until == ""
    assert clock.holds(reads.date, reads.valid_until, dt.datetime(2026, 12, 31, 23, tzinfo=dt.timezone.utc))
    assert not clock.holds(reads.date, reads.valid_until, dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc))


def test_the_day_and_its_month_read_together_hold_for_the_day():
    with clock.reading() as reads:
        clock.this_month()
        clock.today_utc()
    assert reads.date == "2026-12-03"
    assert not clock.holds(reads.date, "", NOW + dt.timedelta(days=1))


def test_before_records_the_earliest_instant_an_answer_changes_at_and_nothing_once_past():
    soon, later = NOW + dt.timedelta(hours=2), NOW + dt.timedelta(days=2)
    with clock.reading() as reads:
        assert clock.before(later) and clock.before(soon)
        assert not clock.before(NOW - dt.timedelta(hours=1))  # past: False for good
    assert reads.until == soon and reads.date == ""
    assert clock.holds("", reads.valid_until, soon - dt.timedelta(seconds=1))
    assert not clock.holds("", reads.valid_until, soon)


def test_a_nested_block_records_into_the_outer_one():
    with clock.reading() as outer:
        clock.before(NOW + dt.timedelta(hours=1))
        with clock.reading() as inner:
            clock.this_month()
    assert inner.date == "2026-12" and outer.date == "2026-12" and outer.until == NOW + dt.timedelta(hours=1)


@pytest.mark.parametrize("dates", [{clock.NOW}, {"2026-12-03", "2026-12-04"}, {"2026-12", "2027-01"}])
def test_the_time_of_day_or_two_dates_are_never_reused(dates: set[str]):
    reads = clock.Reads(dates=dates)
    assert reads.date == clock.NOW and not clock.holds(reads.date, "", NOW)


@pytest.mark.parametrize("until", ["tomorrow", "2026-12-04T07:00:00"])
def test_a_damaged_or_naive_instant_in_an_entry_never_holds(until: str):
    assert not clock.holds("", until, NOW)


def test_a_result_that_changes_on_given_days_holds_until_the_next_one():
    with clock.reading() as reads:
        assert clock.today_until([NOW.date(), dt.date(2026, 12, 21), dt.date(2026, 12, 10)]) == NOW.date()
    assert reads.date == "" and reads.valid_until == "2026-12-10T00:00:00+00:00"
