"""What every component shares, built once: tags, lock, role assignments, diagnostic settings, private endpoints,
managed identities (the Azure Verified Modules interfaces), and the one helper that applies them.

A component takes these through its args (every args class derives from `CommonArgs`), creates its own Azure
resource, then calls `self.add_interfaces(name, scope_id=resource.id, args=args, ...)`: the lock, role
assignments, diagnostic settings and private endpoints (with their private DNS zone group) become children of the
component. An interface only *points at* things (a workspace, a subnet, a DNS zone, a principal): the helper never
creates what it points at.

```python
@dataclass(frozen=True, kw_only=True)
class VaultArgs(CommonArgs):
    resource_group_name: pulumi.Input[str]
    ...

class Vault(WithInterfaces, pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("amsterdam:security:Vault", name, None, opts)
        vault = keyvault.Vault(f"{name}-vault", ..., tags=args.tags, opts=self.child_options(args, stateful=True))
        self.add_interfaces(name, scope_id=vault.id, args=args, resource_group_name=..., location=...,
                            diagnostics=DiagnosticSupport(logs=True, metrics=True))
        self.resource_id, self.name = vault.id, vault.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Mapping, NoReturn, Protocol, Sequence, TypedDict

import pulumi
from pulumi_azure_native import authorization, monitor, network

from amsterdam_cloud.core.ids import GUID_ANY_CASE
from amsterdam_cloud.core import naming
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.storage_logging import logged_services, service_scope

LOCK_LEVELS = ("CanNotDelete", "ReadOnly")
PRINCIPAL_TYPES = ("ServicePrincipal", "Group", "User", "ForeignGroup", "Device")

BUILTIN_ROLES: Mapping[str, str] = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "Key Vault Certificates Officer": "a4417e6f-fecd-4de8-b567-7b0420b4cd1b",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Log Analytics Contributor": "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
    "Log Analytics Reader": "73c42c96-874c-492b-b04d-ab87d138a893",
    "Monitoring Metrics Publisher": "3913510d-42f4-4e42-8a64-420c390055eb",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
    "Azure Service Bus Data Sender": "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
    "Azure Service Bus Data Receiver": "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
    "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    "Desktop Virtualization User": "1d18fff3-a72a-46b5-b4a9-0b38a3cd7e63",
    "Virtual Machine User Login": "fb879df8-f326-4884-b1cf-06f3ad86be52",
    "Tag Contributor": "4a9ae827-6dc8-4573-8ac7-8239d42aa03f",
    "Private DNS Zone Contributor": "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
    "Monitoring Contributor": "749f88d5-cbae-40b8-bcfc-e573ddc772fa",
}
"""Azure built-in role names to their role definition GUIDs (the same in every tenant)."""

_ROLE_ID = re.compile(r"^/(subscriptions/[^/]+/)?providers/Microsoft\.Authorization/roleDefinitions/[0-9a-f-]{36}$",
                      re.IGNORECASE)


class InterfaceError(UserError):
    """An interface value a component was given cannot work in Azure (names the interface, the field, the fix)."""


def _fail(interface: str, key: str, problem: str) -> NoReturn:
    raise InterfaceError(f"{interface}.{key}: {problem}")


def require_name(token: str, name: str, field: str) -> str:
    """A name given in args, checked against Azure's rules for `token` (`core/naming.py`) when the args are built."""
    wrong = naming.problem(token, name)
    if wrong is not None:
        raise InterfaceError(f"{field}: {name!r} is refused by Azure: {wrong}")
    return name


def require_auto_name(token: str, logical_name: str, field: str) -> None:
    """A name left unset is auto-named by azure-native (logical name + 8 characters): refuse early if Azure would."""
    wrong = naming.auto_name_problem(token, logical_name)
    if wrong is not None:
        raise InterfaceError(f"{field}: unset, so azure-native names the resource {logical_name!r} plus 8 "
                             f"characters, which Azure refuses: {wrong}; set {field}")


# ---------------------------------------------------------------------------------------------------------------
# The interfaces


@dataclass(frozen=True, kw_only=True)
class Lock:
    """A management lock on the component's main resource."""

    level: str = "CanNotDelete"
    """CanNotDelete: the resource can be changed but not deleted; ReadOnly: it can be neither changed nor deleted."""
    notes: str = "Shared platform resource; remove the lock through the platform stack, never by hand."
    """Why the lock is there, shown in the portal to whoever tries to delete the resource."""
    name: str | None = None
    """The lock's name in Azure; unset: `<component name>-lock`."""

    def __post_init__(self) -> None:
        if self.level not in LOCK_LEVELS:
            _fail("Lock", "level", f"{self.level!r} is not a lock level; expected one of {', '.join(LOCK_LEVELS)}")
        if len(self.notes) > 512:
            _fail("Lock", "notes", "Azure allows at most 512 characters; shorten the notes")


@dataclass(frozen=True, kw_only=True)
class RoleAssignment:
    """Grant a principal a role on the component's main resource (least privilege: the narrowest scope there is)."""

    role: str
    """A built-in role name from BUILTIN_ROLES, a role definition GUID, or a full role definition id."""
    principal_id: pulumi.Input[str]
    """Object id of the user, group or managed identity that gets the role."""
    principal_type: str | None = "ServicePrincipal"
    """The kind of principal; a managed identity is a ServicePrincipal. Azure uses it to avoid replication delays and
    refuses a wrong one (UnmatchedPrincipalType); None: omitted from the request (`omittable_principal_type`), so
    ARM accepts any principal (a person after `az login` and a pipeline's workload identity alike)."""
    description: str | None = None
    """Why the principal has the role; unset: no description."""
    condition: str | None = None
    """An ABAC condition (version 2.0) that narrows the assignment; unset: the role applies unconditionally."""

    def __post_init__(self) -> None:
        if self.role not in BUILTIN_ROLES and not GUID_ANY_CASE.match(self.role) and not _ROLE_ID.match(self.role):
            _fail("RoleAssignment", "role", f"{self.role!r} is not a known built-in role, a role GUID or a role "
                                            f"definition id; expected e.g. 'Reader' or "
                                            f"'/providers/Microsoft.Authorization/roleDefinitions/<guid>'")
        if self.principal_type is not None and self.principal_type not in PRINCIPAL_TYPES:
            _fail("RoleAssignment", "principal_type",
                  f"{self.principal_type!r}; expected one of {', '.join(PRINCIPAL_TYPES)}")
        if isinstance(self.principal_id, str) and not GUID_ANY_CASE.match(self.principal_id):
            _fail("RoleAssignment", "principal_id", f"{self.principal_id!r} is not an object id (a GUID)")

    def role_definition_id(self, scope_id: pulumi.Input[str]) -> pulumi.Output[str]:
        """The full role definition id, in the subscription of the scope (as ARM expects it for built-in roles)."""
        if self.role.startswith("/"):
            return pulumi.Output.from_input(self.role)
        guid = BUILTIN_ROLES.get(self.role, self.role)

        def in_subscription(scope: str) -> str:
            parts = scope.split("/")
            prefix = f"/subscriptions/{parts[2]}" if len(parts) > 2 and parts[1].lower() == "subscriptions" else ""
            return f"{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid}"

        return pulumi.Output.from_input(scope_id).apply(in_subscription)


@dataclass(frozen=True, kw_only=True)
class DiagnosticSettings:
    """Send the resource's logs and metrics to a Log Analytics workspace (the central one, by default)."""

    workspace_id: pulumi.Input[str]
    """Resource id of the Log Analytics workspace; the component never creates it."""
    name: str = "to-central-workspace"
    """The diagnostic setting's name on the resource."""
    log_category_groups: tuple[str, ...] = ("allLogs",)
    """Log category groups to send; the default sends every log (allLogs, which includes audit)."""
    metrics: bool = True
    """On: AllMetrics is sent too, where the resource has metrics."""
    dedicated_tables: bool = True
    """On: resource-specific tables (Dedicated) instead of the legacy AzureDiagnostics table."""

    def __post_init__(self) -> None:
        if not self.log_category_groups:
            _fail("DiagnosticSettings", "log_category_groups",
                  "is empty; a diagnostic setting that sends no logs hides audit events; keep ('allLogs',)")
        if isinstance(self.workspace_id, str) and "/providers/microsoft.operationalinsights/workspaces/" \
                not in self.workspace_id.lower():
            _fail("DiagnosticSettings", "workspace_id", f"{self.workspace_id!r} is not a Log Analytics workspace "
                                                        "resource id")


@dataclass(frozen=True, kw_only=True)
class PrivateEndpoint:
    """Reach the component's resource over a private IP in a subnet, registered in private DNS."""

    subnet_id: pulumi.Input[str]
    """The subnet the endpoint's network interface is placed in (a spoke or the hub's shared-services subnet)."""
    private_dns_zone_ids: tuple[pulumi.Input[str], ...]
    """The private DNS zones the endpoint registers its records in (from the hub's `private_dns_zone_ids`)."""
    group_id: str | None = None
    """The sub-resource to reach (vault, blob, sqlServer, ...); unset: the component's own default."""
    name: str | None = None
    """Suffix of the endpoint's logical name; unset: `pe` and its index when there are several."""
    location: pulumi.Input[str] | None = None
    """Region of the endpoint (that of its subnet's network); unset: the component's location."""
    resource_group_name: pulumi.Input[str] | None = None
    """Resource group of the endpoint; unset: the component's resource group."""
    dns_by_policy: bool = False
    """Off: the component writes the zone group (`private_dns_zone_ids`); on: the landing zones' DINE policy writes
    it (a vended subscription, whose team holds no rights on the hub's zones), and `private_dns_zone_ids` is empty."""

    def __post_init__(self) -> None:
        if self.dns_by_policy and self.private_dns_zone_ids:
            _fail("PrivateEndpoint", "private_dns_zone_ids",
                  "is set with dns_by_policy; the policy writes the zone group: leave the zone ids empty")
        if not self.private_dns_zone_ids and not self.dns_by_policy:
            _fail("PrivateEndpoint", "private_dns_zone_ids",
                  "is empty; without a DNS zone group the endpoint's name does not resolve to its private IP; "
                  "pass the hub's zone id for this service")


@dataclass(frozen=True, kw_only=True)
class ManagedIdentities:
    """The identities a resource runs as: system-assigned, user-assigned, or both."""

    system_assigned: bool = False
    """Off: no system-assigned identity; on: Azure creates one with the resource's lifetime."""
    user_assigned_resource_ids: tuple[pulumi.Input[str], ...] = ()
    """Resource ids of user-assigned identities to attach; the component never creates them."""

    @property
    def type(self) -> str:
        kinds = (["SystemAssigned"] if self.system_assigned else []) + \
                (["UserAssigned"] if self.user_assigned_resource_ids else [])
        return ", ".join(kinds) or "None"

    def as_identity(self) -> Any:
        """The `identity` input most azure-native resources take (snake_case keys), or None for no identity. Typed
        `Any`: the dict is every module's own `IdentityArgsDict` at once, which no one annotation can say."""
        if self.type == "None":
            return None
        identity: dict = {"type": self.type}
        if self.user_assigned_resource_ids:
            identity["user_assigned_identities"] = list(self.user_assigned_resource_ids)
        return identity


INTERFACES = ("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "managed_identities",
              "protect")
"""The shared interfaces every component's args carry (besides `tags`), in the order they are checked."""


@dataclass(frozen=True)
class Supports:
    """Which shared interfaces a component honours. Its args class declares it (`SUPPORTS = supports(...)`), and
    `CommonArgs` refuses every other interface given, with the reason: an interface is applied or an error, never
    silently dropped."""

    honoured: frozenset[str]
    """The interfaces the component applies (to its main resource, or to the children that hold its data)."""
    reasons: Mapping[str, str]
    """For each interface it does not honour, why (what the component is, or who applies it instead)."""

    def __post_init__(self) -> None:
        unknown = sorted(self.honoured - set(INTERFACES))
        if unknown:
            raise TypeError(f"Supports: {', '.join(unknown)} is not an interface; expected {', '.join(INTERFACES)}")
        unexplained = [interface for interface in INTERFACES
                       if interface not in self.honoured and not self.reasons.get(interface)]
        if unexplained:
            raise TypeError(f"Supports: say why {', '.join(unexplained)} is not honoured (reason=...)")


def supports(*honoured: str, reason: str = "", **reasons: str) -> Supports:
    """A component's declaration: the interfaces it honours; `reason` says why the others are refused, and a
    keyword per interface (`lock="..."`) where that one has its own reason."""
    unknown = sorted(set(reasons) - set(INTERFACES))
    if unknown:
        raise TypeError(f"supports: {', '.join(unknown)} is not an interface; expected {', '.join(INTERFACES)}")
    return Supports(honoured=frozenset(honoured), reasons={
        interface: reasons.get(interface, reason) for interface in INTERFACES if interface not in honoured})


ALL_INTERFACES = supports(*INTERFACES)
"""A component that honours every interface."""


@dataclass(frozen=True, kw_only=True)
class CommonArgs:
    """The interfaces every component takes, the same way; subclass it for a component's own args, and declare
    there which interfaces the component honours (`SUPPORTS`): any other one given is an error."""

    SUPPORTS: ClassVar[Supports] = ALL_INTERFACES
    """CommonArgs itself carries every interface (for a helper that applies a chosen few to a child)."""

    tags: Mapping[str, str]
    """Tags on every taggable resource the component creates (the city's five mandatory tags at least)."""
    lock: Lock | None = None
    """No lock: the resource can be deleted by anyone with the rights."""
    role_assignments: tuple[RoleAssignment, ...] = ()
    """No role assignments: access comes only from assignments inherited from above."""
    diagnostic_settings: tuple[DiagnosticSettings, ...] = ()
    """No diagnostic settings: the resource's logs go nowhere (the policy pack flags this)."""
    private_endpoints: tuple[PrivateEndpoint, ...] = ()
    """No private endpoints: the resource is reachable only where its own network settings allow."""
    managed_identities: ManagedIdentities | None = None
    """No managed identity: the resource cannot authenticate to other Azure services as itself."""
    protect: bool = False
    """Off: `pulumi destroy` may delete the component's stateful resource; on: it is `protect`ed."""

    def __post_init__(self) -> None:
        if not isinstance(self.tags, Mapping) or not all(
                isinstance(key, str) and isinstance(value, str) for key, value in self.tags.items()):
            _fail(type(self).__name__, "tags", "expected a mapping of tag name to text, e.g. the stack's azure_tags")
        for key in ("role_assignments", "diagnostic_settings", "private_endpoints"):
            if not isinstance(getattr(self, key), tuple):
                _fail(type(self).__name__, key, f"expected a tuple, got {type(getattr(self, key)).__name__}")
        declared = type(self).SUPPORTS
        for interface in INTERFACES:  # given: anything but the default (none, empty, off)
            if interface not in declared.honoured and getattr(self, interface):
                _fail(type(self).__name__, interface,
                      f"{type(self).__name__.removesuffix('Args')} does not honour it: {declared.reasons[interface]}; "
                      f"leave {interface} unset")

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.SUPPORTS is ALL_INTERFACES and "SUPPORTS" not in cls.__dict__:
            raise TypeError(f"{cls.__name__}: declare the interfaces the component honours (SUPPORTS = "
                            "supports(...)); every interface it does not is then refused, never ignored")


class SharedInterfaces(TypedDict, total=False):
    """`CommonArgs` fields a composite hands on unchanged to several children as `**shared`: typed, so the type
    checker checks each child's args against them (a plain dict of mixed values would not be)."""

    tags: Mapping[str, str]
    lock: Lock | None
    diagnostic_settings: tuple[DiagnosticSettings, ...]
    protect: bool


# ---------------------------------------------------------------------------------------------------------------
# Applying them


@dataclass(frozen=True, kw_only=True)
class DiagnosticSupport:
    """What a resource type can send to a workspace; the component states it, its caller need not know it."""

    logs: bool = True
    metrics: bool = True


NO_DIAGNOSTICS = DiagnosticSupport(logs=False, metrics=False)


@dataclass(frozen=True)
class Interfaces:
    """The extension resources one `add_interfaces` call created, for composition and tests."""

    lock: authorization.ManagementLockByScope | None = None
    role_assignments: tuple[authorization.RoleAssignment, ...] = ()
    diagnostic_settings: tuple[monitor.DiagnosticSetting, ...] = ()
    private_endpoints: tuple[network.PrivateEndpoint, ...] = ()
    private_dns_zone_groups: tuple[network.PrivateDnsZoneGroup, ...] = ()


def create_lock(name: str, *, scope_id: pulumi.Input[str], lock: Lock, parent: pulumi.Resource) -> \
        authorization.ManagementLockByScope:
    return authorization.ManagementLockByScope(
        f"{name}-lock", scope=scope_id, level=lock.level, notes=lock.notes, lock_name=lock.name or f"{name}-lock",
        opts=pulumi.ResourceOptions(parent=parent))


def omittable_principal_type(principal_type: str | None) -> pulumi.Input[str | None]:
    """`principal_type` for azure-native's RoleAssignment, where None leaves the property out of the request.

    The SDK replaces a None `principal_type` with 'User' (ARM then refuses a workload identity:
    UnmatchedPrincipalType); an Output of None passes that None-check and serializes to no property at all, which ARM
    accepts for any kind of principal.
    """
    return pulumi.Output.from_input(None) if principal_type is None else principal_type


class _IdentityResponse(Protocol):
    @property
    def principal_id(self) -> str: ...


def system_principal_id(owner: str, identity: pulumi.Output[_IdentityResponse | None]) -> pulumi.Output[str]:
    """The principal id of the system-assigned identity `owner` asked Azure for: the `principal_id` a component
    exposes and grants roles to; a resource returned without it is an error, never a role assignment to nobody."""

    def principal(response: _IdentityResponse | None) -> str:
        if response is None or not response.principal_id:
            raise InterfaceError(f"{owner}: Azure returned the resource without its system identity; the role "
                                 "assignments to it need its principal id")
        return response.principal_id

    return identity.apply(principal)


def create_role_assignments(name: str, *, scope_id: pulumi.Input[str], assignments: Sequence[RoleAssignment],
                            parent: pulumi.Resource) -> tuple[authorization.RoleAssignment, ...]:
    created = []
    for index, assignment in enumerate(assignments):
        created.append(authorization.RoleAssignment(
            f"{name}-role-{index}", scope=scope_id, principal_id=assignment.principal_id,
            principal_type=omittable_principal_type(assignment.principal_type),
            role_definition_id=assignment.role_definition_id(scope_id),
            description=assignment.description, condition=assignment.condition,
            condition_version="2.0" if assignment.condition else None,
            opts=pulumi.ResourceOptions(parent=parent)))
    return tuple(created)


def create_diagnostic_settings(name: str, *, resource_uri: pulumi.Input[str],
                               settings: Sequence[DiagnosticSettings], support: DiagnosticSupport,
                               parent: pulumi.Resource) -> tuple[monitor.DiagnosticSetting, ...]:
    """One diagnostic setting per entry, sending what the resource supports; nothing when it supports nothing."""
    if not support.logs and not support.metrics:
        return ()
    created = []
    for index, setting in enumerate(settings):
        suffix = "diag" if len(settings) == 1 else f"diag-{index}"
        logs = [monitor.DiagnosticsLogSettingsArgs(category_group=group, enabled=True)
                for group in setting.log_category_groups] if support.logs else None
        metrics = [monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)] \
            if support.metrics and setting.metrics else None
        created.append(monitor.DiagnosticSetting(
            f"{name}-{suffix}", name=setting.name, resource_uri=resource_uri, workspace_id=setting.workspace_id,
            logs=logs, metrics=metrics,
            log_analytics_destination_type="Dedicated" if setting.dedicated_tables else None,
            opts=pulumi.ResourceOptions(parent=parent)))
    return tuple(created)


def create_storage_service_diagnostics(name: str, *, account_id: pulumi.Output[str], kind: str,
                                       settings: Sequence[DiagnosticSettings],
                                       parent: pulumi.Resource) -> tuple[monitor.DiagnosticSetting, ...]:
    """The logs of each service of a storage account of `kind` that logs reads, writes and deletes
    (core/storage_logging.py: blob, queue, table), one setting `{name}-{service}-diag` per entry; the account's own
    scope has metrics only."""
    created: tuple[monitor.DiagnosticSetting, ...] = ()
    for service in logged_services(kind) or ():
        created += create_diagnostic_settings(
            f"{name}-{service}", resource_uri=account_id.apply(partial(service_scope, service=service)),
            settings=settings, support=DiagnosticSupport(metrics=False), parent=parent)
    return created


def create_private_endpoints(name: str, *, resource_id: pulumi.Input[str], endpoints: Sequence[PrivateEndpoint],
                             default_group_id: str | None, resource_group_name: pulumi.Input[str] | None,
                             location: pulumi.Input[str] | None, tags: Mapping[str, str],
                             parent: pulumi.Resource, lock: Lock | None = None) -> \
        tuple[tuple[network.PrivateEndpoint, ...], tuple[network.PrivateDnsZoneGroup, ...]]:
    """One private endpoint per entry, registered in its DNS zones; each inherits the resource's `lock` (an
    endpoint deleted by hand cuts the resource off its network as surely as deleting the resource)."""
    endpoints_made, groups_made = [], []
    for index, endpoint in enumerate(endpoints):
        role = endpoint.name or ("pe" if len(endpoints) == 1 else f"pe-{index}")
        group_id = endpoint.group_id or default_group_id
        group_name = endpoint.resource_group_name or resource_group_name
        if group_id is None:
            _fail("PrivateEndpoint", "group_id", f"{name}: this resource has no default sub-resource; "
                                                 "set group_id (e.g. 'blob')")
        if group_name is None:
            _fail("PrivateEndpoint", "resource_group_name", f"{name}: the component has no resource group to "
                                                            "place the endpoint in; set resource_group_name")
        pe = network.PrivateEndpoint(
            f"{name}-{role}", resource_group_name=group_name, location=endpoint.location or location,
            subnet=network.SubnetArgs(id=endpoint.subnet_id),
            custom_network_interface_name=f"{name}-{role}-nic",
            private_link_service_connections=[network.PrivateLinkServiceConnectionArgs(
                name=f"{name}-{role}", private_link_service_id=resource_id, group_ids=[group_id])],
            tags=dict(tags), opts=pulumi.ResourceOptions(parent=parent))
        endpoints_made.append(pe)
        if lock is not None:
            create_lock(f"{name}-{role}", scope_id=pe.id, lock=lock, parent=pe)
        if endpoint.dns_by_policy:
            continue
        group = network.PrivateDnsZoneGroup(
            f"{name}-{role}-dns", private_dns_zone_group_name="default", private_endpoint_name=pe.name,
            resource_group_name=group_name,
            private_dns_zone_configs=[network.PrivateDnsZoneConfigArgs(name=f"zone-{zone_index}",
                                                                       private_dns_zone_id=zone_id)
                                      for zone_index, zone_id in enumerate(endpoint.private_dns_zone_ids)],
            opts=pulumi.ResourceOptions(parent=pe))
        groups_made.append(group)
    return tuple(endpoints_made), tuple(groups_made)


class WithInterfaces:
    """Mixin for a ComponentResource: `name` and `resource_id` attributes and the one way to apply the interfaces."""

    name: pulumi.Output[str]
    """The Azure name of the component's main resource."""
    resource_id: pulumi.Output[str]
    """The ARM id of the component's main resource."""
    principal_id: pulumi.Output[str]
    """The object id of the identity the component runs as, where it has one: the one name for it in every component
    (`principal_ids` where it runs several machines)."""

    @property
    def _resource(self) -> pulumi.Resource:
        """This component as its children's parent (the mixin only ever joins a `pulumi.ComponentResource`)."""
        if not isinstance(self, pulumi.Resource):
            raise TypeError(f"{type(self).__name__}: WithInterfaces is a mixin for a pulumi.ComponentResource")
        return self

    def child_options(self, args: CommonArgs, *, stateful: bool = False, **options) -> pulumi.ResourceOptions:
        """Options for a child resource: `parent=self`; `protect` from args when the resource holds state."""
        return pulumi.ResourceOptions(parent=self._resource, protect=args.protect if stateful else None, **options)

    def add_interfaces(self, name: str, *, scope_id: pulumi.Input[str], args: CommonArgs,
                       diagnostics: DiagnosticSupport = DiagnosticSupport(),
                       private_endpoint_group_id: str | None = None,
                       resource_group_name: pulumi.Input[str] | None = None,
                       location: pulumi.Input[str] | None = None) -> Interfaces:
        """Create the lock, role assignments, diagnostic settings and private endpoints of `scope_id` as children
        of this component. `diagnostics` says what the resource can send; `private_endpoint_group_id` is its
        default private-link sub-resource (None: it has no private link, and private endpoints are an error)."""
        if args.diagnostic_settings and not (diagnostics.logs or diagnostics.metrics):
            _fail(type(args).__name__, "diagnostic_settings",
                  f"{name}: this resource type has no diagnostic logs or metrics; leave diagnostic_settings empty")
        if args.private_endpoints and private_endpoint_group_id is None and \
                not all(endpoint.group_id for endpoint in args.private_endpoints):
            _fail(type(args).__name__, "private_endpoints",
                  f"{name}: this resource type has no private link; leave private_endpoints empty")
        parent = self._resource
        lock = create_lock(name, scope_id=scope_id, lock=args.lock, parent=parent) if args.lock else None
        roles = create_role_assignments(name, scope_id=scope_id, assignments=args.role_assignments, parent=parent)
        diagnostic = create_diagnostic_settings(name, resource_uri=scope_id, settings=args.diagnostic_settings,
                                                support=diagnostics, parent=parent)
        endpoints, groups = create_private_endpoints(
            name, resource_id=scope_id, endpoints=args.private_endpoints,
            default_group_id=private_endpoint_group_id, resource_group_name=resource_group_name,
            location=location, tags=args.tags, parent=parent, lock=args.lock)
        return Interfaces(lock=lock, role_assignments=roles, diagnostic_settings=diagnostic,
                          private_endpoints=endpoints, private_dns_zone_groups=groups)
