"""The city's container registry, secure by default: Premium (the SKU that has private link), no admin user, no
anonymous pull, no public network access (a private endpoint instead), exports disabled (images leave only
through the private network), diagnostics through the shared interface. Apps pull with their managed identity
(AcrPull on this registry), never with a password.

Here, beside the Key Vault, and not in `landing_zone/`: like the vault it is a reusable, private, state-holding
service with its own lock and protection that stacks compose, not part of the network skeleton.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerregistry

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_name, supports)

REGISTRY_WIDE_PULL_REASON = ("registry-wide: the registry is in RBAC-only mode; repository-scoped (ABAC) roles need "
                             "Registry API 2025-03-01-preview, which azure-native 3.x's Registry does not set")
"""Why AcrPull is granted on the whole registry, not the app's repositories. ABAC repository permissions
(`roleAssignmentMode: AbacRepositoryPermissions`, then Container Registry Repository Reader with a repository
condition) are a registry property of API 2025-03-01-preview and later; the installed Registry uses
2023-01-01-preview, and switching a registry to ABAC mode stops honouring every existing AcrPull at once."""

SKUS = ("Premium",)
"""Only Premium has private endpoints, disabled public access and zone redundancy."""


def city_registry_name(environment: str) -> str:
    """The platform registry's fixed name in an environment (`cramsterdam<env>`); its login server is
    `<name>.azurecr.io`, which app stacks and the migration derive from the environment alone."""
    return f"cramsterdam{environment}"


def login_server(registry_name: str) -> str:
    """The login server Azure gives a registry: its name in lower case under azurecr.io."""
    return f"{registry_name.lower()}.azurecr.io"


@dataclass(frozen=True, kw_only=True)
class ContainerRegistryArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the registry needs no identity of its own (Microsoft-managed keys)")
    resource_group_name: pulumi.Input[str]
    """The registry's resource group; the component never creates it."""
    location: str
    """The registry's region."""
    registry_name: str
    """The registry's globally unique name, 5-50 lower-case letters and digits; its login server derives from it."""
    sku: str = "Premium"
    """Premium: the only SKU with private endpoints and public network access off."""
    zone_redundant: bool = False
    """Off: the registry's storage and service in one zone; on: spread over the region's zones (set at creation)."""
    public_network_access: bool = False
    """Off: only private endpoints reach the registry; on: its public endpoint is open (an explicit opt-out)."""
    trusted_services_bypass: bool = True
    """On: trusted Azure services (`az acr import`, Defender scanning, Machine Learning builds) pass the network
    rules; off: they do not, and images can only be pushed from inside the network."""
    export_enabled: bool = False
    """Off: images cannot be exported or imported out of the registry (no exfiltration path); on: they can."""
    untagged_retention_days: int = 30
    """An untagged manifest (an image whose tag moved on) is purged after 30 days: a revision deployed by digest
    stays pullable for a month, stale images do not pile up (Premium's retention policy; 0 purges at once)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:containerregistry:Registry", self.registry_name,
                     "ContainerRegistryArgs.registry_name")
        if self.registry_name != self.registry_name.lower():
            raise InterfaceError(f"ContainerRegistryArgs.registry_name: {self.registry_name!r}; the city writes it in "
                                 "lower case, as its login server is, e.g. cramsterdamdev")
        if self.sku not in SKUS:
            raise InterfaceError(f"ContainerRegistryArgs.sku: {self.sku!r}; expected Premium (private endpoints "
                                 "and disabled public access need it)")
        if not 0 <= self.untagged_retention_days <= 365:
            raise InterfaceError(f"ContainerRegistryArgs.untagged_retention_days: {self.untagged_retention_days}; "
                                 "expected 0 to 365 (Azure's range)")
        if self.public_network_access and not self.export_enabled:
            raise InterfaceError("ContainerRegistryArgs.export_enabled: Azure disables exports only when public "
                                 "network access is off; set public_network_access=False or export_enabled=True")


class ContainerRegistry(WithInterfaces, pulumi.ComponentResource):
    """The registry; `login_server` is the host images are pulled from (`<name>.azurecr.io`)."""

    def __init__(self, name: str, args: ContainerRegistryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:security:ContainerRegistry", name, None, opts)
        registry = containerregistry.Registry(
            f"{name}-registry", resource_group_name=args.resource_group_name, location=args.location,
            registry_name=args.registry_name, sku=containerregistry.SkuArgs(name=args.sku),
            admin_user_enabled=False, anonymous_pull_enabled=False, data_endpoint_enabled=True,
            public_network_access="Enabled" if args.public_network_access else "Disabled",
            network_rule_bypass_options="AzureServices" if args.trusted_services_bypass else "None",
            zone_redundancy="Enabled" if args.zone_redundant else "Disabled",
            policies=containerregistry.PoliciesArgs(
                export_policy=containerregistry.ExportPolicyArgs(
                    status="enabled" if args.export_enabled else "disabled"),
                retention_policy=containerregistry.RetentionPolicyArgs(
                    status="enabled", days=args.untagged_retention_days)),
            tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        self.add_interfaces(name, scope_id=registry.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="registry", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = registry.id, registry.name
        self.login_server = registry.name.apply(login_server)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "login_server": self.login_server})
