"""Progress on stderr for long runs: a rewritten line on a terminal, a line every few seconds in a log."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class Progress:
    """Counts finished units of work and reports them; safe to call from worker threads.

    On a terminal the line is redrawn in place; in a CI log (not a tty) a line is written at most every
    `interval` seconds, so a long run shows it is alive without flooding the log. `quiet` silences it all.
    """

    def __init__(self, label: str, total: int = 0, *, stream: TextIO | None = None, quiet: bool = False,
                 interval: float = 5.0) -> None:
        self.label, self.total, self.done = label, total, 0
        self._stream = stream if stream is not None else sys.stderr
        self._quiet = quiet
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._interval = 0.2 if self._tty else interval
        self._last = 0.0
        self._lock = threading.Lock()
        self._started = time.monotonic()

    def add_total(self, count: int) -> None:
        with self._lock:
            self.total += count

    def advance(self, note: str = "", count: int = 1) -> None:
        with self._lock:
            self.done += count
            now = time.monotonic()
            if now - self._last >= self._interval:
                self._last = now
                self._draw(note)

    def note(self, message: str) -> None:
        """A line of its own (a warning, a finding), kept apart from the progress line."""
        if self._quiet:
            return
        with self._lock:
            if self._tty:
                self._stream.write("\r\033[K")
            self._stream.write(f"{message}\n")
            self._stream.flush()

    def finish(self, summary: str = "") -> None:
        if self._quiet:
            return
        with self._lock:
            elapsed = time.monotonic() - self._started
            if self._tty:
                self._stream.write("\r\033[K")
            text = f"{self.label}: {summary or f'{self.done} done'} in {elapsed:.1f}s"
            self._stream.write(text + "\n")
            self._stream.flush()

    def _draw(self, note: str) -> None:
        if self._quiet:
            return
        share = f"{self.done}/{self.total}" if self.total else str(self.done)
        text = f"{self.label}: {share}" + (f" ({note})" if note else "")
        if self._tty:
            self._stream.write("\r\033[K" + text[:150])
        else:
            self._stream.write(text + "\n")
        self._stream.flush()
