"""How one resource points at another: a property dependency (URN), a known resource id, or its own ARM id.

Stack rules judge what the CLI sends `AnalyzeStack`: every resource's outputs. An extension resource's outputs
(a lock, a diagnostic setting) do not carry the scope it was created on; its ARM id does
(`{scope}/providers/Microsoft.Authorization/locks/{name}`), and so do the engine's property dependencies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable

from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, StackView


def by_id(value: Any, resources_by_id: Mapping[str, Resource]) -> list[Resource] | None:
    """The resource an ARM id names; a child scope (`.../blobServices/default`) belongs to its parent."""
    if not isinstance(value, str) or value is UNKNOWN:
        return None
    key = value.lower().rstrip("/")
    while key:
        if key in resources_by_id:
            return [resources_by_id[key]]
        if "/providers/" not in key:
            break
        key = key.rsplit("/", 1)[0]
    return None


def targets(resource: Resource, prop: str, by_urn: Mapping[str, Resource],
            resources_by_id: Mapping[str, Resource]) -> list[Resource] | None:
    """The resources `resource.<prop>` refers to; None when it refers to something outside the stack or unknown."""
    found = [by_urn[urn] for urn in resource.property_dependencies.get(prop, ()) if urn in by_urn]
    return found or by_id(resource.get(prop), resources_by_id)


def child_parents(child: Resource, parent_input: str, by_urn: Mapping[str, Resource],
                  resources_by_id: Mapping[str, Resource]) -> list[Resource]:
    """The parents a child resource belongs to: the property dependency of its parent input, else its own ARM id
    two segments up (`{server id}/configurations/{name}`, `{site id}/basicPublishingCredentialsPolicies/ftp`);
    empty while neither is known."""
    found = targets(child, parent_input, by_urn, resources_by_id)
    if found:
        return found
    own = resources_by_id.get(child.id.lower().rsplit("/", 2)[0]) if child.id else None
    return [own] if own else []


def extension_scope(resource: Resource, provider: str) -> str | None:
    """The scope an extension resource applies to, lower-cased, cut from its ARM id; None while the id is unknown.

    `provider` is the segment after `/providers/` that the extension lives under (`Microsoft.Authorization`).
    """
    if not resource.id:
        return None
    key = resource.id.lower().rstrip("/")
    at = key.rfind(f"/providers/{provider.lower()}/")
    return key[:at] if at > 0 else None


def scope_targets(resource: Resource, prop: str, provider: str, by_urn: Mapping[str, Resource],
                  resources_by_id: Mapping[str, Resource]) -> list[Resource] | None:
    """What an extension resource applies to: the property dependency of its scope input, else its id's scope."""
    found = [by_urn[urn] for urn in resource.property_dependencies.get(prop, ()) if urn in by_urn]
    return found or by_id(extension_scope(resource, provider), resources_by_id)


def index(resources: Iterable[Resource]) -> tuple[dict[str, Resource], dict[str, Resource]]:
    """The stack's resources by URN and by lower-cased ARM id; built once per `StackView` (every stack rule asks)."""
    shared = resources.shared if isinstance(resources, StackView) else {}
    if "links.index" not in shared:
        by_urn: dict[str, Resource] = {}
        by_arm_id: dict[str, Resource] = {}
        for resource in resources:
            by_urn[resource.urn] = resource
            if resource.id:
                by_arm_id[resource.id.lower()] = resource
        shared["links.index"] = by_urn, by_arm_id
    return shared["links.index"]
