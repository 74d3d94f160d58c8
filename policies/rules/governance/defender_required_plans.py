"""On the stack that owns the subscription's Defender for Cloud plans, every plan the city requires is Standard.

`defender-plan-standard` judges each Pricing the stack declares; only this rule knows which must exist: the pack
config names them per environment (`requiredDefenderPlans`, checked against the platform plan by
tests/stacks/test_pack_config_names_the_defender_plans.py) and the stacks that own them (`defenderStacks`).
A required plan without a Pricing stays on the Free tier (foundational CSPM only), so it is a violation. The stack is
judged where it declares the landing zone's Guardrails component (the Pricings' parent, also with Defender switched
off, when it still makes the policy assignments): a partial stand-in for the platform stack without it is not.
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import (UNKNOWN, Resource, Severity, StackReport, StackRule, describe,
                                                 equals_ci, project_of, stack_of, type_chain)

PRICING = "azure-native:security:Pricing"
GUARDRAILS = "amsterdam:landingzone:Guardrails"
"""The component that owns the subscription's Defender plans on the platform stack."""


def _plan_name(pricing: Resource) -> Any:
    """The plan a Pricing sets: its `name` output, else the last segment of its ARM id; UNKNOWN while unknown."""
    name = pricing.get("name")
    if isinstance(name, str) and name is not UNKNOWN:
        return name
    if pricing.id:
        return pricing.id.rstrip("/").rsplit("/", 1)[-1]
    return UNKNOWN


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    if not resources:
        return
    first = resources[0].urn
    project, stack = project_of(first), stack_of(first)
    if f"{project}/{stack}" not in settings.defender_stacks:
        return  # not the stack that owns the plans: its app or workload resources are judged by the value rule
    if not any(GUARDRAILS in type_chain(r.urn) for r in resources):
        return  # no Guardrails here: not the platform's landing zone (a partial stand-in), nothing owns the plans
    stack_urn = f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"
    declared: dict[str, Resource] = {}
    unknown: list[Resource] = []
    for pricing in resources:
        if pricing.type != PRICING:
            continue
        name = _plan_name(pricing)
        if name is UNKNOWN:
            unknown.append(pricing)
        else:
            declared[name.lower()] = pricing
    for plan in sorted(settings.required_defender_plans):
        pricing = declared.get(plan.lower())
        fix = f"declare security.Pricing(pricing_name='{plan}', pricing_tier='Standard') on the subscription"
        if pricing is None:
            if unknown:
                report.unknown(f"which plan each of {len(unknown)} Pricing resource(s) sets", fix, unknown[0].urn)
            else:
                report(f"Defender plan {plan} has no Pricing on this stack, so it stays on the Free tier; {fix}",
                       stack_urn)
            continue
        tier = pricing.get("pricingTier")
        if tier is UNKNOWN:
            report.unknown(f"the pricingTier of Defender plan {plan}", fix, pricing.urn)
        elif not equals_ci(tier, "Standard"):
            report(f"Defender plan {plan} has pricingTier {describe(tier)}; {fix}", pricing.urn)


RULE = StackRule(
    id="defender-required-plans",
    title="Every Defender for Cloud plan the city requires is on (Standard) on the stack that owns them",
    severity=Severity.HIGH,
    controls=("BIO 12.2.1", "BIO 12.6.1", "CIS 2.1.1"),
    remediation="Declare a security.Pricing with pricingTier='Standard' for each plan of the pack config's "
                "requiredDefenderPlans (the platform's Guardrails component does, with features.defenderPlans on).",
    check=check,
    applies_to=(PRICING,),
    settings=("environment", "defenderStacks", "requiredDefenderPlans"),
    defaults_source="security Pricing, API 2024-01-01: a plan without a pricing resource is on the Free tier "
                    "(Defender for Cloud's foundational CSPM; learn.microsoft.com/azure/defender-for-cloud/"
                    "enable-enhanced-security)",
)
