"""`App`: a compliant app from a short description. It is given the platform stack's outputs (`PlatformOutputs`,
read by the program: workspace, spoke subnets, private DNS zones, hub network) and builds the rest: a resource group,
the identity the app runs as, its Key Vault, database and storage (private, Entra-only), the container app or web
app, and, only when the app is public, the city's WAF (Front Door Premium over Private Link) in front of it.

Environment differences arrive in `spec.operations` (HA, geo-redundant backups, zone redundancy, locks,
protection); there is no branch on the environment's name here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Mapping

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import authorization, managedidentity, resources

from amsterdam_cloud.components.app_hosting.app_insights import AppInsights, AppInsightsArgs
from amsterdam_cloud.components.app_hosting.container_app import ContainerApp, ContainerAppArgs
from amsterdam_cloud.components.app_hosting.container_apps_environment import ContainerAppsEnvironment, \
    ContainerAppsEnvironmentArgs
from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosNoSql, CosmosNoSqlArgs
from amsterdam_cloud.components.app_hosting.function_app import FunctionApps, FunctionAppsArgs
from amsterdam_cloud.components.app_hosting.service_bus import ServiceBus, ServiceBusArgs
from amsterdam_cloud.components.app_hosting.public_entrance import FrontDoorRef, PublicEntrance, PublicEntranceArgs
from amsterdam_cloud.components.app_hosting.mysql import MySqlServer, MySqlServerArgs
from amsterdam_cloud.components.app_hosting.flexible_server import EntraAdministrator, app_role_script
from amsterdam_cloud.components.app_hosting.postgres import PostgresServer, PostgresServerArgs
from amsterdam_cloud.components.app_hosting.spec import AppSpec, VendedSubscription
from amsterdam_cloud.components.app_hosting.storage import StorageAccount, StorageAccountArgs
from amsterdam_cloud.components.app_hosting.web_app import WebApp, WebAppArgs
from amsterdam_cloud.components.compute.virtual_machine import VaultRef, VirtualMachine, VirtualMachineArgs, \
    VmBackupRef
from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, DiagnosticSettings, InterfaceError, \
    Lock, PrivateEndpoint, RoleAssignment, SharedInterfaces, WithInterfaces, create_role_assignments, supports
from amsterdam_cloud.components.monitoring.alerts import FLEXIBLE_SERVER, MetricAlerts, MetricAlertsArgs
from amsterdam_cloud.components.security.container_registry import REGISTRY_WIDE_PULL_REASON
from amsterdam_cloud.components.security.key_vault import KeyVault, KeyVaultArgs
from amsterdam_cloud.core.environments import app_insights_name, app_resource_group, \
    container_apps_infrastructure_group
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.platform_outputs import PlatformOutputs
from amsterdam_cloud.core.private_link import zone

ZONES = {sub_resource: zone(sub_resource) for sub_resource in ("vault", "postgres", "mysql", "sites", "blob", "dfs",
                                                          "file", "queue", "table", "cosmos", "servicebus")}
"""The platform's private DNS zone for each private-link sub-resource an app uses."""

SUBNETS = {"container": "containers", "web": "appservice", "vm": "vms", "endpoints": "endpoints",
           "flex": "containers", "premium": "appservice"}
"""The spoke subnets an app uses: its runtime's (delegated) subnet and the private endpoints' subnet (function
apps by plan: Flex Consumption integrates with a Microsoft.App/environments subnet, Elastic Premium with a
Microsoft.Web/serverFarms one)."""
FUNCTION_HOST_ROLES = ("Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor")
"""What the Functions host does in its storage with the app's identity (leases, deployment packages, queues of
blob triggers, timer and orchestration state), as Microsoft lists for an identity-based AzureWebJobsStorage."""

MAX_NAME_WITH_VAULT = 7
"""The Key Vault is auto-named `<name>-kv-vault` plus 8 characters, and Azure allows 24: App's name is short."""


def global_suffix(spec: AppSpec) -> str:
    """Six hex characters that make the app's globally unique names (storage, web app) its own, stably."""
    return hashlib.sha256(f"{spec.platform_stack}/{spec.name}".encode()).hexdigest()[:6]


@dataclass(frozen=True, kw_only=True)
class AppArgs(CommonArgs):
    """The interfaces apply to the app's resource group (e.g. the team's group as Reader); the data services get
    their locks, protection and diagnostics from `spec.operations` and the platform's workspace."""
    SUPPORTS = supports("lock", "role_assignments",
                        reason="they apply to the app's resource group; its data services take diagnostics, locks and "
                               "protection from spec.operations and the platform, and the app runs as the identity it "
                               "creates")

    spec: AppSpec
    """What the app team says about the app (from the app stack config)."""
    platform: PlatformOutputs
    """The outputs of the platform stack `spec.platform_stack`, as the program read them (`PlatformOutputs.read`)."""
    tenant_id: str
    """The Entra ID tenant of the vault and the database (the program passes the deploying identity's)."""
    landing_zone: LandingZoneOutputs | None = None
    """None: the app runs on the platform; else its team's landing zone (`spec.landing_zone`), as the program read
    it (`LandingZoneOutputs.read`)."""
    deploying_subscription_id: pulumi.Input[str] | None = None
    """The subscription the app deploys into (its provider's: the program passes the deploying identity's). On the
    platform it must be the platform's, where the connectivity stack scopes the app's telemetry; None: unchecked."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if (self.spec.landing_zone is None) != (self.landing_zone is None):
            raise InterfaceError("AppArgs.landing_zone: give the landing zone's outputs exactly when app:landingZone "
                                 "is set (`LandingZoneOutputs.read(spec.landing_zone, <deploying subscription>)`)")

    @classmethod
    def of(cls, spec: AppSpec, **options: Any) -> "AppArgs":
        """Args for `spec`, with its tags (the city's mandatory five, plus the algorithm register id)."""
        return cls(tags=spec.tags(), spec=spec, **options)


class LandingZoneOutputs:
    """The team's landing zone (`landingZones.<team>` of the environment's landing zones stack) as the program read
    it: the vended subscription an app runs in, its subnets, Container Apps environment, pull identity and alerts."""

    def __init__(self, reference: pulumi.StackReference, vended: VendedSubscription,
                 deploying_subscription_id: pulumi.Input[str]) -> None:
        self.reference, self.vended = reference, vended
        self.subscription_id = pulumi.Output.all(self.pick("subscriptionId"), deploying_subscription_id).apply(
            lambda ids: self._same(*ids))
        """The zone's subscription, checked to be the one the app deploys into (its provider's)."""

    @classmethod
    def read(cls, vended: VendedSubscription, deploying_subscription_id: pulumi.Input[str],
             opts: pulumi.ResourceOptions | None = None) -> "LandingZoneOutputs":
        """The landing zones stack's outputs for `vended.team` (the program reads them; `App` reads nothing)."""
        return cls(pulumi.StackReference(vended.stack, opts=opts), vended, deploying_subscription_id)

    def pick(self, *path: str) -> pulumi.Output[Any]:
        team, stack = self.vended.team, self.vended.stack

        def walk(value: Any) -> Any:
            for key in (team, *path):
                if not isinstance(value, Mapping) or key not in value:
                    known = ", ".join(sorted(value)) if isinstance(value, Mapping) else "nothing"
                    raise UserError(f"landing zones stack {stack}: output landingZones has no "
                                    f"{'.'.join((team, *path))} (it has {known}); vend the team first "
                                    f"(`cityctl vend {team}`) or check app:landingZone")
                value = value[key]
            return value

        return self.reference.require_output("landingZones").apply(walk)

    def _same(self, vended: str, deploying: str) -> str:
        if vended != deploying:
            raise UserError(f"app:landingZone {self.vended.team}: its subscription is {vended}, but the app deploys "
                            f"into {deploying}; set azure-native:subscriptionId: {vended} (`cityctl vend "
                            f"{self.vended.team} --app-dir <app> --plans-dir <plans>`)")
        return vended


def platform_subscription(platform: PlatformOutputs, deploying_subscription_id: pulumi.Input[str],
                          environment: str) -> pulumi.Output[str]:
    """The platform's subscription (its central workspace's), checked to be the one an app without a landing zone
    deploys into: the connectivity stack scopes that app's Application Insights there (`core.environments`)."""

    def same(ids: list[str]) -> str:
        workspace_id, deploying = ids
        parts = workspace_id.split("/") if isinstance(workspace_id, str) else []
        platform = parts[2] if len(parts) > 2 and parts[1].lower() == "subscriptions" else None
        if platform is None:
            raise UserError(f"platform stack: output workspaceId {workspace_id!r} is not an ARM id; re-plan the "
                            "platform stack")
        if platform.lower() != str(deploying).lower():
            raise UserError(f"azure-native:subscriptionId: the app deploys into {deploying}, but the {environment} "
                            f"platform's subscription is {platform}, where the connectivity stack scopes the app's "
                            f"telemetry; set azure-native:subscriptionId: {platform} in the stack's Pulumi.<stack>.yaml "
                            "(or app:landingZone, for a vended subscription)")
        return platform

    return pulumi.Output.all(platform.workspace_id, deploying_subscription_id).apply(same)


class _Platform:
    """The platform stack's outputs as an app uses them, each lookup failing with a clear message; with a landing
    zone, the network parts, the Container Apps environment and alerts are the zone's."""

    def __init__(self, outputs: PlatformOutputs, spec: AppSpec, zone: LandingZoneOutputs | None = None) -> None:
        self.outputs, self.spec, self.landing_zone = outputs, spec, zone

    def _pick(self, output: pulumi.Input[Mapping[str, Any]], name: str, *path: str) -> pulumi.Output[str]:
        stack = self.spec.platform_stack

        def walk(value: Any) -> str:
            for key in path:
                if not isinstance(value, Mapping) or key not in value:
                    known = ", ".join(sorted(value)) if isinstance(value, Mapping) else "nothing"
                    raise UserError(f"platform stack {stack}: output {name} has no {'.'.join(path)} "
                                    f"(it has {known}); check app:app.spoke or the platform's config")
                value = value[key]
            return value

        return pulumi.Output.from_input(output).apply(walk)

    def subnet(self, role: str) -> pulumi.Output[str]:
        if self.landing_zone:
            return self.landing_zone.pick("subnetIds", SUBNETS[role])
        name = self.spec.runtime_subnet if role != "endpoints" and self.spec.runtime_subnet else SUBNETS[role]
        return self._pick(self.outputs.spoke_subnet_ids, "spokeSubnetIds", self.spec.spoke, name)

    def zone(self, sub_resource: str) -> pulumi.Output[str]:
        return self._pick(self.outputs.private_dns_zone_ids, "privateDnsZoneIds", ZONES[sub_resource])

    @property
    def workspace_id(self) -> pulumi.Output[str]:
        return pulumi.Output.from_input(self.outputs.workspace_id)

    @property
    def action_group_id(self) -> pulumi.Output[str]:
        if self.landing_zone:
            return self.landing_zone.pick("actionGroupId")
        return pulumi.Output.from_input(self.outputs.action_group_id)

    def shared_environment_id(self) -> pulumi.Output[str]:
        """The shared Container Apps environment (the platform's, or the landing zone's in a vended subscription),
        checked to offer the app's workload profile."""
        profile = self.spec.workload_profile
        stack = (f"landing zones stack {self.landing_zone.vended.stack}" if self.landing_zone
                 else f"platform stack {self.spec.platform_stack}")

        def offered(environment: Mapping[str, Any]) -> str:
            if profile not in environment.get("workloadProfiles", ()):
                raise UserError(f"{stack}: its Container Apps environment has no workload profile "
                                f"{profile!r} (it has {', '.join(environment.get('workloadProfiles', ()))}); set "
                                "app:app.workloadProfile to one of them")
            return environment["id"]

        environment = self.landing_zone.pick("containerAppsEnvironment") if self.landing_zone else \
            pulumi.Output.from_input(self.outputs.container_apps_environment)
        return environment.apply(offered)

    def front_door(self) -> FrontDoorRef:
        """The platform's Front Door profile, WAF policy and certificate vault (its `frontDoor` export)."""
        return FrontDoorRef(**{field: self._pick(self.outputs.front_door, "frontDoor", key) for field, key in (
            ("profile_name", "profileName"), ("resource_group_name", "resourceGroupName"),
            ("waf_policy_id", "wafPolicyId"), ("certificate_vault_id", "certificateVaultId"))})

    def vm_backup(self, provider: pulumi.ProviderResource) -> VmBackupRef:
        """The platform's VM backup vault and enhanced policy (its `vmOperations` export), every VM enrols in
        through `provider` (of the vault's subscription); checked to be in the app's region, as Azure Backup
        protects only VMs of the vault's own region."""
        stack, location = self.spec.platform_stack, self.spec.location

        def same_region(values: list[Any]) -> str:
            if values[0] != location:
                raise UserError(f"platform stack {stack}: its VM backup vault is in {values[0]}, and Azure Backup "
                                "protects only VMs of the vault's region; set app:app.location and "
                                f"azure-native:location to {values[0]}")
            return values[1]

        operations, output = self.outputs.vm_operations, "vmOperations"
        return VmBackupRef(vault_name=self._pick(operations, output, "vaultName"),
                           resource_group_name=self._pick(operations, output, "resourceGroupName"),
                           policy_id=pulumi.Output.all(self.outputs.location, self._pick(
                               operations, output, "backupPolicyId")).apply(same_region),
                           provider=provider)

    @property
    def vm_subscription(self) -> pulumi.Output[str]:
        """The subscription of the platform's VM backup vault."""
        return self._pick(self.outputs.vm_operations, "vmOperations", "subscriptionId")

    def vm_monitoring(self) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """The platform's data collection rule and endpoint (its `vmOperations` export) the VMs' agent reports to."""
        operations, output = self.outputs.vm_operations, "vmOperations"
        return (self._pick(operations, output, "dataCollectionRuleId"),
                self._pick(operations, output, "dataCollectionEndpointId"))

    @property
    def hub_network_id(self) -> pulumi.Output[str]:
        return pulumi.Output.from_input(self.outputs.hub_virtual_network_id)

    @property
    def registry_id(self) -> pulumi.Output[str]:
        return pulumi.Output.from_input(self.outputs.container_registry_id)

    def registry_server(self) -> pulumi.Output[str]:
        """The platform's login server, checked against the one the app's image names (derived from the
        environment by the loader and the migration)."""
        expected = self.spec.registry_server

        def same(server: str) -> str:
            if server != expected:
                raise UserError(f"platform stack {self.spec.platform_stack}: its registry is {server}, but the "
                                f"app's image comes from {expected}; use {server}/<repository>:<tag>, or set "
                                "app:app.registry to a registry the platform team grants AcrPull on")
            return server

        return pulumi.Output.from_input(self.outputs.container_registry_login_server).apply(same)


class App(WithInterfaces, pulumi.ComponentResource):
    """The app and everything it needs; `url` is where its users reach it (the WAF's host name when public)."""

    def __init__(self, name: str, args: AppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        spec, ops = args.spec, args.spec.operations
        if (spec.data.postgres or spec.data.mysql) and spec.database_admin_group is None:
            raise InterfaceError(f"App {name!r}: app:app.databaseAdminGroup is unset; a database's Entra administrator "
                                 "is the team's group, never the app: set {displayName: <the team's Entra group>, "
                                 "objectId: <its object id>} in the app's stack file")
        if spec.data.key_vault and len(name) > MAX_NAME_WITH_VAULT:
            raise InterfaceError(f"App name {name!r}: its Key Vault's generated name would exceed Azure's 24 "
                                 f"characters; use at most {MAX_NAME_WITH_VAULT} characters, e.g. 'app'")
        super().__init__("amsterdam:apphosting:App", name, None, opts)
        suffix = global_suffix(spec)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        zone = args.landing_zone
        platform = _Platform(args.platform, spec, zone)
        tenant_id = args.tenant_id
        self.subscription_id = zone.subscription_id if zone else None if args.deploying_subscription_id is None \
            else platform_subscription(args.platform, args.deploying_subscription_id, spec.environment)
        """The subscription the app runs in: the vended one or the platform's, checked against its provider's (None
        when the program passed no deploying subscription)."""
        common = SharedInterfaces(
            tags=tags, diagnostic_settings=(DiagnosticSettings(workspace_id=platform.workspace_id),),
            lock=Lock(notes=f"Data of {spec.name}; remove through the app stack's config, never by hand.")
            if ops.lock else None, protect=ops.protect)
        endpoints_subnet = platform.subnet("endpoints")

        def private_endpoint(sub_resource: str, group_id: str | None = None) -> PrivateEndpoint:
            if zone:  # the landing zones' DINE policy writes the zone group: the team has no rights on hub zones
                return PrivateEndpoint(subnet_id=endpoints_subnet, private_dns_zone_ids=(), group_id=group_id,
                                       dns_by_policy=True)
            return PrivateEndpoint(subnet_id=endpoints_subnet, private_dns_zone_ids=(platform.zone(sub_resource),),
                                   group_id=group_id)

        group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=app_resource_group(spec.name, spec.environment), location=spec.location,
            tags=tags, opts=child)
        self.add_interfaces(name, scope_id=group.id, args=args, diagnostics=NO_DIAGNOSTICS)
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity", resource_group_name=group.name, location=spec.location,
            resource_name_=f"id-{spec.name}-{spec.environment}", tags=tags, opts=child)

        # The app pulls its image from the platform's registry with its identity (in a landing zone: with the zone's
        # pull identity, which the vending granted AcrPull).
        self.registry_pull: tuple[authorization.RoleAssignment, ...] = ()
        if spec.runtime == "container" and spec.registry is None and zone is None:
            self.registry_pull = create_role_assignments(
                f"{name}-acr", scope_id=pulumi.Output.all(platform.registry_id, platform.registry_server()).apply(
                    lambda values: values[0]),
                assignments=(RoleAssignment(role="AcrPull", principal_id=identity.principal_id,
                                            description=f"{spec.name} pulls its image; {REGISTRY_WIDE_PULL_REASON}"),),
                parent=self)

        self.vault: KeyVault | None = None
        if spec.data.key_vault:
            self.vault = KeyVault(f"{name}-kv", KeyVaultArgs(
                **common, resource_group_name=group.name, location=spec.location, tenant_id=tenant_id,
                private_endpoints=(private_endpoint("vault"),),
                role_assignments=(RoleAssignment(role="Key Vault Secrets User", principal_id=identity.principal_id,
                                                 description=f"{spec.name} reads its secrets"),)), opts=child)
        # The team's group administers the databases; the app logs in with its own role (`database_role_scripts`).
        group_admin = spec.database_admin_group
        admin = EntraAdministrator(object_id=group_admin.object_id, principal_name=group_admin.display_name,
                                   principal_type="Group") if group_admin else None
        self.database: PostgresServer | None = None
        if spec.data.postgres:
            assert admin is not None  # refused above: a database needs the team's admin group
            database = spec.data.postgres
            self.database = PostgresServer(f"{name}-pg", PostgresServerArgs(
                **common, resource_group_name=group.name, location=spec.location, tenant_id=tenant_id,
                server_name=f"psql-{spec.name}-{spec.environment}", sku=database.sku,
                storage_gb=database.storage_gb, version=database.version,
                high_availability=ops.high_availability, geo_redundant_backup=ops.geo_redundant_backup,
                backup_retention_days=ops.backup_retention_days, databases=(spec.name.replace("-", "_"),),
                administrators=(admin,),
                private_endpoints=(private_endpoint("postgres"),)), opts=child)
        self.mysql: MySqlServer | None = None
        self.mysql_graph_identity: managedidentity.UserAssignedIdentity | None = None
        if spec.data.mysql:
            assert admin is not None  # refused above: a database needs the team's admin group
            mysql = spec.data.mysql
            # the server looks Entra principals up with its own identity (Graph read, granted by an Entra admin)
            self.mysql_graph_identity = managedidentity.UserAssignedIdentity(
                f"{name}-mysql-identity", resource_group_name=group.name, location=spec.location,
                resource_name_=f"id-{spec.name}-mysql-{spec.environment}", tags=tags, opts=child)
            self.mysql = MySqlServer(f"{name}-mysql", MySqlServerArgs(
                **common, resource_group_name=group.name, location=spec.location, tenant_id=tenant_id,
                server_name=f"mysql-{spec.name}-{spec.environment}", sku=mysql.sku,
                storage_gb=mysql.storage_gb, version=mysql.version,
                high_availability=ops.high_availability, geo_redundant_backup=ops.geo_redundant_backup,
                backup_retention_days=ops.backup_retention_days, databases=(spec.name.replace("-", "_"),),
                administrator=admin,
                graph_identity_id=self.mysql_graph_identity.id,
                private_endpoints=(private_endpoint("mysql"),)), opts=child)
        self.storage: StorageAccount | None = None
        self.function_storage: StorageAccount | None = None
        if spec.data.storage:
            self.storage = StorageAccount(f"{name}-st", StorageAccountArgs(
                **common, resource_group_name=group.name, location=spec.location,
                account_name=f"st{spec.name.replace('-', '')[:12]}{spec.environment}{suffix}",
                sku="Standard_GZRS" if ops.geo_redundant_backup else "Standard_ZRS",
                hierarchical_namespace="dfs" in spec.data.storage_sub_resources,
                private_endpoints=tuple(private_endpoint(sub, group_id=sub)
                                        for sub in spec.data.storage_sub_resources),
                role_assignments=(RoleAssignment(role="Storage Blob Data Contributor",
                                                 principal_id=identity.principal_id,
                                                 description=f"{spec.name} reads and writes its blobs"),)),
                opts=child)

        self.cosmos: CosmosNoSql | None = None
        if spec.data.cosmos:
            self.cosmos = CosmosNoSql(f"{name}-cosmos", CosmosNoSqlArgs(
                **common, resource_group_name=group.name, location=spec.location,
                account_name=f"cosmos-{spec.name}-{spec.environment}-{suffix}", database_name=spec.name,
                containers=spec.data.cosmos, data_principal_id=identity.principal_id,
                zone_redundant=ops.zone_redundant, backup_days=30 if ops.geo_redundant_backup else 7,
                private_endpoints=(private_endpoint("cosmos"),)), opts=child)
        self.service_bus: ServiceBus | None = None
        if spec.data.service_bus_queues:
            self.service_bus = ServiceBus(f"{name}-sb", ServiceBusArgs(
                **common, resource_group_name=group.name, location=spec.location,
                namespace_name=f"sb-{spec.name}-{spec.environment}-{suffix}", queues=spec.data.service_bus_queues,
                private_endpoints=(private_endpoint("servicebus"),),
                role_assignments=tuple(RoleAssignment(role=role, principal_id=identity.principal_id,
                                                      description=f"{spec.name} sends and receives messages")
                                       for role in ("Azure Service Bus Data Sender",
                                                    "Azure Service Bus Data Receiver"))), opts=child)
        def role_script(engine: str) -> pulumi.Output[str]:
            return pulumi.Output.all(identity.name, identity.principal_id, identity.client_id).apply(
                lambda ids: app_role_script(engine, role=ids[0], object_id=ids[1], client_id=ids[2],
                                            database=spec.name.replace("-", "_")))

        self.database_role_scripts: dict[str, pulumi.Output[str]] = {
            engine: role_script(engine)
            for engine, server in (("postgres", self.database), ("mysql", self.mysql)) if server}
        """Per database engine, the SQL the admin group runs once to give the app its least-privilege login."""

        # baseline alerts on each database (CPU, storage) go to the platform's action group
        for role, database_server in (("pg", self.database), ("mysql", self.mysql)):
            if database_server:
                MetricAlerts(f"{name}-{role}-alerts", MetricAlertsArgs(
                    tags=tags, resource_group_name=group.name, target_id=database_server.resource_id,
                    thresholds=FLEXIBLE_SERVER, action_group_id=platform.action_group_id), opts=child)

        # the platform's settings; the app's own (spec.settings, copied from the source) come first and yield to these
        settings: dict[str, pulumi.Input[str]] = {}
        # telemetry: workspace-based Application Insights, sent with the app's identity (local auth is off); the
        # connectivity stack scopes it into the city's Azure Monitor scope by its derived id (`apps` there)
        self.insights: AppInsights | None = None
        if spec.runtime != "vm":
            self.insights = AppInsights(f"{name}-appi", AppInsightsArgs(
                tags=tags, resource_group_name=group.name, location=spec.location,
                workspace_id=platform.workspace_id, component_name=app_insights_name(spec.name, spec.environment),
                role_assignments=(RoleAssignment(role="Monitoring Metrics Publisher",
                                                 principal_id=identity.principal_id,
                                                 description=f"{spec.name} sends its telemetry by identity"),)),
                opts=child)
            settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = self.insights.connection_string
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = identity.client_id.apply(
                lambda client_id: f"Authorization=AAD;ClientId={client_id}")
        if self.vault:
            settings["KEY_VAULT_URI"] = self.vault.vault_uri
        # DATABASE_* name the app's database (PostgreSQL when it has both; then MySQL's are MYSQL_*)
        for prefix, database_server in (("DATABASE", self.database or self.mysql),
                                        ("MYSQL", self.mysql if self.database else None)):
            if database_server:
                settings[f"{prefix}_HOST"] = database_server.fqdn
                settings[f"{prefix}_NAME"] = spec.name.replace("-", "_")
                settings[f"{prefix}_USER"] = identity.name
        if self.storage:
            settings["STORAGE_BLOB_ENDPOINT"] = self.storage.blob_endpoint
        # identity-based connections as the Azure SDKs and Functions trigger bindings read them (no keys)
        for connection, key, endpoint in (
                ("CosmosDbConnection", "accountEndpoint", self.cosmos.endpoint if self.cosmos else None),
                ("ServiceBusConnection", "fullyQualifiedNamespace",
                 self.service_bus.host_name if self.service_bus else None)):
            if endpoint is not None:
                settings.update({f"{connection}__{key}": endpoint, f"{connection}__credential": "managedidentity",
                                 f"{connection}__clientId": identity.client_id})
        if self.cosmos:
            settings["COSMOS_DATABASE"] = spec.name
        hosting = SharedInterfaces(tags=tags, diagnostic_settings=common["diagnostic_settings"])
        # the app starts only once its identity can read its secrets and data (role assignments included)
        data_ready = tuple(part for part in (self.vault, self.database, self.mysql, self.storage, self.cosmos,
                                             self.service_bus)
                           if part is not None) + \
            self.registry_pull
        min_replicas = max(spec.min_replicas, ops.min_replicas or 0)
        runtime: ContainerApp | WebApp | VirtualMachine | FunctionApps
        if spec.runtime == "container":
            # the shared environment (the platform's; in a landing zone the team's), unless the app names a subnet
            # of its own for one
            environment_id = platform.shared_environment_id() if spec.runtime_subnet is None else \
                ContainerAppsEnvironment(f"{name}-cae", ContainerAppsEnvironmentArgs(
                    **hosting, resource_group_name=group.name, location=spec.location,
                    environment_name=f"cae-{spec.name}",
                    infrastructure_resource_group=container_apps_infrastructure_group(spec.environment, spec.name),
                    infrastructure_subnet_id=platform.subnet("container"),
                    zone_redundant=ops.zone_redundant,
                    dns_virtual_network_ids=(platform.hub_network_id,)), opts=child).resource_id
            runtime = ContainerApp(f"{name}-ca", ContainerAppArgs(
                **hosting, resource_group_name=group.name, location=spec.location,
                workload_profile_name=spec.workload_profile,
                app_name=f"ca-{spec.name}", environment_id=environment_id, image=spec.image or "",
                registry_server=spec.registry_server,
                registry_identity_id=zone.pick("registryPullIdentityId") if zone else None,
                identity_id=identity.id, identity_client_id=identity.client_id, port=spec.port,
                ingress_scope="network", min_replicas=min_replicas,
                max_replicas=max(spec.max_replicas, min_replicas), health_path=spec.health_path,
                key_vault_uri=self.vault.vault_uri if self.vault else None, secrets=spec.secrets,
                cpu=spec.cpu, environment_variables={**spec.settings, **settings, "PORT": str(spec.port)},
                start_after=data_ready), opts=child)
            private_host, link_target, link_group = runtime.fqdn, environment_id, "managedEnvironments"
        elif spec.runtime == "vm":
            if spec.vm is None or self.vault is None or spec.exposure == "public":
                raise InterfaceError("App: runtime vm needs spec.vm, data.key_vault (the VMs' break-glass passwords) "
                                     "and exposure internal (a VM is never behind the app's WAF entrance)")
            vm = spec.vm
            rule_id, endpoint_id = platform.vm_monitoring()
            # the protected item lives under the platform's vault, so it is created in the vault's subscription
            vault_provider = azure_native.Provider(f"{name}-backup-provider", subscription_id=platform.vm_subscription,
                                                   opts=child)
            runtime = VirtualMachine(f"{name}-vm", VirtualMachineArgs(
                tags=tags, resource_group_name=group.name, location=spec.location,
                name_prefix=spec.name[:12].rstrip("-"), size=vm.size, os=vm.os, ssh_public_key=vm.ssh_public_key,
                count=vm.count,
                os_disk_gb=vm.os_disk_gb, data_disks_gb=vm.data_disks_gb, subnet_id=platform.subnet("vm"),
                password_vault=VaultRef(name=self.vault.name, resource_group_name=group.name),
                identity_ids=(identity.id,), zones=("1", "2", "3") if ops.zone_redundant else (),
                backup=platform.vm_backup(vault_provider), data_collection_rule_id=rule_id, data_collection_endpoint_id=endpoint_id),
                opts=child.merge(pulumi.ResourceOptions(depends_on=list(data_ready))))
            private_host = pulumi.Output.from_input(runtime.computer_names[0])
            link_target, link_group = runtime.resource_id, ""
        elif spec.runtime == "function":
            if spec.functions is None:
                raise InterfaceError("App: runtime function needs spec.functions (the function groups)")
            shape = spec.functions
            # the Functions host's own storage (not the app's data): reached with the identity, no shared key
            self.function_storage = StorageAccount(f"{name}-fnst", StorageAccountArgs(
                **common, resource_group_name=group.name, location=spec.location,
                account_name=f"fn{spec.name.replace('-', '')[:12]}{spec.environment}{suffix}",
                sku="Standard_ZRS", private_endpoints=tuple(private_endpoint(sub, group_id=sub)
                                                            for sub in ("blob", "queue", "table")),
                role_assignments=tuple(RoleAssignment(role=role, principal_id=identity.principal_id,
                                                      description=f"{spec.name}'s Functions host")
                                       for role in FUNCTION_HOST_ROLES)), opts=child)
            runtime = FunctionApps(f"{name}-func", FunctionAppsArgs(
                **hosting, resource_group_name=group.name, location=spec.location, groups=shape.groups,
                site_name_prefix=f"func-{spec.name}-{spec.environment}-{suffix}", plan=shape.plan,
                integration_subnet_id=platform.subnet(shape.plan), identity_id=identity.id,
                identity_client_id=identity.client_id, storage_account_name=self.function_storage.name,
                # Flex: one replica is Lambda's scale to zero; more are always-ready instances
                minimum_instances=min_replicas if shape.plan == "premium" or min_replicas > 1 else 0,
                maximum_instances=100 if shape.plan == "flex" else max(spec.max_replicas, min_replicas),
                zone_redundant=ops.zone_redundant, key_vault_uri=self.vault.vault_uri if self.vault else None,
                secrets=spec.secrets, private_endpoints=(private_endpoint("sites"),),
                app_settings={**spec.settings, **settings},
                start_after=data_ready + (self.function_storage,)), opts=child)
            # the WAF entrance has one origin: the first group with an HTTP trigger (else the first group)
            front = next((g.name for g in shape.groups if "http" in g.triggers), shape.groups[0].name)
            private_host, link_target, link_group = (runtime.default_host_names[front], runtime.apps[front].id,
                                                     "sites")
        else:
            runtime = WebApp(f"{name}-web", WebAppArgs(
                **hosting, resource_group_name=group.name, location=spec.location, runtime_stack=spec.stack or "",
                site_name=f"app-{spec.name}-{spec.environment}-{suffix}",
                integration_subnet_id=platform.subnet("web"), identity_id=identity.id,
                zone_redundant=ops.zone_redundant, instances=max(min_replicas, 3 if ops.zone_redundant else 1),
                health_path=spec.health_path, key_vault_uri=self.vault.vault_uri if self.vault else None,
                secrets=spec.secrets, private_endpoints=(private_endpoint("sites"),),
                app_settings={**spec.settings, **settings, "AZURE_CLIENT_ID": identity.client_id,
                              "WEBSITES_PORT": str(spec.port)}, start_after=data_ready), opts=child)
            private_host, link_target, link_group = runtime.default_host_name, runtime.resource_id, "sites"

        self.entrance: PublicEntrance | None = None
        if spec.exposure == "public":
            self.entrance = PublicEntrance(f"{name}-waf", PublicEntranceArgs(
                tags=tags, front_door=platform.front_door(), endpoint_name=f"{spec.name}-{spec.environment}",
                origin_host_name=private_host, private_link_resource_id=link_target,
                private_link_group_id=link_group, private_link_location=spec.location,
                health_probe_path=spec.health_path, custom_domain=spec.custom_domain), opts=child)

        self.runtime = runtime
        self.resource_id = runtime.resource_id
        self.name = pulumi.Output.from_input(runtime.computer_names[0]) if isinstance(runtime, VirtualMachine) \
            else runtime.name
        self.resource_group_name = group.name
        self.identity_client_id = identity.client_id
        self.principal_id = identity.principal_id
        self.private_host_name = private_host
        self.url = (self.entrance.host_name if self.entrance else private_host).apply(
            lambda host: f"https://{host}" if host and spec.runtime != "vm" else None)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "url": self.url,
                               "resource_group_name": self.resource_group_name})

    def exports(self) -> dict[str, pulumi.Input[Any]]:
        """What an app stack exports (what the team and its pipeline need)."""
        outputs: dict[str, pulumi.Input[Any]] = {
            "resourceGroupName": self.resource_group_name, "appName": self.name, "appId": self.resource_id,
            "url": self.url, "privateHostName": self.private_host_name,
            "identityClientId": self.identity_client_id, "identityPrincipalId": self.principal_id}
        if self.vault:
            outputs["keyVaultUri"] = self.vault.vault_uri
        database = self.database or self.mysql
        if database:
            outputs["databaseHost"] = database.fqdn
        if self.mysql and self.mysql_graph_identity:
            outputs["mysqlHost"] = self.mysql.fqdn
            outputs["mysqlGraphIdentityPrincipalId"] = self.mysql_graph_identity.principal_id
        if self.storage:
            outputs["storageBlobEndpoint"] = self.storage.blob_endpoint
        if self.cosmos:
            outputs["cosmosEndpoint"] = self.cosmos.endpoint
        if self.service_bus:
            outputs["serviceBusHostName"] = self.service_bus.host_name
        if self.database_role_scripts:
            outputs["databaseRoleScripts"] = self.database_role_scripts
        if self.insights:
            outputs["applicationInsightsId"] = self.insights.resource_id
        if self.subscription_id is not None:
            outputs["subscriptionId"] = self.subscription_id
        if self.entrance:
            outputs["wafPolicyId"] = self.entrance.waf_policy_id
            if self.entrance.custom_domain_validation is not None:
                outputs["customDomainValidationToken"] = self.entrance.custom_domain_validation
        return outputs
