"""Whether a resource belongs to the connectivity part of the landing zone.

Keyed on who declares it and where it lands, not on what it calls itself: the URN's project and stack must be one
of the pack config's `connectivityStacks` (the platform stacks), a landing-zone component (`publicIpAllowedUnder`)
must be above it, and it must live in one of `connectivityResourceGroups` (the hub's subscription and group). The
first two come from the program, so an app project named `amsterdam-platform` passes them; the third it cannot
fake: the subscription is the resource's ARM id's or, before the resource exists (a new resource in a real
preview), its provider's, which an app team cannot point at the hub's subscription. A type token alone proves
nothing: any program can declare an `amsterdam:landingzone:Hub`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Unknown, project_of, stack_of, type_chain

SETTINGS = ("environment", "publicIpAllowedUnder", "connectivityStacks", "connectivityResourceGroups")
"""The pack settings the connectivity exemption reads (every rule that grants it lists them)."""

def in_connectivity(resource: Resource, settings: Any) -> bool | Unknown:
    """True or False, or UNKNOWN: declared by a connectivity stack under a landing-zone component, in the hub's
    group, but not yet created and its provider names no subscription (the rule reports it as unknown)."""
    if f"{project_of(resource.urn)}/{stack_of(resource.urn)}" not in settings.connectivity_stacks:
        return False
    parents = type_chain(resource.urn)[:-1]
    if not any(fnmatchcase(parent, pattern) for parent in parents for pattern in settings.public_ip_allowed_under):
        return False
    return in_connectivity_group(resource, settings.connectivity_resource_groups)


def in_connectivity_group(resource: Resource, groups: frozenset[str]) -> bool | Unknown:
    """Its ARM id lies in one of `groups` (subscription and group); without an id yet, its `resourceGroupName` and its
    provider's subscription name one of them, and UNKNOWN where the group matches but the provider names none."""
    if resource.id:
        arm_id = resource.id.lower()
        return any(arm_id.startswith(group + "/") for group in groups)
    name = resource.get("resourceGroupName")
    if not isinstance(name, str) or name is UNKNOWN:
        return False
    matching = [group for group in groups if group.rsplit("/", 1)[1] == name.lower()]
    if not matching:
        return False
    if resource.provider_subscription is None:
        return UNKNOWN
    return any(group.startswith(f"/subscriptions/{resource.provider_subscription.lower()}/") for group in matching)


def report_unknown_subscription(report: Report) -> None:
    """Exempt only if its subscription is the hub's, which a new resource on a provider without one cannot show."""
    report.unknown("its subscription (no ARM id yet, and its provider names no subscriptionId)",
                   "set `azure-native:subscriptionId` in the stack's config (or `subscriptionId` on its explicit "
                   "provider) to the hub's subscription, so a new resource's subscription is known before it exists")
