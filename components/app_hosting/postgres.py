"""A PostgreSQL flexible server: Entra ID authentication only (no passwords), no public network access (a
private endpoint instead), TLS enforced by the service, optional zone-redundant high availability and
geo-redundant backups, logs to the central workspace, and the server parameters that log checkpoints, connections
and disconnections, throttle failed logins and keep server logs a week (`SERVER_PARAMETERS`: Azure leaves some off)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi
from pulumi_azure_native import dbforpostgresql

from amsterdam_cloud.components.app_hosting.flexible_server import EntraAdministrator, FlexibleServerArgs
from amsterdam_cloud.components.interfaces import (DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_auto_name)
from amsterdam_cloud.core.app_config import POSTGRES_STORAGE_GIB

SERVER_PARAMETERS = (
    ("log_checkpoints", "on"),
    ("log_connections", "on"),
    ("log_disconnections", "on"),
    ("connection_throttle.enable", "on"),
    ("logfiles.retention_days", "7"),
)
"""Server parameters set on every server, in this order (the server accepts one parameter change at a time): the
logging CIS 4.3.2-4.3.6 asks for (log_disconnections and connection throttling are off by default, server logs kept
3 days; 7 is the most Azure allows)."""


@dataclass(frozen=True, kw_only=True)
class PostgresServerArgs(FlexibleServerArgs):
    MIN_STORAGE_GB: ClassVar[int] = POSTGRES_STORAGE_GIB[0]
    MAX_STORAGE_GB: ClassVar[int] = POSTGRES_STORAGE_GIB[-1]

    administrators: tuple[EntraAdministrator, ...]
    """The Entra ID administrators (at least one: without one nobody can log in)."""
    version: str = "16"
    """PostgreSQL major version."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.administrators:
            raise InterfaceError("PostgresServerArgs.administrators: empty; with Entra-only authentication the "
                                 "server needs at least one Entra administrator")


class PostgresServer(WithInterfaces, pulumi.ComponentResource):
    """The server; `fqdn` is the host name clients connect to (it resolves to the private endpoint)."""

    def __init__(self, name: str, args: PostgresServerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:PostgresServer", name, None, opts)
        if args.server_name is None:
            require_auto_name(args.SERVER, f"{name}-server", "PostgresServerArgs.server_name")
        server = dbforpostgresql.Server(
            f"{name}-server", resource_group_name=args.resource_group_name, location=args.location,
            server_name=args.server_name, version=args.version, create_mode="Create",
            sku=dbforpostgresql.SkuArgs(name=args.sku, tier=args.tier),
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
        settings: list[pulumi.Resource] = previous[-1:]  # after the administrators, one at a time (the server is busy during each)
        for parameter, value in SERVER_PARAMETERS:
            settings = [dbforpostgresql.Configuration(
                f"{name}-{parameter.replace('_', '-').replace('.', '-')}", resource_group_name=args.resource_group_name,
                server_name=server.name, configuration_name=parameter, value=value, source="user-override",
                opts=pulumi.ResourceOptions(parent=self, depends_on=settings))]
        for database in args.databases:
            dbforpostgresql.Database(
                f"{name}-db-{database}", resource_group_name=args.resource_group_name, server_name=server.name,
                database_name=database, charset="UTF8", collation="en_US.utf8",
                opts=self.child_options(args, stateful=True, depends_on=settings))
        self.add_interfaces(name, scope_id=server.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="postgresqlServer",
                            resource_group_name=args.resource_group_name, location=args.location)
        self.resource_id, self.name = server.id, server.name
        self.fqdn = server.name.apply(lambda n: f"{n}.postgres.database.azure.com")
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "fqdn": self.fqdn})
