"""Builders of small, explicit `pulumi stack export` documents, for tests and benchmarks of the policy pack
(test helpers, kept out of the shipped package).

    export_of(resource("azure-native:storage:StorageAccount", "logs", {...}), stack="prod")
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from amsterdam_cloud.core.export_format import ROOT_STACK_TYPE, SECRET_SIGNATURE, SECRET_SIGNATURE_KEY
from amsterdam_cloud.core.export_format import UNKNOWN_VALUE as UNKNOWN_VALUE  # the rule tests' unknown
from amsterdam_cloud.core.program_config import PLATFORM_PROJECT as PROJECT



def secret(ciphertext: str = "v1:abc") -> dict[str, str]:
    """A secret as `pulumi stack export` writes it (without --show-secrets)."""
    return {SECRET_SIGNATURE_KEY: SECRET_SIGNATURE, "ciphertext": ciphertext}


def urn_of(stack: str, token: str, name: str, parents: Iterable[str] = (), project: str = PROJECT) -> str:
    chain = "$".join([*parents, token])
    return f"urn:pulumi:{stack}::{project}::{chain}::{name}"


def resource(token: str, name: str, inputs: Mapping[str, Any] | None = None, *, stack: str = "prod",
             parents: Iterable[str] = (), protect: bool = False, custom: bool = True, id: str = "",
             property_dependencies: Mapping[str, list[str]] | None = None,
             dependencies: Iterable[str] = (), outputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One resource entry of an export; `outputs` as the provider returns them (what stack rules judge)."""
    parents = tuple(parents)
    entry: dict[str, Any] = {
        "urn": urn_of(stack, token, name, parents), "custom": custom, "type": token,
        "inputs": dict(inputs or {}), "outputs": dict(outputs or {}), "protect": protect,
        "dependencies": list(dependencies), "propertyDependencies": dict(property_dependencies or {}),
    }
    if id:
        entry["id"] = id
    if parents:
        entry["parent"] = urn_of(stack, parents[-1], name.rsplit("-", 1)[0], parents[:-1])
    else:
        entry["parent"] = urn_of(stack, ROOT_STACK_TYPE, f"{PROJECT}-{stack}")
    return entry


def export_of(*resources: Mapping[str, Any], stack: str = "prod", outputs: Mapping[str, Any] | None = None) -> dict:
    """A version-3 export whose first resource is the root stack."""
    root = {"urn": urn_of(stack, ROOT_STACK_TYPE, f"{PROJECT}-{stack}"), "custom": False,
            "type": ROOT_STACK_TYPE, "outputs": dict(outputs or {})}
    return {"version": 3, "deployment": {"manifest": {"time": "2026-11-28T00:00:00Z", "magic": "",
                                                      "version": "v3.200.0"},
                                         "resources": [root, *resources]}}


def city_tags(environment: str = "prod", **extra: str) -> dict[str, str]:
    """The mandatory tags, as the stack program merges them."""
    return {"owner": "cloud-platform@amsterdam.nl", "cost-center": "CC-4120", "environment": environment,
            "data-classification": "BBN2", "application": "landing-zone", **extra}


def violations(rule: Any, props: Mapping[str, Any], *, token: str | None = None, environment: str = "prod",
               name: str = "r1", parents: Iterable[str] = (), protect: bool = False, project: str = PROJECT,
               arm_id: str | None = None, provider_subscription: str | None = None, **settings: Any) -> list[str]:
    """The messages one resource rule reports for one resource (type: the rule's first type unless given), in
    stack `environment` of `project` (with ARM id `arm_id`, None as in a real preview of a new resource, and its
    provider's `provider_subscription`).

    Extra keyword arguments are pack settings in camelCase (`allowedRegions=[...]`).
    """
    from amsterdam_cloud.policies.rule_model import Resource, run_rule
    from amsterdam_cloud.policies.settings import Settings

    token = token or (rule.applies_to[0] if rule.applies_to else "azure-native:resources:ResourceGroup")
    resource = Resource(urn=urn_of(environment, token, name, parents, project), type=token, props=dict(props), name=name,
                        protect=protect, id=arm_id, provider_subscription=provider_subscription)
    return run_rule(rule, resource, Settings.from_properties({"environment": environment, **settings}))
