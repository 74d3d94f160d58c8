"""Guardrails in Azure itself, beside CrossGuard (defense in depth): Azure Policy assignments for allowed
locations, no public IPs in the spokes and the required tags; and the Defender for Cloud plans.

CrossGuard stops a bad resource in a Pulumi preview; these assignments stop it in Azure, whoever creates it
(portal, CLI, another tool). Built-in definitions only, so Microsoft maintains their logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
from pulumi_azure_native import authorization, security

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, WithInterfaces

BUILTIN = "/providers/Microsoft.Authorization/policyDefinitions/"
ALLOWED_LOCATIONS = BUILTIN + "e56962a6-4747-49cd-b67b-bf8b01975c4c"
ALLOWED_RESOURCE_GROUP_LOCATIONS = BUILTIN + "e765b5de-1225-4ba3-bd56-1ac6695af988"
NOT_ALLOWED_RESOURCE_TYPES = BUILTIN + "6c112d4e-5bc7-47ae-a041-ea2d9dccd749"
REQUIRE_TAG_ON_RESOURCES = BUILTIN + "871b6d14-10aa-478d-b590-94f262ecfa99"
"""Azure built-in policy definitions (ids are the same in every tenant)."""


@dataclass(frozen=True, kw_only=True)
class DefenderPlan:
    """One Defender for Cloud plan (`Microsoft.Security/pricings/<name>`) on the Standard tier."""

    name: str
    sub_plan: str | None = None


CITY_DEFENDER_PLANS: tuple[DefenderPlan, ...] = (
    DefenderPlan(name="CloudPosture"),
    DefenderPlan(name="VirtualMachines", sub_plan="P2"),
    DefenderPlan(name="StorageAccounts", sub_plan="DefenderForStorageV2"),
    DefenderPlan(name="KeyVaults", sub_plan="PerKeyVault"),
    DefenderPlan(name="Arm", sub_plan="PerSubscription"),
    DefenderPlan(name="AppServices"),
    DefenderPlan(name="Containers"),
    DefenderPlan(name="SqlServers"),
    DefenderPlan(name="OpenSourceRelationalDatabases"),
    DefenderPlan(name="CosmosDbs"),
)
"""The plans that cover what the city runs: servers, storage, key vaults, ARM, hosting, containers, databases."""

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


@dataclass(frozen=True, kw_only=True)
class GuardrailsArgs(CommonArgs):
    subscription_id: str
    """The subscription the assignments and Defender plans apply to."""
    allowed_locations: tuple[str, ...]
    """Regions resources and resource groups may live in (the pack's EU list)."""
    required_tags: tuple[str, ...]
    """Tag names every resource must carry (denied without them)."""
    no_public_ip_scopes: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Short name to resource group id (the spokes') where public IP addresses are denied; empty: nowhere."""
    defender_plans: tuple[DefenderPlan, ...] = CITY_DEFENDER_PLANS
    """Plans switched to Standard; empty: Defender stays on the free tier (foundational CSPM only)."""
    enforce: bool = True
    """On: non-compliant requests are denied; off: only reported (DoNotEnforce), e.g. while migrating."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not GUID.match(self.subscription_id):
            raise InterfaceError(f"GuardrailsArgs.subscription_id: {self.subscription_id!r} is not a GUID")
        for short in self.no_public_ip_scopes:
            if not _NAME.match(short):
                raise InterfaceError(f"GuardrailsArgs.no_public_ip_scopes: {short!r}; expected a short lower-case "
                                     "name such as apps")
        if not self.allowed_locations:
            raise InterfaceError("GuardrailsArgs.allowed_locations: empty; expected the EU regions of the pack")
        if self.lock or self.role_assignments or self.diagnostic_settings or self.private_endpoints:
            raise InterfaceError("GuardrailsArgs: policy assignments take no lock, role assignments, diagnostics "
                                 "or private endpoints; leave them empty")


class Guardrails(WithInterfaces, pulumi.ComponentResource):
    """`resource_id` is the allowed-locations assignment; `assignment_ids` names every assignment."""

    def __init__(self, name: str, args: GuardrailsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Guardrails", name, None, opts)
        scope = f"/subscriptions/{args.subscription_id}"
        mode = "Default" if args.enforce else "DoNotEnforce"
        locations = sorted(args.allowed_locations)

        def assign(role: str, *, at: pulumi.Input[str], definition: str, display: str, parameters: dict,
                   message: str) -> authorization.PolicyAssignment:
            return authorization.PolicyAssignment(
                f"{name}-{role}", scope=at, policy_assignment_name=f"amsterdam-{role}"[:64],
                policy_definition_id=definition, display_name=display, enforcement_mode=mode,
                description=f"Amsterdam landing zone guardrail: {display.lower()}.",
                parameters={key: authorization.ParameterValuesValueArgs(value=value)
                            for key, value in parameters.items()},
                non_compliance_messages=[authorization.NonComplianceMessageArgs(message=message)],
                metadata={"category": "Amsterdam landing zone", "managedBy": "pulumi"},
                opts=pulumi.ResourceOptions(parent=self))

        assignments = {
            "allowed-locations": assign(
                "allowed-locations", at=scope, definition=ALLOWED_LOCATIONS, display="Allowed locations",
                parameters={"listOfAllowedLocations": locations},
                message="The city keeps data in the EU: deploy to an allowed EU region (BIO B.01.3)."),
            "allowed-rg-locations": assign(
                "allowed-rg-locations", at=scope, definition=ALLOWED_RESOURCE_GROUP_LOCATIONS,
                display="Allowed locations for resource groups", parameters={"listOfAllowedLocations": locations},
                message="Resource groups live in an allowed EU region."),
        }
        for tag in args.required_tags:
            role = f"require-tag-{tag}"
            assignments[role] = assign(
                role, at=scope, definition=REQUIRE_TAG_ON_RESOURCES, display=f"Require tag {tag}",
                parameters={"tagName": tag},
                message=f"Every resource carries the {tag} tag; pass the stack's tags to the component.")
        for short, group_id in args.no_public_ip_scopes.items():
            role = f"no-public-ip-{short}"
            assignments[role] = assign(
                role, at=group_id, definition=NOT_ALLOWED_RESOURCE_TYPES, display="No public IPs in spokes",
                parameters={"listOfResourceTypesNotAllowed": ["Microsoft.Network/publicIPAddresses"]},
                message="Spokes have no public IPs: publish through the hub (firewall, Application Gateway).")

        self.defender_plan_ids: dict[str, pulumi.Output[str]] = {}
        for plan in args.defender_plans:
            pricing = security.Pricing(
                f"{name}-defender-{plan.name.lower()}", scope_id=scope, pricing_name=plan.name,
                pricing_tier="Standard", sub_plan=plan.sub_plan, opts=pulumi.ResourceOptions(parent=self))
            self.defender_plan_ids[plan.name] = pricing.id

        self.assignment_ids = {role: assignment.id for role, assignment in assignments.items()}
        self.resource_id = assignments["allowed-locations"].id
        self.name = assignments["allowed-locations"].name
        self.register_outputs({"resource_id": self.resource_id, "assignment_ids": self.assignment_ids,
                               "defender_plan_ids": self.defender_plan_ids})
