"""In prod, stateful resources carry a CanNotDelete lock (on themselves, their resource group or subscription)."""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, Severity, StackReport, StackRule, of_types
from amsterdam_cloud.policies.rules.stack.links import extension_scope, index, targets
from amsterdam_cloud.policies.rules.stack.stateful import STATEFUL_TYPES

LOCK = "azure-native:authorization:ManagementLock"
LOCKS_PROVIDER = "Microsoft.Authorization"


_TARGET_INPUT = {f"{LOCK}AtResourceLevel": "resourceName", f"{LOCK}AtResourceGroupLevel": "resourceGroupName"}
"""The input naming what a lock type applies to (`scope` for ManagementLockByScope)."""


def _deletion_blocked(lock: Resource) -> Any:
    """True for a CanNotDelete or ReadOnly lock, UNKNOWN when its level is not known until deployment."""
    level = lock.get("level")
    return UNKNOWN if level is UNKNOWN else (isinstance(level, str) and level.lower() in ("cannotdelete", "readonly"))


def _scopes(arm_id: str) -> list[str]:
    """Every scope an ARM id lies in, itself first: the resource, its parents, its group, its subscription."""
    key = arm_id.lower().rstrip("/")
    scopes = []
    while key.count("/") >= 2:
        scopes.append(key)
        key = key.rsplit("/", 1)[0]
    return scopes


class _LockIndex:
    """What the stack's deletion-blocking locks cover, indexed once (a stack has thousands of resources).

    A lock's outputs do not name its scope: its ARM id does (`{scope}/providers/Microsoft.Authorization/locks/..`,
    for every lock type), and in a plan the engine's property dependency of its `scope` input names the target.
    """

    def __init__(self, resources: Sequence[Resource], blocked: Any = True) -> None:
        """The locks whose `_deletion_blocked` is `blocked` (True, or UNKNOWN for the locks of unknown level)."""
        by_urn, by_id = index(resources)
        self.urns: set[str] = set()          # resources locked directly (property dependency)
        self.group_urns: set[str] = set()    # resource groups locked (property dependency)
        self.scopes: set[str] = set()        # ARM scopes locked (from each lock's id)
        for lock in resources:
            if not lock.type.startswith(LOCK) or _deletion_blocked(lock) is not blocked:
                continue
            scope = extension_scope(lock, LOCKS_PROVIDER)
            if scope:
                self.scopes.add(scope)
            for target in targets(lock, _TARGET_INPUT.get(lock.type, "scope"), by_urn, {}) or ():
                (self.group_urns if target.type.endswith(":ResourceGroup") else self.urns).add(target.urn)

    def covers(self, resource: Resource) -> bool:
        if resource.urn in self.urns:
            return True
        if self.group_urns.intersection(resource.property_dependencies.get("resourceGroupName", ())):
            return True
        return resource.id is not None and any(scope in self.scopes for scope in _scopes(resource.id))


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    if settings.environment != "prod":
        for resource in of_types(resources, STATEFUL_TYPES):
            report.skip("judged in prod only", resource.urn)
        return
    locks, unknown = _LockIndex(resources), _LockIndex(resources, UNKNOWN)
    for resource in of_types(resources, STATEFUL_TYPES):
        if locks.covers(resource):
            continue
        if unknown.covers(resource):
            report.unknown("the level of its lock", "set the lock's level to CanNotDelete in the program",
                           resource.urn)
        else:
            report("is stateful but has no CanNotDelete lock; set features.resourceLocks in the prod stack config",
                   resource.urn)


RULE = StackRule(
    id="stateful-locked-in-prod",
    title="Stateful resources carry a CanNotDelete lock in prod",
    severity=Severity.HIGH,
    controls=("BIO 12.1.2", "CIS 10.1"),
    remediation="Give the resource (or its resource group) a ManagementLock with level CanNotDelete.",
    check=check,
    applies_to=STATEFUL_TYPES,
    settings=("environment",),
)
