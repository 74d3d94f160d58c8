"""Which input changes make Azure recreate a resource, and which resources hold data: the plan diff's two tables.

Both tables match on the unversioned type token (`azure-native:storage/v20230101:StorageAccount` is
`azure-native:storage:StorageAccount`).

Replacement (`replace_rules_for`) comes from three sources, in this order:

1. Every Azure resource: `location` (Azure never moves a resource; a new region is a new resource).
2. The path parameters of the resource's ARM id: its own name, its resource group and the names of its parents
   (`accountName` of a blob container, `virtualNetworkName` of a subnet, `scope` of a lock). They are read from the
   ARM id templates the offline plan already keeps (`scripts/offline/arm_types.py`) plus `EXTRA_PATH_PARAMETERS`
   below for types the plan has no mock for; azure-native marks every path parameter as forcing replacement.
3. `TYPE_RULES`: body properties Azure cannot change in place, with the reason and, where only some changes force
   recreation (a storage account's SKU *tier*, a NIC moving to another virtual network), a comparison.

A type in none of the tables still gets `location`, `resourceGroupName` and a top-level `name`/`resourceName`;
add its entry here when it matters.

Stateful types, whose deletion or replacement loses data, are `core/stateful.py`'s `STATEFUL_TYPES` (one table for
the whole toolkit, with what each type loses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

from amsterdam_cloud.core.stateful import STATEFUL_TYPES
from amsterdam_cloud.scripts.offline.arm_types import ARM_ID_TEMPLATES, RG

Inputs = Mapping[str, Any]
Forces = Callable[[Inputs, Inputs], bool]
"""forces(before_inputs, after_inputs): True when this particular change makes Azure recreate the resource."""


@dataclass(frozen=True)
class ReplaceRule:
    """An input path whose change forces recreation, and why; `forces` narrows it to some changes only."""

    path: str
    """camelCase input path; `[*]` matches every item of a list (`ipConfigurations[*].subnet.id`)."""
    why: str
    forces: Forces | None = None
    """None: every change under `path` forces replacement."""


def base_type(token: str) -> str:
    """`azure-native:storage/v20230101:StorageAccount` as `azure-native:storage:StorageAccount`."""
    parts = token.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        parts[1] = parts[1].split("/", 1)[0]
    return ":".join(parts)


# -- comparisons for rules that only some changes trigger ---------------------------------------------------------

def _at(inputs: Inputs, *path: str) -> Any:
    value: Any = inputs
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _sku_tier(inputs: Inputs) -> Any:
    """`Standard_GRS` -> `standard`, `Premium_LRS` -> `premium` (the tier is the part before the underscore)."""
    name = _at(inputs, "sku", "name")
    return name.split("_", 1)[0].lower() if isinstance(name, str) else name


def _storage_tier_changed(before: Inputs, after: Inputs) -> bool:
    return _sku_tier(before) != _sku_tier(after)


_VNET_OF = re.compile(r"^(.*/virtualnetworks/[^/]+)/subnets/[^/]+$", re.IGNORECASE)


def _vnets(inputs: Inputs) -> list[Any]:
    configurations = inputs.get("ipConfigurations")
    if not isinstance(configurations, list):
        return []
    vnets = []
    for configuration in configurations:
        subnet = _at(configuration, "subnet", "id") if isinstance(configuration, Mapping) else None
        match = _VNET_OF.match(subnet) if isinstance(subnet, str) else None
        vnets.append(match.group(1).lower() if match else subnet)
    return vnets


def _nic_changes_network(before: Inputs, after: Inputs) -> bool:
    """Azure moves a NIC between subnets of one virtual network in place, never to another network."""
    return _vnets(before) != _vnets(after)


# -- the tables ---------------------------------------------------------------------------------------------------

EXTRA_PATH_PARAMETERS: dict[str, tuple[str, ...]] = {
    # Stateful children the offline plan has no ARM template for, so their names still force replacement.
    "azure-native:storage:Queue": ("resourceGroupName", "accountName", "queueName"),
    "azure-native:storage:Table": ("resourceGroupName", "accountName", "tableName"),
    "azure-native:sql:Database": ("resourceGroupName", "serverName", "databaseName"),
    "azure-native:sql:ManagedInstance": ("resourceGroupName", "managedInstanceName"),
    "azure-native:dbforpostgresql:Database": ("resourceGroupName", "serverName", "databaseName"),
    "azure-native:dbformysql:Database": ("resourceGroupName", "serverName", "databaseName"),
    "azure-native:cosmosdb:SqlResourceSqlDatabase": ("resourceGroupName", "accountName", "databaseName"),
    "azure-native:cosmosdb:SqlResourceSqlContainer":
        ("resourceGroupName", "accountName", "databaseName", "containerName"),
    "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase": ("resourceGroupName", "accountName", "databaseName"),
    "azure-native:compute:Snapshot": ("resourceGroupName", "snapshotName"),
    "azure-native:recoveryservices:Vault": ("resourceGroupName", "vaultName"),
    "azure-native:dataprotection:BackupVault": ("resourceGroupName", "vaultName"),
}

TYPE_RULES: dict[str, tuple[ReplaceRule, ...]] = {
    "azure-native:storage:StorageAccount": (
        ReplaceRule("kind", "Azure cannot convert between most account kinds (BlockBlobStorage, FileStorage, "
                            "StorageV2) in place"),
        ReplaceRule("sku.name", "the SKU tier (Standard or Premium) is fixed when the account is created",
                    _storage_tier_changed),
        ReplaceRule("isHnsEnabled", "the hierarchical namespace (Data Lake Gen2) is set at creation"),
        ReplaceRule("enableNfsV3", "NFS v3 is set at creation"),
        ReplaceRule("encryption.requireInfrastructureEncryption", "infrastructure encryption is set at creation"),
    ),
    "azure-native:storage:FileShare": (
        ReplaceRule("enabledProtocols", "a share's protocol (SMB or NFS) is set at creation"),
    ),
    "azure-native:network:NetworkInterface": (
        ReplaceRule("ipConfigurations[*].subnet.id", "a NIC can move between subnets of its virtual network, "
                                                     "never to another virtual network", _nic_changes_network),
    ),
    "azure-native:network:PrivateEndpoint": (
        ReplaceRule("subnet.id", "a private endpoint cannot move to another subnet"),
        ReplaceRule("privateLinkServiceConnections[*].privateLinkServiceId",
                    "a private endpoint connects to one resource for life"),
        ReplaceRule("privateLinkServiceConnections[*].groupIds",
                    "a private endpoint's sub-resource (blob, vault, ...) is set at creation"),
    ),
    "azure-native:network:PublicIPAddress": (
        ReplaceRule("sku.name", "Basic and Standard public IPs are different resources"),
        ReplaceRule("zones", "availability zones are set at creation"),
        ReplaceRule("publicIPAddressVersion", "IPv4 or IPv6 is set at creation"),
    ),
    "azure-native:network:VirtualNetworkPeering": (
        ReplaceRule("remoteVirtualNetwork.id", "a peering connects one pair of networks for life"),
    ),
    "azure-native:privatedns:VirtualNetworkLink": (
        ReplaceRule("virtualNetwork.id", "a DNS zone link belongs to one virtual network for life"),
    ),
    "azure-native:network:AzureFirewall": (
        ReplaceRule("zones", "availability zones are set at creation"),
    ),
    "azure-native:network:ApplicationGateway": (
        ReplaceRule("zones", "availability zones are set at creation"),
    ),
    "azure-native:keyvault:Key": (
        ReplaceRule("properties.kty", "a key's type (RSA, EC, HSM) is fixed; a new type is a new key"),
        ReplaceRule("properties.keySize", "a key's size is fixed; a new size is a new key"),
        ReplaceRule("properties.curveName", "an elliptic-curve key's curve is fixed"),
    ),
    "azure-native:authorization:RoleAssignment": (
        ReplaceRule("principalId", "role assignments are immutable in Azure"),
        ReplaceRule("roleDefinitionId", "role assignments are immutable in Azure"),
    ),
    "azure-native:compute:VirtualMachine": (
        ReplaceRule("zones", "availability zones are set at creation"),
        ReplaceRule("availabilitySet", "a VM joins an availability set only at creation"),
        ReplaceRule("osProfile.computerName", "the OS profile is applied once, at creation"),
        ReplaceRule("osProfile.adminUsername", "the OS profile is applied once, at creation"),
        ReplaceRule("storageProfile.imageReference", "the image is used only to create the OS disk"),
        ReplaceRule("storageProfile.osDisk.createOption", "the OS disk's origin is set at creation"),
        ReplaceRule("securityProfile.securityType", "Trusted Launch and confidential VMs are chosen at creation"),
    ),
    "azure-native:compute:Disk": (
        ReplaceRule("creationData", "a disk's source (empty, image, snapshot, copy) is set at creation"),
        ReplaceRule("zones", "availability zones are set at creation"),
    ),
    "azure-native:dbforpostgresql:Server": (
        ReplaceRule("administratorLogin", "the administrator login is set at creation"),
        ReplaceRule("network.delegatedSubnetResourceId", "VNet integration is chosen at creation"),
        ReplaceRule("network.privateDnsZoneArmResourceId", "the private DNS zone is chosen at creation"),
        ReplaceRule("createMode", "the creation mode (default, restore, replica) applies only at creation"),
    ),
    "azure-native:dbformysql:Server": (
        ReplaceRule("administratorLogin", "the administrator login is set at creation"),
        ReplaceRule("network.delegatedSubnetResourceId", "VNet integration is chosen at creation"),
        ReplaceRule("createMode", "the creation mode (default, restore, replica) applies only at creation"),
    ),
    "azure-native:sql:Server": (
        ReplaceRule("administratorLogin", "the SQL administrator login is set at creation"),
    ),
    "azure-native:cosmosdb:DatabaseAccount": (
        ReplaceRule("kind", "the API (NoSQL, MongoDB, ...) of an account is set at creation"),
        ReplaceRule("createMode", "the creation mode (default, restore) applies only at creation"),
    ),
    "azure-native:containerservice:ManagedCluster": (
        ReplaceRule("dnsPrefix", "the API server's DNS prefix is set at creation"),
        ReplaceRule("nodeResourceGroup", "the node resource group is set at creation"),
        ReplaceRule("networkProfile.networkPlugin", "the network plugin is chosen at creation"),
        ReplaceRule("apiServerAccessProfile.enablePrivateCluster", "a private cluster is chosen at creation"),
    ),
    "azure-native:app:ManagedEnvironment": (
        ReplaceRule("vnetConfiguration", "an environment's network (subnet, internal or external) is set at "
                                         "creation"),
        ReplaceRule("zoneRedundant", "zone redundancy is set at creation"),
    ),
    "azure-native:web:AppServicePlan": (
        ReplaceRule("kind", "Linux and Windows plans are different resources"),
        ReplaceRule("reserved", "Linux (reserved) and Windows plans are different resources"),
    ),
    "azure-native:redis:Redis": (
        ReplaceRule("subnetId", "a cache joins a virtual network only at creation"),
        ReplaceRule("zones", "availability zones are set at creation"),
    ),
    "azure-native:cognitiveservices:Account": (
        ReplaceRule("kind", "the kind of AI service is set at creation"),
    ),
    "azure-native:machinelearningservices:Workspace": (
        ReplaceRule("storageAccount", "a workspace's storage account is fixed after creation"),
        ReplaceRule("hbiWorkspace", "high business impact mode is set at creation"),
    ),
    "azure-native:desktopvirtualization:ApplicationGroup": (
        ReplaceRule("hostPoolArmPath", "an application group belongs to one host pool for life"),
        ReplaceRule("applicationGroupType", "desktop and remote-app groups are different resources"),
    ),
    "azure-native:communication:CommunicationService": (
        ReplaceRule("dataLocation", "where a Communication Service keeps its data is set at creation"),
    ),
}

FALLBACK_NAME_INPUTS = ("resourceGroupName", "name", "resourceName")
"""For a type in no table: the inputs that, by azure-native's conventions, are usually its path parameters."""

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=None)
def path_parameters(type_token: str) -> tuple[str, ...]:
    """The inputs that make up the resource's ARM id (its names and its parents' names), in id order."""
    token = base_type(type_token)
    template = ARM_ID_TEMPLATES.get(token)
    if template is not None:
        names = _PLACEHOLDER.findall(template.replace("{rg}", RG))
        return tuple(dict.fromkeys(n for n in names if n != "subscriptionId"))
    return EXTRA_PATH_PARAMETERS.get(token, FALLBACK_NAME_INPUTS)


def own_name_input(type_token: str) -> str | None:
    """The input that holds the resource's own name (the last path parameter), when the type is known."""
    token = base_type(type_token)
    if token in ARM_ID_TEMPLATES or token in EXTRA_PATH_PARAMETERS:
        return path_parameters(token)[-1]
    return None


@lru_cache(maxsize=None)
def replace_rules_for(type_token: str) -> tuple[ReplaceRule, ...]:
    """Every rule that can force replacement of this type: location, the ARM id's parameters, then TYPE_RULES."""
    token = base_type(type_token)
    rules = [ReplaceRule("location", "Azure cannot move a resource to another region")]
    own = own_name_input(token)
    for parameter in path_parameters(token):
        if parameter == own:
            why = "the name is part of the Azure resource id"
        elif parameter == "resourceGroupName":
            why = "the resource group is part of the Azure resource id"
        elif parameter in ("scope", "resourceUri"):
            why = "the scope it is attached to is part of the Azure resource id"
        else:
            why = "the parent's name is part of the Azure resource id"
        rules.append(ReplaceRule(parameter, why))
    rules.extend(TYPE_RULES.get(token, ()))
    return tuple(rules)


def stateful_reason(type_token: str) -> str | None:
    """What is lost when a resource of this type is deleted or replaced; None when it holds no data."""
    return STATEFUL_TYPES.get(base_type(type_token))
