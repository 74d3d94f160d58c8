"""Guardrails in Azure itself, beside CrossGuard (defense in depth): Azure Policy assignments for allowed
locations, no public IPs in the spokes, tags inherited from the resource group and audited on resources; and the
Defender for Cloud plans.

CrossGuard stops a bad resource in a Pulumi preview; these assignments stop it in Azure, whoever creates it
(portal, CLI, another tool). Built-in definitions only, so Microsoft maintains their logic. Tags fit what Azure
does on its own: it creates resource groups and resources without our tags (the Container Apps infrastructure
group, `NetworkWatcherRG`, Defender's default group), so a missing tag is inherited from the resource group
(Modify) and reported (Audit), never denied, and those platform-managed groups are left out of the tag
assignments altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
from pulumi_azure_native import authorization, security

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import BUILTIN_ROLES, CommonArgs, InterfaceError, WithInterfaces, supports, \
    system_principal_id

BUILTIN = "/providers/Microsoft.Authorization/policyDefinitions/"
ALLOWED_LOCATIONS = BUILTIN + "e56962a6-4747-49cd-b67b-bf8b01975c4c"
ALLOWED_RESOURCE_GROUP_LOCATIONS = BUILTIN + "e765b5de-1225-4ba3-bd56-1ac6695af988"
NOT_ALLOWED_RESOURCE_TYPES = BUILTIN + "6c112d4e-5bc7-47ae-a041-ea2d9dccd749"
REQUIRE_TAG_ON_RESOURCES = BUILTIN + "871b6d14-10aa-478d-b590-94f262ecfa99"
INHERIT_TAG_FROM_RESOURCE_GROUP = BUILTIN + "ea3f2387-9b95-492a-a190-fcdc54f7b070"
"""Azure built-in policy definitions (ids are the same in every tenant)."""
TAG_CONTRIBUTOR = "Tag Contributor"
"""The role the inherit-tag (Modify) assignment's identity needs to add a tag: tags only, no other write."""

PLATFORM_MANAGED_RESOURCE_GROUPS: tuple[str, ...] = ("NetworkWatcherRG",)
"""Resource groups Azure creates under fixed names, left out of the tag assignments (`notScopes`): Network
Watcher's. Groups named per region or per environment are given by the caller (`platform_managed_groups`)."""

_DEFENDER_REGION_CODES = {"westeurope": "WEU", "northeurope": "NEU"}
"""Defender for Cloud's auto-provisioning puts its default workspace in `DefaultResourceGroup-<code>`, the code
Microsoft uses for the region (https://learn.microsoft.com/azure/defender-for-cloud/working-with-log-analytics-agent,
default workspaces)."""


def defender_default_group(location: str) -> str | None:
    """Defender's default resource group in `location`; None where the region code is not known here."""
    code = _DEFENDER_REGION_CODES.get(location)
    return f"DefaultResourceGroup-{code}" if code else None


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
    DefenderPlan(name="SqlServerVirtualMachines"),
    DefenderPlan(name="OpenSourceRelationalDatabases"),
    DefenderPlan(name="CosmosDbs"),
)
"""The plans that cover what the city runs: servers, storage, key vaults, ARM, hosting, containers, databases (SQL
Server on rehosted VMs too: billed only for machines that run it)."""

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


@dataclass(frozen=True, kw_only=True)
class GuardrailsArgs(CommonArgs):
    SUPPORTS = supports(
                        reason="policy assignments take no lock, role assignments, diagnostics or private endpoints; "
                               "their identities are system-assigned and hold no state")
    subscription_id: str
    """The subscription the assignments and Defender plans apply to."""
    allowed_locations: tuple[str, ...]
    """Regions resources and resource groups may live in (the pack's EU list)."""
    required_tags: tuple[str, ...]
    """Tag names every resource must carry: inherited from its resource group when missing, audited otherwise."""
    location: str = "westeurope"
    """Where the inherit-tag assignments' managed identities live (an EU region)."""
    platform_managed_groups: tuple[str, ...] = ()
    """Names of resource groups Azure creates and manages (the Container Apps environments' infrastructure groups,
    Defender's `DefaultResourceGroup-<region>`), left out of the tag assignments beside
    `PLATFORM_MANAGED_RESOURCE_GROUPS`; empty: only those."""
    no_public_ip_scopes: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Short name to resource group id (the spokes') where public IP addresses are denied; empty: nowhere."""
    defender_plans: tuple[DefenderPlan, ...] = CITY_DEFENDER_PLANS
    """Plans switched to Standard; empty: Defender stays on the free tier (foundational CSPM only)."""
    enforce: bool = True
    """On: non-compliant requests are denied; off: only reported (DoNotEnforce), e.g. while migrating."""
    governed_by_management_group: bool = False
    """Off: the location and tag-inheritance assignments are made here, on the subscription; on: the subscription is
    placed in the city's management group hierarchy, whose root assignments (stacks/governance) already hold them,
    and corp's denial of public IPs, so only what those have no equivalent for stays here (tag audit, Defender)."""

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


class Guardrails(WithInterfaces, pulumi.ComponentResource):
    """`resource_id` is the first assignment (allowed locations unless `governed_by_management_group`);
    `assignment_ids` names every assignment."""

    def __init__(self, name: str, args: GuardrailsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Guardrails", name, None, opts)
        scope = f"/subscriptions/{args.subscription_id}"
        mode = "Default" if args.enforce else "DoNotEnforce"
        locations = sorted(args.allowed_locations)

        def assign(role: str, *, at: pulumi.Input[str], definition: str, display: str, parameters: dict,
                   message: str, not_scopes: list[str] | None = None, identity: bool = False,
                   effect: str | None = None) -> authorization.PolicyAssignment:
            return authorization.PolicyAssignment(
                f"{name}-{role}", scope=at, policy_assignment_name=f"amsterdam-{role}"[:64],
                policy_definition_id=definition, display_name=display, enforcement_mode=mode,
                description=f"Amsterdam landing zone guardrail: {display.lower()}.",
                parameters={key: authorization.ParameterValuesValueArgs(value=value)
                            for key, value in parameters.items()},
                not_scopes=not_scopes or None,
                identity=authorization.IdentityArgs(type=authorization.ResourceIdentityType.SYSTEM_ASSIGNED)
                if identity else None,
                location=args.location if identity else None,
                overrides=[authorization.OverrideArgs(kind="policyEffect", value=effect)] if effect else None,
                non_compliance_messages=[authorization.NonComplianceMessageArgs(message=message)],
                metadata={"category": "Amsterdam landing zone", "managedBy": "pulumi"},
                opts=pulumi.ResourceOptions(parent=self))

        assignments = {} if args.governed_by_management_group else {
            "allowed-locations": assign(
                "allowed-locations", at=scope, definition=ALLOWED_LOCATIONS, display="Allowed locations",
                parameters={"listOfAllowedLocations": locations},
                message="The city keeps data in the EU: deploy to an allowed EU region (BIO B.01.3)."),
            "allowed-rg-locations": assign(
                "allowed-rg-locations", at=scope, definition=ALLOWED_RESOURCE_GROUP_LOCATIONS,
                display="Allowed locations for resource groups", parameters={"listOfAllowedLocations": locations},
                message="Resource groups live in an allowed EU region."),
        }
        # Azure's own groups carry no tags of ours and cannot be made to: the tag assignments leave them out.
        not_scopes = [f"{scope}/resourceGroups/{group}"
                      for group in (*PLATFORM_MANAGED_RESOURCE_GROUPS, *args.platform_managed_groups)]

        def audit_tag(role: str, tag: str) -> authorization.PolicyAssignment:
            # The built-in denies; the assignment overrides its effect to Audit: a missing tag is reported.
            return assign(role, at=scope, definition=REQUIRE_TAG_ON_RESOURCES, display=f"Audit tag {tag}",
                          parameters={"tagName": tag}, not_scopes=not_scopes, effect="Audit",
                          message=f"Every resource carries the {tag} tag; pass the stack's tags to the component.")
        self.tag_role_assignments: dict[str, authorization.RoleAssignment] = {}
        for tag in args.required_tags:
            role = f"inherit-tag-{tag}"
            if args.governed_by_management_group:
                role = f"require-tag-{tag}"
                assignments[role] = audit_tag(role, tag)
                continue
            inherit = assign(
                role, at=scope, definition=INHERIT_TAG_FROM_RESOURCE_GROUP,
                display=f"Inherit tag {tag} from the resource group", parameters={"tagName": tag},
                message=f"A resource without the {tag} tag gets its resource group's value.",
                not_scopes=not_scopes, identity=True)
            assignments[role] = inherit
            self.tag_role_assignments[tag] = authorization.RoleAssignment(
                f"{name}-{role}-tags", scope=scope, principal_type="ServicePrincipal",
                principal_id=system_principal_id(f"PolicyAssignment {role}", inherit.identity),
                role_definition_id=f"{scope}/providers/Microsoft.Authorization/roleDefinitions/"
                                   f"{BUILTIN_ROLES[TAG_CONTRIBUTOR]}",
                description=f"Policy assignment amsterdam-{role} adds the {tag} tag (Modify)",
                opts=pulumi.ResourceOptions(parent=self))
            role = f"require-tag-{tag}"
            assignments[role] = audit_tag(role, tag)
        # under the hierarchy, corp's own denial of public IPs holds for the spokes (stacks/governance)
        for short, group_id in () if args.governed_by_management_group else args.no_public_ip_scopes.items():
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
        first = next(iter(assignments.values()), None)
        self.resource_id = first.id if first else pulumi.Output.from_input("")
        """The first assignment's id (allowed locations, or the first tag audit under a management group)."""
        self.name = first.name if first else pulumi.Output.from_input(name)
        self.register_outputs({"resource_id": self.resource_id, "assignment_ids": self.assignment_ids,
                               "defender_plan_ids": self.defender_plan_ids})
