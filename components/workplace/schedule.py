"""Office hours: when the scaling plan keeps hosts warm, and when it lets them go (pure, validated once)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amsterdam_cloud.core.errors import UserError

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class ScheduleError(UserError):
    """An office-hours value the scaling plan cannot use (names the field and the fix)."""


def _minutes(field: str, value: str) -> int:
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        raise ScheduleError(f"OfficeHours.{field}: {value!r}; expected a 24-hour time such as 07:30")
    return int(match.group(1)) * 60 + int(match.group(2))


@dataclass(frozen=True, kw_only=True)
class OfficeHours:
    """The working week of the users: ramp-up, peak, ramp-down and off-peak start times on office days."""

    days: tuple[str, ...] = DAYS[:5]
    """Monday to Friday are office days; the other days get the quiet schedule (hosts only on demand)."""
    time_zone: str = "W. Europe Standard Time"
    """Amsterdam time (Windows time zone id), with daylight saving."""
    ramp_up_start: str = "07:00"
    """Hosts start coming up for the first users."""
    peak_start: str = "08:30"
    """Most users are working; sessions spread over the hosts (breadth first)."""
    ramp_down_start: str = "17:00"
    """Users leave; sessions are packed onto fewer hosts (depth first) and idle hosts stop."""
    off_peak_start: str = "19:00"
    """Evening and night: only what users still need keeps running."""
    ramp_up_minimum_hosts_pct: int = 20
    """Share of the pool's hosts running at ramp-up, before anyone signs in."""
    ramp_up_capacity_threshold_pct: int = 60
    """Used capacity at which the plan starts another host during ramp-up."""
    ramp_down_minimum_hosts_pct: int = 0
    """Share of hosts kept running at ramp-down; 0: the last host stops when its users leave."""
    ramp_down_capacity_threshold_pct: int = 90
    """Used capacity the plan may pack remaining sessions up to at ramp-down."""
    ramp_down_wait_minutes: int = 30
    """Minutes a host with disconnected sessions waits before it is stopped (users are warned first)."""
    disconnected_minutes: int = 60
    """Personal pools: minutes a disconnected personal desktop waits before it is deallocated."""

    def __post_init__(self) -> None:
        if not self.days:
            raise ScheduleError("OfficeHours.days: empty; expected office days such as Monday to Friday")
        for day in self.days:
            if day not in DAYS:
                raise ScheduleError(f"OfficeHours.days: {day!r}; expected day names such as Monday")
        if len(set(self.days)) != len(self.days):
            raise ScheduleError(f"OfficeHours.days: {list(self.days)} names a day twice")
        order = ("ramp_up_start", "peak_start", "ramp_down_start", "off_peak_start")
        times = [_minutes(field, getattr(self, field)) for field in order]
        for (first, early), (second, late) in zip(zip(order, times), zip(order[1:], times[1:])):
            if late <= early:
                raise ScheduleError(f"OfficeHours.{second}: {getattr(self, second)} is not after {first} "
                                    f"{getattr(self, first)}; the four phases follow each other within one day")
        for field in ("ramp_up_minimum_hosts_pct", "ramp_up_capacity_threshold_pct",
                      "ramp_down_minimum_hosts_pct", "ramp_down_capacity_threshold_pct"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise ScheduleError(f"OfficeHours.{field}: {value!r}; expected a percentage from 0 to 100")
        for field in ("ramp_down_wait_minutes", "disconnected_minutes"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1440:
                raise ScheduleError(f"OfficeHours.{field}: {value!r}; expected minutes from 0 to 1440")

    @property
    def quiet_days(self) -> tuple[str, ...]:
        """The days that are not office days, in week order."""
        return tuple(day for day in DAYS if day not in self.days)

    @staticmethod
    def clock(value: str) -> tuple[int, int]:
        """`"07:30"` as (hour, minute)."""
        hour, minute = value.split(":")
        return int(hour), int(minute)
