"""A Container Apps environment inside a spoke subnet: internal only (no public endpoint), workload profiles,
logs to the central workspace through diagnostic settings, peer traffic encrypted, and its own private DNS zone
so the city's networks resolve the apps' names to the environment's internal address."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import app, privatedns

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_auto_name, require_name, supports)

ENVIRONMENT = "azure-native:app:ManagedEnvironment"
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
WORKLOAD_PROFILE_TYPES = ("D4", "D8", "D16", "D32", "E4", "E8", "E16", "E32")


@dataclass(frozen=True, kw_only=True)
class WorkloadProfile:
    """A dedicated workload profile (a pool of machines of one size) next to the Consumption profile."""

    name: str
    """The profile's name, used by apps' `workload_profile_name`."""
    profile_type: str = "D4"
    """The machine size: D (general purpose) or E (memory optimised) with 4 to 32 vCPU."""
    minimum_count: int = 1
    """Fewest machines kept running (zone-redundant environments need 3 or more to spread)."""
    maximum_count: int = 3
    """Most machines the profile scales to."""

    def __post_init__(self) -> None:
        if self.profile_type not in WORKLOAD_PROFILE_TYPES:
            raise InterfaceError(f"WorkloadProfile.profile_type: {self.profile_type!r}; expected one of "
                                 f"{', '.join(WORKLOAD_PROFILE_TYPES)}")
        if not 0 <= self.minimum_count <= self.maximum_count:
            raise InterfaceError(f"WorkloadProfile.minimum_count: {self.minimum_count} must be from 0 to "
                                 f"maximum_count {self.maximum_count}")
        if self.name == "Consumption":
            raise InterfaceError("WorkloadProfile.name: 'Consumption' is the built-in profile; pick another name")


@dataclass(frozen=True, kw_only=True)
class ContainerAppsEnvironmentArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints",
                        reason="the environment needs no identity of its own and holds no state: its apps do")
    resource_group_name: pulumi.Input[str]
    """The environment's resource group; the component never creates it."""
    location: str
    """The environment's region (its subnet's)."""
    infrastructure_subnet_id: pulumi.Input[str]
    """A spoke subnet delegated to Microsoft.App/environments (a /27 or larger; one environment per subnet)."""
    infrastructure_resource_group: str
    """The resource group Azure creates for the environment's machines and load balancer
    (`core/environments.py` `container_apps_infrastructure_group`, which the guardrails leave out by name); it must
    not exist yet and be unique in the subscription. Azure takes it only for environments with workload profiles,
    which every environment here has (the Consumption profile at least)."""
    workload_profiles: tuple[WorkloadProfile, ...] = ()
    """Only the serverless Consumption profile; add dedicated profiles for apps that need fixed machines."""
    zone_redundant: bool = False
    """Off: the environment runs in one zone; on: it spreads over the region's zones (needs a /23 subnet)."""
    environment_name: pulumi.Input[str] | None = None
    """Unset: azure-native's auto-name, `<component name>-env` plus 8 characters; set: that name. Either must fit
    Azure's rule for environments (`core/naming.py`), checked at construction."""
    dns_virtual_network_ids: tuple[pulumi.Input[str], ...] = ()
    """No DNS: nothing outside the environment resolves its apps; networks listed here (the hub, whose DNS proxy
    the spokes use) get the environment's private zone linked."""


class ContainerAppsEnvironment(WithInterfaces, pulumi.ComponentResource):
    """The environment; `default_domain` and `static_ip` are what apps' names resolve through."""

    def __init__(self, name: str, args: ContainerAppsEnvironmentArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:ContainerAppsEnvironment", name, None, opts)
        if args.environment_name is None:
            require_auto_name(ENVIRONMENT, f"{name}-env", "ContainerAppsEnvironmentArgs.environment_name")
        elif isinstance(args.environment_name, str):
            require_name(ENVIRONMENT, args.environment_name, "ContainerAppsEnvironmentArgs.environment_name")
        require_name(RESOURCE_GROUP, args.infrastructure_resource_group,
                     "ContainerAppsEnvironmentArgs.infrastructure_resource_group")
        tags = dict(args.tags)
        profiles = [app.WorkloadProfileArgs(name="Consumption", workload_profile_type="Consumption")] + [
            app.WorkloadProfileArgs(name=p.name, workload_profile_type=p.profile_type,
                                    minimum_count=p.minimum_count, maximum_count=p.maximum_count)
            for p in args.workload_profiles]
        environment = app.ManagedEnvironment(
            f"{name}-env", resource_group_name=args.resource_group_name, location=args.location,
            environment_name=args.environment_name,
            infrastructure_resource_group=args.infrastructure_resource_group,
            vnet_configuration=app.VnetConfigurationArgs(infrastructure_subnet_id=args.infrastructure_subnet_id,
                                                         internal=True),
            public_network_access="Disabled",
            # logs leave through the diagnostic setting below (no workspace shared key in the config)
            app_logs_configuration=app.AppLogsConfigurationArgs(destination="azure-monitor"),
            workload_profiles=profiles, zone_redundant=args.zone_redundant,
            peer_authentication=app.ManagedEnvironmentPeerAuthenticationArgs(mtls=app.MtlsArgs(enabled=True)),
            peer_traffic_configuration=app.ManagedEnvironmentPeerTrafficConfigurationArgs(
                encryption=app.ManagedEnvironmentEncryptionArgs(enabled=True)),
            tags=tags, opts=self.child_options(args))
        self.add_interfaces(name, scope_id=environment.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="managedEnvironments",
                            resource_group_name=args.resource_group_name, location=args.location)

        if args.dns_virtual_network_ids:
            zone = privatedns.PrivateZone(
                f"{name}-dns", resource_group_name=args.resource_group_name, location="global",
                private_zone_name=environment.default_domain, tags=tags, opts=pulumi.ResourceOptions(parent=self))
            privatedns.PrivateRecordSet(
                f"{name}-dns-wildcard", resource_group_name=args.resource_group_name, private_zone_name=zone.name,
                record_type="A", relative_record_set_name="*", ttl=300,
                a_records=[privatedns.ARecordArgs(ipv4_address=environment.static_ip)],
                opts=pulumi.ResourceOptions(parent=self))
            for index, network_id in enumerate(args.dns_virtual_network_ids):
                privatedns.VirtualNetworkLink(
                    f"{name}-dns-link-{index}", resource_group_name=args.resource_group_name,
                    private_zone_name=zone.name, location="global", registration_enabled=False,
                    virtual_network=privatedns.SubResourceArgs(id=network_id), tags=tags,
                    opts=pulumi.ResourceOptions(parent=self))

        self.resource_id, self.name = environment.id, environment.name
        self.default_domain = environment.default_domain
        self.static_ip = environment.static_ip
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "default_domain": self.default_domain, "static_ip": self.static_ip})
