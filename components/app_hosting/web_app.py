"""A web app for teams not on containers: App Service on Linux, HTTPS only with TLS 1.2, FTP and basic
publishing credentials off, no public network access (a private endpoint instead), VNet integration with all
outbound traffic routed through the spoke (and so the hub firewall), a managed identity and Key Vault references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
from pulumi_azure_native import web

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_auto_name, require_name, supports)

SITE = "azure-native:web:WebApp"
_RUNTIME = re.compile(r"^[A-Z]+\|[0-9A-Za-z.\-]+$")
_SKU = re.compile(r"^(P[0-3]v[23]|P[0-5]mv3|S[1-3]|B[1-3])$")


def key_vault_reference(vault_uri: pulumi.Output[str], secret: str) -> pulumi.Output[str]:
    """An App Service setting that resolves to `secret` in the vault at `vault_uri` (web and function apps)."""
    return vault_uri.apply(lambda uri: f"@Microsoft.KeyVault(SecretUri={uri.rstrip('/')}/secrets/{secret})")


@dataclass(frozen=True, kw_only=True)
class WebAppArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "managed_identities",
                        reason="a web app holds no state (its data services do)")
    resource_group_name: pulumi.Input[str]
    """The app's resource group; the component never creates it."""
    location: str
    """The app's region (its subnets')."""
    runtime_stack: str
    """The Linux runtime, e.g. PYTHON|3.12, NODE|20-lts, DOTNETCORE|8.0, JAVA|17-java17."""
    integration_subnet_id: pulumi.Input[str]
    """A spoke subnet delegated to Microsoft.Web/serverFarms: every outbound call leaves through it."""
    identity_id: pulumi.Input[str]
    """The user-assigned identity the app runs as; it also resolves the Key Vault references."""
    sku: str = "P1v3"
    """Premium v3: the smallest size with zone redundancy and private endpoints."""
    instances: int | None = None
    """Unset: one instance, three when zone redundant (one per zone)."""
    zone_redundant: bool = False
    """Off: instances in any zone; on: spread over the region's zones."""
    health_path: str = "/health"
    """The path App Service's health check calls; unhealthy instances are replaced."""
    key_vault_uri: pulumi.Input[str] | None = None
    """The vault the secrets live in; required when `secrets` is not empty."""
    secrets: Mapping[str, str] = field(default_factory=dict)
    """No secrets; each entry maps an app setting to a Key Vault secret name, read as a Key Vault reference."""
    app_settings: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Plain (non-secret) app settings."""
    site_name: pulumi.Input[str] | None = None
    """Unset: azure-native's auto-name, `<component name>-app` plus 8 characters; set: that globally unique name (its
    azurewebsites.net name). Either must fit Azure's 2-60 characters (`core/naming.py`), checked at construction."""
    start_after: tuple[pulumi.Resource, ...] = ()
    """No ordering; resources listed (the vault and its role assignments) finish before the site starts, so its
    Key Vault references resolve."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.site_name, str):
            require_name(SITE, self.site_name, "WebAppArgs.site_name")
        if not _RUNTIME.match(self.runtime_stack):
            raise InterfaceError(f"WebAppArgs.runtime_stack: {self.runtime_stack!r}; expected e.g. PYTHON|3.12")
        if not _SKU.match(self.sku):
            raise InterfaceError(f"WebAppArgs.sku: {self.sku!r}; expected a Linux App Service SKU such as P1v3")
        if self.zone_redundant and not self.sku.startswith("P"):
            raise InterfaceError(f"WebAppArgs.sku: {self.sku!r} has no zone redundancy; use a Premium v3 SKU (P1v3)")
        if self.secrets and self.key_vault_uri is None:
            raise InterfaceError("WebAppArgs.key_vault_uri: secrets are Key Vault references; pass the vault")


class WebApp(WithInterfaces, pulumi.ComponentResource):
    """The web app; `default_host_name` is its private name (resolved through the private endpoint's zone)."""

    def __init__(self, name: str, args: WebAppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:WebApp", name, None, opts)
        if args.site_name is None:
            require_auto_name(SITE, f"{name}-app", "WebAppArgs.site_name")
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        instances = args.instances or (3 if args.zone_redundant else 1)
        plan = web.AppServicePlan(
            f"{name}-plan", resource_group_name=args.resource_group_name, location=args.location, kind="linux",
            reserved=True, zone_redundant=args.zone_redundant,
            sku=web.SkuDescriptionArgs(name=args.sku, capacity=instances), tags=tags, opts=child)
        vault_uri = pulumi.Output.from_input(args.key_vault_uri or "")
        settings = [web.NameValuePairArgs(name=key, value=value) for key, value in sorted(args.app_settings.items())]
        settings += [web.NameValuePairArgs(name=variable, value=key_vault_reference(vault_uri, secret))
                     for variable, secret in sorted(args.secrets.items())]
        identities = [args.identity_id] + list(args.managed_identities.user_assigned_resource_ids
                                               if args.managed_identities else ())
        system = bool(args.managed_identities and args.managed_identities.system_assigned)
        site = web.WebApp(
            f"{name}-app", resource_group_name=args.resource_group_name, location=args.location,
            name=args.site_name, kind="app,linux", server_farm_id=plan.id, https_only=True,
            public_network_access="Disabled", client_affinity_enabled=False,
            virtual_network_subnet_id=args.integration_subnet_id,
            outbound_vnet_routing=web.OutboundVnetRoutingArgs(all_traffic=True),
            identity=web.ManagedServiceIdentityArgs(
                type=web.ManagedServiceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED if system
                else web.ManagedServiceIdentityType.USER_ASSIGNED,
                user_assigned_identities=identities),
            key_vault_reference_identity=args.identity_id,
            site_config=web.SiteConfigArgs(
                linux_fx_version=args.runtime_stack, min_tls_version="1.2", scm_min_tls_version="1.2",
                ftps_state="Disabled", remote_debugging_enabled=False, http20_enabled=True, always_on=True,
                vnet_route_all_enabled=True, health_check_path=args.health_path,
                ip_security_restrictions_default_action="Deny", scm_ip_security_restrictions_use_main=True,
                app_settings=settings or None),
            tags=tags, opts=self.child_options(args, depends_on=list(args.start_after)))
        # basic-auth publishing (FTP and the SCM site's user/password) off: deploy with Entra ID only
        web.WebAppFtpAllowed(f"{name}-ftp-basic-auth", resource_group_name=args.resource_group_name,
                             name=site.name, allow=False, opts=child)
        web.WebAppScmAllowed(f"{name}-scm-basic-auth", resource_group_name=args.resource_group_name,
                             name=site.name, allow=False, opts=child)
        self.add_interfaces(name, scope_id=site.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="sites", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = site.id, site.name
        self.plan_id = plan.id
        self.default_host_name = site.name.apply(lambda n: f"{n}.azurewebsites.net")
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "default_host_name": self.default_host_name})
