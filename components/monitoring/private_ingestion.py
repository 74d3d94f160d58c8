"""Private log ingestion: ONE Azure Monitor Private Link Scope (AMPLS) per DNS namespace with one private endpoint,
holding the environments' workspaces and data collection endpoints (`MonitorPrivateLinkScope`), and per environment
its data collection endpoint with a fixed, derivable name (`PrivateIngestion`); both access modes PrivateOnly.

Why one scope: an AMPLS endpoint writes the *global* Azure Monitor names (`api.monitor.azure.com`,
`global.handler.control.monitor.azure.com`, the agents' blob store...) into the private-link zones. Two scopes on one
set of zones overwrite each other's records (last writer wins) and PrivateOnly then refuses the other environments'
data (Microsoft, "Design your Azure Private Link setup": "create only a single AMPLS object per DNS"; hub and spoke:
"a single Private Link connection set on the hub"). With the city's connectivity hub the zones are one set, so the
scope is the city's (in the connectivity stack); an environment with its own zones has its own scope.

Why the scope's owner scopes every resource in it: an entry in the scope is a child of it, and Azure's rights on
children are scope-wide, so an environment or app stack writing its own entry would need a right that also deletes
prod's. The workspaces', DCEs' and apps' Application Insights ids are derivable (fixed names), so the owner adds them
and locks each entry ReadOnly; nobody else holds a right on the scope.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, InterfaceError, Lock, WithInterfaces, \
    create_lock, supports
from amsterdam_cloud.core.private_link import PRIVATE_LINK_ZONES

PRIVATE_LINK_SCOPE = "azure-native:monitor:PrivateLinkScope"
AMPLS_ZONES = PRIVATE_LINK_ZONES["monitor"]
"""The zones an AMPLS private endpoint registers in (Microsoft: "Azure Private Endpoint private DNS zone values",
Azure Monitor): all five, or agents resolve part of their endpoints publicly and fail."""
AMPLS_FQDNS = ("*.monitor.azure.com", "*.ods.opinsights.azure.com", "*.oms.opinsights.azure.com",
               "*.agentsvc.azure-automation.net", "*.in.applicationinsights.azure.com",
               "scadvisorcontentpl.blob.core.windows.net")
"""The names agents and Application Insights SDKs send to that the AMPLS zones answer privately (the DCE's
`*.ingest`/`*.handler.control.monitor.azure.com`, the workspace's `ods`/`oms`, the regional `in.applicationinsights`
name that CNAMEs into `privatelink.monitor.azure.com`, the agents' solution-pack store): what a firewall in front of
a scope endpoint in another network must let through (Microsoft: "Azure Monitor private link: how it works")."""


@dataclass(frozen=True, kw_only=True)
class PrivateLinkScopeRef:
    """Where an AMPLS is (the platform's `monitorPrivateLinkScope` export, for operators and tools)."""

    name: pulumi.Input[str]
    """The scope's name."""
    resource_group_name: pulumi.Input[str]
    """Its resource group."""
    subscription_id: pulumi.Input[str] | None = None
    """None: the environment's own subscription; set: another one (the connectivity subscription)."""


@dataclass(frozen=True, kw_only=True)
class ScopedResource:
    """One resource the scope holds (an environment's workspace or data collection endpoint, an app's component)."""

    name: str
    """The entry's name in the scope (`<env>-workspace`, `<env>-dce`, `<env>-appi-<app>`): unique in the scope."""
    resource_id: pulumi.Input[str]
    """The linked resource's ARM id; it must exist when the entry is created (Azure checks the link)."""


ENTRY_LOCK = Lock(level="ReadOnly", notes="An entry in the city's Azure Monitor scope: removing or changing it stops "
                                          "that resource's private ingestion. Change it through the connectivity "
                                          "stack only.")
"""Always on, not a feature switch: nothing outside the scope's stack changes an entry; the lock is on the entry,
never on the scope (which would refuse the stack's own removal of an entry). A changed link replaces the entry
delete-before-replace, so Pulumi deletes this lock first (`MonitorPrivateLinkScope`)."""


def environment_entries(environment: str, workspace_id: pulumi.Input[str],
                        endpoint_id: pulumi.Input[str]) -> tuple[ScopedResource, ScopedResource]:
    """An environment's two entries: its central workspace and its data collection endpoint."""
    return (ScopedResource(name=f"{environment}-workspace", resource_id=workspace_id),
            ScopedResource(name=f"{environment}-dce", resource_id=endpoint_id))


def app_entry(app: str, environment: str, component_id: str) -> ScopedResource:
    """An app's Application Insights component in an environment (`core.environments.app_insights_id`)."""
    return ScopedResource(name=f"{environment}-appi-{app}", resource_id=component_id)

@dataclass(frozen=True, kw_only=True)
class MonitorPrivateLinkScopeArgs(CommonArgs):
    SUPPORTS = supports("role_assignments", "private_endpoints",
                        reason="a private link scope has no logs, needs no identity and holds no state",
                        lock="a lock covers the scope's scoped resources and refuses the scope's own stack "
                             "every entry change; each entry is locked instead")
    resource_group_name: pulumi.Input[str]
    """The scope's and endpoint's resource group; the component never creates it."""
    location: str
    """The private endpoint's region (the scope itself is `global`)."""
    scope_name: str
    """A fixed name (`ampls-amsterdam`): other stacks name the scope by it without reading this stack's state."""
    open_query: bool = False
    """Off: networks behind the scope query only scoped resources (PrivateOnly); on: they may query any workspace."""
    scoped_resources: tuple[ScopedResource, ...] = ()
    """Every entry (`environment_entries`, `app_entry`), each locked ReadOnly."""

    def __post_init__(self) -> None:
        super().__post_init__()
        names = [entry.name for entry in self.scoped_resources]
        if len(set(names)) != len(names):
            raise InterfaceError(f"MonitorPrivateLinkScopeArgs.scoped_resources: entry names must be unique, got "
                                 f"{', '.join(names)}")
        if len(self.private_endpoints) != 1:
            raise InterfaceError("MonitorPrivateLinkScopeArgs.private_endpoints: expected exactly one (a second "
                                 "endpoint on the same zones rewrites the first one's records), got "
                                 f"{len(self.private_endpoints)}")
        if len(self.private_endpoints[0].private_dns_zone_ids) != len(AMPLS_ZONES):
            raise InterfaceError("MonitorPrivateLinkScopeArgs.private_endpoints: an AMPLS endpoint registers in "
                                 f"{len(AMPLS_ZONES)} zones ({', '.join(AMPLS_ZONES)}); pass all of them")


class MonitorPrivateLinkScope(WithInterfaces, pulumi.ComponentResource):
    """The scope (`resource_id`, `name`) and its one private endpoint; empty until stacks scope resources into it."""

    def __init__(self, name: str, args: MonitorPrivateLinkScopeArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:monitoring:MonitorPrivateLinkScope", name, None, opts)
        scope = monitor.PrivateLinkScope(
            f"{name}-ampls", resource_group_name=args.resource_group_name, location="global",
            scope_name=args.scope_name,
            access_mode_settings=monitor.AccessModeSettingsArgs(
                ingestion_access_mode="PrivateOnly", query_access_mode="Open" if args.open_query else "PrivateOnly"),
            tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self))
        # the scope has no diagnostics of its own; it is reached through the interface's private endpoint
        self.add_interfaces(name, scope_id=scope.id, args=args, diagnostics=NO_DIAGNOSTICS,
                            private_endpoint_group_id="azuremonitor", resource_group_name=args.resource_group_name,
                            location=args.location)
        for entry in args.scoped_resources:
            # A new link is a new entry, deleted before it is re-created: Pulumi then deletes the entry's lock (which
            # depends on it) first, where an in-place update of the locked entry would fail (ScopeLocked).
            scoped = monitor.PrivateLinkScopedResource(
                f"{name}-scoped-{entry.name}", resource_group_name=args.resource_group_name, scope_name=scope.name,
                name=entry.name, linked_resource_id=entry.resource_id, kind="Resource",
                opts=pulumi.ResourceOptions(parent=self, replace_on_changes=["linkedResourceId"],
                                            delete_before_replace=True))
            create_lock(f"{name}-scoped-{entry.name}", scope_id=scoped.id, lock=ENTRY_LOCK, parent=self)
        self.resource_id, self.name = scope.id, scope.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})


@dataclass(frozen=True, kw_only=True)
class PrivateIngestionArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments",
                        reason="a data collection endpoint has no logs, needs no identity and holds no state",
                        private_endpoints="the data collection endpoint is reached through the scope's endpoint")
    resource_group_name: pulumi.Input[str]
    """The data collection endpoint's resource group (the management one); the component never creates it."""
    location: str
    """The data collection endpoint's region (the workspace's; rules and machines use an endpoint in theirs)."""
    endpoint_name: str
    """A fixed name (`core.environments.collection_endpoint_name`): the scope's owner derives its id to scope it."""


class PrivateIngestion(WithInterfaces, pulumi.ComponentResource):
    """The environment's data collection endpoint (`endpoint_id`), public access off: reached only through the AMPLS
    that holds it (the scope's owner adds it, `environment_entries`)."""

    def __init__(self, name: str, args: PrivateIngestionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:monitoring:PrivateIngestion", name, None, opts)
        endpoint = monitor.DataCollectionEndpoint(
            f"{name}-dce", resource_group_name=args.resource_group_name, location=args.location,
            data_collection_endpoint_name=args.endpoint_name,
            description="Agents fetch their rules and send their data here, privately (through the AMPLS)",
            network_acls=monitor.DataCollectionEndpointNetworkAclsArgs(public_network_access="Disabled"),
            tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self))
        self.add_interfaces(name, scope_id=endpoint.id, args=args, diagnostics=NO_DIAGNOSTICS)
        self.resource_id, self.name = endpoint.id, endpoint.name
        self.endpoint_id = endpoint.id
        """The data collection endpoint: rules (`dataCollectionEndpointId`) and machines (an association named
        `configurationAccessEndpoint`) point at it."""
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "endpoint_id": self.endpoint_id})
