"""Small, explicit `pulumi stack export` documents built by hand, as the plan diff and the deploy gate read them."""

from __future__ import annotations

import copy
from typing import Any

PROJECT = "amsterdam-platform"
SUBSCRIPTION = "00000001-0000-4000-8000-000000000001"
RG_ID = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-data"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
TAGS = {"owner": "cloud-platform@amsterdam.nl", "cost-center": "CC-4120", "environment": "prod",
        "data-classification": "BBN2", "application": "landing-zone"}


def secret(ciphertext: str) -> dict[str, str]:
    return {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ciphertext}


def urn(type_: str, name: str, stack: str = "prod") -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{type_}::{name}"


def resource(type_: str, name: str, inputs: dict[str, Any], *, id: str = "", outputs: dict[str, Any] | None = None,
             stack: str = "prod", **options: Any) -> dict[str, Any]:
    entry = {"urn": urn(type_, name, stack), "custom": True, "type": type_, "inputs": inputs,
             "outputs": outputs if outputs is not None else {**inputs, **({"id": id} if id else {})},
             "parent": urn("pulumi:pulumi:Stack", f"{PROJECT}-{stack}", stack)}
    if id:
        entry["id"] = id
    entry.update(options)
    return entry


def export(*resources: dict[str, Any], stack: str = "prod") -> dict[str, Any]:
    root = {"urn": urn("pulumi:pulumi:Stack", f"{PROJECT}-{stack}", stack), "custom": False,
            "type": "pulumi:pulumi:Stack"}
    provider = {"urn": urn("pulumi:providers:azure-native", "default_3_29_0", stack), "custom": True,
                "type": "pulumi:providers:azure-native", "id": "c0ffee", "inputs": {"version": "3.29.0"}}
    return {"version": 3, "deployment": {"manifest": {"time": "2026-11-28T00:00:00Z", "magic": "",
                                                      "version": "v3.200.0"},
                                         "resources": [root, provider, *copy.deepcopy(list(resources))]}}


def resource_group(name: str = "rg-data", location: str = "westeurope", **options: Any) -> dict[str, Any]:
    return resource("azure-native:resources:ResourceGroup", "data",
                    {"resourceGroupName": name, "location": location, "tags": dict(TAGS)},
                    id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{name}", **options)


def storage_account(name: str = "stcitydata", **changes: Any) -> dict[str, Any]:
    inputs = {"accountName": name, "resourceGroupName": "rg-data", "location": "westeurope", "kind": "StorageV2",
              "sku": {"name": "Standard_ZRS"}, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
              "tags": dict(TAGS)}
    inputs.update(changes)
    return resource("azure-native:storage:StorageAccount", "data",
                    inputs, id=f"{RG_ID}/providers/Microsoft.Storage/storageAccounts/{inputs['accountName']}")


def postgres_database(name: str = "permits", **options: Any) -> dict[str, Any]:
    return resource("azure-native:dbforpostgresql:Database", "permits-db",
                    {"resourceGroupName": "rg-data", "serverName": "psql-city", "databaseName": name,
                     "charset": "UTF8"},
                    id=f"{RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-city/databases/{name}",
                    **options)


def with_inputs(entry: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of a resource entry with some inputs replaced (None removes the input)."""
    changed = copy.deepcopy(entry)
    for key, value in changes.items():
        if value is None:
            changed["inputs"].pop(key, None)
        else:
            changed["inputs"][key] = value
    return changed
