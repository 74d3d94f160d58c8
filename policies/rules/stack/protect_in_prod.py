"""In prod, stateful resources are `protect`ed so `pulumi destroy` or a rename cannot delete them."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.stack.stateful import STATEFUL_TYPES


def check(resource: Resource, report: Report, settings: Any) -> None:
    if settings.environment != "prod":
        report.skip("judged in prod only")
    elif resource.protect is not True:
        report("is stateful but not protected; set features.protectStateful in the prod stack config "
               "(ResourceOptions(protect=True))")


RULE = Rule(
    id="stateful-protected-in-prod",
    title="Stateful resources are protected in prod",
    severity=Severity.HIGH,
    controls=("BIO 12.1.2",),
    remediation="Create the resource with ResourceOptions(protect=True) (features.protectStateful).",
    check=check,
    applies_to=STATEFUL_TYPES,
    settings=("environment",),
)
