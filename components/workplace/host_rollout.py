"""Rolling host replacement in the host pool: drain mode for the set being replaced, retired hosts unregistered.

Drain mode is a property of a session host, an object the AVD agent creates when a host registers; azure-native
refuses to create a resource that already exists ("cannot create already existing resource"), so a Pulumi
`SessionHost` cannot take over a registered host. An ARM deployment script does it instead, in Azure, as an
identity that may only operate the pool's session hosts (*Desktop Virtualization Session Host Operator*): it runs
after the current set has been built, whenever the sets change, and

- refuses to drain anything while a host of the current set is not registered (users would have nowhere to go);
- puts every host of the draining set in drain mode (`AllowNewSession: false`): its users keep their sessions,
  new sign-ins land on the current set;
- unregisters hosts with the workplace's name prefix that belong to neither set (a retired set, whose VMs the same
  deployment deletes); without `-Force`, so a host that still has sessions makes the deployment fail instead of
  cutting users off.

It runs privately (Microsoft: "Run Bicep deployment script privately over a private endpoint", API 2023-08-01):
without `storageAccountSettings` Azure would create a storage account with a public endpoint for it, which the
city's deny-public-network-access policy refuses, so the script fails. Here it uses its own account (public network
access off, reached only through a `file` private endpoint, nothing else on it) on which its identity is Storage
File Data Privileged Contributor, and its container runs in a subnet delegated to
`Microsoft.ContainerInstance/containerGroups` whose egress (Azure Resource Manager, Entra ID, the script image) is the
`deployment-scripts` egress profile. That one account keeps shared keys ON: the script's container is an Azure
Container Instances group, whose Azure Files volume is mounted with the account key (`azureFile.storageAccountKey`;
ACI has no Entra ID mount), and Microsoft's own tooling enables AllowSharedKeyAccess on a deployment script's
account for that reason. The waiver of `storage-shared-key-disabled` in policies/waivers.yaml names that account.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import managedidentity, resources, storage

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, RoleAssignment,
                                                   WithInterfaces, create_diagnostic_settings,
                                                   create_role_assignments, create_storage_service_diagnostics,
                                                   supports)

SESSION_HOST_OPERATOR = "2ad6aaab-ead9-4eaa-8ac5-da422f562408"
"""Desktop Virtualization Session Host Operator: read, update (drain) and remove a pool's session hosts."""
STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR = "69566ab7-960f-475b-8e7c-b3118f30c6bd"
"""What a private deployment script's identity needs on its storage account (the script's file share)."""
SCRIPT_SUBNET_DELEGATION = "Microsoft.ContainerInstance/containerGroups"
"""The delegation of the subnet the script's container runs in."""
AZ_POWERSHELL_VERSION = "12.3"
"""The Az PowerShell version the deployment script runs (Az.DesktopVirtualization included)."""
ROLLOUT_SCRIPT = r"""$ErrorActionPreference = 'Stop'
$current = @($env:CURRENT_HOSTS -split ',' | Where-Object { $_ })
$drain = @($env:DRAIN_HOSTS -split ',' | Where-Object { $_ })
$hosts = @(Get-AzWvdSessionHost -ResourceGroupName $env:HOST_POOL_GROUP -HostPoolName $env:HOST_POOL)
$registered = @($hosts | ForEach-Object { $_.Name.Split('/')[-1].Split('.')[0] })
$missing = @($current | Where-Object { $registered -notcontains $_ })
if ($drain.Count -gt 0 -and $missing.Count -gt 0) {
  throw "not draining: the current set is not registered yet ($($missing -join ', ')); renew the token and redeploy"
}
$drained = @(); $removed = @()
foreach ($sessionHost in $hosts) {
  $name = $sessionHost.Name.Split('/')[-1]
  $computer = $name.Split('.')[0]
  if ($drain -contains $computer) {
    Update-AzWvdSessionHost -ResourceGroupName $env:HOST_POOL_GROUP -HostPoolName $env:HOST_POOL -Name $name `
      -AllowNewSession:$false | Out-Null
    $drained += $computer
  } elseif ($current -notcontains $computer -and $computer -like "$($env:HOST_PREFIX)-*") {
    Remove-AzWvdSessionHost -ResourceGroupName $env:HOST_POOL_GROUP -HostPoolName $env:HOST_POOL -Name $name
    $removed += $computer
  }
}
$DeploymentScriptOutputs = @{ drained = $drained; removed = $removed }
"""
"""Drain the draining set, unregister retired hosts (see the module docstring)."""


@dataclass(frozen=True, kw_only=True)
class HostRolloutArgs(CommonArgs):
    SUPPORTS = supports("lock", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the script runs as its own identity, which holds its two roles; it takes no others")
    resource_group_name: pulumi.Input[str]
    """The host pool's resource group: the script, its identity and Azure's temporary container run there."""
    location: str
    """Where the script runs (the pool's metadata location)."""
    host_pool_id: pulumi.Input[str]
    """The pool whose session hosts the script operates (the scope of its identity's only role)."""
    host_pool_name: pulumi.Input[str]
    name_prefix: str
    """The workplace's computer name prefix: only hosts named `<prefix>-...` are ever unregistered."""
    current_hosts: tuple[str, ...]
    """Computer names of the current set: left as they are."""
    draining_hosts: tuple[str, ...] = ()
    """Computer names of the set being replaced: put in drain mode; empty outside a rolling replacement."""
    versions: str = ""
    """The sets' image versions (`current` or `current,previous`): the script reruns when they change."""
    storage_account_name: str
    """The script's own storage account (globally unique, 3-24 lowercase letters and digits); private_endpoints
    holds its one `file` endpoint."""
    container_subnet_id: pulumi.Input[str]
    """The subnet the script's container runs in, delegated to `Microsoft.ContainerInstance/containerGroups`, its
    egress through the firewall (`deployment-scripts` profile)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if set(self.current_hosts) & set(self.draining_hosts):
            raise InterfaceError("HostRolloutArgs.draining_hosts: a host cannot be current and draining at once")
        if len(self.private_endpoints) != 1:
            raise InterfaceError("HostRolloutArgs.private_endpoints: expected the script account's one file "
                                 "endpoint (the script runs privately: no public storage account), got "
                                 f"{len(self.private_endpoints)}")


class HostRollout(WithInterfaces, pulumi.ComponentResource):
    """The deployment script (`resource_id`, `name`) and the identity it runs as (`principal_id`)."""

    def __init__(self, name: str, args: HostRolloutArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:HostRollout", name, None, opts)
        tags = dict(args.tags)
        identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity", resource_group_name=args.resource_group_name, location=args.location, tags=tags,
            opts=pulumi.ResourceOptions(parent=self))
        roles = create_role_assignments(f"{name}-identity", scope_id=args.host_pool_id, parent=self, assignments=[
            RoleAssignment(role=SESSION_HOST_OPERATOR, principal_id=identity.principal_id,
                           description="Drain and unregister session hosts during a rolling host replacement")])
        # Only the script's files live here (kept an hour, then cleaned up), but lock, protection and diagnostics
        # follow the city's rules for every storage account (the account has metrics; its logs are the file
        # service's, the one service the script uses).
        account = storage.StorageAccount(
            f"{name}-storage", account_name=args.storage_account_name, resource_group_name=args.resource_group_name,
            location=args.location, kind="StorageV2", sku=storage.SkuArgs(name="Standard_LRS"),
            minimum_tls_version="TLS1_2", enable_https_traffic_only=True, allow_blob_public_access=False,
            allow_shared_key_access=True,  # the script's container mounts the share with the key (module docstring)
            allow_cross_tenant_replication=False,
            default_to_o_auth_authentication=True, public_network_access="Disabled", is_local_user_enabled=False,
            network_rule_set=storage.NetworkRuleSetArgs(default_action=storage.DefaultAction.DENY, bypass="AzureServices"),
            encryption=storage.EncryptionArgs(  # double encryption: settable only when the account is created
                key_source="Microsoft.Storage", require_infrastructure_encryption=True,
                services=storage.EncryptionServicesArgs(file=storage.EncryptionServiceArgs(enabled=True,
                                                                                           key_type="Account"))),
            tags=tags, opts=self.child_options(args, stateful=True))
        # A StorageV2 account has a blob endpoint even if the script uses files only: soft delete as everywhere.
        week = storage.DeleteRetentionPolicyArgs(enabled=True, days=7)
        storage.BlobServiceProperties(
            f"{name}-storage-blobs", account_name=account.name, resource_group_name=args.resource_group_name,
            blob_services_name="default", delete_retention_policy=week, container_delete_retention_policy=week,
            opts=pulumi.ResourceOptions(parent=self))
        create_diagnostic_settings(f"{name}-storage-files", resource_uri=account.id.apply(
            lambda account_id: f"{account_id}/fileServices/default"), settings=args.diagnostic_settings,
            support=DiagnosticSupport(), parent=self)
        create_storage_service_diagnostics(f"{name}-storage", account_id=account.id, kind="StorageV2",
                                           settings=args.diagnostic_settings, parent=self)
        interfaces = self.add_interfaces(f"{name}-storage", scope_id=account.id, args=args,
                                         diagnostics=DiagnosticSupport(logs=False), private_endpoint_group_id="file",
                                         resource_group_name=args.resource_group_name, location=args.location)
        roles += create_role_assignments(f"{name}-storage", scope_id=account.id, parent=self, assignments=[
            RoleAssignment(role=STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR, principal_id=identity.principal_id,
                           description="The deployment script's files, on its own private account")])
        settings = {"HOST_POOL": args.host_pool_name, "HOST_POOL_GROUP": args.resource_group_name,
                    "HOST_PREFIX": args.name_prefix, "CURRENT_HOSTS": ",".join(args.current_hosts),
                    "DRAIN_HOSTS": ",".join(args.draining_hosts)}
        script = resources.AzurePowerShellScript(
            f"{name}-script", resource_group_name=args.resource_group_name, location=args.location,
            kind="AzurePowerShell", az_power_shell_version=AZ_POWERSHELL_VERSION, script_content=ROLLOUT_SCRIPT,
            environment_variables=[resources.EnvironmentVariableArgs(name=key, value=value)
                                   for key, value in settings.items()],
            identity=resources.ManagedServiceIdentityArgs(type="UserAssigned",
                                                          user_assigned_identities=[identity.id]),
            storage_account_settings=resources.StorageAccountConfigurationArgs(storage_account_name=account.name),
            container_settings=resources.ContainerConfigurationArgs(
                subnet_ids=[resources.ContainerGroupSubnetIdArgs(id=args.container_subnet_id)]),
            force_update_tag=args.versions, retention_interval="PT1H", cleanup_preference="Always",
            timeout="PT30M", tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[
                *roles, *interfaces.private_endpoints, *interfaces.private_dns_zone_groups]))
        self.resource_id, self.name = script.id, script.name
        self.principal_id = identity.principal_id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "principal_id": self.principal_id})
