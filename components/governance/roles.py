"""The city's RBAC model: five custom roles at the root management group (platform operator, app team deployer,
app team monitoring, auditor reader, break-glass), none with a `*` action, and who holds them: auditors actively,
operators and break-glass only as PIM-eligible (activated just in time, approval and MFA set in PIM's role settings).

App teams get theirs per vended subscription (components/governance/vending.py), never here: the deployer on the
subscription, the monitoring role only on the environment's workspace (the connectivity stack scopes the apps'
Application Insights into the city's private link scope: no team holds a right there).
"""

from __future__ import annotations

import fnmatch
import uuid
from dataclasses import dataclass
from typing import Callable

import pulumi
from pulumi_azure_native import authorization

from amsterdam_cloud.components.governance.definitions import ROLE_DEFINITIONS
from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import BUILTIN_ROLES, InterfaceError

_NAMESPACE = uuid.UUID("0b6c3f1e-6a8e-4c53-9d0e-5a1f2b3c4d5e")


@dataclass(frozen=True, kw_only=True)
class CustomRole:
    """One custom role: what it is for, and exactly the actions it needs (never `*`)."""

    key: str
    """Stable short id (`platform-operator`): the role's name is `Amsterdam <key>` and its id derives from it."""
    description: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] = ()
    data_actions: tuple[str, ...] = ()

    @property
    def role_name(self) -> str:
        return f"Amsterdam {self.key}"

    def permits(self, action: str) -> bool:
        """Whether the role grants `action` as Azure reads it: matched by an action, not by a notAction; `*` in a
        pattern stands for any characters, case ignored."""
        def matches(patterns: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)

        return matches(self.actions) and not matches(self.not_actions)

    @property
    def guid(self) -> str:
        """The role definition's name: a GUID derived from the key, the same in every run (Azure requires a GUID)."""
        return str(uuid.uuid5(_NAMESPACE, self.key))

    @property
    def definition_id(self) -> str:
        """The tenant-wide id, as built-in roles are named: the GUID is unique in the tenant, and every scope below
        the role's assignable scope accepts it. Known from the key alone, so other stacks need no reference."""
        return ROLE_DEFINITIONS + self.guid


_READ = "*/read"
"""Read everything (the built-in Reader's only action); not `*`: it grants no write, delete or action."""

PLATFORM_OPERATOR = CustomRole(
    key="platform-operator", description="Operates the platform's resources; cannot change access or policy.",
    actions=(_READ, "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/*",
             "Microsoft.Network/*", "Microsoft.Compute/*", "Microsoft.Storage/storageAccounts/*",
             "Microsoft.KeyVault/vaults/*", "Microsoft.ContainerRegistry/registries/*", "Microsoft.Insights/*",
             "Microsoft.OperationalInsights/workspaces/*", "Microsoft.DesktopVirtualization/*",
             "Microsoft.ManagedIdentity/userAssignedIdentities/*", "Microsoft.Support/*"),
    not_actions=("Microsoft.Authorization/*/write", "Microsoft.Authorization/*/delete",
                 "Microsoft.Network/virtualNetworks/peer/action"))
APP_TEAM_DEPLOYER = CustomRole(
    key="app-team-deployer",
    description="Deploys an app team's resources in its own subscription; grants only the app's data roles.",
    actions=(_READ, "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/*",
             "Microsoft.App/*", "Microsoft.Web/*", "Microsoft.DBforPostgreSQL/*", "Microsoft.DBforMySQL/*",
             "Microsoft.DocumentDB/*", "Microsoft.ServiceBus/*",
             "Microsoft.Storage/storageAccounts/*", "Microsoft.KeyVault/vaults/*",
             "Microsoft.ManagedIdentity/userAssignedIdentities/*", "Microsoft.Insights/*",
             "Microsoft.OperationalInsights/workspaces/*", "Microsoft.Network/privateEndpoints/*",
             "Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Authorization/locks/*",
             "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete"),
    # no Azure Monitor Private Link Scope of its own: a second scope's endpoint on the city's one set of Azure
    # Monitor zones would take over the global ingestion names for every network (the connectivity stack's scope)
    not_actions=("Microsoft.Network/virtualNetworks/write", "Microsoft.Network/virtualNetworks/delete",
                 "Microsoft.Network/virtualNetworks/subnets/write", "Microsoft.Network/virtualNetworks/peer/action",
                 "Microsoft.Insights/privateLinkScopes/*"))
APP_TEAM_MONITORING = CustomRole(
    key="app-team-monitoring",
    description="Links an app team's diagnostic settings and Application Insights to its environment's workspace; "
                "reads no log data.",
    # Azure checks these on the destination when a resource in another subscription links to it
    # (LinkedAuthorizationFailed otherwise); log queries need workspaces/query/*/read, which this lacks.
    actions=("Microsoft.OperationalInsights/workspaces/read",
             "Microsoft.OperationalInsights/workspaces/sharedKeys/action"))
AUDITOR_READER = CustomRole(
    key="auditor-reader", description="Reads configuration, policy compliance and security findings; no data.",
    actions=(_READ, "Microsoft.PolicyInsights/policyStates/queryResults/action",
             "Microsoft.PolicyInsights/policyStates/summarize/action",
             "Microsoft.PolicyInsights/policyEvents/queryResults/action"),
    not_actions=("Microsoft.KeyVault/vaults/secrets/readMetadata/action",))
BREAK_GLASS = CustomRole(
    key="break-glass", description="Emergency repair of access and policy when the normal path is broken.",
    actions=(_READ, "Microsoft.Authorization/*", "Microsoft.Management/managementGroups/*",
             "Microsoft.PolicyInsights/*", "Microsoft.Resources/*", "Microsoft.Support/*"))

ROLES: tuple[CustomRole, ...] = (PLATFORM_OPERATOR, APP_TEAM_DEPLOYER, APP_TEAM_MONITORING, AUDITOR_READER,
                                 BREAK_GLASS)

DEPLOYER_GRANTABLE_ROLES = ("AcrPull", "Key Vault Secrets User", "Storage Blob Data Contributor",
                            "Storage Blob Data Reader", "Monitoring Metrics Publisher")
"""The only roles an app team deployer may assign (to its apps' identities): the data roles the app components
grant. Enforced by the ABAC condition on the deployer's assignment (`deployer_condition`)."""


def _after(value: str) -> Callable[[str], str]:
    """For `Output.apply`: `value`, once the output it is applied to is known (an id: once the resource exists)."""
    return lambda _: value


def deployer_condition() -> str:
    """Azure's 'constrain roles' condition (version 2.0): a role assignment write or delete is allowed only for the
    grantable roles, so a deployer can never make anyone Owner or User Access Administrator."""
    guids = ", ".join(BUILTIN_ROLES[role] for role in DEPLOYER_GRANTABLE_ROLES)
    return ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
            "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
            f"ForAnyOfAnyValues:GuidEquals {{{guids}}})) AND "
            "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR "
            "(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
            f"ForAnyOfAnyValues:GuidEquals {{{guids}}}))")


@dataclass(frozen=True, kw_only=True)
class RbacArgs:
    root_group_id: pulumi.Input[str]
    """The city's root management group's resource id: where the roles are defined and assignable."""
    platform_operators: str
    """Entra group (object id) of the platform operators: PIM-eligible for platform-operator at the root."""
    auditors: str
    """Entra group of the auditors: platform-wide auditor-reader, active (reading needs no activation)."""
    break_glass: str
    """Entra group of the emergency accounts: PIM-eligible for break-glass at the root."""

    def __post_init__(self) -> None:
        for key in ("platform_operators", "auditors", "break_glass"):
            if not GUID.match(getattr(self, key)):
                raise InterfaceError(f"RbacArgs.{key}: {getattr(self, key)!r} is not an Entra group object id (GUID)")


class Rbac(pulumi.ComponentResource):
    """`role_definition_ids[key]` for every custom role (vending assigns `app-team-deployer` per subscription)."""

    def __init__(self, name: str, args: RbacArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:governance:Rbac", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.role_definition_ids: dict[str, pulumi.Output[str]] = {}
        for role in ROLES:
            definition = authorization.RoleDefinition(
                f"{name}-{role.key}", scope=args.root_group_id, role_definition_id=role.guid,
                role_name=role.role_name, description=role.description, role_type="CustomRole",
                permissions=[authorization.PermissionArgs(actions=list(role.actions),
                                                          not_actions=list(role.not_actions),
                                                          data_actions=list(role.data_actions))],
                assignable_scopes=[args.root_group_id], opts=child)
            # The tenant-wide form (`definition_id`), after creation, so assignments here wait for it.
            self.role_definition_ids[role.key] = definition.id.apply(_after(role.definition_id))
        authorization.RoleAssignment(
            f"{name}-auditors", scope=args.root_group_id, principal_id=args.auditors, principal_type="Group",
            role_definition_id=self.role_definition_ids[AUDITOR_READER.key],
            description="Auditors read the whole estate", opts=child)
        for role, group in ((PLATFORM_OPERATOR, args.platform_operators), (BREAK_GLASS, args.break_glass)):
            authorization.PimRoleEligibilitySchedule(
                f"{name}-{role.key}-eligible", scope=args.root_group_id, principal_id=group,
                role_definition_id=self.role_definition_ids[role.key],
                justification=f"{role.role_name} is held only just in time (PIM activation)",
                schedule_info=authorization.RoleEligibilityScheduleRequestPropertiesScheduleInfoArgs(
                    expiration=authorization.RoleEligibilityScheduleRequestPropertiesExpirationArgs(
                        type="NoExpiration")),
                opts=child)
        self.register_outputs({"role_definition_ids": self.role_definition_ids})
