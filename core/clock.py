"""The clock a Pulumi program reads (a budget's start month, a host pool's registration window), in one place so the
offline engine can tell what a plan's outcome depends on: a plan that never read it is cached for good, one that read
the month for that month, one that asked `before(instant)` until that instant.

Programs call `this_month()`, `today_utc()` and `before()`, never `datetime` directly; `reading()` records what they
gave out, and `holds()` says whether a result recorded that way still holds now.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator

NOW = "now"
"""What `Reads.date` says of a block that read the time of day (or two dates): no later run can reuse its result."""


@dataclass(kw_only=True)
class Reads:
    """What the clock gave out inside one `reading()` block: what a result computed there depends on."""

    dates: set[str] = field(default_factory=set)
    """Each month ("2026-12") and day ("2026-12-03") given out, and NOW for the time of day itself."""
    until: datetime.datetime | None = None
    """The earliest instant a `before()` answer given out changes at; None: no answer changes later."""

    def add(self, other: "Reads") -> None:
        self.dates |= other.dates
        if other.until is not None and (self.until is None or other.until < self.until):
            self.until = other.until

    @property
    def date(self) -> str:
        """"" (no date read), the one month or day read (the day when both: it fixes the month), or NOW (the time
        of day, or two days or months: a run across midnight)."""
        if NOW in self.dates:
            return NOW
        longest = max(self.dates, key=len, default="")
        return longest if all(longest.startswith(date) for date in self.dates) else NOW

    @property
    def valid_until(self) -> str:
        """`until` as ISO 8601 ("" when None): what a cache entry stores."""
        return self.until.isoformat() if self.until is not None else ""


_reads: Reads | None = None
"""Inside `reading()`: what the clock gave out so far; None outside it."""


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def this_month() -> datetime.date:
    """The first day of the month in UTC (what a monthly budget's start is judged against): a result computed with
    it holds for the rest of the month."""
    month = _now().date().replace(day=1)
    if _reads is not None:
        _reads.dates.add(f"{month:%Y-%m}")
    return month


def today_utc() -> datetime.date:
    """The day in UTC (the day Azure judges dates such as a waiver's expiry against)."""
    today = _now().date()
    if _reads is not None:
        _reads.dates.add(today.isoformat())
    return today


def before(instant: datetime.datetime) -> bool:
    """Whether it is not yet `instant` (timezone-aware). True holds until `instant`, which is recorded; False holds
    for good (time only moves on), so nothing is."""
    answer = _now() < instant
    if answer and _reads is not None and (_reads.until is None or instant < _reads.until):
        _reads.until = instant
    return answer


def today_until(changes: Iterable[datetime.date]) -> datetime.date:
    """The day, for a result that depends on it only through which of the days `changes` (on each the result may
    change: a waiver's first day past its expiry) have come: records the earliest still ahead as `before` does,
    not the day, so a cached result holds until then."""
    today = _now().date()
    ahead = [day for day in changes if day > today]
    if ahead:
        before(datetime.datetime.combine(min(ahead), datetime.time(), tzinfo=datetime.timezone.utc))
    return today


def now_utc() -> datetime.datetime:
    """The time now in UTC. In a program prefer `before()`: a result that read the time itself is never reused."""
    if _reads is not None:
        _reads.dates.add(NOW)
    return _now()


@contextmanager
def reading() -> Iterator[Reads]:
    """Record what the clock gives out in the block into the `Reads` it yields (an outer block records it too)."""
    global _reads
    outer, _reads = _reads, Reads()
    try:
        yield _reads
    finally:
        if outer is not None:
            outer.add(_reads)
        _reads = outer


def holds(date: str, valid_until: str, now: datetime.datetime) -> bool:
    """Whether a result that read `date` (`Reads.date`) and holds until `valid_until` (`Reads.valid_until`) still
    holds at `now`: the same month or day (or none read), and not yet that instant."""
    if date == NOW or (date and date != now.date().isoformat()[:len(date)]):
        return False
    if not valid_until:
        return True
    try:
        until = datetime.datetime.fromisoformat(valid_until)
    except ValueError:
        return False  # a damaged entry: a miss
    return until.tzinfo is not None and now < until
