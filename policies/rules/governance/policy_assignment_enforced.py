"""Policy assignments are enforced (Default mode); only Microsoft's regulatory initiatives, which audit by design,
may be assigned for compliance reporting alone (DoNotEnforce)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice

REPORTING_INITIATIVES = frozenset({
    "d8b2ffbe-c6a8-4622-965d-4ade11d1d2ee",  # NL BIO Cloud Theme V2 (built-in regulatory compliance initiative)
})
"""Built-in policy set definitions (their GUIDs) that exist to report compliance, not to guard."""


def check(resource: Resource, report: Report, settings: Any) -> None:
    definition = resource.get("policyDefinitionId")
    # an unknown id is a definition created in this deployment, never one of Microsoft's built-in initiatives
    if isinstance(definition, str) and "/policysetdefinitions/" in definition.lower() \
            and definition.rstrip("/").rsplit("/", 1)[-1].lower() in REPORTING_INITIATIVES:
        report.skip("a regulatory initiative may report only")
        return
    check_choice(resource, report, settings, path="enforcementMode", allowed=("Default",), default="Default",
                 fix="set enforcementMode='Default' (a guardrail that does not enforce guards nothing)")


RULE = Rule(
    id="guardrail-assignment-enforced",
    title="Guardrail policy assignments are enforced",
    severity=Severity.HIGH,
    controls=("BIO 12.1.2", "BIO 18.1.1"),
    remediation="Set enforcementMode='Default'; only regulatory compliance initiatives may be report-only.",
    check=check,
    applies_to=("azure-native:authorization:PolicyAssignment",),
    settings=("environment",),
    defaults_source="authorization PolicyAssignment, API 2024-04-01: enforcementMode unset is Default (the effect "
                    "is enforced)",
)
