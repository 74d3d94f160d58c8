"""The app stack config contract: what `cityctl migrate generate` writes and the app template (`templates/app/`) reads.

Documented in docs/app-config.md. One `Pulumi.<env>.yaml` per app and environment, whose `config:` holds:

- `azure-native:location`: the Azure region (an EU region; westeurope unless chosen otherwise);
- `app:platformStack`: the platform stack to read outputs from, `organization/amsterdam-platform/<env>` (the city's self-managed backend);
- `app:app`: the structured app value whose keys `APP_FIELDS` reads;
- `azure-native:subscriptionId` (optional in the contract, always written by the generator): the subscription the
  app deploys into, its environment's platform subscription unless it runs in its team's vended one.

One model, in the house style of every stack's config (the readers of core/config_readers.py): `read(config,
source)` is the one check both sides use, the generator before it writes (`validate`), the app template when it
reads (components/app_hosting/config.py builds the app's description from what it returns). Each limit is written
here once; the JSON Schema the migration's overrides file embeds (`DATABASE_ADMIN_GROUP`) is generated from it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.core.config_readers import (Reader, boolean, eu_region, integer, json_schema, list_of, mapping_of,
                                                 matching,
                                                 number_of, one_of, optional, record, string, text)
from amsterdam_cloud.core.environments import ENVIRONMENT_CHOICES
from amsterdam_cloud.core.ids import COST_CENTER, EMAIL, GUID_ANY_CASE
from amsterdam_cloud.core.program_config import PLATFORM_PROJECT, ConfigError
from amsterdam_cloud.core.secrets import is_secret_name, is_secret_value

SCHEMA_VERSION = 1
"""Bumped when a field changes meaning or a required field is added; the template refuses newer versions."""

FLEX_MEMORY_MB = (512, 2048, 4096)
"""The instance sizes Flex Consumption offers (MB); CPU follows memory."""
CPU_MEMORY: dict[float, float] = {0.25: 0.5, 0.5: 1.0, 0.75: 1.5, 1.0: 2.0, 1.25: 2.5, 1.5: 3.0, 1.75: 3.5, 2.0: 4.0,
                                  4.0: 8.0}
"""Container Apps consumption sizes: the vCPU Azure accepts and the memory (GiB) that goes with each."""
FUNCTION_TRIGGERS = ("http", "timer", "serviceBusQueue", "serviceBusTopic", "storageQueue", "eventHubs",
                     "eventGridBlob", "cosmosDbChangeFeed")
"""The Azure Functions triggers a migrated function uses (what `map` derives from the Lambda's event sources)."""
ENV_NAME = "^[A-Za-z_][A-Za-z0-9_.-]*$"
"""An environment variable name as sources write them (`DB_HOST`, `Api-Token`; Kubernetes and Container Apps
accept `-` and `.`)."""
APP_OPERATIONS_FILE = Path(__file__).resolve().parent / "app_operations.yaml"
"""Each environment's operational defaults for an app (prod: HA, geo-redundant backups, locks, protection): config,
so environments differ through it and the stack files, never through an environment's name in code."""

DEFAULT_LOCATION = "westeurope"

RUNTIME_KEYS: Mapping[str, str] = {"container": "image", "web": "stack", "vm": "vm", "function": "functions"}
"""Each runtime and the one key that describes what it runs (exactly the app's runtime's key is present)."""
NAME = re.compile(r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$")
"""The app's name, which goes into every Azure name (the same rule as the platform's `application` tag)."""
SECRET_NAME = re.compile(r"^[0-9A-Za-z-]{1,127}$")
"""A Key Vault secret name."""
STORAGE_SUB_RESOURCES = ("blob", "dfs", "file", "queue", "table")
"""The storage account's services an app may reach through a private endpoint each."""

FlexibleServerSkus = Mapping[str, tuple[tuple[str, int, float], ...]]
"""Flexible server SKUs per tier: (SKU name, vCPU, GiB), smallest first."""
POSTGRES_SKUS: FlexibleServerSkus = {
    "Burstable": (("Standard_B1ms", 1, 2), ("Standard_B2s", 2, 4), ("Standard_B2ms", 2, 8), ("Standard_B4ms", 4, 16),
                  ("Standard_B8ms", 8, 32), ("Standard_B12ms", 12, 48), ("Standard_B16ms", 16, 64),
                  ("Standard_B20ms", 20, 80)),
    "GeneralPurpose": (("Standard_D2ds_v5", 2, 8), ("Standard_D4ds_v5", 4, 16), ("Standard_D8ds_v5", 8, 32),
                       ("Standard_D16ds_v5", 16, 64), ("Standard_D32ds_v5", 32, 128), ("Standard_D48ds_v5", 48, 192),
                       ("Standard_D64ds_v5", 64, 256), ("Standard_D96ds_v5", 96, 384),
                       ("Standard_D2ds_v4", 2, 8), ("Standard_D4ds_v4", 4, 16), ("Standard_D8ds_v4", 8, 32),
                       ("Standard_D16ds_v4", 16, 64), ("Standard_D32ds_v4", 32, 128), ("Standard_D48ds_v4", 48, 192),
                       ("Standard_D64ds_v4", 64, 256)),
    "MemoryOptimized": (("Standard_E2ds_v5", 2, 16), ("Standard_E4ds_v5", 4, 32), ("Standard_E8ds_v5", 8, 64),
                        ("Standard_E16ds_v5", 16, 128), ("Standard_E20ds_v5", 20, 160), ("Standard_E32ds_v5", 32, 256),
                        ("Standard_E48ds_v5", 48, 384), ("Standard_E64ds_v5", 64, 512), ("Standard_E96ds_v5", 96, 672),
                        ("Standard_E2ds_v4", 2, 16), ("Standard_E4ds_v4", 4, 32), ("Standard_E8ds_v4", 8, 64),
                        ("Standard_E16ds_v4", 16, 128), ("Standard_E20ds_v4", 20, 160), ("Standard_E32ds_v4", 32, 256),
                        ("Standard_E48ds_v4", 48, 384), ("Standard_E64ds_v4", 64, 504)),
}
"""What PostgreSQL flexible server offers (its Burstable tier starts at B1ms); the v4 rows come after v5 so the
migration, which takes the first row that fits, still picks v5."""
MYSQL_SKUS: FlexibleServerSkus = {
    "Burstable": (("Standard_B1s", 1, 1), ("Standard_B1ms", 1, 2), ("Standard_B2s", 2, 4), ("Standard_B2ms", 2, 8),
                  ("Standard_B4ms", 4, 16), ("Standard_B8ms", 8, 32), ("Standard_B12ms", 12, 48),
                  ("Standard_B16ms", 16, 64), ("Standard_B20ms", 20, 80)),
    "GeneralPurpose": (("Standard_D2ds_v4", 2, 8), ("Standard_D4ds_v4", 4, 16), ("Standard_D8ds_v4", 8, 32),
                       ("Standard_D16ds_v4", 16, 64), ("Standard_D32ds_v4", 32, 128), ("Standard_D48ds_v4", 48, 192),
                       ("Standard_D64ds_v4", 64, 256)),
    "MemoryOptimized": (("Standard_E2ds_v4", 2, 16), ("Standard_E4ds_v4", 4, 32), ("Standard_E8ds_v4", 8, 64),
                        ("Standard_E16ds_v4", 16, 128), ("Standard_E32ds_v4", 32, 256), ("Standard_E48ds_v4", 48, 384),
                        ("Standard_E64ds_v4", 64, 504)),
}
"""What MySQL flexible server offers (Burstable from B1s)."""


def sku_names(table: FlexibleServerSkus) -> tuple[str, ...]:
    """Every SKU name of an engine's table, Burstable first: what its `sku` key accepts."""
    return tuple(name for sizes in table.values() for name, _, _ in sizes)


def flexible_server_tier(sku: str) -> str:
    """Burstable, GeneralPurpose or MemoryOptimized: the tier whose row (in either engine's table) names `sku`."""
    return next(tier for table in (POSTGRES_SKUS, MYSQL_SKUS) for tier, sizes in table.items()
                if any(name == sku for name, _, _ in sizes))


POSTGRES_STORAGE_GIB = (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767)
"""The storage sizes PostgreSQL flexible server offers (premium SSD), in GiB."""
MYSQL_STORAGE_GIB = (20, 16384)
"""MySQL flexible server storage: any whole GiB from the first to the second."""
POSTGRES_VERSIONS = ("13", "14", "15", "16", "17")
"""PostgreSQL majors flexible server supports, oldest first (the migration raises older ones to the first)."""
MYSQL_VERSIONS = ("8.0.21",)
"""MySQL versions flexible server offers for new servers and the component builds (5.7 is out of support; the
migration raises it and MariaDB to 8.0.21)."""
BACKUP_RETENTION_DAYS = (7, 35)
"""The point-in-time restore window a flexible server allows (days, least and most)."""
MAX_REPLICAS = 30
"""The most replicas (Container Apps) or instances (App Service) an app scales to."""


def _storage(engine: str, low: int, high: int, sizes: tuple[int, ...] = ()) -> Reader[int]:
    """Storage in GiB that the engine's flexible server offers: one of `sizes` when given, else any from low to high."""
    offered = f"one of {', '.join(map(str, sizes))}" if sizes else f"{low} to {high}"
    read_number = integer(low, high)

    def read(source: str, key: str, value: Any) -> int:
        try:
            number = read_number(source, key, value)
        except ConfigError:
            number = None
        if number is None or (sizes and number not in sizes):
            raise ConfigError(source, key, f"{value!r}; expected {offered} GiB, what {engine} flexible server offers")
        return number
    return read


def _version(engine: str, versions: tuple[str, ...], note: str) -> Reader[str]:
    """One of the versions the engine's flexible server is built at, as text (a YAML number `16` reads as "16")."""
    def read(source: str, key: str, value: Any) -> str:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if text not in versions:
            raise ConfigError(source, key, f"{value!r}; expected one of {', '.join(versions)}, the versions {engine} "
                                           f"flexible server is built at{note}")
        return str(text)
    return read


def _database(skus: FlexibleServerSkus, storage: Reader[int],
              version: Reader[str]) -> Reader[dict[str, Any] | None]:
    """A flexible server (or null: none): its SKU (one the engine offers), storage and version."""
    return optional(record({
        "sku": one_of(sku_names(skus)),
        "storageGb": storage, "version": version,
    }, frozenset({"sku", "storageGb", "version"})))


def _named_list(key: str, fields: Mapping[str, Reader[Any]]) -> Reader[dict[str, Any] | None]:
    """An optional data service given as a non-empty list of named items under `key` (or null: none)."""
    return optional(record({key: list_of(record(fields, frozenset({"name"})))}, frozenset({key})))


OPERATIONS: Mapping[str, Reader[Any]] = {
    "highAvailability": boolean, "geoRedundantBackup": boolean, "backupRetentionDays": integer(*BACKUP_RETENTION_DAYS),
    "zoneRedundant": boolean, "lock": boolean, "protect": boolean, "minReplicas": integer(0, MAX_REPLICAS),
}
"""The keys of `app:app.operations` and of each environment in core/app_operations.yaml, with their readers."""

DATABASE_ADMIN_GROUP_READER = record({
    "displayName": matching(re.compile(r"^[^'\"\\;]{1,120}$"),
                            "the group's display name (1-120 characters, no quotes, backslash or ;)"),
    "objectId": matching(GUID_ANY_CASE, "the group's object id (a GUID)"),
}, frozenset({"displayName", "objectId"}), form="{displayName: <the team's Entra group>, objectId: <its object id, "
                                                 "a GUID>}")
"""`databaseAdminGroup`: the team's Entra group (display name, object id) that is its databases' Entra
administrator; never the app. Written by `cityctl migrate generate` from the overrides file."""
DATABASE_ADMIN_GROUP: dict[str, Any] = json_schema(DATABASE_ADMIN_GROUP_READER)
"""The same as JSON Schema, generated, for the migration's overrides file (which is checked with a schema)."""

_VM = record({
    "size": matching(re.compile(r"^Standard_[A-Za-z0-9_]+$"), "an Azure VM size such as Standard_D4s_v5"),
    "os": one_of(("linux", "windows")),
    "count": integer(1, 99),
    "osDiskGb": integer(30, 4095),
    "dataDisksGb": list_of(integer(4, 32767), empty=True, most=16),
    "sshPublicKey": matching(re.compile(r"^(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+={0,2}( .*)?$"),
                             "an OpenSSH public key line such as ssh-ed25519 AAAA... break-glass"),
}, frozenset({"size", "os", "count"}))
"""A rehosted server group (runtime vm): like VMs built by components/compute/virtual_machine.py in the spoke; a
Linux group signs in with the break-glass `sshPublicKey` only (required when it is planned, not when the migration
writes the config: the migration cannot know the key)."""

_FUNCTIONS = record({
    "plan": one_of(("flex", "premium")),
    "groups": list_of(record({
        "name": matching(re.compile(r"^[a-z][a-z0-9]{0,11}$"), "1-12 lower-case letters and digits such as api"),
        "stack": matching(re.compile(r"^(PYTHON|NODE|JAVA|DOTNETCORE|DOTNET-ISOLATED|POWERSHELL)\|[0-9]+(\.[0-9]+)?"
                                     r"(-lts)?$"), "a Functions stack such as PYTHON|3.12 or NODE|20-lts"),
        "memoryMb": number_of(FLEX_MEMORY_MB),
        "functions": list_of(string, empty=True),
        "triggers": list_of(one_of(FUNCTION_TRIGGERS), empty=True),
    }, frozenset({"name", "stack"})), most=10),
}, frozenset({"plan", "groups"}))
"""Function apps (runtime function): one per group (1-10), Flex Consumption or Elastic Premium, built by
components/app_hosting/function_app.py in the spoke."""

_PROFILE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
_SPOKE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")

APP_FIELDS: Mapping[str, Reader[Any]] = {
    "schemaVersion": number_of((SCHEMA_VERSION,)),
    "name": matching(NAME, f"the project name: lowercase letters, digits and -, 3-24 characters, starting with a "
                           f"letter and not ending in - ({NAME.pattern}); start the repository again with `pulumi "
                           "new <toolkit>/templates/app --name afval-ophalen`"),
    "team": matching(EMAIL, "the owning team's mailbox such as parkeren@amsterdam.nl"),
    "costCenter": matching(COST_CENTER, "CC- and 4-6 digits such as CC-4120"),
    "runtime": one_of(tuple(RUNTIME_KEYS)),
    "image": string,
    "stack": matching(re.compile(r"^[A-Z]+\|[0-9A-Za-z.\-]+$"), "an App Service stack such as PYTHON|3.12"),
    "vm": _VM,
    "functions": _FUNCTIONS,
    "port": integer(1, 65535),
    "secrets": mapping_of(matching(re.compile(ENV_NAME), "an environment variable name: letters, digits, _, - and "
                                                         ". (e.g. API_KEY)"),
                          matching(SECRET_NAME, "a Key Vault secret name (letters, digits and -, up to 127)")),
    "settings": mapping_of(matching(re.compile(ENV_NAME), "an environment variable name: letters, digits, _, - and "
                                                          ". (e.g. LOG_LEVEL)"), text(4096)),
    "cpu": number_of(tuple(sorted(CPU_MEMORY))),
    "exposure": one_of(("internal", "public")),
    "dataClassification": one_of(DATA_CLASSIFICATIONS),
    "algorithmRegisterId": string,
    "location": eu_region,
    "registry": matching(re.compile(r"^[a-z0-9]{5,50}\.azurecr\.io$"),
                         "an ACR login server such as cramsterdamdev.azurecr.io"),
    "databaseAdminGroup": DATABASE_ADMIN_GROUP_READER,
    "data": record({
        "postgres": _database(POSTGRES_SKUS,
                              _storage("PostgreSQL", POSTGRES_STORAGE_GIB[0], POSTGRES_STORAGE_GIB[-1],
                                       POSTGRES_STORAGE_GIB),
                              _version("PostgreSQL", POSTGRES_VERSIONS, " (the migration raises older ones to "
                                                                        f"{POSTGRES_VERSIONS[0]})")),
        "mysql": _database(MYSQL_SKUS, _storage("MySQL", *MYSQL_STORAGE_GIB),
                           _version("MySQL", MYSQL_VERSIONS, " (the migration raises 5.7 and MariaDB to it)")),
        "storage": boolean, "keyVault": boolean,
        "cosmos": _named_list("containers", {"name": matching(re.compile(r"^[A-Za-z0-9_.-]{1,255}$"),
                                                              "a container name such as orders"),
                                             "partitionKey": matching(re.compile(r"^/[^/]+$"),
                                                                      "a partition key path such as /id")}),
        "serviceBus": _named_list("queues", {
            "name": matching(re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._/-]{0,258}[A-Za-z0-9])?$"),
                             "a queue name such as orders"),
            "sessions": boolean}),
        "storageSubResources": list_of(one_of(STORAGE_SUB_RESOURCES), distinct=True),
    }, frozenset({"postgres", "mysql", "storage", "keyVault"})),
    "scale": record({"minReplicas": integer(0, MAX_REPLICAS), "maxReplicas": integer(1, MAX_REPLICAS)},
                    frozenset({"minReplicas", "maxReplicas"})),
    "source": record({"workload": string, "strategy": string, "wave": optional(integer(1, 999)), "mapping": string,
                      "part": string}, frozenset({"workload"})),
    # the template's own keys, for what a hand-written app needs and a generated one leaves at its default
    "healthPath": matching(re.compile(r"^/[A-Za-z0-9._~/-]*$"), "an absolute URL path such as /health"),
    "spoke": matching(_SPOKE, "a platform spoke name such as apps"),
    "runtimeSubnet": matching(_SPOKE, "a subnet name of the spoke such as containers2"),
    "workloadProfile": matching(_PROFILE, "a workload profile name such as Consumption or general"),
    "customDomain": record({"hostName": string, "certificate": string}, frozenset({"hostName", "certificate"}),
                           form="{hostName: parkeren.amsterdam.nl, certificate: <its name in the platform's "
                                "certificate vault>}"),
    "operations": record(OPERATIONS, frozenset()),
}
"""Every key of `app:app` and its reader: each limit is written here once (docs/app-config.md lists them)."""
APP_REQUIRED = frozenset({"schemaVersion", "name", "team", "costCenter", "runtime", "exposure", "dataClassification",
                          "location", "data", "scale", "source"})
"""What `cityctl migrate generate` always writes; the rest is optional."""

CONFIG_FIELDS: Mapping[str, Reader[Any]] = {
    "azure-native:location": eu_region,
    "app:platformStack": matching(re.compile(rf"^[A-Za-z0-9_.-]+/{PLATFORM_PROJECT}/({ENVIRONMENT_CHOICES})$"),
                                  f"organization/{PLATFORM_PROJECT}/<{ENVIRONMENT_CHOICES}>"),
    "app:app": record(APP_FIELDS, APP_REQUIRED),
    "azure-native:subscriptionId": matching(GUID_ANY_CASE, "the subscription the app deploys into (a GUID): its "
                                                           "environment's platform subscription, or its team's"),
}
"""The keys of an app stack file's `config:`; all but `azure-native:subscriptionId` required (the template's stack
files and `cityctl vend` set it, the generator writes it; `App` checks it against the platform's or the zone's)."""
OPTIONAL_CONFIG = frozenset({"azure-native:subscriptionId"})


def read(config: Mapping[str, Any], source: str) -> dict[str, Any]:
    """A stack file's `config:` mapping read into typed values (`app:app` as a dict of them); a mistake is a
    ConfigError naming the file and the key, `file: key: problem; expected ...`."""
    unknown = sorted(set(config) - set(CONFIG_FIELDS))
    if unknown:
        raise ConfigError(source, unknown[0], f"unknown key; expected one of {', '.join(CONFIG_FIELDS)}")
    missing = [key for key in CONFIG_FIELDS if key not in config and key not in OPTIONAL_CONFIG]
    if missing:
        raise ConfigError(source, missing[0], "required key is missing")
    read_config = {key: CONFIG_FIELDS[key](source, key, config[key]) for key in CONFIG_FIELDS if key in config}
    _check_app(read_config["app:app"], read_config["azure-native:location"], source)
    return read_config


def _check_app(app: Mapping[str, Any], location: str, source: str) -> None:
    """The rules between keys of `app:app`."""
    runtime = app["runtime"]
    if RUNTIME_KEYS[runtime] not in app:
        raise ConfigError(source, f"app:app.{RUNTIME_KEYS[runtime]}", f"required key is missing; runtime {runtime} "
                                                                      "needs it")
    for other, key in RUNTIME_KEYS.items():
        if other != runtime and key in app:
            raise ConfigError(source, f"app:app.{key}", f"not used by runtime {runtime}; remove it (it belongs to "
                                                        f"runtime {other})")
    if "cpu" in app and runtime != "container":
        raise ConfigError(source, "app:app.cpu", f"not used by runtime {runtime}; only a container app has a vCPU size")
    scale = app["scale"]
    if scale["minReplicas"] > scale["maxReplicas"]:
        raise ConfigError(source, "app:app.scale.minReplicas", f"{scale['minReplicas']} is above maxReplicas "
                                                               f"{scale['maxReplicas']}; expected minReplicas <= "
                                                               "maxReplicas")
    if runtime == "vm" and app["exposure"] == "public":
        raise ConfigError(source, "app:app.exposure", "a VM is never reachable from the internet; use internal (a "
                                                      "public entrance for VMs is planned by hand: load balancer and "
                                                      "WAF)")
    if runtime == "vm" and not app["data"]["keyVault"]:
        raise ConfigError(source, "app:app.data.keyVault", "false, but the VMs' break-glass passwords are kept in the "
                                                           "app's Key Vault; set app:app.data.keyVault: true")
    groups = [group["name"] for group in app.get("functions", {}).get("groups", ())]
    twice = sorted({name for name in groups if groups.count(name) > 1})
    if twice:
        raise ConfigError(source, "app:app.functions.groups", f"{twice[0]!r} named twice; expected one function app "
                                                              "per group name")
    settings, secrets = app.get("settings", {}), app.get("secrets", {})
    for name in sorted(set(settings) & set(secrets)):
        raise ConfigError(source, f"app:app.settings.{name}", "also a secret; keep it only under app:app.secrets (a "
                                                              "Key Vault reference)")
    for name, value in sorted(settings.items()):
        if is_secret_name(name) or is_secret_value(value):
            raise ConfigError(source, f"app:app.settings.{name}", "holds a secret; move it to the app's Key Vault and "
                                                                  "reference it under app:app.secrets ("
                                                                  f"{name}: <key vault secret name>)")
    if secrets and not app["data"]["keyVault"]:
        raise ConfigError(source, "app:app.secrets", "secrets are Key Vault references, but data.keyVault is false; "
                                                     "set app:app.data.keyVault: true")
    if app["location"] != location:
        raise ConfigError(source, "app:app.location", f"{app['location']!r} differs from azure-native:location "
                                                      f"{location!r}; expected the same region")
    if "databaseAdminGroup" in app and not (app["data"]["postgres"] or app["data"]["mysql"]):
        raise ConfigError(source, "app:app.databaseAdminGroup", "the app has no database; remove the key")
    if "customDomain" in app and app["exposure"] != "public":
        raise ConfigError(source, "app:app.customDomain", "only a public app (exposure: public) has a custom domain "
                                                          "on the city's Front Door; remove the key or set "
                                                          "app:app.exposure: public")


def validate(config: Mapping[str, Any], source: str) -> None:
    """Check a stack file's `config:` mapping (what `cityctl migrate generate` writes before it writes it)."""
    read(config, source)
