"""A resource that runs an algorithm carries the id of its entry in the city's public algorithm register."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.core.algorithm_register import RUNS_ALGORITHM_TAG, TAG
from amsterdam_cloud.policies.azure_types import taggable_types
from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe, get

# Types that run an algorithm by their nature.
ALGORITHM_TYPES = frozenset({
    "azure-native:cognitiveservices:Account",
    "azure-native:machinelearningservices:Workspace",
})


def runs_algorithm(resource: Resource) -> bool:
    if resource.type in ALGORITHM_TYPES:
        return True
    flag = resource.tag(RUNS_ALGORITHM_TAG)
    return isinstance(flag, str) and flag.strip().lower() in ("true", "yes", "1")


def register_id(resource: Resource) -> Any:
    tags = resource.get("tags")
    if tags is UNKNOWN:
        return UNKNOWN
    return get(tags, TAG) if isinstance(tags, dict) else None


def check(resource: Resource, report: Report, settings: Any) -> None:
    if not runs_algorithm(resource):
        report.skip("runs no algorithm")
        return
    value = register_id(resource)
    if value is UNKNOWN:
        report.unknown(f"tag {TAG}", "set the register id from config")
    elif value is None:
        report(f"runs an algorithm but has no {TAG} tag; publish it in the algorithm register and tag the "
               "resource with its id")
    elif not isinstance(value, str) or not value.strip():
        report(f"tag {TAG} is {describe(value)}, not a register id")


RULE = Rule(
    id="algorithm-register-id",
    title="Resources that run algorithms carry their algorithm register id",
    severity=Severity.HIGH,
    controls=("BIO 18.1.1", "BIO 8.1.1"),
    remediation=f"Register the algorithm in the public algorithm register and tag the resource {TAG}=<id>.",
    check=check,
    applies_to=tuple(sorted(taggable_types())),  # the tag, and so the duty, exists only where tags do
    settings=("environment",),
)
