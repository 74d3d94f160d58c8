"""A Cosmos DB for NoSQL account for an app (where DynamoDB tables move): Entra ID only (no keys, no key-based
metadata writes), no public network access (a private endpoint), TLS 1.2, continuous backup, one database with
autoscale throughput and a container per table, and the app's identity as Built-in Data Contributor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cosmosdb

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces, \
    require_name, supports

ACCOUNT = "azure-native:cosmosdb:DatabaseAccount"
CHILD = "azure-native:cosmosdb:SqlResourceSqlContainer"
DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002"
"""Cosmos DB Built-in Data Contributor (a data-plane role definition, the same in every account)."""


@dataclass(frozen=True, kw_only=True)
class CosmosContainer:
    """One container (a DynamoDB table's counterpart)."""

    name: str
    """The container's name (1-255 letters, digits, `_ . -`, as DynamoDB table names are; `core/naming.py`)."""
    partition_key: str = "/id"
    """The partition key path (a DynamoDB table's hash key: `/<attribute>`)."""


@dataclass(frozen=True, kw_only=True)
class CosmosNoSqlArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the account needs no identity of its own: the app's identity is granted data access")
    resource_group_name: pulumi.Input[str]
    """The account's resource group; the component never creates it."""
    location: str
    """The account's one region (an EU region; no replicas elsewhere)."""
    account_name: str
    """Globally unique, 3-44 lower-case letters, digits and hyphens."""
    database_name: str
    """The one SQL database the containers live in."""
    containers: tuple[CosmosContainer, ...]
    """At least one container."""
    data_principal_id: pulumi.Input[str]
    """The identity that reads and writes the data (Built-in Data Contributor on the account)."""
    max_throughput: int = 1000
    """Autoscale maximum RU/s of the database, shared by its containers (it scales down to a tenth)."""
    zone_redundant: bool = False
    """Off: one zone; on: the region's zones."""
    backup_days: int = 7
    """Continuous backup window: 7 or 30 days of point-in-time restore."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name(ACCOUNT, self.account_name, "CosmosNoSqlArgs.account_name")
        if not self.containers:
            raise InterfaceError("CosmosNoSqlArgs.containers: empty; expected at least one container")
        if self.backup_days not in (7, 30):
            raise InterfaceError(f"CosmosNoSqlArgs.backup_days: {self.backup_days}; expected 7 or 30")
        if self.max_throughput < 1000 or self.max_throughput % 1000:
            raise InterfaceError(f"CosmosNoSqlArgs.max_throughput: {self.max_throughput}; expected a multiple of "
                                 "1000 RU/s (autoscale)")
        require_name(CHILD, self.database_name, "CosmosNoSqlArgs.database_name")
        for container in self.containers:
            require_name(CHILD, container.name, "CosmosNoSqlArgs.containers")
            if not container.partition_key.startswith("/"):
                raise InterfaceError(f"CosmosNoSqlArgs.containers: {container.name}: partition key "
                                     f"{container.partition_key!r}; expected a path such as /id")


class CosmosNoSql(WithInterfaces, pulumi.ComponentResource):
    """The account; `endpoint` is its document endpoint (resolved through the private endpoint's zone)."""

    def __init__(self, name: str, args: CosmosNoSqlArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:CosmosNoSql", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        account = cosmosdb.DatabaseAccount(
            f"{name}-account", resource_group_name=args.resource_group_name, location=args.location,
            account_name=args.account_name, kind="GlobalDocumentDB",
            database_account_offer_type=cosmosdb.DatabaseAccountOfferType.STANDARD,
            locations=[cosmosdb.LocationArgs(location_name=args.location, failover_priority=0,
                                              is_zone_redundant=args.zone_redundant)],
            consistency_policy=cosmosdb.ConsistencyPolicyArgs(default_consistency_level=cosmosdb.DefaultConsistencyLevel.SESSION),
            disable_local_auth=True, disable_key_based_metadata_write_access=True, public_network_access="Disabled",
            minimal_tls_version="Tls12", network_acl_bypass=cosmosdb.NetworkAclBypass.NONE,
            backup_policy=cosmosdb.ContinuousModeBackupPolicyArgs(
                type="Continuous", continuous_mode_properties=cosmosdb.ContinuousModePropertiesArgs(
                    tier=f"Continuous{args.backup_days}Days")),
            tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        database = cosmosdb.SqlResourceSqlDatabase(
            f"{name}-database", resource_group_name=args.resource_group_name, account_name=account.name,
            database_name=args.database_name, resource=cosmosdb.SqlDatabaseResourceArgs(id=args.database_name),
            options=cosmosdb.CreateUpdateOptionsArgs(
                autoscale_settings=cosmosdb.AutoscaleSettingsArgs(max_throughput=args.max_throughput)),
            tags=dict(args.tags), opts=child)
        for index, container in enumerate(args.containers):
            cosmosdb.SqlResourceSqlContainer(
                f"{name}-container-{index}", resource_group_name=args.resource_group_name, account_name=account.name,
                database_name=database.name, container_name=container.name,
                resource=cosmosdb.SqlContainerResourceArgs(id=container.name, partition_key=cosmosdb.ContainerPartitionKeyArgs(
                    paths=[container.partition_key], kind="Hash", version=2)), tags=dict(args.tags), opts=child)
        # data-plane access is Cosmos DB's own RBAC (keys are off); the id is stable per account and component
        cosmosdb.SqlResourceSqlRoleAssignment(
            f"{name}-data-contributor", resource_group_name=args.resource_group_name, account_name=account.name,
            role_assignment_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{args.account_name}/{name}/data-contributor")),
            role_definition_id=account.id.apply(lambda i: f"{i}/sqlRoleDefinitions/{DATA_CONTRIBUTOR}"),
            scope=account.id, principal_id=args.data_principal_id, opts=child)
        self.add_interfaces(name, scope_id=account.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="Sql", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = account.id, account.name
        self.endpoint = account.name.apply(lambda n: f"https://{n}.documents.azure.com:443/")
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "endpoint": self.endpoint})
