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

from functools import partial

import pulumi
from pulumi_azure_native import authorization, keyvault, monitor, network, operationalinsights, resources, storage

from amsterdam_cloud.components.interfaces import omittable_principal_type
from amsterdam_cloud.core.storage_logging import logged_services, service_scope
from amsterdam_cloud.stacks.state_backend.config import BackendConfig, from_pulumi

ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ROLE_KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
NOTIFY_BEFORE_EXPIRY = keyvault.RotationPolicyArgs(
    lifetime_actions=[keyvault.LifetimeActionArgs(
        action=keyvault.ActionArgs(type=keyvault.KeyRotationPolicyActionType.NOTIFY),
        trigger=keyvault.TriggerArgs(time_before_expiry="P30D"))],
    attributes=keyvault.KeyRotationPolicyAttributesArgs(expiry_time="P2Y"))
"""The keys' rotation policy, explicit: Key Vault raises its near-expiry event 30 days ahead and never rotates
them. Pulumi's azurekeyvault secrets provider names the key without a version, and gocloud.dev decrypts with the
newest version, so a new version (automatic rotation) would leave every stack unable to decrypt the data key it
stored. A stack moves to a new key with `pulumi stack change-secrets-provider` instead (README.md beside this file)."""


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
    cfg = from_pulumi()
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
    account_kind = "StorageV2"
    account = storage.StorageAccount(  # type: ignore[call-overload]  # ipRules=None: the null the plan has always held
        "state", account_name=cfg.storage_account_name, resource_group_name=group.name, location=cfg.location,
        kind=account_kind, sku={"name": "Standard_ZRS"}, access_tier="Hot",
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
    for service in logged_services(account_kind) or ():  # each service's reads, writes, deletes (CIS 3.5, 3.13, 3.14)
        diagnostics(f"state-{service}-logs", account.id.apply(partial(service_scope, service=service)), workspace.id)

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
        # The home environment keeps the names it had when one container and one key served every environment (no
        # replacement).
        suffix = "" if environment == cfg.home_environment else f"-{environment}"
        container = storage.BlobContainer(
            f"state-container{suffix}", resource_group_name=group.name, account_name=account.name,
            container_name=share.container_name, public_access=storage.PublicAccess.NONE, opts=stateful)
        key = keyvault.Key(
            f"secrets-key{suffix}", resource_group_name=group.name, vault_name=vault.name, key_name=share.key_name,
            properties=keyvault.KeyPropertiesArgs(
                kty="RSA", key_size=4096, key_ops=["encrypt", "decrypt", "wrapKey", "unwrapKey"],
                attributes=keyvault.KeyAttributesArgs(enabled=True, expires=cfg.key_expires),
                rotation_policy=NOTIFY_BEFORE_EXPIRY),
            tags=cfg.tags, opts=stateful)
        for index, principal in enumerate(share.deployer_principal_ids):
            deployer = omittable_principal_type(cfg.deployer_principal_type)
            role(f"deployer-{environment}-{index}-state", container.id, principal, ROLE_STORAGE_BLOB_DATA_CONTRIBUTOR,
                 deployer)
            role(f"deployer-{environment}-{index}-key", key.id, principal, ROLE_KEY_VAULT_CRYPTO_USER, deployer)
        if environment == cfg.home_environment and cfg.bootstrap_principal_id:
            # The engineer who bootstraps moves this stack's own state into the home container, under its key.
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
    # The state backend's own stack (and the one-stack projects: governance, connectivity) live in the home share.
    pulumi.export("loginUrl", outputs[cfg.home_environment]["loginUrl"])
    pulumi.export("secretsProvider", outputs[cfg.home_environment]["secretsProvider"])

main()
