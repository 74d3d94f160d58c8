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
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import managedidentity, resources

from amsterdam_cloud.components.interfaces import (NO_DIAGNOSTICS, CommonArgs, InterfaceError, RoleAssignment,
                                                   WithInterfaces, create_role_assignments, supports)

SESSION_HOST_OPERATOR = "2ad6aaab-ead9-4eaa-8ac5-da422f562408"
"""Desktop Virtualization Session Host Operator: read, update (drain) and remove a pool's session hosts."""
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
    SUPPORTS = supports("lock",
                        reason="the script's own identity holds its one role; a deployment script has no logs, "
                               "private endpoint or state")
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

    def __post_init__(self) -> None:
        super().__post_init__()
        if set(self.current_hosts) & set(self.draining_hosts):
            raise InterfaceError("HostRolloutArgs.draining_hosts: a host cannot be current and draining at once")


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
            force_update_tag=args.versions, retention_interval="PT1H", cleanup_preference="Always",
            timeout="PT30M", tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=list(roles)))
        self.add_interfaces(name, scope_id=script.id, args=args, diagnostics=NO_DIAGNOSTICS)
        self.resource_id, self.name = script.id, script.name
        self.principal_id = identity.principal_id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "principal_id": self.principal_id})
