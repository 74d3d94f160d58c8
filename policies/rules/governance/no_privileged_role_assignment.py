"""No stack assigns Owner or User Access Administrator: those are granted through PIM, never by code."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

PRIVILEGED_ROLES = {"8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
                    "18d7d88d-d35e-4fb5-a5c3-7773c5a72d9a": "User Access Administrator",
                    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator"}


def check(resource: Resource, report: Report, settings: Any) -> None:
    role = resource.get("roleDefinitionId")
    if role is UNKNOWN:
        report.unknown("roleDefinitionId", "name the role definition")
        return
    if not isinstance(role, str):
        report(f"roleDefinitionId is {describe(role)}, not a role definition id; name the role definition")
        return
    name = PRIVILEGED_ROLES.get(role.rstrip("/").rsplit("/", 1)[-1].lower())
    if name:
        report(f"assigns {name}, which can grant itself any access; use a narrower role, and PIM for "
               "administrators")


RULE = Rule(
    id="no-privileged-role-assignment",
    title="Stacks assign neither Owner nor User Access Administrator",
    severity=Severity.HIGH,
    controls=("BIO 9.2.3", "BIO 9.2.2"),
    remediation="Assign the narrowest built-in role; grant Owner and User Access Administrator only through PIM.",
    check=check,
    applies_to=("azure-native:authorization:RoleAssignment",),
    settings=("environment",),
)
