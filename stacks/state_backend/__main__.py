"""The self-managed Pulumi state backend: a locked-down Blob Storage account for state, a Key Vault key for secrets.

    pulumi login 'azblob://<containerName>?storage_account=<storageAccountName>'
    pulumi stack init <stack> --secrets-provider 'azurekeyvault://<keyVaultName>.vault.azure.net/keys/<keyName>'

Both lines are exported (`loginUrl`, `secretsProvider`). State is versioned, soft-deleted blobs and containers can
be restored for `softDeleteRetentionDays`, point-in-time restore covers one day less, the account takes Entra ID
only (no shared keys, no SAS), no public access at all: private endpoints in the hub, deploy agents in the VNet.
A CanNotDelete lock on the resource group guards everything in it; stateful resources are also `protect`ed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import (authorization, keyvault, monitor, network, operationalinsights, resources,
                                 storage)

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import omittable_principal_type
from amsterdam_cloud.stacks.config import DEPLOYER_PRINCIPAL_TYPES, ConfigError

PROJECT = "amsterdam-state-backend"
KEY_NAME = "pulumi-state"
ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ROLE_KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
REQUIRED_TAGS = ("owner", "cost-center", "data-classification", "application")

_STORAGE_NAME = re.compile(r"^[a-z0-9]{3,24}$")
_VAULT_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
_CONTAINER_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class BackendConfig:
    """The stack's config, validated once."""

    subscription_id: str
    location: str
    resource_group_name: str
    storage_account_name: str
    key_vault_name: str
    container_name: str
    soft_delete_retention_days: int
    log_retention_days: int
    tags: dict[str, str]
    deployer_principal_ids: tuple[str, ...]
    deployer_principal_type: str | None
    """None: not stated, so azure-native sends its default, User; the CI workload identities need ServicePrincipal."""
    private_endpoint_subnet_id: str
    private_dns_zone_ids: dict[str, str]


def read_config() -> BackendConfig:
    config = pulumi.Config(PROJECT)
    source = f"stacks/state_backend/Pulumi.{pulumi.get_stack()}.yaml"

    def text(key: str, pattern: re.Pattern[str] | None = None, form: str = "") -> str:
        value = config.get(key)
        if not value:
            raise ConfigError(source, f"{PROJECT}:{key}", "required key is missing")
        if pattern is not None and not pattern.match(value):
            raise ConfigError(source, f"{PROJECT}:{key}", f"expected {form}, got {value!r}")
        return value

    def days(key: str, low: int, high: int) -> int:
        value = config.get_int(key)
        if value is None or not low <= value <= high:
            raise ConfigError(source, f"{PROJECT}:{key}", f"expected a whole number of days from {low} to {high}")
        return value

    tags = config.get_object("tags") or {}
    missing = [name for name in REQUIRED_TAGS if not isinstance(tags.get(name), str) or not tags[name]]
    if missing:
        raise ConfigError(source, f"{PROJECT}:tags.{missing[0]}", "required tag is missing")
    principals = config.get_object("deployerPrincipalIds") or []
    if not isinstance(principals, list) or not principals:
        raise ConfigError(source, f"{PROJECT}:deployerPrincipalIds", "expected a list of the CI workload "
                                                                     "identities' object ids")
    for index, principal in enumerate(principals):
        if not isinstance(principal, str) or not GUID.match(principal):
            raise ConfigError(source, f"{PROJECT}:deployerPrincipalIds[{index}]", "expected an object id (GUID)")
    principal_type = config.get("deployerPrincipalType")
    if principal_type is not None and principal_type not in DEPLOYER_PRINCIPAL_TYPES:
        raise ConfigError(source, f"{PROJECT}:deployerPrincipalType",
                          f"{principal_type!r}; expected one of {', '.join(DEPLOYER_PRINCIPAL_TYPES)}, or unset")
    zones = config.get_object("privateDnsZoneIds") or {}
    for group in ("blob", "vault"):
        if not isinstance(zones.get(group), str) or not _ARM_ID.match(zones[group]):
            raise ConfigError(source, f"{PROJECT}:privateDnsZoneIds.{group}",
                              f"expected the resource id of the privatelink DNS zone for {group}")
    soft_delete = days("softDeleteRetentionDays", 7, 365)
    return BackendConfig(
        subscription_id=text("subscriptionId", GUID, "a subscription GUID"),
        location=text("location"),
        resource_group_name=text("resourceGroupName"),
        storage_account_name=text("storageAccountName", _STORAGE_NAME, "3-24 lower-case letters and digits"),
        key_vault_name=text("keyVaultName", _VAULT_NAME, "3-24 letters, digits and hyphens, starting with a letter"),
        container_name=config.get("containerName") or "pulumi-state",
        soft_delete_retention_days=soft_delete,
        log_retention_days=days("logRetentionDays", 365, 730),
        tags={**{name: str(tags[name]) for name in REQUIRED_TAGS}, "environment": "prod"},
        deployer_principal_ids=tuple(principals), deployer_principal_type=principal_type,
        private_endpoint_subnet_id=text("privateEndpointSubnetId", _ARM_ID, "a subnet resource id"),
        private_dns_zone_ids={"blob": zones["blob"], "vault": zones["vault"]})


def private_endpoint(name: str, target_id: pulumi.Input[str], group: str, cfg: BackendConfig,
                     group_name: pulumi.Input[str]) -> network.PrivateEndpoint:
    """A private endpoint for one sub-resource (`blob`, `vault`) with its record in the hub's privatelink zone."""
    endpoint = network.PrivateEndpoint(
        name, resource_group_name=group_name, location=cfg.location, subnet={"id": cfg.private_endpoint_subnet_id},
        private_link_service_connections=[{"name": name, "private_link_service_id": target_id,
                                           "group_ids": [group]}],
        tags=cfg.tags)
    network.PrivateDnsZoneGroup(
        f"{name}-dns", resource_group_name=group_name, private_endpoint_name=endpoint.name,
        private_dns_zone_group_name="default",
        private_dns_zone_configs=[{"name": group, "private_dns_zone_id": cfg.private_dns_zone_ids[group]}])
    return endpoint


def diagnostics(name: str, resource_uri: pulumi.Input[str], workspace_id: pulumi.Input[str]) -> None:
    monitor.DiagnosticSetting(
        name, name=name, resource_uri=resource_uri, workspace_id=workspace_id,
        logs=[{"category_group": "audit", "enabled": True}, {"category_group": "allLogs", "enabled": True}])


def main() -> None:
    cfg = read_config()
    stateful = pulumi.ResourceOptions(protect=True)

    group = resources.ResourceGroup("state-group", resource_group_name=cfg.resource_group_name, location=cfg.location,
                                    tags=cfg.tags)
    authorization.ManagementLockByScope(
        "state-lock", scope=group.id, lock_name="pulumi-state-cannot-delete", level="CanNotDelete",
        notes="Holds the state of every Pulumi stack of the city's platform; remove only with a change ticket.")
    workspace = operationalinsights.Workspace(
        "state-audit", resource_group_name=group.name, location=cfg.location, sku={"name": "PerGB2018"},
        retention_in_days=cfg.log_retention_days, features={"disable_local_auth": True}, tags=cfg.tags, opts=stateful)

    account = storage.StorageAccount(
        "state", account_name=cfg.storage_account_name, resource_group_name=group.name, location=cfg.location,
        kind="StorageV2", sku={"name": "Standard_ZRS"}, access_tier="Hot",
        minimum_tls_version="TLS1_2", enable_https_traffic_only=True, allow_blob_public_access=False,
        allow_shared_key_access=False, default_to_o_auth_authentication=True,
        allow_cross_tenant_replication=False, public_network_access="Disabled", is_local_user_enabled=False,
        network_rule_set={"default_action": "Deny", "bypass": "AzureServices"},
        encryption={"key_source": "Microsoft.Storage", "require_infrastructure_encryption": True,
                    "services": {"blob": {"enabled": True, "key_type": "Account"}}},
        tags=cfg.tags, opts=stateful)
    storage.BlobServiceProperties(
        "state-blobs", resource_group_name=group.name, account_name=account.name, blob_services_name="default",
        is_versioning_enabled=True, change_feed={"enabled": True, "retention_in_days": cfg.soft_delete_retention_days},
        delete_retention_policy={"enabled": True, "days": cfg.soft_delete_retention_days},
        container_delete_retention_policy={"enabled": True, "days": cfg.soft_delete_retention_days},
        restore_policy={"enabled": True, "days": cfg.soft_delete_retention_days - 1})
    container = storage.BlobContainer(
        "state-container", resource_group_name=group.name, account_name=account.name,
        container_name=cfg.container_name, public_access="None", opts=stateful)
    diagnostics("state-blob-logs", account.id.apply(lambda id_: f"{id_}/blobServices/default"), workspace.id)
    private_endpoint("state-blob-pe", account.id, "blob", cfg, group.name)

    vault = keyvault.Vault(
        "secrets", vault_name=cfg.key_vault_name, resource_group_name=group.name, location=cfg.location,
        properties={"tenant_id": authorization.get_client_config_output().tenant_id,
                    "sku": {"family": "A", "name": "standard"},
                    "enable_rbac_authorization": True, "enable_purge_protection": True, "enable_soft_delete": True,
                    "soft_delete_retention_in_days": 90, "public_network_access": "Disabled",
                    "network_acls": {"default_action": "Deny", "bypass": "AzureServices"}},
        tags=cfg.tags, opts=stateful)
    key = keyvault.Key(
        "secrets-key", resource_group_name=group.name, vault_name=vault.name, key_name=KEY_NAME,
        properties={"kty": "RSA", "key_size": 4096, "key_ops": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                    "attributes": {"enabled": True}},
        tags=cfg.tags, opts=stateful)
    diagnostics("secrets-logs", vault.id, workspace.id)
    private_endpoint("secrets-pe", vault.id, "vault", cfg, group.name)

    for index, principal in enumerate(cfg.deployer_principal_ids):
        authorization.RoleAssignment(
            f"deployer-{index}-state", scope=container.id, principal_id=principal,
            principal_type=omittable_principal_type(cfg.deployer_principal_type),
            role_definition_id=f"/subscriptions/{cfg.subscription_id}/providers/Microsoft.Authorization/"
                               f"roleDefinitions/{ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR}")
        authorization.RoleAssignment(
            f"deployer-{index}-key", scope=key.id, principal_id=principal,
            principal_type=omittable_principal_type(cfg.deployer_principal_type),
            role_definition_id=f"/subscriptions/{cfg.subscription_id}/providers/Microsoft.Authorization/"
                               f"roleDefinitions/{ROLE_KEY_VAULT_CRYPTO_USER}")

    pulumi.export("storageAccountName", account.name)
    pulumi.export("containerName", container.name)
    pulumi.export("keyVaultName", vault.name)
    pulumi.export("loginUrl", pulumi.Output.concat("azblob://", container.name, "?storage_account=", account.name))
    pulumi.export("secretsProvider",
                  pulumi.Output.concat("azurekeyvault://", vault.name, ".vault.azure.net/keys/", key.name))


main()
