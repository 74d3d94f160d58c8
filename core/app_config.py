"""The app stack config contract: what `cityctl migrate generate` writes and the app template (`templates/app/`) reads.

Documented in docs/app-config.md. One `Pulumi.<env>.yaml` per app and environment, whose `config:` holds:

- `azure-native:location`: the Azure region (an EU region; westeurope unless chosen otherwise);
- `app:platformStack`: the platform stack to read outputs from, `organization/amsterdam-platform/<env>` (the city's self-managed backend);
- `app:app`: the structured app value described by `APP_SCHEMA`.

`validate(config, source)` is the one check both sides use: the generator before it writes, the app template
when it reads (`from amsterdam_cloud.core.app_config import validate`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.core.regions import EU_REGIONS
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.secrets import is_secret_name, is_secret_value

SCHEMA_VERSION = 1
"""Bumped when a field changes meaning or a required field is added; the template refuses newer versions."""

FLEX_MEMORY_MB = (512, 2048, 4096)
"""The instance sizes Flex Consumption offers (MB); CPU follows memory."""
CPU_MEMORY: dict[float, float] = {0.25: 0.5, 0.5: 1.0, 0.75: 1.5, 1.0: 2.0, 1.25: 2.5, 1.5: 3.0, 1.75: 3.5, 2.0: 4.0,
                                  4.0: 8.0}
"""Container Apps consumption sizes: the vCPU Azure accepts and the memory (GiB) that goes with each."""
ENV_NAME = "^[A-Za-z_][A-Za-z0-9_.-]*$"
"""An environment variable name as sources write them (`DB_HOST`, `Api-Token`; Kubernetes and Container Apps
accept `-` and `.`)."""
APP_OPERATIONS_FILE = Path(__file__).resolve().parent / "app_operations.yaml"
"""Each environment's operational defaults for an app (prod: HA, geo-redundant backups, locks, protection): config,
so environments differ through it and the stack files, never through an environment's name in code."""

DEFAULT_LOCATION = "westeurope"

_DATABASE = {
    "type": ["object", "null"],
    "required": ["sku", "storageGb", "version"],
    "additionalProperties": False,
    "properties": {
        "sku": {"type": "string", "pattern": "^Standard_[A-Za-z0-9_]+$"},
        "storageGb": {"type": "integer", "minimum": 20, "maximum": 32767},
        "version": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)*$"},
    },
}

_VM = {
    "type": "object",
    "required": ["size", "os", "count"],
    "additionalProperties": False,
    "properties": {
        "size": {"type": "string", "pattern": "^Standard_[A-Za-z0-9_]+$"},
        "os": {"enum": ["linux", "windows"]},
        "count": {"type": "integer", "minimum": 1, "maximum": 99},
        "osDiskGb": {"type": "integer", "minimum": 30, "maximum": 4095},
        "dataDisksGb": {"type": "array", "maxItems": 16, "items": {"type": "integer", "minimum": 4, "maximum": 32767}},
        "sshPublicKey": {"type": "string", "pattern": "^(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/]+={0,2}( .*)?$"},
    },
}
"""A rehosted server group (runtime vm): like VMs built by components/compute/virtual_machine.py in the spoke; a
Linux group signs in with the break-glass `sshPublicKey` only (required when it is planned, not when the migration
writes the config: the migration cannot know the key)."""

def _named_list(key: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An optional data service given as a non-empty list of named items under `key` (or null: none)."""
    return {"type": ["object", "null"], "required": [key], "additionalProperties": False,
            "properties": {key: {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["name"], "additionalProperties": False, "properties": properties}}}}


_COSMOS = _named_list("containers", {"name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,255}$"},
                                     "partitionKey": {"type": "string", "pattern": "^/[^/]+$"}})
"""Cosmos DB for NoSQL (where DynamoDB tables move): one container per table, its hash key as partition key."""
_SERVICE_BUS = _named_list("queues", {
    "name": {"type": "string", "pattern": "^[A-Za-z0-9]([A-Za-z0-9._/-]{0,258}[A-Za-z0-9])?$"},
    "sessions": {"type": "boolean"}})
"""A Service Bus namespace (where SQS queues move): one queue per source queue, sessions for a FIFO queue."""

FUNCTION_TRIGGERS = ("http", "timer", "serviceBusQueue", "serviceBusTopic", "storageQueue", "eventHubs",
                     "eventGridBlob", "cosmosDbChangeFeed")
"""The Azure Functions triggers a migrated function uses (what `map` derives from the Lambda's event sources)."""
_FUNCTIONS = {
    "type": "object",
    "required": ["plan", "groups"],
    "additionalProperties": False,
    "properties": {
        "plan": {"enum": ["flex", "premium"]},
        "groups": {"type": "array", "minItems": 1, "maxItems": 10, "items": {
            "type": "object",
            "required": ["name", "stack"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9]{0,11}$"},
                "stack": {"type": "string", "pattern": "^(PYTHON|NODE|JAVA|DOTNETCORE|DOTNET-ISOLATED|POWERSHELL)"
                                                       "\\|[0-9]+(\\.[0-9]+)?(-lts)?$"},
                "memoryMb": {"enum": list(FLEX_MEMORY_MB)},
                "functions": {"type": "array", "items": {"type": "string"}},
                "triggers": {"type": "array", "items": {"enum": list(FUNCTION_TRIGGERS)}},
            },
        }},
    },
}
"""Function apps (runtime function): one per group, Flex Consumption or Elastic Premium, built by
components/app_hosting/function_app.py in the spoke."""

DATABASE_ADMIN_GROUP: dict[str, Any] = {
    "type": "object", "required": ["displayName", "objectId"], "additionalProperties": False,
    "properties": {"displayName": {"type": "string", "pattern": "^[^'\"\\\\;]{1,120}$"},
                   "objectId": {"type": "string", "pattern": GUID.pattern.replace("a-f", "a-fA-F")}},
}
"""`databaseAdminGroup`: the team's Entra group (display name, object id) that is its databases' Entra
administrator; never the app. Written by `cityctl migrate generate` from the overrides file."""

APP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schemaVersion", "name", "team", "costCenter", "runtime", "exposure", "dataClassification",
                 "location", "data", "scale", "source"],
    "additionalProperties": False,
    "properties": {
        "schemaVersion": {"const": SCHEMA_VERSION},
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]{1,22}[a-z0-9]$"},
        "team": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$"},
        "costCenter": {"type": "string", "pattern": "^CC-[0-9]{4,6}$"},
        "runtime": {"enum": ["container", "web", "vm", "function"]},
        "image": {"type": "string", "minLength": 1},
        "stack": {"type": "string", "pattern": "^[A-Z]+\\|[0-9A-Za-z.\\-]+$"},
        "vm": _VM,
        "functions": _FUNCTIONS,
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "secrets": {"type": "object", "propertyNames": {"pattern": ENV_NAME},
                    "additionalProperties": {"type": "string", "pattern": "^[0-9A-Za-z-]{1,127}$"}},
        "settings": {"type": "object", "propertyNames": {"pattern": ENV_NAME},
                     "additionalProperties": {"type": "string", "maxLength": 4096}},
        "cpu": {"enum": sorted(CPU_MEMORY)},
        "exposure": {"enum": ["internal", "public"]},
        "dataClassification": {"enum": list(DATA_CLASSIFICATIONS)},
        "algorithmRegisterId": {"type": "string", "minLength": 1},
        "location": {"enum": sorted(EU_REGIONS)},
        "registry": {"type": "string", "pattern": "^[a-z0-9]{5,50}\\.azurecr\\.io$"},
        "databaseAdminGroup": DATABASE_ADMIN_GROUP,
        "data": {
            "type": "object",
            "required": ["postgres", "mysql", "storage", "keyVault"],
            "additionalProperties": False,
            "properties": {"postgres": _DATABASE, "mysql": _DATABASE, "storage": {"type": "boolean"},
                           "keyVault": {"type": "boolean"}, "cosmos": _COSMOS, "serviceBus": _SERVICE_BUS},
        },
        "scale": {
            "type": "object",
            "required": ["minReplicas", "maxReplicas"],
            "additionalProperties": False,
            "properties": {"minReplicas": {"type": "integer", "minimum": 0, "maximum": 30},
                           "maxReplicas": {"type": "integer", "minimum": 1, "maximum": 30}},
        },
        "source": {
            "type": "object",
            "required": ["workload"],
            "properties": {"workload": {"type": "string"}, "strategy": {"type": "string"},
                           "wave": {"type": ["integer", "null"]}, "mapping": {"type": "string"}},
        },
    },
    "allOf": [
        {"if": {"properties": {"runtime": {"const": "container"}}}, "then": {"required": ["image"], "not": {"required": ["stack"]}},
         "else": {"not": {"required": ["cpu"]}}},
        {"if": {"properties": {"runtime": {"const": "web"}}}, "then": {"required": ["stack"], "not": {"required": ["image"]}}},
        {"if": {"properties": {"runtime": {"const": "vm"}}},
         "then": {"required": ["vm"], "not": {"anyOf": [{"required": ["image"]}, {"required": ["stack"]}]}},
         "else": {"not": {"required": ["vm"]}}},
        {"if": {"properties": {"runtime": {"const": "function"}}},
         "then": {"required": ["functions"], "not": {"anyOf": [{"required": ["image"]}, {"required": ["stack"]}]}},
         "else": {"not": {"required": ["functions"]}}},
    ],
}

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["azure-native:location", "app:platformStack", "app:app"],
    "additionalProperties": False,
    "properties": {
        "azure-native:location": {"enum": sorted(EU_REGIONS)},
        "app:platformStack": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/amsterdam-platform/(dev|test|acc|prod)$"},
        "app:app": APP_SCHEMA,
    },
}


def validate(config: Mapping[str, Any], source: str) -> None:
    """Check a stack file's `config:` mapping; a mistake is a UserError naming the file and the key."""
    from amsterdam_cloud.core.documents import check_schema

    check_schema(config, CONFIG_SCHEMA, source)
    app = config["app:app"]
    if app["scale"]["minReplicas"] > app["scale"]["maxReplicas"]:
        raise UserError(f"{source}: app:app.scale.minReplicas: {app['scale']['minReplicas']} is above maxReplicas "
                        f"{app['scale']['maxReplicas']}; expected minReplicas <= maxReplicas")
    if app["runtime"] == "vm" and app["exposure"] == "public":
        raise UserError(f"{source}: app:app.exposure: a VM is never reachable from the internet; use internal (a "
                        "public entrance for VMs is planned by hand: load balancer and WAF)")
    if app["runtime"] == "vm" and not app["data"]["keyVault"]:
        raise UserError(f"{source}: app:app.data.keyVault: false, but the VMs' break-glass passwords are kept in the "
                        "app's Key Vault; set app:app.data.keyVault: true")
    groups = [group["name"] for group in app.get("functions", {}).get("groups", [])]
    if len(set(groups)) != len(groups):
        twice = sorted({name for name in groups if groups.count(name) > 1})
        raise UserError(f"{source}: app:app.functions.groups: {twice[0]!r} named twice; expected one function app "
                        "per group name")
    secret_settings = sorted(set(app.get("settings", {})) & set(app.get("secrets", {})))
    if secret_settings:
        raise UserError(f"{source}: app:app.settings.{secret_settings[0]}: also a secret; keep it only under "
                        "app:app.secrets (a Key Vault reference)")
    for name, value in sorted(app.get("settings", {}).items()):
        if is_secret_name(name) or is_secret_value(value):
            raise UserError(f"{source}: app:app.settings.{name}: holds a secret; move it to the app's Key Vault and "
                            f"reference it under app:app.secrets ({name}: <key vault secret name>)")
    if app["location"] != config["azure-native:location"]:
        raise UserError(f"{source}: app:app.location: {app['location']!r} differs from azure-native:location "
                        f"{config['azure-native:location']!r}; expected the same region")
