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


def _same(a: Resource, b: Resource, prop: str) -> bool:
    deps_a, deps_b = set(a.property_dependencies.get(prop, ())), set(b.property_dependencies.get(prop, ()))
    if deps_a & deps_b:
        return True
    va, vb = a.get(prop), b.get(prop)
    return isinstance(va, str) and isinstance(vb, str) and va is not UNKNOWN and va.lower() == vb.lower()


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    if settings.environment != "prod":
        return
    by_urn, by_id = index(resources)
    locks = [r for r in resources if r.type.startswith(LOCK) and _deletion_blocked(r)]
    if any(lock.type.endswith("AtSubscriptionLevel") for lock in locks):
        return
    for resource in resources:
        if resource.type not in STATEFUL_TYPES:
            continue
        locked = False
        for lock in locks:
            if lock.type.endswith("ByScope"):
                found = targets(lock, "scope", by_urn, by_id)
                locked = bool(found and any(t.urn == resource.urn or t.type.endswith(":ResourceGroup")
                                            and _same(t, resource, "resourceGroupName") for t in found))
                if not locked and found:
                    locked = any(t.type.endswith(":ResourceGroup") and resource.property_dependencies.get(
                        "resourceGroupName") and t.urn in resource.property_dependencies["resourceGroupName"]
                        for t in found)
            elif lock.type.endswith("AtResourceGroupLevel"):
                locked = _same(lock, resource, "resourceGroupName")
            elif lock.type.endswith("AtResourceLevel"):
                if resource.urn in lock.property_dependencies.get("resourceName", ()):
                    locked = True
                else:
                    name = lock.get("resourceName")
                    locked = isinstance(name, str) and name is not UNKNOWN and name.lower() == _name(resource) \
                        and _same(lock, resource, "resourceGroupName")
            if locked:
                break
        if not locked:
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
