"""The state backend's stack config (`Pulumi.prod.yaml` beside this file), read once with the config readers of
core/config_readers.py, with errors that name the file, the key and the fix."""

from __future__ import annotations

import datetime
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.config_readers import (integer, list_of, matching, one_of, read_project_keys, section,
                                                 string)
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.core.program_config import ConfigError, given_config, read_stack_file, structured
from amsterdam_cloud.stacks.config import DEPLOYER_PRINCIPAL_TYPES

PROJECT = "amsterdam-state-backend"
STACKS_DIR = Path(__file__).resolve().parent
REQUIRED_TAGS = ("owner", "cost-center", "data-classification", "application")

_STORAGE_NAME = re.compile(r"^[a-z0-9]{3,24}$")
_VAULT_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
_CONTAINER_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
_KEY_NAME = re.compile(r"^[a-zA-Z0-9-]{1,127}$")
_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class StateEnvironment:
    """One environment's share of the backend."""

    container_name: str
    key_name: str
    deployer_principal_ids: tuple[str, ...]
    """The environment's CI workload identities: Storage Blob Data Contributor on the container, Key Vault Crypto
    User on the key, nothing on the other environments'."""


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
    environments: dict[str, StateEnvironment]
    """Per environment: its container, its key and the CI identities that may use them (and nothing else)."""
    home_environment: str
    """The environment whose share holds this stack's own state and the one-stack projects (governance,
    connectivity): its container and key keep the logical names of the single container and key they replaced
    (no replacement), the bootstrap engineer gets rights on them, `loginUrl`/`secretsProvider` name them, and the
    backend's resources carry it as their environment tag."""
    deployer_principal_type: str | None
    """None: not stated, so azure-native sends its default, User; the CI workload identities need ServicePrincipal."""
    private_endpoint_subnet_id: str | None
    """None: no private endpoints yet (the bootstrap, before the connectivity hub exists)."""
    private_dns_zone_ids: dict[str, str]
    bootstrap_allowed_ips: tuple[str, ...]
    """Empty: no public network access at all; set (bootstrap only): a public endpoint that admits these addresses."""
    bootstrap_principal_id: str | None
    """The engineer who runs the bootstrap: data-plane rights on the home environment's container and key."""
    key_expires: int
    """When the secrets-provider keys expire, in seconds since 1970-01-01 UTC (a fixed date, so no run changes it):
    from then on Key Vault refuses to encrypt with them (no new stack), and still decrypts (existing stacks)."""


def _tags(source: str, key: str, value: Any) -> dict[str, str]:
    value = structured(value)
    tags = value if isinstance(value, Mapping) else {}
    missing = [name for name in REQUIRED_TAGS if not isinstance(tags.get(name), str) or not tags[name]]
    if missing:
        raise ConfigError(source, f"{key}.{missing[0]}", "required tag is missing")
    return {name: str(tags[name]) for name in REQUIRED_TAGS}


def _public_ranges(source: str, key: str, value: Any) -> tuple[str, ...]:
    """Public IPv4 addresses or ranges (the bootstrap engineer's egress)."""
    value = structured(value)
    if not isinstance(value, list) or not all(isinstance(ip, str) and _public_range(ip) for ip in value):
        raise ConfigError(source, key, "expected a list of public IPv4 addresses or ranges (the bootstrap engineer's "
                                       "egress)")
    return tuple(value)


def _public_range(text: str) -> bool:
    try:
        network = ipaddress.IPv4Network(text, strict=True)
    except ValueError:
        return False
    return network.is_global and network.prefixlen <= 32


_SHARE = {"containerName": matching(_CONTAINER_NAME, "3-63 lower-case letters, digits and single hyphens"),
          "keyName": matching(_KEY_NAME, "1-127 letters, digits and hyphens"),
          "deployerPrincipalIds": list_of(matching(GUID, "an object id (GUID)"))}


def _environments(source: str, key: str, value: Any) -> dict[str, StateEnvironment]:
    """`{env: {containerName, keyName, deployerPrincipalIds}}`, every environment of the platform, names unique."""
    value = structured(value)
    if not isinstance(value, Mapping) or sorted(value) != sorted(ENVIRONMENTS):
        raise ConfigError(source, key, f"expected one entry per environment ({', '.join(ENVIRONMENTS)}), each "
                                       "{containerName, keyName, deployerPrincipalIds}")
    read: dict[str, StateEnvironment] = {}
    for environment in ENVIRONMENTS:
        share = section(source, f"{key}.{environment}", value[environment], _SHARE, frozenset(_SHARE))
        read[environment] = StateEnvironment(container_name=share["containerName"], key_name=share["keyName"],
                                             deployer_principal_ids=share["deployerPrincipalIds"])
    for field in ("container_name", "key_name"):
        names = [getattr(env, field) for env in read.values()]
        if len(set(names)) != len(names):
            raise ConfigError(source, key, f"two environments share a {field.replace('_', ' ')}; each environment "
                                           "gets its own")
    shared = {p for env in read.values() for p in env.deployer_principal_ids}
    if sum(len(env.deployer_principal_ids) for env in read.values()) != len(shared):
        raise ConfigError(source, key, "a CI identity is listed for two environments; each environment has its own")
    return read


def _expiry(source: str, key: str, value: Any) -> int:
    """A day (`2028-12-01`) as Key Vault's expiry attribute: seconds since 1970-01-01 at that day's start, UTC."""
    if isinstance(value, datetime.date):  # an unquoted YAML date
        value = value.isoformat()
    try:
        day = datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ConfigError(source, key, "expected the day the secrets-provider keys expire, YYYY-MM-DD, e.g. "
                                       "2028-12-01 (move the stacks to a new key before it: stacks/state_backend/"
                                       "README.md)")
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp())


def _zone_ids(source: str, key: str, value: Any) -> dict[str, str]:
    zone = matching(_ARM_ID, "the resource id of a privatelink DNS zone")
    return section(source, key, value, {"blob": zone, "vault": zone}, frozenset())


_FIELDS = {
    "subscriptionId": matching(GUID, "a subscription GUID"),
    "location": string,
    "resourceGroupName": string,
    "storageAccountName": matching(_STORAGE_NAME, "3-24 lower-case letters and digits"),
    "keyVaultName": matching(_VAULT_NAME, "3-24 letters, digits and hyphens, starting with a letter"),
    "softDeleteRetentionDays": integer(7, 365),
    "logRetentionDays": integer(365, 730),
    "tags": _tags,
    "environments": _environments,
    "homeEnvironment": one_of(ENVIRONMENTS),
    "deployerPrincipalType": one_of(DEPLOYER_PRINCIPAL_TYPES),
    "privateEndpointSubnetId": matching(_ARM_ID, "a subnet resource id"),
    "privateDnsZoneIds": _zone_ids,
    "bootstrapAllowedIps": _public_ranges,
    "bootstrapPrincipalId": matching(GUID, "the engineer's object id (a GUID)"),
    "keyExpiresOn": _expiry,
}
_REQUIRED = frozenset({"subscriptionId", "location", "resourceGroupName", "storageAccountName", "keyVaultName",
                       "softDeleteRetentionDays", "logRetentionDays", "tags", "environments", "homeEnvironment",
                       "keyExpiresOn"})


def parse(raw: Mapping[str, Any], source: str, stack: str | None = None) -> BackendConfig:
    """Validate the stack's config (keys as `project:key`, values as in the stack file or as the CLI passes them)."""
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=_REQUIRED, source=source, stack=stack)
    subnet, allowed = read.get("privateEndpointSubnetId"), read.get("bootstrapAllowedIps", ())
    zones = read.get("privateDnsZoneIds", {})
    for group in ("blob", "vault") if subnet else ():
        if group not in zones:
            raise ConfigError(source, f"{PROJECT}:privateDnsZoneIds.{group}",
                              f"expected the resource id of the privatelink DNS zone for {group}")
    if not subnet and not allowed:
        raise ConfigError(source, f"{PROJECT}:privateEndpointSubnetId", "neither it nor bootstrapAllowedIps is set, "
                          "so nothing could reach the backend; set privateEndpointSubnetId (the connectivity hub's "
                          "snet-private-endpoints) or, for the bootstrap only, bootstrapAllowedIps")
    return BackendConfig(
        subscription_id=read["subscriptionId"], location=read["location"],
        resource_group_name=read["resourceGroupName"], storage_account_name=read["storageAccountName"],
        key_vault_name=read["keyVaultName"], soft_delete_retention_days=read["softDeleteRetentionDays"],
        log_retention_days=read["logRetentionDays"],
        tags={**read["tags"], "environment": read["homeEnvironment"]}, environments=read["environments"],
        home_environment=read["homeEnvironment"], deployer_principal_type=read.get("deployerPrincipalType"),
        private_endpoint_subnet_id=subnet,
        private_dns_zone_ids={group: zones[group] for group in ("blob", "vault")} if subnet else {},
        bootstrap_allowed_ips=allowed, bootstrap_principal_id=read.get("bootstrapPrincipalId"),
        key_expires=read["keyExpiresOn"])


def load(stack: str, stacks_dir: Path = STACKS_DIR) -> BackendConfig:
    """Read and validate `stacks/state_backend/Pulumi.<stack>.yaml` (tests, offline tools)."""
    return parse(read_stack_file(stacks_dir / f"Pulumi.{stack}.yaml"), f"stacks/state_backend/Pulumi.{stack}.yaml")


def from_pulumi() -> BackendConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike)."""
    stack, raw = given_config()
    return parse(raw, f"stacks/state_backend/Pulumi.{stack}.yaml")
