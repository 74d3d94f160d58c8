"""The shape of a `pulumi stack export` (version 3) as far as the plan diff, the gate and the policy checker read it.

Apart from `plan.py` so that `cityctl policy check` can check a file without importing the Pulumi SDK (a third of
its start-up); `plan.py` re-exports `check_export`.
"""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.core.errors import UserError

_RESOURCE_FIELDS: dict[str, type] = {
    "urn": str, "type": str, "id": str, "parent": str, "provider": str, "custom": bool,
    "protect": bool, "external": bool, "delete": bool, "retainOnDelete": bool,
    "inputs": dict, "outputs": dict, "dependencies": list, "propertyDependencies": dict,
    "ignoreChanges": list, "replaceOnChanges": list, "aliases": list, "sourcePosition": str}
"""The export fields the tools here read, and the one JSON type each must have when present (tested exact type
first, the test every field of every resource pays; a subclass passes too)."""


def check_export(document: Any, source: str) -> dict[str, Any]:
    """The shape of `pulumi stack export` (version 3) as far as the plan diff, gate and checker read it."""
    expected = "expected `pulumi stack export` output (version 3, with a deployment.resources list)"
    deployment = document.get("deployment") if isinstance(document, dict) else None
    if not isinstance(deployment, dict) or not isinstance(deployment.get("resources", []), list):
        raise UserError(f"{source}: deployment.resources: missing; {expected}")
    if document.get("version") != 3:
        raise UserError(f"{source}: version: {document.get('version')!r}; expected 3 (pulumi stack export)")
    resources = deployment.get("resources") or []
    kinds = _RESOURCE_FIELDS
    first_index: dict[str, int] = {}
    for index, resource in enumerate(resources):
        urn: Any = resource.get("urn") if isinstance(resource, dict) else None
        if type(urn) is not str or not urn or urn in first_index or type(resource.get("type")) is not str \
                or not resource["type"]:  # the exact types are the fast test; the slow one has the last word
            _check_identity(resource, index, first_index, source, expected)
        first_index[urn] = index
        for key, value in resource.items():  # the fields present only: a resource has half of them (100k: 2x faster)
            kind = kinds.get(key)
            if kind is not None and type(value) is not kind and value is not None and not isinstance(value, kind):
                raise UserError(f"{source}: deployment.resources[{index}].{key}: must be {_KIND_NAMES[kind]}, got "
                                f"{type(value).__name__}; {expected}")
        for key in ("dependencies", "ignoreChanges", "replaceOnChanges"):
            items = resource.get(key)
            if items and not _all_text(items):
                raise UserError(f"{source}: deployment.resources[{index}].{key}: must be a list of text; {expected}")
        for key, urns in (resource.get("propertyDependencies") or {}).items():
            if not isinstance(urns, list) or not _all_text(urns):
                raise UserError(f"{source}: deployment.resources[{index}].propertyDependencies.{key}: must be a "
                                f"list of URNs; {expected}")
    return document


_KIND_NAMES = {str: "text", bool: "true or false", dict: "an object", list: "a list"}


def _all_text(items: Any) -> bool:
    """Whether every item is text: one join in C (it refuses anything else), not a test per item."""
    try:
        "".join(items)
    except TypeError:
        return False
    return True


def _check_identity(resource: Any, index: int, first_index: dict[str, int], source: str, expected: str) -> None:
    """Refuse a resource that is no object, lacks its urn or type, or repeats an earlier one's urn."""
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

