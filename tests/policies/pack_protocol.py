"""The CrossGuard pack driven the way the Pulumi CLI drives it: its own process, its gRPC port, the analyzer protocol.

The CLI starts the pack's `__main__.py` (pulumi-policy's `PolicyPack` serves `_PolicyAnalyzerServicer` and prints
its port), asks `GetAnalyzerInfo`, reconciles the `--policy-pack-config` file with each policy's schema defaults
(`ReconcilePolicyPackConfig` in pulumi/pulumi `pkg/resource/analyzer/config.go`), sends the result to `Configure`
as protobuf Structs (JSON numbers arrive as floats), then `Analyze` per resource with its inputs and
`AnalyzeStack` with every resource's outputs; secrets travel as `{sig: secret, value: ...}`, unknowns as the
engine's sentinel string.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import selectors
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from amsterdam_cloud.policies.settings import PACK_DIR
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.recorder import RecordedResource
from amsterdam_cloud.scripts.offline.values import UNKNOWN, Secret, to_wire

LEVELS = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
          "remediate": analyzer_pb2.REMEDIATE, "disabled": analyzer_pb2.DISABLED}
LEVEL_NAMES = {number: name for name, number in LEVELS.items()}
Finding = tuple[str, str, str]
"""(policy, URN, enforcement level): what the CLI reports and `cityctl policy check` must report too."""


COMPUTED_OUTPUTS = frozenset({"id", "principalId", "clientId", "customerId", "vaultUri", "primaryEndpoints",
                              "privateIPAddress"})
"""Outputs Azure computes when it creates a resource (the ones the mocks derive): unknown in a first preview."""


def with_default_provider(plan: Plan, stack_config: dict[str, Any]) -> Plan:
    """The plan as the engine runs it: each azure-native resource without an explicit provider on the default
    provider (`default_<version>`), whose inputs are the stack config's `azure-native:*` keys and the version. The
    SDK's mocks never see that provider (the engine makes it), so offline plans do not record it."""
    version = importlib.metadata.version("pulumi_azure_native")
    urn = f"urn:pulumi:{plan.stack}::{plan.project}::pulumi:providers:azure-native::default_{version.replace('.', '_')}"
    inputs = {key.split(":", 1)[1]: value for key, value in stack_config.items() if key.startswith("azure-native:")}
    provider = RecordedResource(urn=urn, type="pulumi:providers:azure-native", name=urn.rsplit("::", 1)[1],
                                custom=True, parent="", id="00000000-0000-4000-8000-00000000d1f7",
                                inputs={**inputs, "version": version}, outputs={**inputs, "version": version})
    reference = f"{provider.urn}::{provider.id}"
    resources = [dataclasses.replace(r, provider=reference)
                 if r.custom and not r.provider and r.type.startswith("azure-native:") else r for r in plan.resources]
    return dataclasses.replace(plan, resources=(resources[0], provider, *resources[1:]))


def first_preview(plan: Plan) -> Plan:
    """The plan as the engine holds it in a stack's first preview: every computed output of a resource the plan
    creates is the unknown sentinel, and so is every value built from one (an id in a scope, a URI in a setting)."""
    computed: set[str] = set()

    def unknown_computed(value: Any, key: str | None = None) -> Any:
        if key in COMPUTED_OUTPUTS and value != UNKNOWN:
            computed.update(_strings(value))
            return UNKNOWN
        if isinstance(value, dict):
            return {k: unknown_computed(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [unknown_computed(item) for item in value]
        return value

    created = {r.urn for r in plan.resources if r.custom and not r.external and not r.type.startswith("pulumi:")}
    staged = [dataclasses.replace(r, id="", outputs=unknown_computed(r.outputs)) if r.urn in created else r
              for r in plan.resources]

    def built_from_computed(value: Any) -> Any:
        if isinstance(value, str):
            return UNKNOWN if any(part in value for part in computed) else value
        if isinstance(value, Secret):
            return Secret(built_from_computed(value.value))
        if isinstance(value, dict):
            return {k: built_from_computed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [built_from_computed(item) for item in value]
        return value

    return dataclasses.replace(plan, resources=tuple(
        r if r.external else dataclasses.replace(r, inputs=built_from_computed(r.inputs),
                                                 outputs=built_from_computed(r.outputs))
        for r in staged))


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for item in value.values() for s in _strings(item)}
    if isinstance(value, list):
        return {s for item in value for s in _strings(item)}
    return set()


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def reconcile(policies: Iterable[analyzer_pb2.PolicyInfo], config: dict[str, Any]) -> dict[str, tuple[str, dict]]:
    """The CLI's `ReconcilePolicyPackConfig`: schema defaults and each policy's own level, then `all`'s level,
    then each block's `enforcementLevel` and properties over them (the block named `all` is kept, as the CLI does)."""
    given: dict[str, tuple[str, dict]] = {}
    for key, value in config.items():  # parsePolicyPackConfig
        if isinstance(value, str):
            level, properties = value, {}
        else:
            properties = dict(value)
            level = properties.pop("enforcementLevel", "")
        if level or properties:
            given[key] = (level, properties)
    result: dict[str, tuple[str, dict]] = {}
    for policy in policies:  # createConfigWithDefaults
        schema = json_format.MessageToDict(policy.configSchema.properties)
        result[policy.name] = (LEVEL_NAMES[policy.enforcementLevel],
                               {key: spec["default"] for key, spec in schema.items() if "default" in spec})
    if given.get("all", ("", {}))[0]:  # applyConfig
        result = {name: (given["all"][0], properties) for name, (_, properties) in result.items()}
    for name, (level, properties) in given.items():
        old_level, old_properties = result.get(name, ("", {}))
        result[name] = (level or old_level, {**old_properties, **properties})
    return result


def _options(resource: RecordedResource) -> analyzer_pb2.AnalyzerResourceOptions:
    options = resource.options
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect, ignoreChanges=options.get("ignoreChanges", []),
        deleteBeforeReplace=bool(options.get("deleteBeforeReplace")),
        deleteBeforeReplaceDefined="deleteBeforeReplace" in options,
        additionalSecretOutputs=options.get("additionalSecretOutputs", []), parent=resource.parent)


class PackProcess:
    """One pack process for a test session, re-configured per environment."""

    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-u", "__main__.py"], cwd=PACK_DIR, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=self.stderr,
                                        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        port = self._port()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}",
                                             options=[("grpc.max_receive_message_length", 1 << 30)])
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        self.info = self.stub.GetAnalyzerInfo(empty_pb2.Empty())

    def _port(self) -> int:
        """The first line the pack prints is its port, as the CLI reads it (a minute at most, never forever)."""
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=120):
            self.close()
            raise RuntimeError(f"the pack printed no port: {self.error_output()}")
        line = self.process.stdout.readline().decode().strip()
        if not line.isdigit():
            self.close()
            raise RuntimeError(f"the pack printed {line!r}, not a port: {self.error_output()}")
        return int(line)

    def error_output(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-4000:]

    def configure(self, config_file: Path) -> dict[str, tuple[str, dict]]:
        """`Configure` with the environment's pack config, reconciled as the CLI does; returns what was sent."""
        reconciled = reconcile(self.info.policies, json.loads(config_file.read_text(encoding="utf-8")))
        self.stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={
            name: analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=struct(properties))
            for name, (level, properties) in reconciled.items()}))
        return reconciled

    def analyze(self, plan: Plan) -> set[Finding]:
        """`Analyze` for every resource with its inputs, then `AnalyzeStack` with every resource's outputs."""
        by_urn = {r.urn: r for r in plan.resources}
        self.stub.ConfigureStack(analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=plan.stack, project=plan.project, organization="organization", dry_run=True))
        found: set[Finding] = set()
        for resource in plan.resources:
            if resource.urn == plan.stack_resource.urn:
                continue
            response = self.stub.Analyze(analyzer_pb2.AnalyzeRequest(
                type=resource.type, properties=struct(to_wire(resource.inputs)), urn=resource.urn,
                name=resource.name, options=_options(resource), **self._provider(resource, by_urn)))
            found |= _findings(response, default_urn=resource.urn)
        response = self.stub.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type, properties=struct(to_wire(r.outputs)), urn=r.urn, name=r.name, options=_options(r),
                parent=r.parent, dependencies=sorted(set(r.dependencies)),
                propertyDependencies={key: analyzer_pb2.AnalyzerPropertyDependencies(urns=sorted(set(urns)))
                                      for key, urns in r.property_dependencies.items() if urns},
                **self._provider(r, by_urn))
            for r in plan.resources]))
        return found | _findings(response, default_urn="")

    @staticmethod
    def _provider(resource: RecordedResource, by_urn: dict[str, RecordedResource]) -> dict[str, Any]:
        """The resource's provider as the engine sends it (its reference is `<provider urn>::<id>`)."""
        provider = by_urn.get(resource.provider.rsplit("::", 1)[0]) if resource.provider else None
        if provider is None:
            return {}
        return {"provider": analyzer_pb2.AnalyzerProviderResource(
            type=provider.type, properties=struct(to_wire(provider.inputs)), urn=provider.urn, name=provider.name)}

    def close(self) -> None:
        if getattr(self, "channel", None) is not None:
            self.channel.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def _findings(response: analyzer_pb2.AnalyzeResponse, default_urn: str) -> set[Finding]:
    return {(d.policyName, d.urn or default_urn, LEVEL_NAMES[d.enforcementLevel]) for d in response.diagnostics}
