"""The self-managed Pulumi state backend: a locked-down Blob Storage account for state, Key Vault keys for secrets.

One container and one key per environment (`environments`), each writable and usable only by that environment's CI
identities, so a dev pipeline can neither read nor alter prod state nor decrypt prod secrets:

    pulumi login 'azblob://<container>?storage_account=<storageAccountName>'
    pulumi stack init <stack> --secrets-provider 'azurekeyvault://<keyVaultName>.vault.azure.net/keys/<key>'

Both lines are exported per environment (`environments.<env>.loginUrl`, `.secretsProvider`). State is versioned,
soft-deleted blobs and containers can be restored for `softDeleteRetentionDays`, point-in-time restore covers one day
less, the account takes Entra ID only (no shared keys, no SAS). Network: private endpoints in the connectivity hub
once it exists (`privateEndpointSubnetId`), and before it, for the bootstrap only, a public endpoint that admits the
listed addresses alone (`bootstrapAllowedIps`); README.md beside this file gives the order. A CanNotDelete lock on
the resource group guards everything in it; stateful resources are also `protect`ed.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import (authorization, keyvault, monitor, network, operationalinsights, resources,
                                 storage)

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.interfaces import omittable_principal_type
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.program_config import ConfigError
from amsterdam_cloud.stacks.config import DEPLOYER_PRINCIPAL_TYPES

PROJECT = "amsterdam-state-backend"
ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ROLE_KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
REQUIRED_TAGS = ("owner", "cost-center", "data-classification", "application")

_STORAGE_NAME = re.compile(r"^[a-z0-9]{3,24}$")
_VAULT_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
_CONTAINER_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
_KEY_NAME = re.compile(r"^[a-zA-Z0-9-]{1,127}$")
_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class BackendConfig:
    """The stack's config, validated once."""

    subscription_id: str
    location: str
    resource_group_name: str
    storage_account_name: str
    key_vault_name: str
    soft_delete_retention_days: int
    log_retention_days: int
    tags: dict[str, str]
    environments: dict[str, "StateEnvironment"]
    """Per environment: its container, its key and the CI identities that may use them (and nothing else)."""
    deployer_principal_type: str | None
    """None: not stated, so azure-native sends its default, User; the CI workload identities need ServicePrincipal."""
    private_endpoint_subnet_id: str | None
    """None: no private endpoints yet (the bootstrap, before the connectivity hub exists)."""
    private_dns_zone_ids: dict[str, str]
    bootstrap_allowed_ips: tuple[str, ...]
    """Empty: no public network access at all; set (bootstrap only): a public endpoint that admits these addresses."""
    bootstrap_principal_id: str | None
    """The engineer who runs the bootstrap: data-plane rights on the state backend's own container and key."""


@dataclass(frozen=True, kw_only=True)
class StateEnvironment:
    """One environment's share of the backend."""

    container_name: str
    key_name: str
    deployer_principal_ids: tuple[str, ...]
    """The environment's CI workload identities: Storage Blob Data Contributor on the container, Key Vault Crypto
    User on the key, nothing on the other environments'."""


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
    environments = _environments(config.get_object("environments"), source)
    principal_type = config.get("deployerPrincipalType")
    if principal_type is not None and principal_type not in DEPLOYER_PRINCIPAL_TYPES:
        raise ConfigError(source, f"{PROJECT}:deployerPrincipalType",
                          f"{principal_type!r}; expected one of {', '.join(DEPLOYER_PRINCIPAL_TYPES)}, or unset")
    subnet = config.get("privateEndpointSubnetId")
    if subnet is not None and not _ARM_ID.match(subnet):
        raise ConfigError(source, f"{PROJECT}:privateEndpointSubnetId", f"expected a subnet resource id, got {subnet!r}")
    zones = config.get_object("privateDnsZoneIds") or {}
    for group in ("blob", "vault") if subnet else ():
        if not isinstance(zones.get(group), str) or not _ARM_ID.match(zones[group]):
            raise ConfigError(source, f"{PROJECT}:privateDnsZoneIds.{group}",
                              f"expected the resource id of the privatelink DNS zone for {group}")
    allowed = config.get_object("bootstrapAllowedIps") or []
    if not isinstance(allowed, list) or not all(isinstance(ip, str) and _public_range(ip) for ip in allowed):
        raise ConfigError(source, f"{PROJECT}:bootstrapAllowedIps", "expected a list of public IPv4 addresses or "
                                                                    "ranges (the bootstrap engineer's egress)")
    if not subnet and not allowed:
        raise ConfigError(source, f"{PROJECT}:privateEndpointSubnetId", "neither it nor bootstrapAllowedIps is set, "
                          "so nothing could reach the backend; set privateEndpointSubnetId (the connectivity hub's "
                          "snet-private-endpoints) or, for the bootstrap only, bootstrapAllowedIps")
    bootstrap = config.get("bootstrapPrincipalId")
    if bootstrap is not None and not GUID.match(bootstrap):
        raise ConfigError(source, f"{PROJECT}:bootstrapPrincipalId", "expected the engineer's object id (a GUID)")
    soft_delete = days("softDeleteRetentionDays", 7, 365)
    return BackendConfig(
        subscription_id=text("subscriptionId", GUID, "a subscription GUID"),
        location=text("location"),
        resource_group_name=text("resourceGroupName"),
        storage_account_name=text("storageAccountName", _STORAGE_NAME, "3-24 lower-case letters and digits"),
        key_vault_name=text("keyVaultName", _VAULT_NAME, "3-24 letters, digits and hyphens, starting with a letter"),
        soft_delete_retention_days=soft_delete,
        log_retention_days=days("logRetentionDays", 365, 730),
        tags={**{name: str(tags[name]) for name in REQUIRED_TAGS}, "environment": "prod"},
        environments=environments, deployer_principal_type=principal_type,
        private_endpoint_subnet_id=subnet,
        private_dns_zone_ids={group: zones[group] for group in ("blob", "vault")} if subnet else {},
        bootstrap_allowed_ips=tuple(allowed), bootstrap_principal_id=bootstrap)


def _public_range(text: str) -> bool:
    try:
        network = ipaddress.IPv4Network(text, strict=True)
    except ValueError:
        return False
    return network.is_global and network.prefixlen <= 32


def _environments(value, source: str) -> dict[str, StateEnvironment]:
    """`{env: {containerName, keyName, deployerPrincipalIds}}`, every environment of the platform, names unique."""
    key = f"{PROJECT}:environments"
    if not isinstance(value, dict) or sorted(value) != sorted(ENVIRONMENTS):
        raise ConfigError(source, key, f"expected one entry per environment ({', '.join(ENVIRONMENTS)}), each "
                                       "{containerName, keyName, deployerPrincipalIds}")
    read: dict[str, StateEnvironment] = {}
    for environment in ENVIRONMENTS:
        entry, where = value[environment], f"{key}.{environment}"
        if not isinstance(entry, dict) or set(entry) != {"containerName", "keyName", "deployerPrincipalIds"}:
            raise ConfigError(source, where, "expected exactly containerName, keyName and deployerPrincipalIds")
        if not isinstance(entry["containerName"], str) or not _CONTAINER_NAME.match(entry["containerName"]):
            raise ConfigError(source, f"{where}.containerName", "expected 3-63 lower-case letters, digits and single "
                                                                "hyphens")
        if not isinstance(entry["keyName"], str) or not _KEY_NAME.match(entry["keyName"]):
            raise ConfigError(source, f"{where}.keyName", "expected 1-127 letters, digits and hyphens")
        principals = entry["deployerPrincipalIds"]
        if not isinstance(principals, list) or not principals:
            raise ConfigError(source, f"{where}.deployerPrincipalIds", "expected a list of the environment's CI "
                                                                       "workload identities' object ids")
        for index, principal in enumerate(principals):
            if not isinstance(principal, str) or not GUID.match(principal):
                raise ConfigError(source, f"{where}.deployerPrincipalIds[{index}]", "expected an object id (GUID)")
        read[environment] = StateEnvironment(container_name=entry["containerName"], key_name=entry["keyName"],
                                             deployer_principal_ids=tuple(principals))
    for field in ("container_name", "key_name"):
        names = [getattr(env, field) for env in read.values()]
        if len(set(names)) != len(names):
            raise ConfigError(source, key, f"two environments share a {field.replace('_', ' ')}; each environment "
                                           "gets its own")
    shared = {p for env in read.values() for p in env.deployer_principal_ids}
    if sum(len(env.deployer_principal_ids) for env in read.values()) != len(shared):
        raise ConfigError(source, key, "a CI identity is listed for two environments; each environment has its own")
    return read


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

    # Public network access only while bootstrapping (before the connectivity hub's endpoints exist), and then only
    # for the listed addresses; otherwise none at all.
    public = "Enabled" if cfg.bootstrap_allowed_ips else "Disabled"
    account = storage.StorageAccount(  # type: ignore[call-overload]  # ipRules=None: the null the plan has always held
        "state", account_name=cfg.storage_account_name, resource_group_name=group.name, location=cfg.location,
        kind="StorageV2", sku={"name": "Standard_ZRS"}, access_tier="Hot",
        minimum_tls_version="TLS1_2", enable_https_traffic_only=True, allow_blob_public_access=False,
        allow_shared_key_access=False, default_to_o_auth_authentication=True,
        allow_cross_tenant_replication=False, public_network_access=public, is_local_user_enabled=False,
        network_rule_set={"default_action": "Deny", "bypass": "AzureServices",
                          "ip_rules": [{"i_p_address_or_range": ip, "action": "Allow"}
                                       for ip in cfg.bootstrap_allowed_ips] or None},
        encryption={"key_source": "Microsoft.Storage", "require_infrastructure_encryption": True,
                    "services": {"blob": {"enabled": True, "key_type": "Account"}}},
        tags=cfg.tags, opts=stateful)
    storage.BlobServiceProperties(
        "state-blobs", resource_group_name=group.name, account_name=account.name, blob_services_name="default",
        is_versioning_enabled=True, change_feed={"enabled": True, "retention_in_days": cfg.soft_delete_retention_days},
        delete_retention_policy={"enabled": True, "days": cfg.soft_delete_retention_days},
        container_delete_retention_policy={"enabled": True, "days": cfg.soft_delete_retention_days},
        restore_policy={"enabled": True, "days": cfg.soft_delete_retention_days - 1})
    diagnostics("state-blob-logs", account.id.apply(lambda id_: f"{id_}/blobServices/default"), workspace.id)

    vault = keyvault.Vault(
        "secrets", vault_name=cfg.key_vault_name, resource_group_name=group.name, location=cfg.location,
        properties={"tenant_id": authorization.get_client_config_output().tenant_id,
                    "sku": {"family": "A", "name": keyvault.SkuName.STANDARD},
                    "enable_rbac_authorization": True, "enable_purge_protection": True, "enable_soft_delete": True,
                    "soft_delete_retention_in_days": 90, "public_network_access": public,
                    "network_acls": {"default_action": "Deny", "bypass": "AzureServices",
                                     "ip_rules": [{"value": ip} for ip in cfg.bootstrap_allowed_ips] or None}},
        tags=cfg.tags, opts=stateful)
    diagnostics("secrets-logs", vault.id, workspace.id)
    if cfg.private_endpoint_subnet_id:
        private_endpoint("state-blob-pe", account.id, "blob", cfg, group.name)
        private_endpoint("secrets-pe", vault.id, "vault", cfg, group.name)

    def role(name: str, scope: pulumi.Input[str], principal: str, role_id: str, principal_type) -> None:
        authorization.RoleAssignment(
            name, scope=scope, principal_id=principal, principal_type=principal_type,
            role_definition_id=f"/subscriptions/{cfg.subscription_id}/providers/Microsoft.Authorization/"
                               f"roleDefinitions/{role_id}")

    outputs = {}
    for environment, share in cfg.environments.items():
        # prod keeps the names it had when one container and one key served every environment (no replacement).
        suffix = "" if environment == "prod" else f"-{environment}"
        container = storage.BlobContainer(
            f"state-container{suffix}", resource_group_name=group.name, account_name=account.name,
            container_name=share.container_name, public_access=storage.PublicAccess.NONE, opts=stateful)
        key = keyvault.Key(
            f"secrets-key{suffix}", resource_group_name=group.name, vault_name=vault.name, key_name=share.key_name,
            properties={"kty": "RSA", "key_size": 4096, "key_ops": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                        "attributes": {"enabled": True}},
            tags=cfg.tags, opts=stateful)
        for index, principal in enumerate(share.deployer_principal_ids):
            deployer = omittable_principal_type(cfg.deployer_principal_type)
            role(f"deployer-{environment}-{index}-state", container.id, principal, ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR,
                 deployer)
            role(f"deployer-{environment}-{index}-key", key.id, principal, ROLE_KEY_VAULT_CRYPTO_USER, deployer)
        if environment == "prod" and cfg.bootstrap_principal_id:
            # The engineer who bootstraps moves this stack's own state into the prod container, under its key.
            role("bootstrap-state", container.id, cfg.bootstrap_principal_id, ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR,
                 "User")
            role("bootstrap-key", key.id, cfg.bootstrap_principal_id, ROLE_KEY_VAULT_CRYPTO_USER, "User")
        outputs[environment] = {
            "containerName": container.name, "keyName": key.name,
            "loginUrl": pulumi.Output.concat("azblob://", container.name, "?storage_account=", account.name),
            "secretsProvider": pulumi.Output.concat("azurekeyvault://", vault.name, ".vault.azure.net/keys/",
                                                    key.name)}

    pulumi.export("storageAccountName", account.name)
    pulumi.export("keyVaultName", vault.name)
    pulumi.export("environments", outputs)
    # The state backend's own stack (and the one-stack projects: governance, connectivity) live in prod's share.
    pulumi.export("loginUrl", outputs["prod"]["loginUrl"])
    pulumi.export("secretsProvider", outputs["prod"]["secretsProvider"])

main()
