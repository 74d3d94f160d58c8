"""A finished offline plan and its file: the shape of `pulumi stack export` (deployment version 3), byte-stable."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amsterdam_cloud.scripts.offline.export_shape import check_export  # noqa: F401  (where tools import it from)
from amsterdam_cloud.scripts.files import write_atomically  # noqa: F401  (where plan writers import it from)
from amsterdam_cloud.scripts.offline.plan_text import indented_json
from amsterdam_cloud.scripts.offline.recorder import ROOT_STACK_TYPE, RecordedResource
from amsterdam_cloud.scripts.offline.values import SECRET_SIG, SIG_KEY, UNKNOWN, to_export

PLAN_FORMAT = "cityctl-offline-plan/1"
"""Written into the manifest so tools can tell an offline plan from a real stack export."""


@dataclass(frozen=True)
class Plan:
    """Every resource the program registered, in registration order (the root stack first)."""

    project: str
    stack: str
    resources: tuple[RecordedResource, ...]
    warnings: tuple[str, ...] = ()
    """What the program logged as warnings (`pulumi.log.warn`), shown after the plan."""

    @property
    def stack_resource(self) -> RecordedResource:
        return self.resources[0]

    @property
    def stack_outputs(self) -> dict[str, Any]:
        return self.stack_resource.outputs

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def named(self, name: str) -> RecordedResource:
        """The one resource with this logical name (tests and tools address resources this way)."""
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]

    def counts_by_type(self) -> Counter[str]:
        return Counter(r.type for r in self.resources if r.type != ROOT_STACK_TYPE and not r.external)

    def to_export(self) -> dict[str, Any]:
        """The plan as `pulumi stack export` writes a stack, so an offline plan and a real export feed the same tools."""
        return {"version": 3, "deployment": {
            "manifest": {"time": "1970-01-01T00:00:00Z", "magic": "", "version": PLAN_FORMAT},
            "resources": [_export_resource(r) for r in self.resources]}}

    def export_text(self) -> str:
        return export_text(self.to_export())


def export_text(export: dict[str, Any]) -> str:
    """A plan file's text: the same export always gives the same bytes (`json.dumps` with indent 2, sorted keys)."""
    return indented_json(export) + "\n"


def _export_resource(resource: RecordedResource) -> dict[str, Any]:
    entry: dict[str, Any] = {"urn": resource.urn, "custom": resource.custom, "type": resource.type}
    if resource.custom:
        entry["id"] = resource.id
    if resource.inputs:
        entry["inputs"] = to_export(resource.inputs)
    if resource.outputs:
        entry["outputs"] = to_export(resource.outputs)
    if resource.parent:
        entry["parent"] = resource.parent
    if resource.protect:
        entry["protect"] = True
    if resource.external:
        entry["external"] = True
    if resource.dependencies:
        entry["dependencies"] = sorted(set(resource.dependencies))
    if any(resource.property_dependencies.values()):
        entry["propertyDependencies"] = {key: sorted(set(urns))
                                         for key, urns in resource.property_dependencies.items() if urns}
    if resource.provider:
        entry["provider"] = resource.provider
    if resource.source_position:
        entry["sourcePosition"] = resource.source_position
    entry.update(resource.options)
    return entry


def read_export(path: Path) -> dict[str, Any]:
    """A plan or `pulumi stack export` file, checked for the shape every tool here relies on."""
    from amsterdam_cloud.core.documents import read_json
    from amsterdam_cloud.core.errors import display

    return check_export(read_json(path, "plan or `pulumi stack export` file"), display(path))


def stack_outputs_of(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The root stack's outputs in an export, and which of them are secret."""
    for resource in document["deployment"].get("resources") or []:
        if resource.get("type") == ROOT_STACK_TYPE:
            outputs, secret = {}, []
            for key, value in (resource.get("outputs") or {}).items():
                if isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG:
                    secret.append(key)  # a real export may carry plaintext; an offline plan never does
                    value = _plaintext(value) if "plaintext" in value else UNKNOWN
                outputs[key] = value
            return outputs, secret
    return {}, []


def _plaintext(secret: dict[str, Any]) -> Any:
    """A `--show-secrets` value: the JSON encoding of the value, or the text itself when it is not JSON."""
    try:
        return json.loads(secret["plaintext"])
    except (TypeError, ValueError):
        return secret["plaintext"]
