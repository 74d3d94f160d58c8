"""How one resource points at another in a plan: a property dependency (URN) or a known resource id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable

from amsterdam_cloud.policies.engine import UNKNOWN, Resource


def targets(resource: Resource, prop: str, by_urn: Mapping[str, Resource],
            by_id: Mapping[str, Resource]) -> list[Resource] | None:
    """The resources `resource.<prop>` refers to; None when it refers to something outside the stack or unknown."""
    found = [by_urn[urn] for urn in resource.property_dependencies.get(prop, ()) if urn in by_urn]
    if found:
        return found
    value = resource.get(prop)
    if isinstance(value, str) and value is not UNKNOWN:
        key = value.lower().rstrip("/")
        while key:
            if key in by_id:
                return [by_id[key]]
            if "/providers/" not in key:
                break
            key = key.rsplit("/", 1)[0]  # a child scope (blobServices/default) belongs to its parent
    return None


def index(resources: Iterable[Resource]) -> tuple[dict[str, Resource], dict[str, Resource]]:
    by_urn: dict[str, Resource] = {}
    by_id: dict[str, Resource] = {}
    for resource in resources:
        by_urn[resource.urn] = resource
        if resource.id:
            by_id[resource.id.lower()] = resource
    return by_urn, by_id


def string_value(resource: Resource, prop: str) -> Any:
    value = resource.get(prop)
    return value.lower() if isinstance(value, str) else value
