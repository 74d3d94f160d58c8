"""What the PostgreSQL and MySQL flexible servers share: their Entra administrators and their sizing arguments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, require_name, supports
from amsterdam_cloud.core.app_config import BACKUP_RETENTION_DAYS, MYSQL_STORAGE_GIB, POSTGRES_SKUS, \
    FlexibleServerSkus, flexible_server_tier, sku_names
from amsterdam_cloud.core.ids import SIGN_IN_PRINCIPAL_TYPES

PRINCIPAL_TYPES = SIGN_IN_PRINCIPAL_TYPES


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


def app_role_script(engine: str, *, role: str, object_id: str, client_id: str, database: str) -> str:
    """The SQL a member of the database's Entra administrator group runs once (from inside the network) to give the
    app's identity a login with rights on its own database only: no admin, no CREATEROLE, no other database.
    ARM cannot create database roles, so the app stack exports this script instead of making the app an admin."""
    if engine == "postgres":
        return (f"SELECT * FROM pgaadauth_create_principal_with_oid('{role}', '{object_id}', 'service', false, "
                "false);\n"
                f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO "{role}";\n'
                f'\\connect "{database}"\n'
                f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}";\n'
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}";\n')
    if engine == "mysql":
        return (f"CREATE AADUSER '{role}' IDENTIFIED BY '{client_id}';\n"
                f"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON `{database}`.* "
                f"TO '{role}'@'%';\n")
    raise InterfaceError(f"app_role_script: engine {engine!r}; expected postgres or mysql")


@dataclass(frozen=True, kw_only=True)
class FlexibleServerArgs(CommonArgs):
    """Where a flexible server runs, how big it is, and how it survives failures."""
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the server's identities are its own fields (the MySQL server's Graph identity), not "
                               "the shared interface")

    MIN_STORAGE_GB: ClassVar[int] = MYSQL_STORAGE_GIB[0]
    MAX_STORAGE_GB: ClassVar[int] = MYSQL_STORAGE_GIB[1]
    SERVER: ClassVar[str] = "azure-native:dbforpostgresql:Server"
    """The server's azure-native type, for its naming rule."""
    SKUS: ClassVar[FlexibleServerSkus] = POSTGRES_SKUS
    """The SKUs the engine's flexible server offers (core/app_config.py), which `sku` must be one of."""

    resource_group_name: pulumi.Input[str]
    """The server's resource group; the component never creates it."""
    location: str
    """The server's EU region."""
    tenant_id: pulumi.Input[str]
    """The Entra ID tenant that authenticates logins."""
    sku: str = "Standard_D2ds_v5"
    """Compute size, one of `SKUS`; its row there gives the tier (Burstable, GeneralPurpose, MemoryOptimized)."""
    storage_gb: int = 32
    """Storage in GiB; it grows automatically when nearly full."""
    server_name: pulumi.Input[str] | None = None
    """Unset: azure-native's auto-name, `<component name>-server` plus 8 characters; set: that name (globally
    unique, 3-63 lower-case letters, digits and hyphens: `core/naming.py`, checked here and at construction)."""
    high_availability: bool = False
    """Off: one instance; on: a standby in another zone with automatic failover (not for Burstable)."""
    geo_redundant_backup: bool = False
    """Off: backups stay in the region; on: they are copied to the paired region (set at creation only)."""
    backup_retention_days: int = 7
    """Days of point-in-time restore (7 to 35)."""
    databases: tuple[str, ...] = ()
    """No databases beyond the server's defaults; names listed here are created."""

    def __post_init__(self) -> None:
        super().__post_init__()
        kind = type(self).__name__
        if isinstance(self.server_name, str):
            require_name(self.SERVER, self.server_name, f"{kind}.server_name")
        if self.sku not in sku_names(self.SKUS):
            raise InterfaceError(f"{kind}.sku: {self.sku!r}; expected one of {', '.join(sku_names(self.SKUS))}, "
                                 "the SKUs its flexible server offers")
        if self.high_availability and self.tier == "Burstable":
            raise InterfaceError(f"{kind}.high_availability: {self.sku} is Burstable, which has no high "
                                 "availability; use a Standard_D* or Standard_E* SKU")
        low, high = BACKUP_RETENTION_DAYS
        if not low <= self.backup_retention_days <= high:
            raise InterfaceError(f"{kind}.backup_retention_days: {self.backup_retention_days}; expected {low} to "
                                 f"{high}")
        if not self.MIN_STORAGE_GB <= self.storage_gb <= self.MAX_STORAGE_GB:
            raise InterfaceError(f"{kind}.storage_gb: {self.storage_gb}; expected {self.MIN_STORAGE_GB} to "
                                 f"{self.MAX_STORAGE_GB}")

    @property
    def tier(self) -> str:
        return flexible_server_tier(self.sku)
