"""A finished offline plan and its file: the shape of `pulumi stack export` (deployment version 3), byte-stable."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amsterdam_cloud.scripts.errors import UserError
from amsterdam_cloud.scripts.files import write_atomically  # noqa: F401  (where plan writers import it from)
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
        return json.dumps(self.to_export(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
    entry.update(resource.options)
    return entry


def read_export(path: Path) -> dict[str, Any]:
    """A plan or `pulumi stack export` file, checked for the shape every tool here relies on."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such file; expected a plan written by `cityctl plan --out` or "
                        "`pulumi stack export --file`")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: not valid JSON ({error}); expected `pulumi stack export` output")
    deployment = document.get("deployment") if isinstance(document, dict) else None
    if not isinstance(deployment, dict) or not isinstance(deployment.get("resources", []), list):
        raise UserError(f"{path}: deployment.resources: missing; expected `pulumi stack export` output "
                        "(version 3, with a deployment.resources list)")
    if document.get("version") != 3:
        raise UserError(f"{path}: version: {document.get('version')!r}; expected 3 (pulumi stack export)")
    return document


def stack_outputs_of(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The root stack's outputs in an export, and which of them are secret."""
    for resource in document["deployment"].get("resources") or []:
        if resource.get("type") == ROOT_STACK_TYPE:
            outputs, secret = {}, []
            for key, value in (resource.get("outputs") or {}).items():
                if isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG:
                    secret.append(key)  # a real export may carry plaintext; an offline plan never does
                    value = json.loads(value["plaintext"]) if "plaintext" in value else UNKNOWN
                outputs[key] = value
            return outputs, secret
    return {}, []
