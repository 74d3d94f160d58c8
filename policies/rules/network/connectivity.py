"""Whether a resource belongs to the connectivity part of the landing zone.

Keyed on who declares it, not on what it calls itself: the URN's project and stack must be one of the pack
config's `connectivityStacks` (the platform stacks), and a landing-zone component (`publicIpAllowedUnder`) must be
above it. A type token alone proves nothing: any program can declare an `amsterdam:landingzone:Hub`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from amsterdam_cloud.policies.rule_model import Resource, project_of, stack_of, type_chain


def in_connectivity(resource: Resource, settings: Any) -> bool:
    if f"{project_of(resource.urn)}/{stack_of(resource.urn)}" not in settings.connectivity_stacks:
        return False
    parents = type_chain(resource.urn)[:-1]
    return any(fnmatchcase(parent, pattern) for parent in parents for pattern in settings.public_ip_allowed_under)
