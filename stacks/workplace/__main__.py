"""The workplace program: read the typed config once, take the platform's outputs, compose the workplace, export.

It creates the image gallery the hosts are built from and consumes the platform stack of the same environment
(`organization/amsterdam-platform/<env>`): the workplace spoke's subnets, the central Log Analytics workspace and the
hub's private DNS zones. Environments differ only through `stacks/workplace/Pulumi.<env>.yaml`.
"""

import pulumi
from pulumi_azure_native import resources

from amsterdam_cloud.components.interfaces import DiagnosticSettings, Lock
from amsterdam_cloud.components.workplace.image_gallery import ImageGallery, ImageGalleryArgs
from amsterdam_cloud.components.workplace.workplace import REQUIRED_ZONES, Workplace, WorkplaceArgs
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.platform_outputs import PlatformOutputs
from amsterdam_cloud.stacks.workplace.config import from_pulumi

config = from_pulumi()
tags = config.azure_tags
features = config.features
sizing = config.pool.sizing
# The platform's outputs, checked against their contract before any is used (core/platform_outputs.py).
platform = PlatformOutputs.read(config.platform_stack)


def same_place(platform_location: str) -> str:
    if platform_location != config.location:
        raise UserError(f"{config.source}: amsterdam-workplace:location: {config.location} but the platform's "
                        f"workplace spoke is in {platform_location}; hosts and profiles belong beside it")
    return platform_location


workplace_subnets = pulumi.Output.from_input(platform.spoke_subnet_ids).apply(
    lambda spokes: spokes.get("workplace") or {})
zone_ids = pulumi.Output.from_input(platform.private_dns_zone_ids)
central_workspace = platform.workspace_id


def subnet(name: str) -> pulumi.Output[str]:
    def pick(subnets: dict) -> str:
        if name not in subnets:
            raise UserError(f"{config.platform_stack}: the workplace spoke has no subnet {name!r}; add it to the "
                            "platform's network.spokes.workplace.subnets")
        return subnets[name]
    return workplace_subnets.apply(pick)


def group(role: str, location: pulumi.Input[str]) -> resources.ResourceGroup:
    return resources.ResourceGroup(
        f"rg-{role}", resource_group_name=f"rg-amsterdam-{role}-{config.environment}", location=location, tags=tags)


service_group = group("workplace", config.metadata_location)
hosts_group = group("workplace-hosts", pulumi.Output.from_input(platform.location).apply(same_place))

lock = Lock(notes="City workplace resource; remove the lock through the workplace stack only.") \
    if features.resource_locks else None
# No lock on the gallery: a lock applies to the image versions under it, which the image pipeline retires.
gallery = ImageGallery("avd-images", ImageGalleryArgs(
    tags=tags, protect=features.protect_stateful, resource_group_name=hosts_group.name,
    location=config.location, gallery_name=f"gal_amsterdam_workplace_{config.environment}"))
image = config.image
previous = image.previous_version

workplace = Workplace("avd", WorkplaceArgs(
    tags=tags, lock=lock, protect=features.protect_stateful,
    diagnostic_settings=(DiagnosticSettings(workspace_id=central_workspace),), insights_workspace_id=central_workspace,
    insights_endpoint_id=platform.data_collection_endpoint_id,
    service_resource_group_name=service_group.name, hosts_resource_group_name=hosts_group.name,
    hosts_resource_group_id=hosts_group.id, metadata_location=config.metadata_location, location=config.location,
    tenant_id=config.tenant_id, friendly_name=config.friendly_name, host_name_prefix=config.host_name_prefix,
    sizing=sizing, image=image.session_host_image(image.version, gallery.image_definition_id),
    previous_image=image.session_host_image(previous, gallery.image_definition_id) if previous else None,
    backup_vault_name=f"rsv-amsterdam-workplace-{config.environment}", backup_retention=config.profile_backup,
    host_subnet_id=subnet("hosts"), endpoint_subnet_id=subnet("endpoints"),
    private_dns_zone_ids={zone: zone_ids[zone] for zone in REQUIRED_ZONES},
    profile_account_name=config.profile_storage_account, office_hours=config.office_hours,
    # private: its own account (the city's convention name) and container subnet; Azure would make a public one
    rollout_account_name=f"stamsavdrollout{config.environment}", rollout_subnet_id=subnet("scripts"),
    user_group_ids=config.user_group_ids, admin_group_ids=config.admin_group_ids,
    avd_service_principal_id=config.avd_service_principal_id,
    application_group_type=config.pool.application_group_type, remote_apps=config.pool.remote_apps,
    clients_from_internet=features.clients_from_internet, zone_redundant=features.zone_redundancy,
    registration=config.registration(),
    intune_enrollment=features.intune_enrollment))

pulumi.export("environment", config.environment)
pulumi.export("hostPoolId", workplace.resource_id)
pulumi.export("hostPoolName", workplace.name)
pulumi.export("applicationGroupId", workplace.application_group_id)
pulumi.export("avdWorkspaceId", workplace.avd_workspace_id)
pulumi.export("scalingPlanId", workplace.host_pool.scaling_plan_id)
pulumi.export("profileStorageAccountId", workplace.profiles.resource_id)
pulumi.export("profileShareUncPath", workplace.profiles.unc_path)
pulumi.export("keyVaultId", workplace.vault.resource_id)
pulumi.export("sessionHostNames", workplace.session_hosts.computer_names)
pulumi.export("imageVersion", image.version)
pulumi.export("drainingHostNames", workplace.draining_hosts.computer_names if workplace.draining_hosts else [])
pulumi.export("imageDefinitionId", gallery.image_definition_id)
pulumi.export("profileBackupVaultId", workplace.backup.resource_id if workplace.backup else None)
pulumi.export("sizing", {"poolType": sizing.pool_type, "users": config.pool.users, "profile": config.pool.profile,
                         "vmSize": sizing.vm_size, "hosts": sizing.hosts, "spareHosts": sizing.spare_hosts,
                         "sessionsPerHost": sizing.sessions_per_host, "concurrentUsers": sizing.concurrent_users,
                         "profileShareGib": sizing.profile_share_gib})
