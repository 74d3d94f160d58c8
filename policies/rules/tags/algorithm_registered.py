"""In prod, the algorithm register id points at an entry in the register snapshot the repo keeps."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.core.algorithm_register import TAG, load_register
from amsterdam_cloud.policies.azure_types import taggable_types
from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.tags.algorithm_register_id import register_id, runs_algorithm


def check(resource: Resource, report: Report, settings: Any) -> None:
    if settings.environment != "prod" or not runs_algorithm(resource):
        report.skip("judged in prod, for resources that run an algorithm")
        return
    value = register_id(resource)
    if value is UNKNOWN:
        report.unknown(f"tag {TAG}", "set the register id from config")
    elif isinstance(value, str) and value.strip() and value.strip() not in load_register():
        report(f"tag {TAG} is {value!r}, which is not in the algorithm register snapshot "
               "(core/algorithm_register.yaml); publish the algorithm before it runs in prod")


RULE = Rule(
    id="algorithm-register-id-registered",
    title="In prod, algorithm register ids exist in the register",
    severity=Severity.HIGH,
    controls=("BIO 18.1.1",),
    remediation="Publish the algorithm in the register and refresh core/algorithm_register.yaml.",
    check=check,
    applies_to=tuple(sorted(taggable_types())),  # the tag, and so the duty, exists only where tags do
    settings=("environment",),
)
