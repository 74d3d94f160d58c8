"""The one place the offline engine touches private names of the Pulumi SDK (and of asyncio's event loop).

The shortcuts in `speedups.py` lean on names no release promises to keep. Each shortcut's names are probed once per
process; a shortcut whose names are gone is left out and the plan runs the plain way (`run_in_stack` under the SDK's
public mocks), slower and byte-identical, after one warning line on stderr. The plain path itself needs no private
name, so no SDK change can stop a plan that path could make. The tested SDK versions are in `.ci/constraints.txt`.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import ModuleType, SimpleNamespace
from typing import Any, Callable, Iterator

import pulumi

from amsterdam_cloud.core.errors import UserError


REQUIRED = (("pulumi.runtime", "reset_options"), ("pulumi.runtime", "configure"), ("pulumi.runtime", "Settings"),
            ("pulumi.runtime", "run_in_stack"), ("pulumi.runtime.mocks", "MockEngine"),
            ("pulumi.runtime.mocks", "MockMonitor"))
"""What the plain path, so every offline plan, needs: all public in the SDKs this project supports."""


@dataclass(frozen=True)
class Probe:
    """What the installed SDK offers the shortcuts; None where a shortcut's names are missing."""

    stepwise: SimpleNamespace | None
    """The pieces of `run_in_stack` that `run_stepwise` runs itself, outside the event loop."""
    stack_trace_module: ModuleType | None
    """`pulumi.runtime.resource`, when it captures stack traces through `_get_stack_trace` (the shortcut skips it)."""
    lazy_module_types: tuple[type, ...]
    """The classes of azure-native packages not loaded yet (`pulumi._utils._LazyModule`)."""
    loop_has_ready_queue: bool
    """asyncio's loop keeps `_ready` (callbacks that can run now): the stepwise runner catches up in bounded steps."""
    getter_names: bool
    """`@pulumi.getter(name=...)` keeps the wire name on the getter as `_pulumi_name` (see `output_property_name`)."""
    plain_values_as_is: ModuleType | None
    """`pulumi.runtime.rpc`, when its `serialize_property` takes the parameters `plain_values_as_is` passes on."""
    single_future_outputs: SimpleNamespace | None
    """`rpc.transfer_properties`, `Output`, `_OutputData` and the settings' `outputs` and `lock`: a resource's output
    properties resolved through one future each (`transferred_in_one_future`) instead of four futures and a task."""
    debug_log: ModuleType | None
    """`pulumi.log`, when its `debug` takes the parameters `debug_logs_dropped` replaces it with."""
    urns_at_once: SimpleNamespace | None
    """`pulumi.runtime.resource` with its `create_urn`, `Output` and `_OutputData`: a URN of plain strings made at
    once (`urns_at_once`)."""
    outputs_on_read: SimpleNamespace | None
    """`rpc.transfer_properties`, `resolve_outputs`, `resolve_outputs_due_to_exception` and the pieces
    `resolve_outputs` is built from: a resource's output properties made when first read (`outputs_made_on_read`)."""
    missing: tuple[str, ...]
    """Each missing name with the shortcut that is off because of it."""


@cache
def probe() -> Probe:
    """Probe every shortcut's names once per process; warn once, on stderr, when something is missing."""
    missing: list[str] = []
    stepwise = _probe_stepwise(missing)
    stack_trace_module = _probe_attribute("pulumi.runtime.resource", "_get_stack_trace", "source-position skipping",
                                          missing)
    lazy = _probe_attribute("pulumi._utils", "_LazyModule", "class-on-demand azure-native packages", missing)
    loop = asyncio.new_event_loop()
    try:
        ready = hasattr(loop, "_ready")
    finally:
        loop.close()
    if not ready and stepwise is not None:
        missing.append("asyncio event loop `_ready` (bounded catch-up of queued registrations)")
    getter_names = _probe_getter_names(missing)
    found = Probe(stepwise=stepwise, stack_trace_module=stack_trace_module,
                  lazy_module_types=(lazy._LazyModule,) if lazy is not None else (),
                  loop_has_ready_queue=ready, getter_names=getter_names,
                  plain_values_as_is=_probe_serialize_property(missing),
                  single_future_outputs=_probe_single_future_outputs(missing),
                  debug_log=_probe_debug_log(missing), urns_at_once=_probe_urns_at_once(missing),
                  outputs_on_read=_probe_outputs_on_read(missing), missing=tuple(missing))
    if found.missing:
        sys.stderr.write(
            f"cityctl: warning: pulumi {_version('pulumi')} lacks {'; '.join(found.missing)}: planning without "
            "those shortcuts, so the plan may be slower (the same plan; tested SDK versions: .ci/constraints.txt)\n")
    return found


def _probe_getter_names(missing: list[str]) -> bool:
    """Whether `@pulumi.getter(name=...)` still records the wire name as the getter's `_pulumi_name`."""
    @pulumi.getter(name="probedName")
    def probed_name(self: Any) -> None:
        return None

    if getattr(probed_name, "_pulumi_name", None) == "probedName":
        return True
    missing.append("pulumi.getter's ._pulumi_name (output names read from getters; derived from Python names)")
    return False


SERIALIZE_PROPERTY_PARAMETERS = ["value", "deps", "property_key", "resource_obj", "input_transformer", "typ",
                                 "keep_output_values", "exclude_resource_refs_from_deps", "return_protobuf_value"]
PLAIN_TYPES = (str, bool, int, float, type(None))
"""Values `serialize_property` returns unchanged, with no dependency, whatever the declared type: it only checks
they are none of the things it converts (outputs, resources, assets, input types, mappings, sequences)."""


def _probe_serialize_property(missing: list[str]) -> ModuleType | None:
    """The SDK module whose `serialize_property` the plain-value fast path wraps; None when its signature changed."""
    import inspect

    rpc = _module("pulumi.runtime.rpc")
    serialize = getattr(rpc, "serialize_property", None)
    if serialize is None or list(inspect.signature(serialize).parameters) != SERIALIZE_PROPERTY_PARAMETERS:
        missing.append("pulumi.runtime.rpc.serialize_property with its known parameters (plain values as they are)")
        return None
    return rpc


@contextmanager
def plain_values_as_is() -> Iterator[None]:
    """For one run: `serialize_property` returns a plain value (a str, bool, int, float or None, exactly) at once,
    as the SDK's own returns it after a dozen type checks and a type-hint unwrap; anything else goes to the SDK's."""
    rpc: Any = probe().plain_values_as_is  # the SDK's own module: its private functions have no public types
    if rpc is None:
        yield
        return
    original = rpc.serialize_property

    async def serialize_property(value: Any, deps: Any, property_key: Any, resource_obj: Any = None,
                                 input_transformer: Any = None, typ: Any = None, keep_output_values: bool = False,
                                 exclude_resource_refs_from_deps: bool = False,
                                 return_protobuf_value: bool = False) -> Any:
        if type(value) in PLAIN_TYPES and not return_protobuf_value:
            return value
        return await original(value, deps, property_key, resource_obj, input_transformer, typ, keep_output_values,
                              exclude_resource_refs_from_deps, return_protobuf_value)

    rpc.serialize_property = serialize_property
    try:
        yield
    finally:
        rpc.serialize_property = original


def _probe_single_future_outputs(missing: list[str]) -> SimpleNamespace | None:
    """The SDK pieces `transferred_in_one_future` replaces and builds on; None when one is gone."""
    import inspect

    rpc, output = _module("pulumi.runtime.rpc"), _module("pulumi.output")
    transfer = getattr(rpc, "transfer_properties", None)
    data, output_class = getattr(output, "_OutputData", None), getattr(output, "Output", None)
    settings = getattr(_module("pulumi.runtime.settings"), "SETTINGS", None)
    if (transfer is None or data is None or not callable(getattr(output_class, "_from_data", None))
            or list(inspect.signature(transfer).parameters) != ["res", "props", "custom"]
            or not isinstance(getattr(settings, "outputs", None), set) or not hasattr(settings, "lock")):
        missing.append("pulumi.runtime.rpc.transfer_properties, pulumi.output._OutputData, Output._from_data or "
                       "pulumi.runtime.settings.SETTINGS.outputs (outputs resolved through one future)")
        return None
    return SimpleNamespace(rpc=rpc, OutputData=data, Output=output_class, settings=settings)


@contextmanager
def transferred_in_one_future() -> Iterator[None]:
    """For one run: each output property of a registered resource is an Output over one future that the
    registration resolves with the whole `_OutputData` (value, known, secret, dependencies), where the SDK's
    `transfer_properties` makes four futures and a task that gathers them: about 40% of a plan's event-loop
    callbacks. The Output's value, dependencies and failures are the same.

    The SDK tracks each Output's future in `SETTINGS.outputs` until it settles (the run waits for them and raises a
    failed one) through a done-callback per future: a loop callback and two settings reads for each of the ~40
    output properties of a resource. Here the resolver takes a settled future out of the set itself and a failed one
    stays in it, as the SDK's callback does; the futures of one resource are added under one lock.
    """
    sdk = probe().single_future_outputs
    if sdk is None:
        yield
        return
    import functools

    def resolve(resource: Any, data: asyncio.Future, tracked: set[Any], lock: Any, value: Any, is_known: bool,
                is_secret: bool, deps: set[Any] | None, failed: Exception | None) -> None:
        """What the SDK's `do_resolve` settles in its four futures, as one `_OutputData`."""
        if failed is not None:
            data.set_exception(failed)  # stays tracked: the run raises it at its end, as the SDK's does
            return
        resources = set(deps) if deps else set()
        resources.add(resource)
        data.set_result(sdk.OutputData(resources=resources, value=value, is_known=is_known, is_secret=is_secret))
        with lock:
            tracked.discard(data)

    def transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Callable[..., None]]:
        resolvers: dict[str, Callable[..., None]] = {}
        tracked, lock = sdk.settings.outputs, sdk.settings.lock
        futures = []
        for name in props:
            if name == "urn" or (name == "id" and custom):
                continue  # handled elsewhere, as in the SDK
            data: asyncio.Future = asyncio.Future()
            resolvers[name] = functools.partial(resolve, res, data, tracked, lock)
            output = object.__new__(sdk.Output)  # `Output._from_data` without its per-future tracking callback
            output._data = data
            res.__dict__[name] = output
            futures.append(data)
        with lock:
            tracked.update(futures)
        return resolvers

    original = sdk.rpc.transfer_properties
    sdk.rpc.transfer_properties = transfer_properties
    try:
        yield
    finally:
        sdk.rpc.transfer_properties = original


def _probe_outputs_on_read(missing: list[str]) -> SimpleNamespace | None:
    """The SDK pieces `outputs_made_on_read` replaces and rebuilds `resolve_outputs` from; None when one is gone or
    a signature changed."""
    import inspect

    rpc, types_module, settings = _module("pulumi.runtime.rpc"), _module("pulumi._types"), \
        _module("pulumi.runtime.settings")
    wanted = {"transfer_properties": ["res", "props", "custom"],
              "resolve_outputs": ["res", "serialized_props", "outputs", "deps", "resolvers", "custom",
                                  "transform_using_type_metadata", "keep_unknowns", "resolve_missing_as_unknown"],
              "resolve_outputs_due_to_exception": ["resolvers", "exn"],
              "deserialize_property": ["value", "keep_unknowns", "keep_internal"],
              "translate_output_properties": ["output", "output_transformer", "typ", "transform_using_type_metadata",
                                              "path", "return_none_on_dict_type_mismatch"]}
    found = all(callable(getattr(rpc, name, None)) and list(inspect.signature(getattr(rpc, name)).parameters) == params
                for name, params in wanted.items())
    pieces = (getattr(rpc, "_Path", None), getattr(rpc, "_special_sig_key", None), getattr(rpc, "is_rpc_secret", None),
              getattr(rpc, "unwrap_rpc_secret", None), getattr(types_module, "resource_types", None),
              getattr(types_module, "resource_pulumi_to_py_names", None), getattr(settings, "is_dry_run", None),
              getattr(settings, "is_legacy_apply_enabled", None))
    if not found or any(piece is None for piece in pieces) or not hasattr(settings, "excessive_debug_output"):
        missing.append("pulumi.runtime.rpc.transfer_properties, .resolve_outputs, .resolve_outputs_due_to_exception "
                       "or the pieces `resolve_outputs` is built from, with their known parameters (output properties "
                       "made when first read)")
        return None
    return SimpleNamespace(rpc=rpc, types=types_module, settings=settings)


class _OutputsOnRead(dict):
    """A registered resource's `__dict__` whose output properties become Outputs when first read.

    The SDK's generated getters read `pulumi.get(self, name)`, which is `self.__dict__.get(name)` for a resource; a
    whole-dict read (`keys`, `items`, iteration: how `pulumi.export` of a resource walks it) makes every one first.
    """

    __slots__ = ("unmade", "make")

    def __init__(self, values: dict[str, Any], unmade: dict[str, None], make: Callable[[str], None]) -> None:
        super().__init__(values)
        self.unmade = unmade
        """Output properties not made yet, in the SDK's order."""
        self.make = make

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self.unmade:
            self.make(key)
        return dict.get(self, key, default)

    def __missing__(self, key: Any) -> Any:
        if key not in self.unmade:
            raise KeyError(key)
        self.make(key)
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self.unmade or dict.__contains__(self, key)

    def make_all(self) -> None:
        for key in list(self.unmade):
            self.make(key)

    def keys(self) -> Any:
        self.make_all()
        return dict.keys(self)

    def items(self) -> Any:
        self.make_all()
        return dict.items(self)

    def values(self) -> Any:
        self.make_all()
        return dict.values(self)

    def __iter__(self) -> Iterator[Any]:
        self.make_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        return dict.__len__(self) + len(self.unmade)

    def copy(self) -> dict[str, Any]:
        self.make_all()
        return dict(dict.items(self))


class _ResolversOnRead(dict):
    """What `transfer_properties` returns under `outputs_made_on_read`: the resolvers of the outputs made so far
    (read before the registration finished), plus what the registration answered once it has."""

    def __init__(self, res: Any, custom: bool, outputs: _OutputsOnRead) -> None:
        super().__init__()
        self.res, self.custom, self.outputs = res, custom, outputs
        self.answer: Callable[[str], tuple[Any, bool, bool, Any]] | None = None
        """Once resolved: an output's (value, known, secret, dependencies), as `resolve_outputs` would give it."""


@contextmanager
def outputs_made_on_read() -> Iterator[None]:
    """For one run: a registered resource's output properties (about 40 a resource, most never read) are made when
    first read, not at registration. One read before the registration finished gets a pending Output that the
    registration settles; one after it gets a settled Output. The value, known, secret and dependencies are what the
    SDK's `resolve_outputs` computes for that property, computed for it alone; the SDK's own path is taken for a
    failed registration (every output fails, as in the SDK), outside a preview, with legacy apply or excessive debug
    output on, or for an answer that is itself a special value (an asset, a secret, a resource)."""
    sdk = probe().outputs_on_read
    if sdk is None:
        yield
        return
    rpc, settings = sdk.rpc, sdk.settings
    sdk_transfer, sdk_resolve, sdk_failed = rpc.transfer_properties, rpc.resolve_outputs, \
        rpc.resolve_outputs_due_to_exception

    read_through_getters: dict[type, frozenset[str]] = {}
    """Per resource class, its properties: an attribute read goes through the getter, so `pulumi.get`, to
    `__dict__.get`; any other name (`StackReference.outputs`) is read from the instance dict as it is, so it is made
    at once."""

    def transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Any]:
        cls = type(res)
        getters = read_through_getters.get(cls)
        if getters is None:
            getters = read_through_getters[cls] = frozenset(
                name for name in dir(cls) if isinstance(getattr(cls, name, None), property))
        unmade = {name: None for name in props if name in getters and not (name == "urn" or (name == "id" and custom))}
        resolvers: _ResolversOnRead

        def make(name: str) -> None:
            del outputs.unmade[name]
            made = current_transfer(res, {name: None}, custom)  # the Output, in the resource's __dict__
            if resolvers.answer is None:
                resolvers.update(made)  # settled by the registration
            else:
                value, known, secret, deps = resolvers.answer(name)
                made[name](value, known, secret, deps, None)

        outputs = _OutputsOnRead(res.__dict__, unmade, make)
        object.__setattr__(res, "__dict__", outputs)
        resolvers = _ResolversOnRead(res, custom, outputs)
        others = {name: None for name in props if name not in unmade}
        if others:
            resolvers.update(current_transfer(res, others, custom))  # made at once, as the SDK makes them
        return resolvers

    def resolve_outputs(res: Any, serialized_props: Any, outputs: Any, deps: Any, resolvers: Any, custom: bool,
                        transform_using_type_metadata: bool = False, keep_unknowns: bool = False,
                        resolve_missing_as_unknown: bool = False) -> None:
        if type(resolvers) is not _ResolversOnRead:
            return sdk_resolve(res, serialized_props, outputs, deps, resolvers, custom, transform_using_type_metadata,
                               keep_unknowns, resolve_missing_as_unknown)
        if (not settings.is_dry_run() or settings.is_legacy_apply_enabled() or settings.excessive_debug_output
                or rpc._special_sig_key in outputs):
            resolvers.outputs.make_all()
            return sdk_resolve(res, serialized_props, outputs, deps, dict(resolvers), custom,
                               transform_using_type_metadata, keep_unknowns, resolve_missing_as_unknown)
        resolvers.answer = _answers(sdk, res, outputs, deps, transform_using_type_metadata, keep_unknowns)
        for name, resolve in list(resolvers.items()):
            value, known, secret, property_deps = resolvers.answer(name)
            resolve(value, known, secret, property_deps, None)
        resolvers.clear()
        return None

    def resolve_outputs_due_to_exception(resolvers: Any, exn: Exception) -> None:
        if type(resolvers) is _ResolversOnRead:
            resolvers.outputs.make_all()  # every output fails, as the SDK's do
            resolvers = dict(resolvers)
        return sdk_failed(resolvers, exn)

    current_transfer = sdk_transfer
    rpc.transfer_properties, rpc.resolve_outputs = transfer_properties, resolve_outputs
    rpc.resolve_outputs_due_to_exception = resolve_outputs_due_to_exception
    try:
        yield
    finally:
        rpc.transfer_properties, rpc.resolve_outputs = sdk_transfer, sdk_resolve
        rpc.resolve_outputs_due_to_exception = sdk_failed


def _answers(sdk: SimpleNamespace, res: Any, outputs: Any, deps: Any, transform_using_type_metadata: bool,
             keep_unknowns: bool) -> Callable[[str], tuple[Any, bool, bool, Any]]:
    """What the SDK's `resolve_outputs` and `resolve_properties` settle one output property with, in a preview: the
    registration's answer for it deserialised and translated alone (the SDK does every property at once)."""
    rpc = sdk.rpc
    types = sdk.types.resource_types(type(res))
    if transform_using_type_metadata:
        pulumi_to_py_names = sdk.types.resource_pulumi_to_py_names(type(res))

        def translate(prop: str) -> str:
            return pulumi_to_py_names.get(prop) or prop

        def translate_to_pass(prop: str) -> str:
            return prop
    else:
        translate = translate_to_pass = res.translate_output_property
    wire_names = {translate(key): key for key in outputs.keys()}
    translated_deps = {translate(key): property_deps for key, property_deps in deps.items()}

    def answer(name: str) -> tuple[Any, bool, bool, Any]:
        key = wire_names.get(name)
        value = None if key is None else rpc.deserialize_property(outputs[key], keep_unknowns)
        if value is None:  # missing from the answer: unknown in a preview
            return None, False, False, translated_deps.get(name)
        value = rpc.translate_output_properties(value, translate_to_pass, types.get(key), transform_using_type_metadata,
                                                path=rpc._Path(name, resource=f"{res._name}"))
        secret = rpc.is_rpc_secret(value)
        value = rpc.unwrap_rpc_secret(value)
        return value, value is not None, secret, translated_deps.get(name)

    return answer


def _probe_debug_log(missing: list[str]) -> ModuleType | None:
    """The SDK log module whose `debug` is silenced when the engine drops debug messages; None when it changed."""
    import inspect

    log = _module("pulumi.log")
    debug = getattr(log, "debug", None)
    if debug is None or list(inspect.signature(debug).parameters) != ["msg", "resource", "stream_id", "ephemeral"]:
        missing.append("pulumi.log.debug with its known parameters (debug messages nobody reads skipped)")
        return None
    return log


@contextmanager
def debug_logs_dropped(logger: logging.Logger) -> Iterator[None]:
    """For one run whose engine logger drops debug messages (`MockEngine` hands them to `logger.debug`): the SDK's
    own `log.debug` returns at once instead of building a LogRequest (for one about a resource, a task that awaits
    its URN first) only for the logger to drop it. Two or three a resource; a program's `pulumi.debug` is unchanged."""
    log: Any = probe().debug_log  # a module whose `debug` is replaced for the run
    if log is None or logger.isEnabledFor(logging.DEBUG):
        yield
        return
    original = log.debug

    def debug(msg: str, resource: Any = None, stream_id: Any = None, ephemeral: Any = None) -> None:
        return None

    log.debug = debug
    try:
        yield
    finally:
        log.debug = original


def _probe_urns_at_once(missing: list[str]) -> SimpleNamespace | None:
    """The SDK pieces `urns_at_once` builds a settled URN from; None when one is gone or its signature changed."""
    import inspect

    resource, output = _module("pulumi.runtime.resource"), _module("pulumi.output")
    create_urn = getattr(resource, "create_urn", None)
    data, output_class = getattr(output, "_OutputData", None), getattr(output, "Output", None)
    if (create_urn is None or data is None or output_class is None
            or list(inspect.signature(create_urn).parameters) != ["name", "type_", "parent", "project", "stack"]):
        missing.append("pulumi.runtime.resource.create_urn with its known parameters or pulumi.output._OutputData "
                       "(URNs of plain strings made at once)")
        return None
    return SimpleNamespace(resource=resource, OutputData=data, Output=output_class)


@contextmanager
def urns_at_once() -> Iterator[None]:
    """For one run: `create_urn` of a plain name, type and parent URN (how every registration calls it, for the URN
    a monitor-less test would get) is an Output already holding the string the SDK's builds through `Output.all` and
    two `apply`s (three tasks a resource); anything else goes to the SDK's."""
    sdk = probe().urns_at_once
    if sdk is None:
        yield
        return
    original = sdk.resource.create_urn

    def create_urn(name: Any, type_: Any, parent: Any = None, project: Any = None, stack: Any = None) -> Any:
        if type(name) is not str or type(type_) is not str or project is not None or stack is not None \
                or not (parent is None or type(parent) is str):
            return original(name, type_, parent, project, stack)
        if parent is None:
            prefix = f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::"
        else:
            prefix = parent[0:parent.rfind("::")] + "$"
        data: asyncio.Future = asyncio.Future()
        data.set_result(sdk.OutputData(resources=set(), value=prefix + type_ + "::" + name, is_known=True,
                                       is_secret=False))
        urn = object.__new__(sdk.Output)  # settled already: nothing for the run to wait for
        urn._data = data
        return urn

    sdk.resource.create_urn = create_urn
    try:
        yield
    finally:
        sdk.resource.create_urn = original


def output_property_name(attribute: str, getter: Callable[..., Any] | None) -> str:
    """The wire name of an SDK class's output property `attribute`: what `@pulumi.getter(name=...)` recorded on its
    getter; in an SDK that no longer records it there (`probe` warned), the camelCase of the Python name, which
    differs only in case from the few irregular ones (`hubIPAddresses`), so match it without case."""
    if probe().getter_names:
        return getattr(getter, "_pulumi_name", None) or attribute
    head, *rest = attribute.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _probe_stepwise(missing: list[str]) -> SimpleNamespace | None:
    """The SDK internals `run_in_stack` is built from; None (plain `run_in_stack`) when any of them is gone."""
    wanted = (("pulumi.runtime.sync_await", "_sync_await"),
              ("pulumi.runtime.settings", "_load_monitor_feature_support"),
              ("pulumi.runtime.stack", "run_pulumi_func"),
              ("pulumi.runtime.stack", "Stack"))
    found: dict[str, Any] = {}
    gone: list[str] = []
    for module_name, attr in wanted:
        value = getattr(_module(module_name), attr, None)
        if value is None:
            gone.append(f"{module_name}.{attr}")
        found[attr] = value
    for method in ("_take_async_program", "_add_program_outputs", "_finish"):
        if found["Stack"] is not None and not callable(getattr(found["Stack"], method, None)):
            gone.append(f"pulumi.runtime.stack.Stack.{method}")
    if gone:
        missing.append(f"{', '.join(gone)} (the stepwise runner)")
        return None
    return SimpleNamespace(sync_await=found["_sync_await"], load_features=found["_load_monitor_feature_support"],
                           run_pulumi_func=found["run_pulumi_func"], Stack=found["Stack"])


def _probe_attribute(module_name: str, attr: str, shortcut: str, missing: list[str]) -> ModuleType | None:
    """`module_name` when it still has `attr`, else None with `shortcut` noted as missing."""
    module = _module(module_name)
    if module is None or not hasattr(module, attr):
        missing.append(f"{module_name}.{attr} ({shortcut})")
        return None
    return module


def _module(name: str) -> ModuleType | None:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "(version unknown)"


def use_mocks(monitor: Any, project: str, stack: str, logger: logging.Logger | None = None) -> None:
    """What `pulumi.runtime.set_mocks` does, minus the root stack it registers (`run_in_stack` registers that, as the
    language host does), in fresh settings: no root and no pending outputs left by a previous run. Public names."""
    for module_name, attr in REQUIRED:
        if getattr(_module(module_name), attr, None) is None:
            raise UserError(f"pulumi {_version('pulumi')} has no {module_name}.{attr}, which every offline plan needs; "
                            f"install a supported one ({_supported_range()}): pip install -c .ci/constraints.txt -e .")
    from pulumi.runtime.mocks import MockEngine

    pulumi.runtime.reset_options(project=project, stack=stack, preview=True)
    pulumi.runtime.configure(pulumi.runtime.Settings(project=project, stack=stack, monitor=monitor,
                                                     engine=MockEngine(logger), dry_run=True))


def _supported_range() -> str:
    """The pulumi requirement this project declares (pyproject.toml, as installed)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        declared = requires("amsterdam-cloud") or []
    except PackageNotFoundError:
        declared = []
    for requirement in declared:
        name = re.split(r"[<>=!~; ]", requirement, maxsplit=1)[0]
        if name == "pulumi":
            bounds = requirement.split(";")[0][len(name):].replace(" ", "").split(",")
            return "pulumi" + ",".join(sorted(bounds, reverse=True))  # the lower bound first
    return "pulumi: see pyproject.toml"


def forget_run() -> None:
    """After a run: nothing that follows sees its root stack or its mocks."""
    pulumi.runtime.reset_options()


def run_plain(program: Callable[[], None]) -> None:
    """The plain path, public names only: the program under `run_in_stack`, exactly as the language host runs it."""
    asyncio.get_event_loop().run_until_complete(pulumi.runtime.run_in_stack(program))


def run_stepwise(program: Callable[[], None]) -> bool:
    """`run_in_stack` with the program body run outside the event loop; False (nothing run) if the SDK lacks a piece.

    Outside the loop, `catch_up` can advance registrations between resources without `_sync_await`'s re-entrant
    pumping; the recorded plan is the same.
    """
    sdk = probe().stepwise
    if sdk is None:
        return False
    _await_here(sdk.load_features())  # the monitor's features, in this context: the program runs here, not in a task
    stack = sdk.Stack()
    try:
        program()
        async_program = stack._take_async_program()
        if async_program is not None:
            stack._add_program_outputs(sdk.sync_await(async_program()))
    finally:
        stack._finish()
    sdk.sync_await(sdk.run_pulumi_func(lambda: None))
    return True


def _await_here(awaitable: Any) -> None:
    """Run an awaitable to its end and keep the context variables it set, as if awaited in the calling task."""
    context = contextvars.copy_context()
    loop = asyncio.get_event_loop()
    loop.run_until_complete(loop.create_task(awaitable, context=context))
    for variable, value in context.items():
        variable.set(value)


def has_ready_callbacks(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether the (stopped) loop holds callbacks that can run now; False when asyncio does not say."""
    return probe().loop_has_ready_queue and bool(getattr(loop, "_ready", ()))


def is_lazy_package(module: ModuleType) -> bool:
    """Whether an azure-native package is still the SDK's not-yet-loaded stand-in."""
    return issubclass(type(module), probe().lazy_module_types)  # never `isinstance`: `__class__` would load it


@contextmanager
def stack_traces_skipped(replacement: Callable[[], Any] | None = None) -> Iterator[None]:
    """For one run: the SDK captures `replacement()` as each resource's stack trace instead of walking the whole
    stack (default: an empty trace)."""
    module: Any = probe().stack_trace_module  # the SDK's own module: its private functions have no public types
    if module is None:
        yield
        return
    from pulumi.runtime.proto import source_pb2

    original = module._get_stack_trace
    module._get_stack_trace = replacement or source_pb2.StackTrace
    try:
        yield
    finally:
        module._get_stack_trace = original
