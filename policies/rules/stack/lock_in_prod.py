"""In prod, stateful resources carry a CanNotDelete lock (on themselves, their resource group or subscription)."""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.engine import UNKNOWN, Resource, Severity, StackReport, StackRule
from amsterdam_cloud.policies.rules.stack.links import index, targets
from amsterdam_cloud.policies.rules.stack.stateful import STATEFUL_TYPES

LOCK = "azure-native:authorization:ManagementLock"
NAME_KEYS = ("accountName", "vaultName", "serverName", "databaseName", "name")


def _name(resource: Resource) -> Any:
    for key in ("databaseName",) if resource.type.endswith(":Database") else NAME_KEYS:
        value = resource.get(key)
        if isinstance(value, str):
            return value.lower()
    return None


def _deletion_blocked(lock: Resource) -> bool:
    level = lock.get("level")
    return level is UNKNOWN or (isinstance(level, str) and level.lower() in ("cannotdelete", "readonly"))


def _text(resource: Resource, prop: str) -> str | None:
    value = resource.get(prop)
    return value.lower() if isinstance(value, str) and value is not UNKNOWN else None


class _LockIndex:
    """What the stack's deletion-blocking locks cover, indexed once (a stack has thousands of resources)."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        by_urn, by_id = index(resources)
        self.urns: set[str] = set()          # resources locked directly
        self.group_urns: set[str] = set()    # resource groups locked (by URN)
        self.group_names: set[str] = set()   # resource groups locked (by name)
        self.named: set[tuple[str | None, str]] = set()  # (resource group, resource name) locked at resource level
        self.everything = False
        for lock in resources:
            if not lock.type.startswith(LOCK) or not _deletion_blocked(lock):
                continue
            if lock.type.endswith("AtSubscriptionLevel"):
                self.everything = True
            elif lock.type.endswith("ByScope"):
                for target in targets(lock, "scope", by_urn, by_id) or ():
                    if target.type.endswith(":ResourceGroup"):
                        self.group_urns.add(target.urn)
                        name = _text(target, "resourceGroupName")
                        if name:
                            self.group_names.add(name)
                    else:
                        self.urns.add(target.urn)
            elif lock.type.endswith("AtResourceGroupLevel"):
                self.group_urns.update(lock.property_dependencies.get("resourceGroupName", ()))
                name = _text(lock, "resourceGroupName")
                if name:
                    self.group_names.add(name)
            elif lock.type.endswith("AtResourceLevel"):
                self.urns.update(lock.property_dependencies.get("resourceName", ()))
                name = _text(lock, "resourceName")
                if name:
                    self.named.add((_text(lock, "resourceGroupName"), name))

    def covers(self, resource: Resource) -> bool:
        if self.everything or resource.urn in self.urns:
            return True
        if self.group_urns.intersection(resource.property_dependencies.get("resourceGroupName", ())):
            return True
        group = _text(resource, "resourceGroupName")
        if group is not None and group in self.group_names:
            return True
        name = _name(resource)
        return name is not None and (group, name) in self.named


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    if settings.environment != "prod":
        return
    locks = _LockIndex(resources)
    for resource in resources:
        if resource.type in STATEFUL_TYPES and not locks.covers(resource):
            report("is stateful but has no CanNotDelete lock; set features.resourceLocks in the prod stack config",
                   resource.urn)


RULE = StackRule(
    id="stateful-locked-in-prod",
    title="Stateful resources carry a CanNotDelete lock in prod",
    severity=Severity.HIGH,
    controls=("BIO 12.3.1", "BIO 12.1.2"),
    remediation="Give the resource (or its resource group) a ManagementLock with level CanNotDelete.",
    check=check,
    applies_to=STATEFUL_TYPES,
    settings=("environment",),
)
