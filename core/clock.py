"""The clock a Pulumi program reads (a budget's start month, a host pool's registration window), in one place so the
offline engine can tell whether a plan depends on the date: a plan that never read it is cached across days.

Programs call `today_utc()` and `now_utc()`, never `datetime` directly; `reading()` records what they gave out.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from typing import Iterator

NOW = "now"
"""What `dated` says of a block that read the time of day: no day-keyed cache can hold its result."""
_reads: list[str] | None = None
"""Inside `reading()`: each day given out (ISO) and NOW for each time given out; None outside it."""


def today_utc() -> datetime.date:
    """The day in UTC (the day Azure judges dates such as a budget's start against)."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    if _reads is not None:
        _reads.append(today.isoformat())
    return today


def now_utc() -> datetime.datetime:
    """The time now in UTC."""
    if _reads is not None:
        _reads.append(NOW)
    return datetime.datetime.now(datetime.timezone.utc)


@contextmanager
def reading() -> Iterator[list[str]]:
    """Record what the clock gives out in the block, into the list it yields (pass it to `dated`)."""
    global _reads
    outer, _reads = _reads, []
    try:
        yield _reads
    finally:
        if outer is not None:
            outer.extend(_reads)
        _reads = outer


def dated(reads: list[str]) -> str:
    """What a result computed with these reads depends on: "" (no date), the one ISO day it read, or NOW (the time
    of day, or two days: a run across midnight)."""
    days = set(reads)
    if not days:
        return ""
    return days.pop() if len(days) == 1 and NOW not in days else NOW
