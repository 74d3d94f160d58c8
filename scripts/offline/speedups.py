"""Offline-only shortcuts that make a plan several times faster and smaller without changing what it records.

Each was measured (benchmarks/README.md) before it was kept. They are installed by `engine.run_program` for one
run and removed after it, except the class-on-demand packages, which load only real azure-native code and stay for
the process; the real Pulumi CLI never imports this module, so none of them can touch a deployment. The SDK's
private names they need are reached only through `sdk_seam.py`, which leaves out a shortcut whose names are gone.
`tests/scripts/offline/test_engine.py` proves that a plan with them is byte-identical to one without.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import gc
import importlib
import importlib.machinery
import logging
import re
import sys
import types
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pulumi

from amsterdam_cloud.scripts.offline import sdk_seam, source_locations

PUMP_EVERY = 64
"""Registrations the program may queue before the plan lets the event loop catch up (bounds peak memory)."""


class InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs each monitor call at once on the event loop's thread: the mocks are pure CPU, threads only add GIL churn."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the awaiting task, exactly as a worker thread would
            future.set_exception(error)
        return future


class ClassOnDemandPackage(types.ModuleType):
    """An azure-native package (`pulumi_azure_native.network`) that imports a class's own module on first use.

    The real package `__init__` imports every one of its modules (about 300 for network, over a second) before the
    program can use one class. This module has the same name, path and submodules; an attribute it cannot find in
    the module named after it, `_inputs`, `_enums` or `outputs` makes it run the real `__init__` after all. The
    classes are the very same objects either way; azure-native registers its resource modules in the top-level
    package, which stays as it is.
    """

    _real_spec: importlib.machinery.ModuleSpec
    """The package's own spec (its loader runs the real `__init__`)."""
    _complete: bool

    def __setattr__(self, attr: str, value: Any) -> None:
        """The import system binds each submodule it loads onto its package (`get_x` loaded for `get_x_output`); the
        real package's `from .get_x import *` then rebinds the function of the same name, which wins here too."""
        if isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{attr}":
            value = vars(value).get(attr, value)
        super().__setattr__(attr, value)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") or self.__dict__.get("_complete", True):
            raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")
        snake = _CAMEL_BOUNDARY.sub("_", attr).lower()
        for candidate in (attr, snake, snake.removesuffix("_output"), "_inputs", "_enums", "outputs"):
            try:
                module = importlib.import_module(f"{self.__name__}.{candidate}")
            except ModuleNotFoundError:
                continue
            if candidate == attr and attr not in vars(module):
                return module  # a submodule such as `outputs` or `v20240301`
            if attr in vars(module):  # like the real `from .get_x import *`, a function beats its module
                value = vars(module)[attr]
                setattr(self, attr, value)
                return value
        self._complete = True
        self._real_spec.loader.exec_module(self)  # type: ignore[union-attr]  # the real `__init__`; installed with one
        return getattr(self, attr)


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def install_class_on_demand_packages() -> None:
    """Turn every azure-native package the program has not loaded yet into a `ClassOnDemandPackage`.

    Unlike the other shortcuts it stays for the rest of the process: what it loaded is the real code, and a package
    completes itself on the first name it cannot place.
    """
    import pulumi_azure_native

    for name, module in list(sys.modules.items()):
        if not name.startswith("pulumi_azure_native.") or name.count(".") != 1:
            continue
        if not sdk_seam.is_lazy_package(module):  # already loaded (or already swapped)
            continue
        spec = importlib.machinery.PathFinder.find_spec(name, pulumi_azure_native.__path__)
        if spec is None or spec.loader is None:
            continue
        # Changed in place: modules that already did `from pulumi_azure_native import network` hold this object.
        module.__class__ = ClassOnDemandPackage
        vars(module).update(_real_spec=spec, _complete=False)


def drop_aliases(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult:
    """Aliases only match renamed resources against a real state; an offline plan has none, so skip their cost."""
    opts = copy.copy(args.opts)
    opts.aliases = None
    return pulumi.ResourceTransformationResult(props=args.props, opts=opts)


def catch_up_every(count: int) -> Callable[[pulumi.ResourceTransformationArgs], None]:
    """A transformation that, every `count` resources, runs the registrations queued so far.

    Under `run_in_stack` a program body runs to its end before the SDK registers anything, so every resource's
    pending registration would be alive at once; `sdk_seam.run_stepwise` lets this catch up between resources instead.
    """
    seen = 0

    def catch_up(_: pulumi.ResourceTransformationArgs) -> None:
        nonlocal seen
        seen += 1
        loop = asyncio.get_event_loop()
        if seen % count == 0 and not loop.is_running():
            for _turn in range(64):  # each turn advances every queued registration by one await
                if not sdk_seam.has_ready_callbacks(loop):  # nothing left that can move now
                    break
                loop.call_soon(loop.stop)
                loop.run_forever()
        return None

    return catch_up


_long_lived_worker = False
"""Set in a long-lived worker process (`workers.py`) by `freeze_for_worker`: one process, one value."""


def freeze_for_worker() -> None:
    """In a worker that plans many stacks, at its start and after each stack: collect, then freeze what survived
    (what it inherited, the modules a plan imported: never garbage). Each run's objects then stay young, so the
    collection after a run traverses that run, not every imported module (235 ms -> 100 ms a 51-resource stack).

    This is the worker's only collection: the collector stays off in between. Switched back on after a plan, it
    would first traverse every object the plan made while that plan is still alive (~15 ms a 51-resource stack),
    and this collection would then traverse what is left again."""
    global _long_lived_worker
    gc.disable()
    gc.collect()
    gc.freeze()
    _long_lived_worker = True


@contextmanager
def installed(loop: asyncio.AbstractEventLoop, logger: logging.Logger) -> Iterator[None]:
    """Install the shortcuts for one run: inline executor, no source-position capture, a paused collector, and the
    SDK shortcuts of `sdk_seam` (`logger`: the run's engine logger, whose dropped debug messages are not built)."""
    install_class_on_demand_packages()
    loop.set_default_executor(InlineExecutor(max_workers=1))
    collecting = gc.isenabled()
    worker = _long_lived_worker
    if not worker:
        gc.freeze()  # everything imported so far is never garbage
    gc.disable()  # the plan's object graph only grows until it is written: collecting it midway is wasted work
    try:
        # The SDK captures a whole stack trace per resource for the engine's source positions; a plan records only
        # the program's frame (source_locations.py), found in one walk.
        with sdk_seam.stack_traces_skipped(source_locations.stack_trace), sdk_seam.transferred_in_one_future(), \
                sdk_seam.outputs_made_on_read(), sdk_seam.plain_values_as_is(), sdk_seam.debug_logs_dropped(logger), \
                sdk_seam.urns_at_once():
            yield
    finally:
        if not worker:
            gc.freeze()  # hand the run's objects to the oldest generation without one huge young collection first
        if collecting:
            gc.enable()
        if not worker:
            gc.unfreeze()


def register_transformations() -> None:
    """Called in the program's root stack, before the program body runs."""
    pulumi.runtime.register_stack_transformation(drop_aliases)
    pulumi.runtime.register_stack_transformation(catch_up_every(PUMP_EVERY))


def warm_imports(*program_dirs: Path) -> None:
    """Load the engine and every azure-native module the programs use once: in the parent before forking several
    workers, or in a lone estate worker itself (`estate_plan._warm`).

    Following the program's imports through this toolkit's own modules finds the azure-native packages it uses;
    their shared type modules (`_inputs`, `outputs`, `_enums`, most of a package's import time) are loaded here,
    each class module on demand in the worker that uses it (`ClassOnDemandPackage`).
    """
    import ast
    import importlib.util

    import amsterdam_cloud.scripts.offline.project  # noqa: F401  (the engine and the SDK)

    pending: list[Path | str] = [path for program_dir in dict.fromkeys(program_dirs) for path in program_dir.glob("*.py")]
    seen, azure_modules = set(), set()
    while pending:
        source = Path(pending.pop())
        if source in seen:
            continue
        seen.add(source)
        try:
            tree = ast.parse(source.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue  # the plan itself reports a broken program
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                if name.startswith("pulumi_azure_native."):
                    azure_modules.add(".".join(name.split(".")[:2]))
                elif name.startswith("amsterdam_cloud."):
                    try:
                        spec = importlib.util.find_spec(name)
                    except (ImportError, ValueError):
                        spec = None
                    if spec is not None and spec.origin and spec.origin.endswith(".py"):
                        pending.append(spec.origin)
    install_class_on_demand_packages()
    for name in sorted(azure_modules):
        for shared in ("_enums", "_inputs", "outputs"):  # what every class module of the package imports
            try:
                importlib.import_module(f"{name}.{shared}")
            except ModuleNotFoundError:
                pass
