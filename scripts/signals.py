"""Interrupts and deadlines: Ctrl-C or SIGTERM end any command with "interrupted"; a deadline stops a hung CLI.

`cityctl` installs `interrupt_handlers` around every command, so a signal raises `Interrupted` wherever the
command is (also inside an event loop that would otherwise turn it into "Event loop stopped before Future
completed") and the error boundary can tell an interrupted run from a failed one afterwards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Iterator

EXIT_INTERRUPTED = 130
"""128 + SIGINT, what shells report for a command stopped with Ctrl-C."""


_INTERRUPTS = frozenset({signal.SIGINT, signal.SIGTERM})


class Interrupted(KeyboardInterrupt):
    """The run was stopped by SIGINT or SIGTERM (a KeyboardInterrupt, so every cleanup path already honours it)."""


class _State:
    interrupted = False


def was_interrupted() -> bool:
    """True once a signal arrived during the current command, even when the code caught what it raised."""
    return _State.interrupted


@contextlib.contextmanager
def interrupt_handlers() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted for the duration; the previous handlers come back afterwards."""
    _State.interrupted = False
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        _State.interrupted = True
        raise Interrupted(signal.Signals(signum).name)

    saved = {signum: signal.signal(signum, handler) for signum in _INTERRUPTS}
    try:
        yield
    finally:
        for signum, previous in saved.items():
            signal.signal(signum, previous)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back for the block and delivered when it ends: a process forked inside it starts
    with them blocked, so none arrives before `quiet_worker_signals` has decided what they do there."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def quiet_worker_signals() -> None:
    """In a forked worker process: Ctrl-C is the parent's to handle (ignored here); SIGTERM, the parent stopping
    its workers, ends the worker with exit 130 after its cleanup ran (SystemExit: no traceback, locks and
    temporary files released on the way out)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_interrupted)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _INTERRUPTS)


def _exit_interrupted(signum: int, frame: object) -> None:
    """A stopped worker says nothing (the parent says "interrupted"): objects half-built when the signal came
    (an event loop) would otherwise print "Exception ignored in ..." on the way out."""
    sys.unraisablehook = lambda unraisable: None
    with contextlib.suppress(OSError):
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    raise SystemExit(EXIT_INTERRUPTED)


def ignore_interrupts() -> None:
    """From now on SIGINT and SIGTERM are ignored (until `interrupt_handlers` restores the previous handlers):
    once a run is being stopped, a second Ctrl-C must not break off the stopping."""
    if threading.current_thread() is threading.main_thread():
        for signum in _INTERRUPTS:
            signal.signal(signum, signal.SIG_IGN)


class Deadline:
    """From `seconds` on, stops every child process of this one (also ones started later) until the block ends;
    `fired` says whether it did. Children only: the command's own work in this process is never cut short."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.fired = seconds, False
        self._done = threading.Event()
        self._watch = threading.Thread(target=self._run, name="cityctl-deadline", daemon=True)

    def __enter__(self) -> "Deadline":
        self._watch.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()

    def _run(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.fired = True
        while not self._done.is_set():
            for pid in descendants(os.getpid()):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            self._done.wait(0.2)


def descendants(root: int) -> list[int]:
    """Every process below `root` (children first), from /proc; empty where there is no /proc."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, pending = [], list(children.get(root, ()))
    while pending:
        pid = pending.pop(0)
        found.append(pid)
        pending.extend(children.get(pid, ()))
    return found
