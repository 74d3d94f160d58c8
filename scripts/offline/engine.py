"""Run a real Pulumi program in-process under the SDK's mocks and return what it registered as a `Plan`.

No CLI, no credentials, no network: the SDK's mocks (`sdk_seam.use_mocks`) with the city's Azure mocks and a
recording monitor.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import logging
import runpy
import sys
import traceback
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import pulumi

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline import sdk_seam, source_locations, speedups
from amsterdam_cloud.scripts.offline.azure_mocks import AzureContext, AzureMocks, MockGap, StackOutputs
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.recorder import RecordingMonitor, canonical_order
from amsterdam_cloud.core.program_config import SecretValue


_ENGINE_DIR = Path(__file__).resolve().parent


class ProgramError(UserError):
    """The Pulumi program raised, or used something the offline mocks do not understand."""

    exit_code = 1


@dataclass(frozen=True, kw_only=True)
class ProgramRun:
    """One offline run of a program for one stack."""

    program_dir: Path
    """The folder holding `__main__.py` (Pulumi.yaml's `main:`); also where failures are located."""
    project: str
    stack: str
    config: Mapping[str, Any]
    """The stack file's `config:` values; `SecretValue` marks a `secure:` value."""
    context: AzureContext
    stack_outputs: StackOutputs | None = None
    """Resolves StackReferences from saved plans; None: a stack reference is an error."""
    offline_speedups: bool = True
    """On: the shortcuts in `speedups.py` (offline only; the real CLI never runs this code)."""
    inline_program: Callable[[], None] | None = None
    """Run this function instead of the folder's `__main__.py` (component tests)."""
    progress: Callable[[int], None] | None = None
    """Called with the count of resources registered so far, after each registration."""


def run_program(run: ProgramRun) -> Plan:
    """Plan the program: every registration recorded, URNs as the engine builds them, secrets kept secret."""
    mocks = AzureMocks(run.context, run.stack_outputs)
    monitor = RecordingMonitor(mocks, on_record=run.progress)
    log = _CollectingHandler()
    logger = logging.getLogger(f"cityctl.offline.{run.stack}")
    logger.handlers[:] = [log]
    logger.propagate = False
    loop = asyncio.new_event_loop()  # a run's tasks never leak into the next run, even when it fails
    asyncio.set_event_loop(loop)
    loop.set_exception_handler(lambda _loop, _context: None)  # failures surface once, as the run's error
    sdk_seam.use_mocks(monitor, run.project, run.stack, logger)
    values, secret_keys = _cli_config(run.config)
    pulumi.runtime.set_all_config(values, secret_keys)

    def program() -> None:
        pulumi.runtime.register_stack_transformation(mocks.track_origin)  # program lines for the mocks' checks
        if run.offline_speedups:
            speedups.register_transformations()
        if run.inline_program is not None:
            run.inline_program()
        else:
            runpy.run_path(str(run.program_dir), run_name="__main__")

    with _sys_path_restored(), source_locations.recording(run.program_dir), \
            speedups.installed(loop, logger) if run.offline_speedups else nullcontext():
        try:
            if not (run.offline_speedups and sdk_seam.run_stepwise(program)):
                sdk_seam.run_plain(program)  # exactly as the real language host runs a program
        except UserError:
            raise
        except MockGap as gap:
            raise ProgramError(str(gap)) from None
        except Exception as error:  # the program's own failure: say where, not a bare traceback
            raise ProgramError(_describe_failure(run.program_dir, error, log.errors)) from None
        finally:
            sdk_seam.forget_run()
            failed = sys.exc_info()[0] is not None
            with warnings.catch_warnings():
                if failed:  # the coroutines a failed run leaves are dropped on purpose: no warning before its error
                    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)
                _close_loop(loop, inline_executor=run.offline_speedups)
            if failed:
                _close_unstarted_coroutines()
    resources = canonical_order(list(monitor.recorded.values()), monitor.stack_urn)
    return Plan(project=run.project, stack=run.stack, resources=tuple(resources), warnings=tuple(log.warnings))


def _close_loop(loop: asyncio.AbstractEventLoop, inline_executor: bool) -> None:
    """Cancel whatever a failed program left pending, then close the loop. The speedups' inline executor has no
    thread to wait for, so it is not shut down through asyncio's, which starts a thread to do it (7 ms a stack)."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    if not inline_executor:
        loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
    asyncio.set_event_loop(None)


def _close_unstarted_coroutines() -> None:
    """Close the SDK's coroutines a failed run created but never started (`Output.future`, `Output.is_known`):
    otherwise each prints "coroutine ... was never awaited" at exit, after the run's one-line error."""
    sdk = str(Path(pulumi.__file__).parent)
    gc.collect()
    for obj in gc.get_objects():
        if (inspect.iscoroutine(obj) and inspect.getcoroutinestate(obj) == inspect.CORO_CREATED
                and obj.cr_code.co_filename.startswith(sdk)):
            obj.close()


@contextmanager
def _sys_path_restored() -> Iterator[None]:
    """`runpy.run_path` puts the program folder first on sys.path; take it off again after the run."""
    saved = list(sys.path)
    try:
        yield
    finally:
        sys.path[:] = saved


def _cli_config(config: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Config as the Pulumi CLI hands it to a program: every value a string, structured values as JSON."""
    values: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in config.items():
        if isinstance(value, SecretValue):
            secret_keys.append(key)
            value = value.value
        if isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif isinstance(value, (dict, list)):
            values[key] = json.dumps(value)
        else:
            values[key] = str(value)
    return values, secret_keys


def _describe_failure(program_dir: Path, error: BaseException, logged: list[str]) -> str:
    root = program_dir.resolve().parent
    where = ""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(root) and not path.is_relative_to(_ENGINE_DIR) and "site-packages" not in path.parts:
            where = f" at {path.relative_to(root)}:{frame.lineno}"
            break
    detail = str(error) or type(error).__name__
    extra = f" (engine log: {logged[0]})" if logged and logged[0] not in detail else ""
    return f"the program in {program_dir.name}/ raised {type(error).__name__}{where}: {detail}{extra}"


class _CollectingHandler(logging.Handler):
    """Keeps the engine's log lines so they are reported once, clearly, instead of scattered on stderr."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.errors.append(message)
        elif record.levelno >= logging.WARNING:
            self.warnings.append(message)
