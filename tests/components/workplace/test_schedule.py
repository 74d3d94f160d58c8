"""Office hours: validated once, quiet days are the rest of the week."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.workplace.schedule import OfficeHours, ScheduleError


def test_default_office_week_leaves_the_weekend_quiet():
    assert OfficeHours().quiet_days == ("Saturday", "Sunday")


def test_a_seven_day_week_has_no_quiet_days():
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    assert OfficeHours(days=days).quiet_days == ()


@pytest.mark.parametrize("changes, field", [
    ({"ramp_up_start": "7:00"}, "ramp_up_start"),
    ({"peak_start": "25:00"}, "peak_start"),
    ({"peak_start": "06:00"}, "peak_start"),
    ({"off_peak_start": "17:00"}, "off_peak_start"),
    ({"days": ()}, "days"),
    ({"days": ("Monday", "Funday")}, "days"),
    ({"days": ("Monday", "Monday")}, "days"),
    ({"ramp_up_minimum_hosts_pct": 101}, "ramp_up_minimum_hosts_pct"),
    ({"ramp_down_wait_minutes": -5}, "ramp_down_wait_minutes"),
])
def test_bad_office_hours_name_the_field(changes, field):
    with pytest.raises(ScheduleError, match=f"^OfficeHours.{field}: "):
        OfficeHours(**changes)


def test_clock_reads_hours_and_minutes():
    assert OfficeHours.clock("07:45") == (7, 45)
