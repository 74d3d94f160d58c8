"""A PostgreSQL flexible server: Entra ID authentication only (no passwords), no public network access (a
private endpoint instead), TLS enforced by the service, optional zone-redundant high availability and
geo-redundant backups, logs to the central workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import dbforpostgresql

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces

_SKU = re.compile(r"^Standard_([BDE])[0-9A-Za-z_]+$")
TIERS = {"B": "Burstable", "D": "GeneralPurpose", "E": "MemoryOptimized"}
PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal")


@dataclass(frozen=True, kw_only=True)
class EntraAdministrator:
    """An Entra ID principal that administers the server (creates roles for the app and people)."""

    object_id: pulumi.Input[str]
    """The principal's object id (for a managed identity: its principal id)."""
    principal_name: pulumi.Input[str]
    """Its display name, the role name it logs in as."""
    principal_type: str = "Group"
    """Group (the team's admin group), User, or ServicePrincipal (a managed identity)."""

    def __post_init__(self) -> None:
        if self.principal_type not in PRINCIPAL_TYPES:
            raise InterfaceError(f"EntraAdministrator.principal_type: {self.principal_type!r}; expected one of "
                                 f"{', '.join(PRINCIPAL_TYPES)}")


@dataclass(frozen=True, kw_only=True)
class PostgresServerArgs(CommonArgs):
    resource_group_name: pulumi.Input[str]
    """The server's resource group; the component never creates it."""
    location: str
    """The server's EU region."""
    tenant_id: pulumi.Input[str]
    """The Entra ID tenant that authenticates logins."""
    administrators: tuple[EntraAdministrator, ...]
    """The Entra ID administrators (at least one: without one nobody can log in)."""
    sku: str = "Standard_D2ds_v5"
    """Compute size; the family letter picks the tier (B Burstable, D GeneralPurpose, E MemoryOptimized)."""
    storage_gb: int = 32
    """Storage in GiB; it grows automatically when nearly full."""
    version: str = "16"
    """PostgreSQL major version."""
    server_name: pulumi.Input[str] | None = None
    """Unset: the logical name plus a random suffix; set: that name (globally unique, lower case)."""
    high_availability: bool = False
    """Off: one instance; on: a standby in another zone with automatic failover (not for Burstable)."""
    geo_redundant_backup: bool = False
    """Off: backups stay in the region; on: they are copied to the paired region (set at creation only)."""
    backup_retention_days: int = 7
    """Days of point-in-time restore (7 to 35)."""
    databases: tuple[str, ...] = ()
    """No databases beyond the server's defaults; names listed here are created (UTF8)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        match = _SKU.match(self.sku)
        if not match:
            raise InterfaceError(f"PostgresServerArgs.sku: {self.sku!r}; expected Standard_B*, Standard_D* or "
                                 "Standard_E*, e.g. Standard_D2ds_v5")
        if self.high_availability and match.group(1) == "B":
            raise InterfaceError(f"PostgresServerArgs.high_availability: {self.sku} is Burstable, which has no "
                                 "high availability; use a Standard_D* or Standard_E* SKU")
        if not 7 <= self.backup_retention_days <= 35:
            raise InterfaceError(f"PostgresServerArgs.backup_retention_days: {self.backup_retention_days}; "
                                 "expected 7 to 35")
        if not 20 <= self.storage_gb <= 32767:
            raise InterfaceError(f"PostgresServerArgs.storage_gb: {self.storage_gb}; expected 20 to 32767")
        if not self.administrators:
            raise InterfaceError("PostgresServerArgs.administrators: empty; with Entra-only authentication the "
                                 "server needs at least one Entra administrator")


class PostgresServer(WithInterfaces, pulumi.ComponentResource):
    """The server; `fqdn` is the host name clients connect to (it resolves to the private endpoint)."""

    def __init__(self, name: str, args: PostgresServerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:PostgresServer", name, None, opts)
        server = dbforpostgresql.Server(
            f"{name}-server", resource_group_name=args.resource_group_name, location=args.location,
            server_name=args.server_name, version=args.version, create_mode="Create",
            sku=dbforpostgresql.SkuArgs(name=args.sku, tier=TIERS[args.sku[len("Standard_")]]),
            storage=dbforpostgresql.StorageArgs(storage_size_gb=args.storage_gb, auto_grow="Enabled"),
            auth_config=dbforpostgresql.AuthConfigArgs(active_directory_auth="Enabled", password_auth="Disabled",
                                                       tenant_id=args.tenant_id),
            network=dbforpostgresql.NetworkArgs(public_network_access="Disabled"),
            high_availability=dbforpostgresql.HighAvailabilityArgs(
                mode="ZoneRedundant" if args.high_availability else "Disabled"),
            backup=dbforpostgresql.BackupArgs(
                backup_retention_days=args.backup_retention_days,
                geo_redundant_backup="Enabled" if args.geo_redundant_backup else "Disabled"),
            tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        previous: list[pulumi.Resource] = []
        for index, admin in enumerate(args.administrators):
            # one administrator change at a time: the server rejects concurrent ones
            previous.append(dbforpostgresql.Administrator(
                f"{name}-admin-{index}", resource_group_name=args.resource_group_name, server_name=server.name,
                object_id=admin.object_id, principal_name=admin.principal_name,
                principal_type=admin.principal_type, tenant_id=args.tenant_id,
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:])))
        for database in args.databases:
            dbforpostgresql.Database(
                f"{name}-db-{database}", resource_group_name=args.resource_group_name, server_name=server.name,
                database_name=database, charset="UTF8", collation="en_US.utf8",
                opts=self.child_options(args, stateful=True, depends_on=previous[-1:]))
        self.add_interfaces(name, scope_id=server.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="postgresqlServer",
                            resource_group_name=args.resource_group_name, location=args.location)
        self.resource_id, self.name = server.id, server.name
        self.fqdn = server.name.apply(lambda n: f"{n}.postgres.database.azure.com")
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "fqdn": self.fqdn})
