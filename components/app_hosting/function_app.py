"""A function app (Azure Functions on Linux): Flex Consumption or Elastic Premium, HTTPS only with TLS 1.2, FTP and
basic publishing credentials off, no public network access (a private endpoint instead), VNet integration with all
outbound traffic through the spoke, a managed identity, and host storage reached with that identity (no shared key).

Flex Consumption (`plan="flex"`, one FC1 plan per app) takes its package from a blob container of the host storage
with the identity; Elastic Premium (`plan="premium"`, one plan for the component's apps) runs from the package zip
deploy leaves on the app (`WEBSITE_RUN_FROM_PACKAGE=1`) without an Azure Files content share, the one part of
Functions storage that needs a shared key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi
from pulumi_azure_native import storage, web

from amsterdam_cloud.core.app_config import FLEX_MEMORY_MB
from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_name, supports)
from amsterdam_cloud.components.app_hosting.web_app import key_vault_reference

SITE = "azure-native:web:WebApp"
PLANS = ("flex", "premium")
PREMIUM_SKUS = ("EP1", "EP2", "EP3")
WORKERS: Mapping[str, tuple[str, str]] = {
    "PYTHON": ("python", "PYTHON"), "NODE": ("node", "NODE"), "JAVA": ("java", "JAVA"),
    "DOTNETCORE": ("dotnet-isolated", "DOTNET-ISOLATED"), "DOTNET-ISOLATED": ("dotnet-isolated", "DOTNET-ISOLATED"),
    "POWERSHELL": ("powershell", "POWERSHELL"),
}
"""The stack's language (as the web app and the migration write it, `PYTHON|3.12`) to the Functions worker runtime
(Flex `runtime.name`, `FUNCTIONS_WORKER_RUNTIME`) and the Linux stack name (Premium `linuxFxVersion`)."""
_STACK = re.compile(r"^(?P<language>[A-Z-]+)\|(?P<version>\d+(?:\.\d+)?)(?:-lts)?$")


def worker(stack: str) -> tuple[str, str, str]:
    """(worker runtime, version, Linux stack) of a stack such as PYTHON|3.12 or NODE|20-lts; InterfaceError when
    Functions has no worker for it."""
    match = _STACK.match(stack)
    if not match or match.group("language") not in WORKERS:
        raise InterfaceError(f"FunctionGroupArgs.stack: {stack!r}; expected a Functions language and version, e.g. "
                             f"PYTHON|3.12 ({', '.join(WORKERS)})")
    runtime, linux = WORKERS[match.group("language")]
    return runtime, match.group("version"), f"{linux}|{match.group('version')}"


@dataclass(frozen=True, kw_only=True)
class FunctionGroupArgs:
    """One function app: the functions that share a language runtime (one Lambda function group)."""

    name: str
    """Short lower-case name of the group (1-12 characters), part of the app's and its container's names."""
    stack: str
    """The language and version, e.g. PYTHON|3.12, NODE|20-lts, JAVA|17, DOTNETCORE|8.0."""
    memory_mb: int = 2048
    """Flex Consumption instance memory (512, 2048 or 4096 MB); Premium: the plan's size decides."""
    triggers: tuple[str, ...] = ()
    """No triggers recorded; else the Azure trigger kinds the functions use (documentation, tagged on the app)."""

    def __post_init__(self) -> None:
        if not re.match(r"^[a-z][a-z0-9]{0,11}$", self.name):
            raise InterfaceError(f"FunctionGroupArgs.name: {self.name!r}; expected 1-12 lower-case letters and digits")
        worker(self.stack)
        if self.memory_mb not in FLEX_MEMORY_MB:
            raise InterfaceError(f"FunctionGroupArgs.memory_mb: {self.memory_mb}; Flex Consumption offers "
                                 f"{', '.join(map(str, FLEX_MEMORY_MB))}")


@dataclass(frozen=True, kw_only=True)
class FunctionAppsArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints",
                        reason="the apps run as the identity in identity_id, and hold no state (their storage account "
                               "does)")
    resource_group_name: pulumi.Input[str]
    """The apps' resource group; the component never creates it."""
    location: str
    """The apps' region (their subnets')."""
    groups: tuple[FunctionGroupArgs, ...]
    """One function app per group (at least one)."""
    site_name_prefix: str
    """Each app is named `<prefix>-<group>`, globally unique (its azurewebsites.net name), 2-60 characters."""
    integration_subnet_id: pulumi.Input[str]
    """Flex: a subnet delegated to Microsoft.App/environments; Premium: one delegated to Microsoft.Web/serverFarms.
    Every outbound call leaves through it."""
    identity_id: pulumi.Input[str]
    """The user-assigned identity the apps run as; it reads the host storage and resolves Key Vault references."""
    identity_client_id: pulumi.Input[str]
    """That identity's client id (the host storage connection names it)."""
    storage_account_name: pulumi.Input[str]
    """The host storage account (blob, queue and table through private endpoints, no shared key); the identity
    needs Storage Blob Data Owner, Queue and Table Data Contributor on it."""
    plan: str = "flex"
    """flex: Flex Consumption, scale to zero, billed per execution; premium: Elastic Premium, always-warm instances."""
    premium_sku: str = "EP1"
    """Premium only: the plan size (EP1-EP3)."""
    minimum_instances: int = 0
    """Flex: always-ready HTTP instances (0: scale to zero); Premium: at least one, and this many when higher."""
    maximum_instances: int = 100
    """Most instances under load (Flex 40-1000; Premium: the plan's elastic maximum, up to 100)."""
    zone_redundant: bool = False
    """Off: instances in any zone; on: spread over the region's zones (Premium: three instances at least)."""
    key_vault_uri: pulumi.Input[str] | None = None
    """The vault the secrets live in; required when `secrets` is not empty."""
    secrets: Mapping[str, str] = field(default_factory=dict)
    """No secrets; each entry maps an app setting to a Key Vault secret name, read as a Key Vault reference."""
    app_settings: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Plain (non-secret) app settings, the same for every group."""
    start_after: tuple[pulumi.Resource, ...] = ()
    """No ordering; resources listed (vault, host storage, their role assignments) finish before the apps start."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.groups:
            raise InterfaceError("FunctionAppsArgs.groups: empty; expected at least one function group")
        if len({g.name for g in self.groups}) != len(self.groups):
            raise InterfaceError("FunctionAppsArgs.groups: two groups share a name; expected distinct names")
        for group in self.groups:
            require_name(SITE, f"{self.site_name_prefix}-{group.name}", "FunctionAppsArgs.site_name_prefix")
        if self.plan not in PLANS:
            raise InterfaceError(f"FunctionAppsArgs.plan: {self.plan!r}; expected flex or premium")
        if self.premium_sku not in PREMIUM_SKUS:
            raise InterfaceError(f"FunctionAppsArgs.premium_sku: {self.premium_sku!r}; expected one of "
                                 f"{', '.join(PREMIUM_SKUS)}")
        low, high = (40, 1000) if self.plan == "flex" else (1, 100)
        if not low <= self.maximum_instances <= high or not 0 <= self.minimum_instances <= self.maximum_instances:
            raise InterfaceError(f"FunctionAppsArgs.maximum_instances: {self.maximum_instances} (minimum "
                                 f"{self.minimum_instances}); {self.plan} allows {low}-{high}, minimum at most that")
        if self.secrets and self.key_vault_uri is None:
            raise InterfaceError("FunctionAppsArgs.key_vault_uri: secrets are Key Vault references; pass the vault")


class FunctionApps(WithInterfaces, pulumi.ComponentResource):
    """The function apps; `apps` maps each group to its site, `default_host_names` to its private name."""

    def __init__(self, name: str, args: FunctionAppsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:FunctionApps", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        vault_uri = pulumi.Output.from_input(args.key_vault_uri or "")
        host_storage = {"AzureWebJobsStorage__accountName": args.storage_account_name,
                        "AzureWebJobsStorage__credential": "managedidentity",
                        "AzureWebJobsStorage__clientId": args.identity_client_id,
                        "AZURE_CLIENT_ID": args.identity_client_id}
        premium_plan = None
        if args.plan == "premium":
            instances = max(1, args.minimum_instances, 3 if args.zone_redundant else 1)
            premium_plan = web.AppServicePlan(
                f"{name}-plan", resource_group_name=args.resource_group_name, location=args.location,
                kind="elastic", reserved=True, zone_redundant=args.zone_redundant,
                maximum_elastic_worker_count=max(args.maximum_instances, instances),
                sku=web.SkuDescriptionArgs(name=args.premium_sku, tier="ElasticPremium", capacity=instances),
                tags=tags, opts=child)
        self.apps: dict[str, web.WebApp] = {}
        for group in args.groups:
            runtime, version, linux_stack = worker(group.stack)
            group_tags = {**tags, "function-triggers": ",".join(group.triggers)} if group.triggers else tags
            settings: dict[str, pulumi.Input[str]] = {**args.app_settings, **host_storage}
            function_config = None
            if premium_plan is not None:
                plan_id = premium_plan.id
                settings.update({"FUNCTIONS_EXTENSION_VERSION": "~4", "FUNCTIONS_WORKER_RUNTIME": runtime,
                                 "WEBSITE_RUN_FROM_PACKAGE": "1"})
            else:
                plan = web.AppServicePlan(
                    f"{name}-{group.name}-plan", resource_group_name=args.resource_group_name,
                    location=args.location, kind="functionapp", reserved=True, zone_redundant=args.zone_redundant,
                    sku=web.SkuDescriptionArgs(name="FC1", tier="FlexConsumption"), tags=group_tags, opts=child)
                plan_id = plan.id
                container = storage.BlobContainer(
                    f"{name}-{group.name}-deployments", resource_group_name=args.resource_group_name,
                    account_name=args.storage_account_name, container_name=f"deployments-{group.name}",
                    public_access=storage.PublicAccess.NONE, opts=child)
                function_config = web.FunctionAppConfigArgs(
                    deployment=web.FunctionsDeploymentArgs(storage=web.FunctionsDeploymentStorageArgs(
                        type="blobContainer",
                        value=pulumi.Output.all(args.storage_account_name, container.name).apply(
                            lambda v: f"https://{v[0]}.blob.core.windows.net/{v[1]}"),
                        authentication=web.FunctionsDeploymentStorageAuthenticationArgs(
                            type="UserAssignedIdentity", user_assigned_identity_resource_id=args.identity_id))),
                    runtime=web.FunctionsRuntimeArgs(name=runtime, version=version),
                    scale_and_concurrency=web.FunctionsScaleAndConcurrencyArgs(
                        instance_memory_mb=group.memory_mb, maximum_instance_count=args.maximum_instances,
                        always_ready=[web.FunctionsAlwaysReadyConfigArgs(name="http",
                                                                         instance_count=args.minimum_instances)]
                        if args.minimum_instances else None))
            app_settings = [web.NameValuePairArgs(name=k, value=v) for k, v in sorted(settings.items())]
            app_settings += [web.NameValuePairArgs(name=variable, value=key_vault_reference(vault_uri, secret))
                             for variable, secret in sorted(args.secrets.items())]
            site = web.WebApp(
                f"{name}-{group.name}", resource_group_name=args.resource_group_name, location=args.location,
                name=f"{args.site_name_prefix}-{group.name}", kind="functionapp,linux", server_farm_id=plan_id,
                https_only=True, public_network_access="Disabled", client_affinity_enabled=False,
                virtual_network_subnet_id=args.integration_subnet_id,
                outbound_vnet_routing=web.OutboundVnetRoutingArgs(all_traffic=True),
                identity=web.ManagedServiceIdentityArgs(type=web.ManagedServiceIdentityType.USER_ASSIGNED,
                                                        user_assigned_identities=[args.identity_id]),
                key_vault_reference_identity=args.identity_id, function_app_config=function_config,
                site_config=web.SiteConfigArgs(
                    linux_fx_version=linux_stack if premium_plan is not None else None,
                    min_tls_version="1.2", scm_min_tls_version="1.2", ftps_state="Disabled",
                    remote_debugging_enabled=False, http20_enabled=True, vnet_route_all_enabled=True,
                    ip_security_restrictions_default_action="Deny", scm_ip_security_restrictions_use_main=True,
                    app_settings=app_settings),
                tags=group_tags, opts=self.child_options(args, depends_on=list(args.start_after)))
            # basic-auth publishing (FTP and the SCM site's user/password) off: deploy with Entra ID only
            web.WebAppFtpAllowed(f"{name}-{group.name}-ftp-basic-auth", resource_group_name=args.resource_group_name,
                                 name=site.name, allow=False, opts=child)
            web.WebAppScmAllowed(f"{name}-{group.name}-scm-basic-auth", resource_group_name=args.resource_group_name,
                                 name=site.name, allow=False, opts=child)
            self.add_interfaces(f"{name}-{group.name}", scope_id=site.id, args=args, diagnostics=DiagnosticSupport(),
                                private_endpoint_group_id="sites", resource_group_name=args.resource_group_name,
                                location=args.location)
            self.apps[group.name] = site
        first = self.apps[args.groups[0].name]
        self.resource_id, self.name = first.id, first.name
        self.default_host_names = {group: site.name.apply(lambda n: f"{n}.azurewebsites.net")
                                   for group, site in self.apps.items()}
        self.default_host_name = self.default_host_names[args.groups[0].name]
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "default_host_name": self.default_host_name})
