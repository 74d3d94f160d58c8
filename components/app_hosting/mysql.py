"""A MySQL flexible server: Entra ID authentication only (`aad_auth_only` ON), no public network access (a
private endpoint instead), TLS enforced (`require_secure_transport` ON, TLS 1.2 and 1.3 only), optional
zone-redundant high availability and geo-redundant backups, the audit log on (connections, DDL, DCL), logs to the
central workspace.

MySQL flexible server still needs an administrator login and password at creation. The password is generated
here, never in config, fixed at creation (later runs' new ones are ignored) and never stored: with
`aad_auth_only` ON the server refuses password logins, so it opens nothing.

Entra ID logins need the server to look principals up in Microsoft Graph: the server runs as a user-assigned
identity (`graph_identity_id`) that holds the Graph application permissions User.Read.All, GroupMember.Read.All
and Application.Read.All (or the Directory Readers role), granted once by an Entra administrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import pulumi
from pulumi_azure_native import dbformysql

from amsterdam_cloud.components.app_hosting.flexible_server import EntraAdministrator, FlexibleServerArgs
from amsterdam_cloud.components.credentials import generate_password
from amsterdam_cloud.components.interfaces import DiagnosticSupport, InterfaceError, WithInterfaces, require_auto_name
from amsterdam_cloud.core.app_config import MYSQL_SKUS, MYSQL_VERSIONS, FlexibleServerSkus

VERSIONS = MYSQL_VERSIONS
"""MySQL versions the component builds (core/app_config.py, the contract's)."""
_DATABASE = re.compile(r"^[A-Za-z0-9_]{1,64}$")

SERVER_PARAMETERS = (
    ("require_secure_transport", "ON"),
    ("tls_version", "TLSv1.2,TLSv1.3"),
    ("aad_auth_only", "ON"),
    ("audit_log_enabled", "ON"),
    ("audit_log_events", "CONNECTION,DDL,DCL"),
)
"""Server parameters set on every server, in this order (the server accepts one parameter change at a time). The
audit log (off by default; CIS 4.4.3, 4.4.4) records connections and schema and permission changes, not every
query (Microsoft: log only the events an audit needs; DML would slow the server)."""


@dataclass(frozen=True, kw_only=True)
class MySqlServerArgs(FlexibleServerArgs):
    SERVER: ClassVar[str] = "azure-native:dbformysql:Server"
    SKUS: ClassVar[FlexibleServerSkus] = MYSQL_SKUS

    administrator: EntraAdministrator
    """The Entra ID administrator (MySQL flexible server has exactly one; a group lets several people in)."""
    graph_identity_id: pulumi.Input[str]
    """Resource id of the user-assigned identity the server looks Entra principals up with (it needs Graph read
    permissions); the component never creates it."""
    sku: str = "Standard_D2ds_v4"
    """Compute size, one of `SKUS` (MySQL's)."""
    version: str = "8.0.21"
    """MySQL version."""
    administrator_login: str = "breakglass"
    """The creation-time administrator's name; its generated password is refused while aad_auth_only is ON."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.version not in VERSIONS:
            raise InterfaceError(f"MySqlServerArgs.version: {self.version!r}; expected one of {', '.join(VERSIONS)}")
        for database in self.databases:
            if not _DATABASE.match(database):
                raise InterfaceError(f"MySqlServerArgs.databases: {database!r}; expected 1-64 letters, digits "
                                     "and _")


class MySqlServer(WithInterfaces, pulumi.ComponentResource):
    """The server; `fqdn` is the host name clients connect to (it resolves to the private endpoint)."""

    def __init__(self, name: str, args: MySqlServerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:MySqlServer", name, None, opts)
        if args.server_name is None:
            require_auto_name(args.SERVER, f"{name}-server", "MySqlServerArgs.server_name")
        server = dbformysql.Server(
            f"{name}-server", resource_group_name=args.resource_group_name, location=args.location,
            server_name=args.server_name, version=args.version, create_mode="Default",
            administrator_login=args.administrator_login,
            administrator_login_password=pulumi.Output.secret(generate_password()),
            sku=dbformysql.MySQLServerSkuArgs(name=args.sku, tier=args.tier),
            storage=dbformysql.StorageArgs(storage_size_gb=args.storage_gb, auto_grow="Enabled",
                                           auto_io_scaling="Enabled"),
            identity=dbformysql.MySQLServerIdentityArgs(type="UserAssigned",
                                                        user_assigned_identities=[args.graph_identity_id]),
            network=dbformysql.NetworkArgs(public_network_access="Disabled"),
            high_availability=dbformysql.HighAvailabilityArgs(
                mode="ZoneRedundant" if args.high_availability else "Disabled"),
            backup=dbformysql.BackupArgs(
                backup_retention_days=args.backup_retention_days,
                geo_redundant_backup="Enabled" if args.geo_redundant_backup else "Disabled"),
            tags=dict(args.tags),
            # The password is fixed at creation; a later run's new one is ignored (and refused anyway).
            opts=self.child_options(args, stateful=True, ignore_changes=["administratorLoginPassword"]))
        administrator = dbformysql.AzureADAdministrator(
            f"{name}-admin", resource_group_name=args.resource_group_name, server_name=server.name,
            administrator_name="ActiveDirectory", administrator_type="ActiveDirectory",
            identity_resource_id=args.graph_identity_id, login=args.administrator.principal_name,
            sid=args.administrator.object_id, tenant_id=args.tenant_id,
            opts=pulumi.ResourceOptions(parent=self))
        # one parameter change at a time, and Entra-only only once there is an Entra administrator
        previous: list[pulumi.Resource] = [administrator]
        for parameter, value in SERVER_PARAMETERS:
            previous.append(dbformysql.Configuration(
                f"{name}-{parameter.replace('_', '-')}", resource_group_name=args.resource_group_name,
                server_name=server.name, configuration_name=parameter, value=value, source="user-override",
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:])))
        for database in args.databases:
            dbformysql.Database(
                f"{name}-db-{database}", resource_group_name=args.resource_group_name, server_name=server.name,
                database_name=database, charset="utf8mb4", collation="utf8mb4_0900_ai_ci",
                opts=self.child_options(args, stateful=True, depends_on=previous[-1:]))
        self.add_interfaces(name, scope_id=server.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="mysqlServer",
                            resource_group_name=args.resource_group_name, location=args.location)
        self.resource_id, self.name = server.id, server.name
        self.fqdn = server.name.apply(lambda n: f"{n}.mysql.database.azure.com")
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "fqdn": self.fqdn})
