"""Which stack owns the subscription-level settings (Defender plans, the activity log export): the platform's.

The pack config names it (`subscriptionStacks`, per environment). Such a stack is judged where it declares the
landing zone's Guardrails component or any resource of the rule's own types; a stack named there with neither (a
partial stand-in, such as a test export of a few resources under the platform's name) is reported as skipped, with
the reason, never as passed. A rule that finds a setting missing reports it at the stack's URN.
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import Resource, StackReport, StackView, project_of, stack_of, type_chain

GUARDRAILS = "amsterdam:landingzone:Guardrails"
"""The platform component beside whose resources the subscription-level settings live."""


def subscription_stack_urn(resources: Sequence[Resource], settings: Any, report: StackReport,
                           types: tuple[str, ...]) -> str | None:
    """The URN of the stack as a whole when it owns the subscription's settings and is to be judged; None otherwise
    (a skip is reported for an owner stack with neither Guardrails nor a resource of `types`)."""
    if not resources:
        return None
    project, stack = project_of(resources[0].urn), stack_of(resources[0].urn)
    if f"{project}/{stack}" not in settings.subscription_stacks:
        return None
    stack_urn = f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"
    shared = resources.shared if isinstance(resources, StackView) else {}
    if "subscription.present" not in shared:  # once per stack, not once per subscription rule
        shared["subscription.present"] = {r.type for r in resources} | (
            {GUARDRAILS} if any(GUARDRAILS in type_chain(r.urn) for r in resources) else set())
    present = shared["subscription.present"]
    if GUARDRAILS not in present and not present.intersection(types):
        report.skip(f"{project}/{stack} is named in subscriptionStacks but declares no Guardrails component and no "
                    f"{', '.join(t.rsplit(':', 1)[-1] for t in types)}: not judged as the platform's landing zone",
                    stack_urn)
        return None
    return stack_urn
