"""On the stack that owns the subscription's Defender for Cloud plans, every plan the city requires is Standard.

`defender-plan-standard` judges each Pricing the stack declares; only this rule knows which must exist: the pack
config names them per environment (`requiredDefenderPlans`, checked against the platform plan by
tests/stacks/test_pack_config_names_the_defender_plans.py) and the stack that owns them (`subscriptionStacks`, see
rules/stack/subscription.py). A required plan without a Pricing stays on the Free tier (foundational CSPM only), so
it is a violation.
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import (UNKNOWN, Resource, Severity, StackReport, StackRule, describe,
                                                 equals_ci)
from amsterdam_cloud.policies.rules.stack.subscription import subscription_stack_urn

PRICING = "azure-native:security:Pricing"


def _plan_name(pricing: Resource) -> Any:
    """The plan a Pricing sets: its `pricingName` input where the source carries it, its `name` output, else the
    last segment of its ARM id; UNKNOWN while none is known (a new Pricing in a real preview)."""
    for path in ("pricingName", "name"):
        name = pricing.get(path)
        if isinstance(name, str) and name is not UNKNOWN and name:
            return name
    if pricing.id:
        return pricing.id.rstrip("/").rsplit("/", 1)[-1]
    return UNKNOWN


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    stack_urn = subscription_stack_urn(resources, settings, report, (PRICING,))
    if stack_urn is None:
        return  # not the stack that owns the plans: an app's Pricings are judged by defender-plan-standard alone
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
    missing = [plan for plan in sorted(settings.required_defender_plans) if plan.lower() not in declared]
    if missing and unknown:  # each unresolved Pricing may set one of them: one unknown per Pricing, at its URN
        for pricing in unknown:
            report.unknown(f"which Defender plan {pricing.name or pricing.urn} sets (one of {', '.join(missing)})",
                           "Azure reports it once the plan exists; deploy a new plan in dev and test first, or "
                           "waive this finding for that one run", pricing.urn)
        if len(missing) > len(unknown):
            report(f"at least {len(missing) - len(unknown)} of the Defender plans {', '.join(missing)} have no "
                   "Pricing on this stack, so they stay on the Free tier; declare a security.Pricing with "
                   "pricing_tier='Standard' for each", stack_urn)
    else:
        for plan in missing:
            report(f"Defender plan {plan} has no Pricing on this stack, so it stays on the Free tier; declare "
                   f"security.Pricing(pricing_name='{plan}', pricing_tier='Standard') on the subscription", stack_urn)
    for plan in sorted(settings.required_defender_plans):
        chosen = declared.get(plan.lower())
        fix = f"declare security.Pricing(pricing_name='{plan}', pricing_tier='Standard') on the subscription"
        if chosen is None:
            continue
        tier = chosen.get("pricingTier")
        if tier is UNKNOWN:
            report.unknown(f"the pricingTier of Defender plan {plan}", fix, chosen.urn)
        elif not equals_ci(tier, "Standard"):
            report(f"Defender plan {plan} has pricingTier {describe(tier)}; {fix}", chosen.urn)


RULE = StackRule(
    id="defender-required-plans",
    title="Every Defender for Cloud plan the city requires is on (Standard) on the stack that owns them",
    severity=Severity.HIGH,
    controls=("BIO 12.2.1", "BIO 12.6.1", "CIS 2.1.1", "CIS 2.1.2", "CIS 2.1.3", "CIS 2.1.4", "CIS 2.1.5",
              "CIS 2.1.6", "CIS 2.1.7", "CIS 2.1.8", "CIS 2.1.9", "CIS 2.1.11", "CIS 4.2.1"),
    remediation="Declare a security.Pricing with pricingTier='Standard' for each plan of the pack config's "
                "requiredDefenderPlans (the platform's Guardrails component does, with features.defenderPlans on).",
    check=check,
    applies_to=(PRICING,),
    settings=("environment", "subscriptionStacks", "requiredDefenderPlans"),
    defaults_source="security Pricing, API 2024-01-01: a plan without a pricing resource is on the Free tier "
                    "(Defender for Cloud's foundational CSPM; learn.microsoft.com/azure/defender-for-cloud/"
                    "enable-enhanced-security)",
)
