"""A pool of long-lived forked worker processes for the estate: each plans one stack at a time, many in a row.

One process per stack (as `plan --all` does) would pay a fork and every azure-native class import again for each of
800 stacks; a worker keeps what it imported and frees each plan before the next, so memory is bounded by one worker
and one plan, not by the estate. Each worker has its own pipe (a stopped worker can never leave a shared queue locked),
starts with Ctrl-C and SIGTERM held (`signals.quiet_worker_signals`), and is started only when there is work for it.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from multiprocessing.connection import Connection
from typing import Any, Callable, cast

from amsterdam_cloud.scripts.signals import ignore_interrupts, quiet_worker_signals, signals_held


class WorkerDied(Exception):
    """A worker ended without sending a result (killed, out of memory)."""

    def __init__(self, task: Any, exit_code: int | None) -> None:
        super().__init__(f"the worker ended without a result (exit code {exit_code})")
        self.task, self.exit_code = task, exit_code


class WorkerPool:
    """Up to `size` workers running `job(task)`; `submit` to an idle one, `finished` waits for results."""

    def __init__(self, size: int, job: Callable[[Any], Any], name: str = "cityctl-worker",
                 warm: Callable[[], None] | None = None) -> None:
        self.size, self.job, self.name, self.warm = size, job, name, warm
        """`warm`: run in each worker before its first task (imports the parent then need not make before forking)."""
        self._context = multiprocessing.get_context("fork")
        self._idle: list[tuple[Any, Any]] = []
        self._busy: dict[Any, tuple[Any, Any]] = {}  # connection -> (process, task)
        self._started = 0

    @property
    def has_room(self) -> bool:
        return bool(self._idle) or self._started < self.size

    @property
    def started(self) -> int:
        return self._started

    @property
    def busy(self) -> int:
        return len(self._busy)

    def prestart(self) -> None:
        """Start the first worker now, before there is a task for it: its `warm` runs while the parent goes on."""
        if not self._started:
            self._idle.append(self._start())

    def submit(self, task: Any) -> int:
        """Hand `task` to an idle worker (started when none is); the worker's process id."""
        process, connection = self._idle.pop() if self._idle else self._start()
        connection.send(task)
        self._busy[connection] = (process, task)
        return process.pid

    def finished(self) -> list[tuple[Any, Any]]:
        """Wait for at least one busy worker; (task, result) for each that finished, a `WorkerDied` as its result
        when it ended without one."""
        done = []
        # `wait` returns the very objects it was given: our connections
        for connection in cast(list[Connection], multiprocessing.connection.wait(list(self._busy))):
            process, task = self._busy.pop(connection)
            try:
                done.append((task, connection.recv()))
                self._idle.append((process, connection))
            except (EOFError, OSError):
                process.join()
                connection.close()
                self._started -= 1
                done.append((task, WorkerDied(task, process.exitcode)))
        return done

    def close(self) -> None:
        """Let idle workers end; stop the busy ones (a failed run does not wait for work nobody needs)."""
        for _process, connection in self._idle:
            connection.send(None)
            connection.close()
        for connection, (process, _) in self._busy.items():
            process.terminate()  # SIGTERM: the worker cleans up and exits 130, quietly
            connection.close()
        for process in [process for process, _ in self._idle] + [process for process, _ in self._busy.values()]:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join()
        self._idle, self._busy = [], {}

    def stop(self) -> None:
        """After an error or Ctrl-C: no more interrupts here, every worker stopped."""
        ignore_interrupts()
        self.close()

    def _start(self) -> tuple[Any, Any]:
        parent_end, worker_end = self._context.Pipe(duplex=True)
        with signals_held():  # the worker starts with both blocked, until quiet_worker_signals
            process = self._context.Process(target=_serve, args=(self.job, worker_end, self.warm),
                                            name=f"{self.name}-{self._started + 1}", daemon=True)
            process.start()
        worker_end.close()
        self._started += 1
        return process, parent_end


def _serve(job: Callable[[Any], Any], connection: Any, warm: Callable[[], None] | None) -> None:
    """A worker: warm up, then run each task it is sent until it is sent None; collect the last plan's garbage
    between tasks."""
    from amsterdam_cloud.scripts.offline.speedups import freeze_for_worker

    quiet_worker_signals()
    if warm is not None:
        warm()
    freeze_for_worker()
    while True:
        try:
            task = connection.recv()
        except EOFError:
            break
        if task is None:
            break
        result = job(task)
        connection.send(result)
        del task, result
        freeze_for_worker()
    connection.close()
