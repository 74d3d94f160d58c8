"""The estate's worker pool: long-lived forked workers, one task at a time each, a dead worker a result."""

from __future__ import annotations

import os

from amsterdam_cloud.scripts.offline.workers import WorkerDied, WorkerPool


def pid_of(task: int) -> tuple[int, int]:
    return task, os.getpid()


def die_on_three(task: int) -> int:
    if task == 3:
        os._exit(9)
    return task * 10


def run_all(pool: WorkerPool, tasks: list[int]) -> list:
    results, pending = [], list(tasks)
    try:
        while pending or pool.busy:
            while pending and pool.has_room:
                pool.submit(pending.pop(0))
            results += pool.finished()
    finally:
        pool.close()
    return results


def test_a_worker_plans_many_tasks_and_no_more_workers_start_than_asked():
    results = run_all(WorkerPool(2, pid_of), list(range(8)))
    assert sorted(task for task, _ in results) == list(range(8))
    assert len({pid for _, (_, pid) in results}) == 2
    assert os.getpid() not in {pid for _, (_, pid) in results}


def test_a_worker_that_dies_is_a_result_and_the_others_go_on():
    results = dict(run_all(WorkerPool(1, die_on_three), [1, 2, 3, 4]))
    assert results[1] == 10 and results[2] == 20 and results[4] == 40
    assert isinstance(results[3], WorkerDied) and "exit code 9" in str(results[3])


WARMED = []


def warmed_pid(task: int) -> tuple[int, list]:
    return os.getpid(), list(WARMED)


def test_a_started_worker_warms_up_before_its_first_task_and_the_parent_does_not():
    """`warm` runs in each worker (the estate's SDK imports), never in the parent; `prestart` starts the first one
    before there is a task for it, and the task then goes to that very worker."""
    pool = WorkerPool(1, warmed_pid, warm=lambda: WARMED.append(os.getpid()))
    pool.prestart()
    pool.prestart()  # once only
    assert pool.started == 1 and WARMED == []
    results = run_all(pool, [1])
    (_, (pid, warmed)), = results
    assert warmed == [pid] and pid != os.getpid() and WARMED == []
