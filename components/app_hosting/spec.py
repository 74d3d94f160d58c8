"""The short description of an app that `App` builds from (what the app stack config says, typed).

Pure data: `config.py` reads it from a stack file, tests build it directly. Environment differences (high
availability, geo-redundant backups, locks) live in `Operations`, filled per environment by the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosContainer
from amsterdam_cloud.components.app_hosting.function_app import FunctionGroupArgs
from amsterdam_cloud.components.app_hosting.service_bus import ServiceBusQueue
from amsterdam_cloud.components.app_hosting.public_entrance import CustomDomain
from amsterdam_cloud.components.security.container_registry import city_registry_name, login_server
from amsterdam_cloud.core.algorithm_register import RUNS_ALGORITHM_TAG, TAG as ALGORITHM_TAG

RUNTIMES = ("container", "web", "vm", "function")
EXPOSURES = ("internal", "public")


@dataclass(frozen=True, kw_only=True)
class Postgres:
    """A PostgreSQL flexible server for the app."""

    sku: str
    """Compute size, e.g. Standard_D2ds_v5 (B: Burstable, D: GeneralPurpose, E: MemoryOptimized)."""
    storage_gb: int
    """Storage size in GiB; it grows automatically."""
    version: str
    """PostgreSQL major version, e.g. 16."""


@dataclass(frozen=True, kw_only=True)
class MySql:
    """A MySQL flexible server for the app (RDS MySQL, MariaDB and Aurora MySQL move here)."""

    sku: str
    """Compute size, e.g. Standard_D2ds_v4 (B: Burstable, D: GeneralPurpose, E: MemoryOptimized)."""
    storage_gb: int
    """Storage size in GiB; it grows automatically."""
    version: str
    """MySQL version, e.g. 8.0.21."""


@dataclass(frozen=True, kw_only=True)
class DataNeeds:
    """The data services the app gets, each private, Entra-only and in the app's region."""

    postgres: Postgres | None = None
    """No server: the app has no PostgreSQL database."""
    mysql: MySql | None = None
    """No server: the app has no MySQL database."""
    storage: bool = False
    """Off: no storage account."""
    storage_sub_resources: tuple[str, ...] = ("blob",)
    """The storage services reachable through a private endpoint each (blob only, unless the app needs more)."""
    key_vault: bool = True
    """On: the app gets its own Key Vault for its secrets (Key Vault references in the app settings)."""
    cosmos: tuple[CosmosContainer, ...] = ()
    """No Cosmos DB; else the containers of the app's Cosmos DB for NoSQL account (where DynamoDB tables move)."""
    service_bus_queues: tuple[ServiceBusQueue, ...] = ()
    """No Service Bus; else the queues of the app's Service Bus namespace (where SQS queues move)."""


@dataclass(frozen=True, kw_only=True)
class EntraGroup:
    """An Entra ID security group of the owning team."""

    object_id: str
    """The group's object id (a GUID)."""
    display_name: str
    """The group's display name: the role name its members log in to a database as."""


@dataclass(frozen=True, kw_only=True)
class VmShape:
    """Runtime vm: a group of like VMs (a rehosted server group), built by components/compute/virtual_machine.py."""

    size: str
    """The VM size, e.g. Standard_E16s_v5."""
    os: str = "linux"
    """linux or windows."""
    count: int = 1
    """How many like VMs."""
    os_disk_gb: int = 128
    """OS disk size in GiB."""
    data_disks_gb: tuple[int, ...] = ()
    """Data disks by size in GiB; none: only the OS disk."""
    ssh_public_key: str | None = None
    """linux (required there): the break-glass administrator's OpenSSH public key; windows: unset."""


@dataclass(frozen=True, kw_only=True)
class FunctionsShape:
    """Runtime function: one function app per group, built by components/app_hosting/function_app.py."""

    groups: tuple[FunctionGroupArgs, ...]
    """The function groups (functions sharing a language runtime), one function app each."""
    plan: str = "flex"
    """flex: Flex Consumption (scale to zero, in a subnet delegated to Microsoft.App/environments); premium:
    Elastic Premium (always warm, in the spoke's appservice subnet)."""


@dataclass(frozen=True, kw_only=True)
class Operations:
    """What differs between environments; the loader fills it from the environment's defaults and overrides."""

    high_availability: bool = False
    """Off: one database instance; on: a zone-redundant standby (needs a GeneralPurpose/MemoryOptimized SKU)."""
    geo_redundant_backup: bool = False
    """Off: backups stay in the region; on: they are copied to the paired region too."""
    backup_retention_days: int = 7
    """Days of point-in-time restore for the database (7 to 35)."""
    zone_redundant: bool = False
    """Off: hosting in one zone; on: the Container Apps environment / App Service plan spreads over zones."""
    lock: bool = False
    """Off: stateful resources can be deleted; on: they carry a CanNotDelete lock."""
    protect: bool = False
    """Off: `pulumi destroy` may delete stateful resources; on: they are protected."""
    min_replicas: int | None = None
    """Unset: the app's own scale.minReplicas; set: at least this many replicas in the environment."""


@dataclass(frozen=True, kw_only=True)
class VendedSubscription:
    """The team's landing zone an app runs in (`app:landingZone`): its subscription, spoke and pull identity."""

    team: str
    """The team's name in `landingZones.<team>` of the landing zones stack."""
    stack: str
    """The landing zones stack of the app's environment (`organization/amsterdam-landing-zones/<env>`)."""


@dataclass(frozen=True, kw_only=True)
class AppSpec:
    """What an app team says about its app; `App` builds the rest from the platform stack's outputs."""

    name: str
    """Short lower-case name (3-24 characters); resource names derive from it."""
    team: str
    """The owning team's e-mail address (the owner tag)."""
    cost_center: str
    """Cost centre (CC-1234), the cost-center tag."""
    environment: str
    """dev, test, acc or prod: the platform environment the app runs in (the environment tag)."""
    platform_stack: str
    """The platform stack to read outputs from: `organization/amsterdam-platform/<environment>`."""
    location: str
    """The app's EU region (the platform's)."""
    runtime: str
    """container: Azure Container Apps; web: App Service on Linux; vm: virtual machines (rehost); function: Azure
    Functions (function apps)."""
    data_classification: str
    """BIO level of the most sensitive data the app holds (BBN1-BBN3)."""
    exposure: str = "internal"
    """internal: reachable only from the city's networks; public: only through the city's WAF (Front Door)."""
    image: str | None = None
    """The container image (runtime container), from the city registry."""
    stack: str | None = None
    """The App Service runtime stack (runtime web), e.g. PYTHON|3.12."""
    vm: VmShape | None = None
    """The VMs (runtime vm)."""
    functions: FunctionsShape | None = None
    """The function apps (runtime function)."""
    algorithm_register_id: str | None = None
    """No id: the app runs no algorithm; an id: its entry in the algorithm register, tagged on every resource."""
    data: DataNeeds = field(default_factory=DataNeeds)
    """The data services the app needs."""
    min_replicas: int = 1
    """Fewest running replicas (0 lets a container app scale to zero)."""
    max_replicas: int = 3
    """Most replicas under load."""
    port: int = 8080
    """The port the app listens on."""
    health_path: str = "/health"
    """The HTTP path health probes call."""
    secrets: Mapping[str, str] = field(default_factory=dict)
    """Environment variable name to Key Vault secret name; the app reads them as Key Vault references."""
    settings: Mapping[str, str] = field(default_factory=dict)
    """No settings of its own; each entry a plain (non-secret) environment variable of the app, e.g. LOG_LEVEL."""
    cpu: float = 0.5
    """vCPU per container replica (runtime container); memory follows (0.5 vCPU: 1 GiB)."""
    spoke: str = "apps"
    """The platform spoke the app's network parts go into."""
    runtime_subnet: str | None = None
    """Unset: a container app runs in the platform's shared Container Apps environment, a web app in the spoke's
    appservice subnet; set: that subnet of the spoke (a container app then gets an environment of its own there,
    one environment per subnet)."""
    registry: str | None = None
    """Unset: the platform's registry of the environment (`cramsterdam<env>.azurecr.io`), on which the app's
    identity gets AcrPull; set: that login server (a registry the platform team grants AcrPull on by hand)."""
    workload_profile: str = "Consumption"
    """The shared Container Apps environment's profile the app runs on (runtime container): serverless Consumption
    unless the platform's `containerAppsEnvironment.workloadProfiles` names a dedicated one."""
    custom_domain: CustomDomain | None = None
    """No custom domain: a public app is reached at its Front Door endpoint's azurefd.net name; set: at that host
    name too, with the certificate from the platform's certificate vault (exposure public only)."""
    database_admin_group: EntraGroup | None = None
    """None: only an app without a database; the team's Entra group that is its databases' Entra administrator
    (the app's own identity gets a login with rights on its database only, never admin)."""
    operations: Operations = field(default_factory=Operations)
    """The environment's operational settings."""
    landing_zone: VendedSubscription | None = None
    """Unset: the app runs in the platform's subscription, on its spoke; set: in the team's vended subscription, on
    its landing zone's spoke, in a Container Apps environment of its own, pulling with the zone's identity."""
    migrated_from: str | None = None
    """Not migrated; else the migration workload id (`source.workload` of a generated config), tagged
    `migrated-from`."""

    @property
    def registry_server(self) -> str:
        """The login server the app's image comes from and the app pulls from."""
        return self.registry or login_server(city_registry_name(self.environment))

    def tags(self) -> dict[str, str]:
        """The city's mandatory tags, plus the algorithm register id when the app runs an algorithm."""
        tags = {"owner": self.team, "cost-center": self.cost_center, "environment": self.environment,
                "data-classification": self.data_classification, "application": self.name}
        if self.algorithm_register_id:
            tags[ALGORITHM_TAG] = self.algorithm_register_id
            tags[RUNS_ALGORITHM_TAG] = "true"
        if self.migrated_from:
            tags["migrated-from"] = self.migrated_from
        return tags
