"""The digital workplace: a host pool with its application group, AVD workspace and scaling plan, the session hosts
the sizing formula asks for, FSLogix profile storage, and a Key Vault for the hosts' break-glass passwords.

It composes `HostPool`, `ProfileStorage`, `SessionHosts` and the platform's `KeyVault`; every part gets the same
tags, lock, diagnostic settings and protection. The host pool is the main resource: `resource_id`/`name` are its,
and the caller's `role_assignments` land on it. What it points at (networks, DNS zones, the Log Analytics workspace,
its resource groups) it never creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pulumi

from amsterdam_cloud.components.interfaces import (CommonArgs, InterfaceError, PrivateEndpoint, RoleAssignment,
                                                   SharedInterfaces, WithInterfaces, create_role_assignments, supports)
from amsterdam_cloud.components.security.key_vault import KeyVault, KeyVaultArgs
from amsterdam_cloud.components.workplace.host_insights import HostInsights, HostInsightsArgs
from amsterdam_cloud.components.workplace.host_pool import HostPool, HostPoolArgs, Registration, RemoteApp
from amsterdam_cloud.components.workplace.host_rollout import HostRollout, HostRolloutArgs
from amsterdam_cloud.components.workplace.profile_backup import BackupRetention, ProfileBackup, ProfileBackupArgs
from amsterdam_cloud.components.workplace.profile_storage import ProfileStorage, ProfileStorageArgs
from amsterdam_cloud.components.workplace.schedule import OfficeHours
from amsterdam_cloud.components.workplace.session_hosts import SessionHostImage, SessionHosts, SessionHostsArgs, \
    VaultRef, host_sets_clash
from amsterdam_cloud.components.workplace.sizing import Sizing
from amsterdam_cloud.core.regions import normalize_location

WVD_ZONE = "privatelink.wvd.microsoft.com"
FILE_ZONE = "privatelink.file.core.windows.net"
VAULT_ZONE = "privatelink.vaultcore.azure.net"
REQUIRED_ZONES = (WVD_ZONE, FILE_ZONE, VAULT_ZONE)

VM_USER_LOGIN = "Virtual Machine User Login"
VM_ADMIN_LOGIN = "1c0163c0-47e6-4577-8991-ea5c82e286e4"
"""Virtual Machine Administrator Login: sign in to the hosts as a local administrator with Entra ID."""
POWER_ON_OFF_CONTRIBUTOR = "40c5ff49-9181-41f8-ae61-143b0e78555e"
"""Desktop Virtualization Power On Off Contributor: what AVD needs for start-VM-on-connect and scaling plans."""


@dataclass(frozen=True, kw_only=True)
class WorkplaceArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "protect",
                        reason="the workplace places its own private endpoints in endpoint_subnet_id, and its parts "
                               "run as their own identities")
    service_resource_group_name: pulumi.Input[str]
    """Resource group of the AVD objects (in `metadata_location`); the component never creates it."""
    hosts_resource_group_name: pulumi.Input[str]
    """Resource group of the hosts, profile storage and vault (in `location`); the component never creates it."""
    hosts_resource_group_id: pulumi.Input[str]
    """Its resource id: the scope of the sign-in and power-management roles."""
    metadata_location: str
    """Where AVD keeps its metadata: westeurope or northeurope."""
    location: str
    """The hosts' region (the workplace spoke's); profiles and vault live beside them."""
    tenant_id: str
    """The Entra ID tenant the hosts join and the vault trusts."""
    friendly_name: str
    """What users see in their Windows App feed."""
    host_name_prefix: str
    """Computer name prefix of the hosts (at most 11 characters)."""
    sizing: Sizing
    """Pool type, host count, VM size, session limit and profile share size, from `size_workplace`."""
    image: SessionHostImage
    """The image of the current host set (it takes new sessions); its version names the set."""
    host_subnet_id: pulumi.Input[str]
    """The workplace spoke's host subnet."""
    endpoint_subnet_id: pulumi.Input[str]
    """The workplace spoke's private endpoint subnet (host pool, feed, profiles, vault)."""
    private_dns_zone_ids: Mapping[str, pulumi.Input[str]]
    """The platform's private DNS zones by name; needs the AVD, Azure Files and Key Vault zones."""
    profile_account_name: str
    """The profile storage account's name (globally unique)."""
    rollout_account_name: str
    """The rolling replacement script's own storage account (globally unique; private, see `host_rollout.py`)."""
    rollout_subnet_id: pulumi.Input[str]
    """The workplace spoke's subnet for the rollout script's container (delegated to
    `Microsoft.ContainerInstance/containerGroups`, with the `deployment-scripts` egress profile)."""
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    """Monday to Friday, 07:00-19:00 Amsterdam time."""
    user_group_ids: tuple[str, ...] = ()
    """Entra ID groups of the workplace's users (desktop, sign-in and profile rights); empty: nobody yet."""
    admin_group_ids: tuple[str, ...] = ()
    """Entra ID groups of its administrators (admin sign-in, profile administration, break-glass passwords)."""
    avd_service_principal_id: str | None = None
    """Object id of the tenant's Azure Virtual Desktop service principal (app 9cdead84-a844-4324-93f2-b2e6bb768d07);
    unset: start-VM-on-connect and the scaling plan cannot start or stop hosts until it is granted by hand."""
    application_group_type: str = "Desktop"
    """Desktop: a full desktop; RemoteApp: only `remote_apps`."""
    remote_apps: tuple[RemoteApp, ...] = ()
    """The applications of a RemoteApp group."""
    clients_from_internet: bool = False
    """Off: clients reach the workplace only over private endpoints; on: from the internet (EnabledForClientsOnly)."""
    zone_redundant: bool = False
    """Off: locally redundant profiles, hosts not pinned to zones; on: Premium_ZRS profiles, hosts across zones."""
    previous_image: SessionHostImage | None = None
    """During a rolling replacement, the image of the set being replaced: its hosts stay (same count), in drain
    mode, beside the current set until their users have signed out; None: one host set."""
    backup_vault_name: str | None = None
    """The Recovery Services vault that backs up the profile share; None: the share is not backed up (only
    soft delete of the share protects it)."""
    backup_retention: BackupRetention = field(default_factory=BackupRetention)
    """How long profile backup points are kept: 30 daily points."""
    registration: Registration | None = None
    """The host registration token's window, renewed on purpose; unset: hosts are built but not registered."""
    intune_enrollment: bool = True
    """On: hosts enrol in Intune when they join Entra ID."""
    insights_workspace_id: pulumi.Input[str] | None = None
    """The Log Analytics workspace the hosts' AVD Insights data go to (the central one); None: the first diagnostic
    setting's workspace, or no host-level monitoring without one."""
    insights_endpoint_id: pulumi.Input[str] | None = None
    """None: agents use public ingestion; the platform's data collection endpoint: rules and data go through its
    AMPLS (the city's Log Analytics workspace accepts nothing else)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        missing = [zone for zone in REQUIRED_ZONES if zone not in self.private_dns_zone_ids]
        if missing:
            raise InterfaceError(f"WorkplaceArgs.private_dns_zone_ids: no {missing[0]}; the platform's hub must "
                                 "host it (components/landing_zone/private_dns.py)")
        clash = self.previous_image and host_sets_clash(self.image.version, self.previous_image.version)
        if clash:
            raise InterfaceError(f"WorkplaceArgs.previous_image: {clash}")


class Workplace(WithInterfaces, pulumi.ComponentResource):
    """The workplace; `resource_id`/`name` are the host pool's, `avd_workspace_id` its AVD workspace's; parts too."""

    def __init__(self, name: str, args: WorkplaceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:Workplace", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        shared = SharedInterfaces(tags=args.tags, lock=args.lock, diagnostic_settings=args.diagnostic_settings,
                                  protect=args.protect)
        sizing = args.sizing

        def endpoint(zone: str) -> tuple[PrivateEndpoint, ...]:
            return (PrivateEndpoint(subnet_id=args.endpoint_subnet_id,
                                    private_dns_zone_ids=(args.private_dns_zone_ids[zone],),
                                    location=args.location, resource_group_name=args.hosts_resource_group_name),)

        stateless: SharedInterfaces = {**shared, "protect": False}  # the pool and the hosts hold no state: nothing to protect
        self.host_pool = HostPool(name, HostPoolArgs(
            **stateless, role_assignments=args.role_assignments, private_endpoints=endpoint(WVD_ZONE),
            resource_group_name=args.service_resource_group_name, metadata_location=args.metadata_location,
            friendly_name=args.friendly_name, pool_type=sizing.pool_type, max_session_limit=sizing.sessions_per_host,
            application_group_type=args.application_group_type, remote_apps=args.remote_apps,
            user_group_ids=args.user_group_ids, office_hours=args.office_hours,
            clients_from_internet=args.clients_from_internet, registration=args.registration),
            opts=child)

        self.profiles = ProfileStorage(f"{name}-profiles", ProfileStorageArgs(
            **shared, private_endpoints=endpoint(FILE_ZONE), resource_group_name=args.hosts_resource_group_name,
            location=args.location, account_name=args.profile_account_name, share_gib=sizing.profile_share_gib,
            zone_redundant=args.zone_redundant, user_group_ids=args.user_group_ids,
            admin_group_ids=args.admin_group_ids), opts=child)

        self.vault = KeyVault(f"{name}-kv", KeyVaultArgs(
            **shared, private_endpoints=endpoint(VAULT_ZONE), resource_group_name=args.hosts_resource_group_name,
            location=args.location, tenant_id=args.tenant_id,
            role_assignments=tuple(RoleAssignment(role="Key Vault Secrets User", principal_id=group,
                                                  principal_type="Group",
                                                  description="Break-glass passwords of the session hosts")
                                   for group in args.admin_group_ids)), opts=child)

        insights_workspace = args.insights_workspace_id or next(
            (setting.workspace_id for setting in args.diagnostic_settings), None)
        self.insights = HostInsights(f"{name}-insights", HostInsightsArgs(
            tags=args.tags, lock=args.lock, resource_group_name=args.hosts_resource_group_name,
            location=args.location, workspace_id=insights_workspace,
            rule_name=f"microsoft-avdi-{args.host_name_prefix}", data_collection_endpoint_id=args.insights_endpoint_id),
            opts=child) if insights_workspace else None

        if args.backup_vault_name is not None:
            self.backup: ProfileBackup | None = ProfileBackup(f"{name}-backup", ProfileBackupArgs(
                tags=args.tags, lock=args.lock, diagnostic_settings=args.diagnostic_settings, protect=args.protect,
                resource_group_name=args.hosts_resource_group_name, location=args.location,
                vault_name=args.backup_vault_name, storage_account_id=self.profiles.resource_id,
                storage_account_name=self.profiles.name, share_name=self.profiles.share_name,
                retention=args.backup_retention, zone_redundant=args.zone_redundant),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.profiles]))
        else:
            self.backup = None

        cattle: SharedInterfaces = {**stateless, "lock": None}  # hosts: replaced by an image update, never locked

        def host_set(image: SessionHostImage) -> SessionHosts:
            return SessionHosts(f"{name}-host-{image.version}", SessionHostsArgs(
                **cattle,
                resource_group_name=args.hosts_resource_group_name, location=args.location, count=sizing.hosts,
                vm_size=sizing.vm_size, subnet_id=args.host_subnet_id, image=image,
                name_prefix=args.host_name_prefix, host_pool_name=self.host_pool.name,
                registration_token=self.host_pool.registration_token,
                password_vault=VaultRef(name=self.vault.name, resource_group_name=args.hosts_resource_group_name),
                profile_unc_path=self.profiles.unc_path, zones=("1", "2", "3") if args.zone_redundant else (),
                profile_size_gib=sizing.profile_gib_per_user, intune_enrollment=args.intune_enrollment,
                data_collection_rule_id=self.insights.resource_id if self.insights else None,
                data_collection_endpoint_id=args.insights_endpoint_id if self.insights else None),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.profiles]))

        self.session_hosts = host_set(args.image)
        """The current host set: takes new sessions."""
        self.draining_hosts = host_set(args.previous_image) if args.previous_image else None
        """The set being replaced, in drain mode; None outside a rolling replacement."""
        versions = [args.image.version] + ([args.previous_image.version] if args.previous_image else [])
        self.rollout = HostRollout(f"{name}-rollout", HostRolloutArgs(
            **shared, resource_group_name=args.service_resource_group_name,
            location=normalize_location(args.metadata_location), host_pool_id=self.host_pool.resource_id,
            host_pool_name=self.host_pool.name, name_prefix=args.host_name_prefix,
            current_hosts=tuple(self.session_hosts.computer_names),
            draining_hosts=tuple(self.draining_hosts.computer_names) if self.draining_hosts else (),
            versions=",".join(versions), storage_account_name=args.rollout_account_name,
            private_endpoints=endpoint(FILE_ZONE), container_subnet_id=args.rollout_subnet_id),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.session_hosts]))
        """Drains the replaced set once the current one has registered; unregisters retired hosts."""

        create_role_assignments(f"{name}-hosts", scope_id=args.hosts_resource_group_id, parent=self, assignments=[
            *(RoleAssignment(role=VM_USER_LOGIN, principal_id=group, principal_type="Group",
                             description="Sign in to the Entra-joined session hosts") for group in args.user_group_ids),
            *(RoleAssignment(role=VM_ADMIN_LOGIN, principal_id=group, principal_type="Group",
                             description="Administer the session hosts") for group in args.admin_group_ids),
            *((RoleAssignment(role=POWER_ON_OFF_CONTRIBUTOR, principal_id=args.avd_service_principal_id,
                              description="AVD starts hosts on connect and scales them by the office hours"),)
              if args.avd_service_principal_id else ()),
        ])

        self.resource_id, self.name = self.host_pool.resource_id, self.host_pool.name
        self.avd_workspace_id = self.host_pool.avd_workspace_id
        self.application_group_id = self.host_pool.application_group_id
        # The registered output keeps its name (`workspace_id`): deployed stacks' state holds it.
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "workspace_id": self.avd_workspace_id, "profile_share_id": self.profiles.share_id,
                               "vault_id": self.vault.resource_id,
                               "session_host_ids": self.session_hosts.vm_ids,
                               "draining_host_ids": self.draining_hosts.vm_ids if self.draining_hosts else []})

