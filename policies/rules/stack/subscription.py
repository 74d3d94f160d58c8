"""Which stack owns the subscription-level settings (Defender plans, the activity log export): the platform's.

The pack config names it (`subscriptionStacks`, per environment); the stack is judged where it also declares the
landing zone's Guardrails component, so a partial stand-in for the platform stack (a test export of a few
resources under the platform's name) is not. A rule that finds a setting missing reports it at the stack's URN.
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import Resource, project_of, stack_of, type_chain

GUARDRAILS = "amsterdam:landingzone:Guardrails"
"""The platform component beside whose resources the subscription-level settings live."""


def subscription_stack_urn(resources: Sequence[Resource], settings: Any) -> str | None:
    """The URN of the stack as a whole when it owns the subscription's settings; None otherwise."""
    if not resources:
        return None
    project, stack = project_of(resources[0].urn), stack_of(resources[0].urn)
    if f"{project}/{stack}" not in settings.subscription_stacks:
        return None
    if not any(GUARDRAILS in type_chain(r.urn) for r in resources):
        return None
    return f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"
