"""Custom roles grant no `*` action (a custom subscription owner)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get


def check(resource: Resource, report: Report, settings: Any) -> None:
    permissions = as_list(resource.get("permissions", []))
    if permissions is UNKNOWN:
        report.unknown("permissions", "list the actions the role needs")
        return
    for index, permission in enumerate(permissions):
        actions = as_list(get(permission, "actions", [])) if isinstance(permission, Mapping) else []
        if actions is UNKNOWN or any(action is UNKNOWN for action in actions):
            report.unknown(f"permissions[{index}].actions", "list the actions")
        elif any(isinstance(a, str) and a.strip() == "*" for a in actions):
            report(f"permissions[{index}].actions contains '*' (every action, like Owner); list the actions the "
                   "role needs")


RULE = Rule(
    id="custom-role-no-wildcard-actions",
    title="Custom roles grant no '*' action",
    severity=Severity.HIGH,
    controls=("BIO 9.2.3", "BIO 9.1.1"),
    remediation="List the actions the custom role needs instead of '*'; use a built-in role where one fits.",
    check=check,
    applies_to=("azure-native:authorization:RoleDefinition",),
    settings=("environment",),
)
