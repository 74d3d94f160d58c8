"""Policy as code in Azure Policy: the city's definitions at the root management group, assignments at the groups
of the hierarchy, a role assignment per role an assignment's effect needs, and exemptions with an expiry.

The CrossGuard pack stops a bad resource in a Pulumi preview; these hold in Azure whoever deploys, however.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

import pulumi
from pulumi_azure_native import authorization

from amsterdam_cloud.components.governance import definitions as d
from amsterdam_cloud.components.interfaces import InterfaceError, system_principal_id
from amsterdam_cloud.components.landing_zone.connectivity import ConnectivityRef
from amsterdam_cloud.core.naming import POLICY_AT_MANAGEMENT_GROUP


@dataclass(frozen=True, kw_only=True)
class Assignment:
    """One assignment: a definition (custom or built-in) at one management group, with its parameters."""

    key: str
    """Stable short id: the assignment's name in Azure and the `rule` an exemption names."""
    group: str
    """The management group role it is assigned at (components/governance/hierarchy.py ROLES)."""
    display_name: str
    definition: d.Definition | None = None
    """A custom definition of definitions.py; None: `builtin_id` names a built-in."""
    builtin_id: str = ""
    builtin_roles: tuple[str, ...] = ()
    """The roles a built-in's remediation needs (its members declare them); custom definitions declare their own."""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    extra_role_scopes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Scopes outside the management group the effect reaches (the hub's DNS zones), each with only the roles it
    needs there."""
    report_only: bool = False
    """On: DoNotEnforce (compliance reporting only), and the identity, if Azure requires one, gets no role."""
    not_scopes: tuple[str, ...] = ()
    """Scopes below the group the assignment does not reach (`notScopes`): a lasting architectural carve-out, such
    as the platform's ingress groups in corp; a temporary one is an exemption with an expiry."""

    @property
    def roles(self) -> tuple[str, ...]:
        if self.report_only:
            return ()
        return self.definition.roles if self.definition is not None else self.builtin_roles

    @property
    def needs_identity(self) -> bool:
        """DINE and Modify assignments need a managed identity; so does a built-in set that holds such members."""
        return bool(self.roles) or self.report_only


@dataclass(frozen=True, kw_only=True)
class Exemption:
    """An accepted, owned and dated exception: the same fields as a pack waiver (policies/waivers.yaml)."""

    rule: str
    """The assignment key it exempts from."""
    scope: str
    """The ARM id of the management group, subscription, resource group or resource exempted."""
    reason: str
    owner: str
    expires: dt.date
    ticket: str = ""


@dataclass(frozen=True, kw_only=True)
class PolicyArgs:
    group_ids: Mapping[str, pulumi.Input[str]]
    """Management group role to resource id (Hierarchy.group_ids)."""
    root_group_name: pulumi.Input[str]
    """The city's root management group name: where the custom definitions live."""
    location: str
    """Where the assignments' managed identities live (an EU region)."""
    assignments: tuple[Assignment, ...]
    exemptions: tuple[Exemption, ...] = ()
    """No exemptions: every assignment applies to everything below its group."""
    enforce: bool = True
    """On: Deny, DINE and Modify act; off: every assignment only reports (DoNotEnforce), e.g. while migrating."""

    def __post_init__(self) -> None:
        keys = [assignment.key for assignment in self.assignments]
        for assignment in self.assignments:
            wrong = POLICY_AT_MANAGEMENT_GROUP.problem(assignment.key)
            if wrong is not None:
                raise InterfaceError(f"PolicyArgs.assignments.{assignment.key}: the name {wrong}; Azure takes "
                                     f"{POLICY_AT_MANAGEMENT_GROUP.describe()} at a management group")
            if keys.count(assignment.key) > 1:
                raise InterfaceError(f"PolicyArgs.assignments: key {assignment.key!r} is used twice")
            if assignment.group not in self.group_ids:
                raise InterfaceError(f"PolicyArgs.assignments.{assignment.key}.group: {assignment.group!r} is not "
                                     f"a management group; expected one of {', '.join(self.group_ids)}")
            if (assignment.definition is None) == (not assignment.builtin_id):
                raise InterfaceError(f"PolicyArgs.assignments.{assignment.key}: set exactly one of definition "
                                     "and builtin_id")
        for exemption in self.exemptions:
            if exemption.rule not in keys:
                raise InterfaceError(f"PolicyArgs.exemptions: rule {exemption.rule!r} is not an assignment; "
                                     f"expected one of {', '.join(keys)}")


class Policy(pulumi.ComponentResource):
    """`assignment_ids[key]` and `principal_ids[key]` (assignments with an identity) for every assignment."""

    def __init__(self, name: str, args: PolicyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:governance:Policy", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        created: dict[str, authorization.PolicyDefinitionAtManagementGroup] = {}
        for definition in {a.definition.name: a.definition for a in args.assignments if a.definition}.values():
            created[definition.name] = authorization.PolicyDefinitionAtManagementGroup(
                f"{name}-{definition.name}", management_group_id=args.root_group_name,
                policy_definition_name=definition.name, display_name=definition.display_name,
                policy_type="Custom", mode=definition.mode, policy_rule=definition.rule,
                parameters={key: authorization.ParameterDefinitionsValueArgs(
                    type=spec["type"], allowed_values=spec.get("allowedValues"),
                    default_value=spec.get("defaultValue")) for key, spec in definition.parameters.items()},
                metadata={"category": "Amsterdam governance", "managedBy": "pulumi"}, opts=child)

        self.assignment_ids: dict[str, pulumi.Output[str]] = {}
        self.principal_ids: dict[str, pulumi.Output[str]] = {}
        self.role_assignments: dict[str, list[authorization.RoleAssignment]] = {}
        for assignment in args.assignments:
            scope = args.group_ids[assignment.group]
            definition_id = (created[assignment.definition.name].id if assignment.definition
                             else assignment.builtin_id)
            enforce = args.enforce and not assignment.report_only
            policy_assignment = authorization.PolicyAssignment(
                f"{name}-{assignment.key}", scope=scope, policy_assignment_name=assignment.key,
                policy_definition_id=definition_id, display_name=assignment.display_name,
                enforcement_mode="Default" if enforce else "DoNotEnforce",
                parameters={key: authorization.ParameterValuesValueArgs(value=value)
                            for key, value in assignment.parameters.items()},
                not_scopes=list(assignment.not_scopes) or None,
                identity=authorization.IdentityArgs(type=authorization.ResourceIdentityType.SYSTEM_ASSIGNED)
                if assignment.needs_identity else None,
                location=args.location if assignment.needs_identity else None,
                metadata={"category": "Amsterdam governance", "managedBy": "pulumi"}, opts=child)
            self.assignment_ids[assignment.key] = policy_assignment.id
            if not assignment.needs_identity:
                continue
            principal = system_principal_id(f"PolicyAssignment {assignment.key}", policy_assignment.identity)
            self.principal_ids[assignment.key] = principal
            grants = []
            scoped = ((scope, assignment.roles), *assignment.extra_role_scopes.items())
            for index, (at, role) in enumerate((at, role) for at, roles in scoped for role in roles):
                grants.append(authorization.RoleAssignment(
                    f"{name}-{assignment.key}-role-{index}", scope=at, principal_id=principal,
                    principal_type="ServicePrincipal", role_definition_id=role,
                    description=f"Remediation of policy assignment {assignment.key}", opts=child))
            self.role_assignments[assignment.key] = grants

        for index, exemption in enumerate(args.exemptions):
            authorization.PolicyExemption(
                f"{name}-exemption-{index}", scope=exemption.scope,
                policy_assignment_id=self.assignment_ids[exemption.rule], exemption_category="Waiver",
                expires_on=f"{exemption.expires.isoformat()}T23:59:59Z", display_name=f"Waiver: {exemption.rule}",
                description=exemption.reason, metadata={"owner": exemption.owner, "ticket": exemption.ticket},
                opts=child)
        self.register_outputs({"assignment_ids": self.assignment_ids, "principal_ids": self.principal_ids})


CONNECTIVITY_ONLY_DNS = frozenset({"monitor"})
"""Rows of `PRIVATE_LINK_DNS` no landing zone's endpoint may register in: an Azure Monitor scope's endpoint writes the
*global* ingestion names, so any second one in the city's zones would take every network's ingestion over. The city's
one (the connectivity stack's) writes its own zone group."""


def city_assignments(*, workspace_id: str, connectivity: ConnectivityRef, location: str,
                     inherited_tags: tuple[str, ...],
                     corp_platform_ingress: tuple[str, ...] = ()) -> tuple[Assignment, ...]:
    """The city's assignments: the pack's intent in Azure Policy, at the group where each belongs. The DNS DINE
    assignments cover every row of `PRIVATE_LINK_DNS` but `CONNECTIVITY_ONLY_DNS`, in the connectivity hub's zones (`connectivity`, in
    `location`). Corp and online each get what makes them what they are; `corp_platform_ingress` are the resource
    groups of environment platforms placed in corp that hold the city's ingress by design (the hub's public IPs,
    the shared Front Door)."""
    assignments = [
        Assignment(key="allowed-locations", group="root", definition=d.ALLOWED_LOCATIONS,
                   display_name=d.ALLOWED_LOCATIONS.display_name),
        Assignment(key="allowed-rg-locations", group="root", definition=d.ALLOWED_RESOURCE_GROUP_LOCATIONS,
                   display_name=d.ALLOWED_RESOURCE_GROUP_LOCATIONS.display_name),
        Assignment(key="nl-bio-cloud-theme", group="root", builtin_id=d.NL_BIO_CLOUD_THEME, report_only=True,
                   display_name="NL BIO Cloud Theme (compliance reporting)"),
        Assignment(key="diagnostics", group="root", builtin_id=d.DIAGNOSTICS_TO_LOG_ANALYTICS,
                   builtin_roles=d.DIAGNOSTICS_ROLES, parameters={"logAnalytics": workspace_id},
                   display_name="Resource logs go to the central workspace"),
        Assignment(key="deny-public-access", group="landingzones", definition=d.DENY_PUBLIC_NETWORK_ACCESS,
                   display_name=d.DENY_PUBLIC_NETWORK_ACCESS.display_name),
        # online: the internet comes in only through the city's shared Front Door and WAF (the platform's)
        Assignment(key="online-ingress-via-waf", group="online", definition=d.DENY_RESOURCE_TYPES,
                   parameters={"resourceTypes": list(d.PUBLIC_INGRESS_TYPES)},
                   display_name="Online: public ingress only through the city's shared Front Door and WAF"),
        # corp: reached through the hub only: no way in from the internet at all, no hybrid network of its own
        Assignment(key="corp-no-public-ingress", group="corp", definition=d.DENY_RESOURCE_TYPES,
                   parameters={"resourceTypes": list(d.PUBLIC_INGRESS_TYPES)}, not_scopes=corp_platform_ingress,
                   display_name="Corp: no public IP, gateway or Front Door (reached through the hub only)"),
        Assignment(key="corp-no-hybrid-network", group="corp", definition=d.DENY_RESOURCE_TYPES,
                   parameters={"resourceTypes": list(d.HYBRID_NETWORKING_TYPES)},
                   display_name="Corp: no VPN or ExpressRoute of its own (the city network through the hub)"),
        Assignment(key="sandbox-no-peering", group="sandbox", definition=d.DENY_VNET_PEERING,
                   display_name=d.DENY_VNET_PEERING.display_name),
        Assignment(key="decommissioned-deny", group="decommissioned", definition=d.DENY_NEW_RESOURCES,
                   display_name=d.DENY_NEW_RESOURCES.display_name),
    ]
    assignments += [
        Assignment(key=f"tag-{tag}", group="root", definition=d.INHERIT_TAG, parameters={"tagName": tag},
                   display_name=f"Inherit tag {tag} from the resource group") for tag in inherited_tags]
    assignments += [
        Assignment(key=f"dns-{entry.key}", group="landingzones", definition=d.PRIVATE_DNS_ZONE_GROUP,
                   parameters={"privateDnsZoneIds": [connectivity.zone_id(zone.format(location=location))
                                                     for zone in entry.zones],
                               "groupId": entry.group_id, "service": f"/providers/{entry.service}/"},
                   extra_role_scopes={connectivity.resource_group_id: (d.PRIVATE_DNS_ZONE_CONTRIBUTOR,)},
                   display_name=f"Private endpoints for {entry.key} get their DNS records in the hub")
        for entry in d.PRIVATE_LINK_DNS if entry.key not in CONNECTIVITY_ONLY_DNS]
    return tuple(assignments)
