"""Whether a resource belongs to the connectivity part of the landing zone.

Keyed on who declares it and where it lands, not on what it calls itself: the URN's project and stack must be one
of the pack config's `connectivityStacks` (the platform stacks), a landing-zone component (`publicIpAllowedUnder`)
must be above it, and it must live in one of `connectivityResourceGroups` (the hub's subscription and group). The
first two come from the program, so an app project named `amsterdam-platform` passes them; an app team cannot
deploy into the hub's subscription. A type token alone proves nothing: any program can declare an
`amsterdam:landingzone:Hub`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, project_of, stack_of, type_chain

SETTINGS = ("environment", "publicIpAllowedUnder", "connectivityStacks", "connectivityResourceGroups")
"""The pack settings the connectivity exemption reads (every rule that grants it lists them)."""


def in_connectivity(resource: Resource, settings: Any) -> bool:
    if f"{project_of(resource.urn)}/{stack_of(resource.urn)}" not in settings.connectivity_stacks:
        return False
    parents = type_chain(resource.urn)[:-1]
    if not any(fnmatchcase(parent, pattern) for parent in parents for pattern in settings.public_ip_allowed_under):
        return False
    return in_connectivity_group(resource, settings.connectivity_resource_groups)


def in_connectivity_group(resource: Resource, groups: frozenset[str]) -> bool:
    """Its ARM id lies in one of `groups` (subscription and group); without an id yet (a new resource in a real
    preview), its `resourceGroupName` names one of them, and the subscription is checked once the id is known."""
    if resource.id:
        arm_id = resource.id.lower()
        return any(arm_id.startswith(group + "/") for group in groups)
    name = resource.get("resourceGroupName")
    if not isinstance(name, str) or name is UNKNOWN:
        return False
    return name.lower() in {group.rsplit("/", 1)[1] for group in groups}
