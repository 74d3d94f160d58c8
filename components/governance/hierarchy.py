"""The city's management group hierarchy, the reference landing zone's shape: root -> platform (management,
connectivity, identity) / landing zones (corp, online) / sandbox / decommissioned, with subscriptions placed in it.

Policy is assigned at these groups (components/governance/policy.py), so a subscription's place decides its rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import management

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.governance.budget import monthly_budget
from amsterdam_cloud.components.interfaces import InterfaceError

LAYOUT: tuple[tuple[str, str | None, str], ...] = (
    ("root", None, "Gemeente Amsterdam"),
    ("platform", "root", "Platform"),
    ("management", "platform", "Management"),
    ("connectivity", "platform", "Connectivity"),
    ("identity", "platform", "Identity"),
    ("landingzones", "root", "Landing zones"),
    ("corp", "landingzones", "Corp (connected to the hub)"),
    ("online", "landingzones", "Online (internet-facing apps)"),
    ("sandbox", "root", "Sandbox"),
    ("decommissioned", "root", "Decommissioned"),
)
"""(role, parent role, display name), parents first; the root's parent is the tenant root group."""
ROLES: tuple[str, ...] = tuple(role for role, _, _ in LAYOUT)

_PREFIX = re.compile(r"^[a-z][a-z0-9-]{1,30}$")
MANAGEMENT_GROUPS = "/providers/Microsoft.Management/managementGroups/"


@dataclass(frozen=True, kw_only=True)
class HierarchyArgs:
    tenant_id: str
    """The Entra tenant; its root group (same id) is the parent of the city's root."""
    prefix: str = "amsterdam"
    """Management group ids are `<prefix>` for the root and `<prefix>-<role>` below it."""
    subscriptions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Role (from ROLES, not root) to subscription ids placed there; a subscription left out stays where it is."""
    sandbox_budget_monthly_eur: int = 100
    """Each sandbox subscription's monthly budget: a sandbox is for trying things, not for running them."""
    budget_emails: tuple[str, ...] = ()
    """Who hears about a sandbox's budget; empty: no sandbox subscription may be placed (nobody would be told)."""

    def __post_init__(self) -> None:
        if not GUID.match(self.tenant_id):
            raise InterfaceError(f"HierarchyArgs.tenant_id: {self.tenant_id!r} is not a GUID")
        if not _PREFIX.match(self.prefix):
            raise InterfaceError(f"HierarchyArgs.prefix: {self.prefix!r}; expected 2-31 lower-case letters, "
                                 "digits and hyphens")
        seen: dict[str, str] = {}
        for role, ids in self.subscriptions.items():
            if role not in ROLES[1:]:
                raise InterfaceError(f"HierarchyArgs.subscriptions: {role!r} is not a management group; expected "
                                     f"one of {', '.join(ROLES[1:])}")
            for subscription in ids:
                if not GUID.match(subscription):
                    raise InterfaceError(f"HierarchyArgs.subscriptions.{role}: {subscription!r} is not a GUID")
                if subscription in seen:
                    raise InterfaceError(f"HierarchyArgs.subscriptions.{role}: {subscription} is also placed in "
                                         f"{seen[subscription]}; a subscription has one management group")
                seen[subscription] = role
        if self.subscriptions.get("sandbox") and not self.budget_emails:
            raise InterfaceError("HierarchyArgs.budget_emails: sandbox subscriptions need someone to tell about "
                                 "their budget; expected at least one mailbox")

    def group_id(self, role: str) -> str:
        return group_name(self.prefix, role)


def group_name(prefix: str, role: str) -> str:
    """A management group's id (name): `<prefix>` for the root, `<prefix>-<role>` below it."""
    return prefix if role == "root" else f"{prefix}-{role}"


def descendants(role: str) -> set[str]:
    """`role` and every group below it in LAYOUT."""
    found = {role}
    for child, parent, _ in LAYOUT:  # parents first, so one pass finds every level
        if parent in found:
            found.add(child)
    return found


def group_resource_id(prefix: str, role: str) -> str:
    """A management group's resource id, known from the config alone (other stacks need no reference)."""
    return MANAGEMENT_GROUPS + group_name(prefix, role)


class Hierarchy(pulumi.ComponentResource):
    """`group_ids[role]` is each management group's resource id (the scope policy is assigned at)."""

    def __init__(self, name: str, args: HierarchyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:governance:Hierarchy", name, None, opts)
        groups: dict[str, management.ManagementGroup] = {}
        for role, parent, display in LAYOUT:
            parent_id = (MANAGEMENT_GROUPS + args.tenant_id) if parent is None else groups[parent].id
            groups[role] = management.ManagementGroup(
                f"{name}-{role}", group_id=args.group_id(role), display_name=display,
                details=management.CreateManagementGroupDetailsArgs(
                    parent=management.CreateParentGroupInfoArgs(id=parent_id)),
                opts=pulumi.ResourceOptions(parent=self))
        self.placements: dict[str, management.ManagementGroupSubscription] = {}
        for role, ids in args.subscriptions.items():
            for subscription in ids:
                # azure-native takes the subscription to place from the provider, so one provider per subscription.
                provider = azure_native.Provider(f"{name}-{subscription}", subscription_id=subscription,
                                                 opts=pulumi.ResourceOptions(parent=self))
                self.placements[subscription] = management.ManagementGroupSubscription(
                    f"{name}-{role}-{subscription}", group_id=groups[role].name,
                    opts=pulumi.ResourceOptions(parent=self, provider=provider))
        for subscription in args.subscriptions.get("sandbox", ()):
            monthly_budget(f"{name}-sandbox-{subscription}-budget", scope=f"/subscriptions/{subscription}",
                           amount=args.sandbox_budget_monthly_eur, emails=args.budget_emails, parent=self)
        self.group_ids = {role: group.id for role, group in groups.items()}
        self.resource_id, self.name = groups["root"].id, groups["root"].name
        self.register_outputs({"resource_id": self.resource_id, "group_ids": self.group_ids})
