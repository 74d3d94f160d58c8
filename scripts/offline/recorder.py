"""A mock resource monitor that records every registration the way the real engine stores it in state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pulumi.runtime import mocks as sdk_mocks
from google.protobuf import struct_pb2
from pulumi.runtime.proto import resource_pb2

from amsterdam_cloud.core.export_format import ROOT_STACK_TYPE
from amsterdam_cloud.scripts.offline import source_locations
from amsterdam_cloud.scripts.offline.azure_mocks import AzureMocks
from amsterdam_cloud.scripts.offline.values import Secret, from_struct, reveal, to_wire


@dataclass(eq=False)
class RecordedResource:
    """One resource as `pulumi stack export` would hold it after this plan."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    id: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False
    external: bool = False
    provider: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    """The other resource options the engine keeps: ignoreChanges, retainOnDelete, deleteBeforeReplace, ..."""
    source_position: str = ""
    """Where the program declared it, as the engine's state keeps it (`project:///stacks/__main__.py#42`)."""


def qualified_type(urn: str) -> str:
    """The `$`-joined type chain of a URN (`amsterdam:lz:Hub$azure-native:network:VirtualNetwork`)."""
    return urn.split("::")[2]


class RecordingMonitor(sdk_mocks.MockMonitor):
    """The SDK's MockMonitor, plus: real-engine URNs and a full record of each registration, in order."""

    mocks: AzureMocks

    def __init__(self, mocks: AzureMocks, on_record: Callable[[int], None] | None = None) -> None:
        super().__init__(mocks)
        self.recorded: dict[str, RecordedResource] = {}
        self.stack_urn = ""
        self.on_record = on_record

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """As the engine does: the parent's whole type chain, except the root stack, prefixes the type."""
        if parent and qualified_type(parent) != ROOT_STACK_TYPE:
            type_ = f"{qualified_type(parent)}${type_}"
        return "urn:pulumi:" + "::".join([sdk_mocks.get_stack(), sdk_mocks.get_project(), type_, name])

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = from_struct(request.object)
        record = RecordedResource(
            urn=urn, type=request.type, name=request.name, custom=bool(request.custom), parent=request.parent,
            inputs=inputs, dependencies=list(request.dependencies),
            property_dependencies={key: list(deps.urns) for key, deps in request.propertyDependencies.items()},
            protect=bool(request.protect), provider=request.provider, options=_options(request),
            source_position=source_locations.position(request))
        if request.type == ROOT_STACK_TYPE:
            self.stack_urn = urn
            self.recorded[urn] = record
            return resource_pb2.RegisterResourceResponse(urn=urn)
        if record.custom:
            args = sdk_mocks.MockResourceArgs(typ=request.type, name=request.name, inputs=reveal(inputs),
                                              provider=request.provider, resource_id=request.importId, custom=True)
            args.urn = urn  # type: ignore[attr-defined]  # an extra the mocks read: stable names from the URN
            resource_id, state = self.mocks.new_resource(args)
            record.inputs = {**inputs, **self.mocks.checked_defaults.pop(urn, {})}  # Check's result, as the engine keeps
            record.id = resource_id or ""
            record.outputs = _keep_secrets(inputs, state)
        self.recorded[urn] = record
        if self.on_record is not None:
            self.on_record(len(self.recorded))
        obj_proto = struct_pb2.Struct()
        obj_proto.update(to_wire(record.outputs))  # plain values only: what serialize_properties would build
        return resource_pb2.RegisterResourceResponse(urn=urn, id=record.id, object=obj_proto)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        record = self.recorded.get(request.urn)
        if record is not None:
            record.outputs = from_struct(request.outputs)
        return super().RegisterResourceOutputs(request)

    def ReadResource(self, request: Any) -> Any:
        """A read (`StackReference`, `Resource.get`) is recorded as an external resource, like the engine does."""
        response = super().ReadResource(request)
        registration = self.resources[response.urn]
        urn = self.make_urn(request.parent, request.type, request.name)
        self.recorded[urn] = RecordedResource(
            urn=urn, type=request.type, name=request.name, custom=True, parent=request.parent,
            id=registration.id or request.id, inputs=from_struct(request.properties),
            outputs=from_struct(response.properties), dependencies=list(request.dependencies), external=True,
            provider=request.provider)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=response.properties)


def _keep_secrets(inputs: Any, state: Any) -> Any:
    """An output that echoes a secret input (at any depth) stays secret, as the engine keeps it."""
    if isinstance(inputs, Secret):
        return state if isinstance(state, Secret) else Secret(state)
    if isinstance(inputs, dict) and isinstance(state, dict):
        return {key: _keep_secrets(inputs.get(key), value) for key, value in state.items()}
    if isinstance(inputs, list) and isinstance(state, list) and len(inputs) == len(state):
        return [_keep_secrets(i, o) for i, o in zip(inputs, state)]
    return state


def canonical_order(resources: list[RecordedResource], root_urn: str) -> list[RecordedResource]:
    """The root stack, then parents before children and dependencies before dependents, ties by URN.

    Registration order depends on how the SDK's tasks interleave; this order depends only on the resources, so the
    same program always gives the same file, whichever way it was planned.
    """
    import heapq

    by_urn = {r.urn: r for r in resources}
    waiting_on: dict[str, int] = {}
    dependents: dict[str, list[str]] = {}
    for resource in resources:
        before = {resource.parent, *resource.dependencies} & by_urn.keys()
        before.discard(resource.urn)
        waiting_on[resource.urn] = len(before)
        for urn in before:
            dependents.setdefault(urn, []).append(resource.urn)
    ready = [(urn != root_urn, urn) for urn, count in waiting_on.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[RecordedResource] = []
    while ready:
        _, urn = heapq.heappop(ready)
        ordered.append(by_urn[urn])
        for dependent in dependents.get(urn, ()):
            waiting_on[dependent] -= 1
            if waiting_on[dependent] == 0:
                heapq.heappush(ready, (True, dependent))
    if len(ordered) != len(resources):  # a cycle cannot be registered, but never drop a resource silently
        placed = {r.urn for r in ordered}
        ordered.extend(sorted((r for r in resources if r.urn not in placed), key=lambda r: r.urn))
    return ordered


def _options(request: Any) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if request.ignoreChanges:
        options["ignoreChanges"] = list(request.ignoreChanges)
    if request.replaceOnChanges:
        options["replaceOnChanges"] = list(request.replaceOnChanges)
    if request.additionalSecretOutputs:
        options["additionalSecretOutputs"] = list(request.additionalSecretOutputs)
    if request.HasField("retainOnDelete") and request.retainOnDelete:
        options["retainOnDelete"] = True
    if request.deleteBeforeReplaceDefined and request.deleteBeforeReplace:
        options["deleteBeforeReplace"] = True
    if request.deletedWith:
        options["deletedWith"] = request.deletedWith
    if request.importId:
        options["importID"] = request.importId
    if request.customTimeouts.create or request.customTimeouts.update or request.customTimeouts.delete:
        options["customTimeouts"] = {k: v for k, v in (("create", request.customTimeouts.create),
                                                       ("update", request.customTimeouts.update),
                                                       ("delete", request.customTimeouts.delete)) if v}
    return options
