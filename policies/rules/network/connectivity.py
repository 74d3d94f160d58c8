"""Whether a resource belongs to the connectivity part of the landing zone (by the component types above it)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from amsterdam_cloud.policies.engine import Resource, type_chain


def in_connectivity(resource: Resource, settings: Any) -> bool:
    parents = type_chain(resource.urn)[:-1]
    return any(fnmatchcase(parent, pattern) for parent in parents for pattern in settings.public_ip_allowed_under)
