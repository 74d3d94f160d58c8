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
    if resource.source_position:
        entry["sourcePosition"] = resource.source_position
    entry.update(resource.options)
    return entry


def read_export(path: Path) -> dict[str, Any]:
    """A plan or `pulumi stack export` file, checked for the shape every tool here relies on."""
    from amsterdam_cloud.scripts.documents import read_json
    from amsterdam_cloud.scripts.files import display

    return check_export(read_json(path, "plan or `pulumi stack export` file"), display(path))


_RESOURCE_FIELDS: dict[str, tuple[type, ...]] = {
    "urn": (str,), "type": (str,), "id": (str,), "parent": (str,), "provider": (str,), "custom": (bool,),
    "protect": (bool,), "external": (bool,), "delete": (bool,), "retainOnDelete": (bool,),
    "inputs": (dict,), "outputs": (dict,), "dependencies": (list,), "propertyDependencies": (dict,),
    "ignoreChanges": (list,), "replaceOnChanges": (list,), "aliases": (list,), "sourcePosition": (str,)}
"""The export fields the tools here read, and the JSON type each must have when present."""


def check_export(document: Any, source: str) -> dict[str, Any]:
    """The shape of `pulumi stack export` (version 3) as far as the plan diff, gate and checker read it."""
    expected = "expected `pulumi stack export` output (version 3, with a deployment.resources list)"
    deployment = document.get("deployment") if isinstance(document, dict) else None
    if not isinstance(deployment, dict) or not isinstance(deployment.get("resources", []), list):
        raise UserError(f"{source}: deployment.resources: missing; {expected}")
    if document.get("version") != 3:
        raise UserError(f"{source}: version: {document.get('version')!r}; expected 3 (pulumi stack export)")
    first_index: dict[str, int] = {}
    for index, resource in enumerate(deployment.get("resources") or []):
        where = f"{source}: deployment.resources[{index}]"
        if not isinstance(resource, dict):
            raise UserError(f"{where}: must be an object with a urn and a type; {expected}")
        for key in ("urn", "type"):
            if not isinstance(resource.get(key), str) or not resource[key]:
                raise UserError(f"{where}.{key}: missing or not text; {expected}")
        if resource["urn"] in first_index:  # the engine never writes one twice; a later copy would hide the first
            raise UserError(f"{where}.urn: {resource['urn']} is also deployment.resources"
                            f"[{first_index[resource['urn']]}]; an export names each resource once: export it "
                            "again with `pulumi stack export`")
        first_index[resource["urn"]] = index
        for key, kinds in _RESOURCE_FIELDS.items():
            value = resource.get(key)
            if value is not None and not isinstance(value, kinds):
                raise UserError(f"{where}.{key}: must be {_KIND_NAMES[kinds[0]]}, got {type(value).__name__}; "
                                f"{expected}")
        for key in ("dependencies", "ignoreChanges", "replaceOnChanges"):
            if not all(isinstance(item, str) for item in resource.get(key) or ()):
                raise UserError(f"{where}.{key}: must be a list of text; {expected}")
        for key, urns in (resource.get("propertyDependencies") or {}).items():
            if not isinstance(urns, list) or not all(isinstance(urn, str) for urn in urns):
                raise UserError(f"{where}.propertyDependencies.{key}: must be a list of URNs; {expected}")
    return document


_KIND_NAMES = {str: "text", bool: "true or false", dict: "an object", list: "a list"}


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
