"""A container app: runs as a user-assigned managed identity, pulls only from the city registry with that
identity, reads secrets as Key Vault references (never values in config), HTTPS-only ingress that stays inside
the environment unless opened to the city's networks, HTTP scale rules and health probes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pulumi
from pulumi_azure_native import app

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_auto_name, require_name, supports)
from amsterdam_cloud.core.app_config import CPU_MEMORY as APP_CPU_MEMORY

CONTAINER_APP = "azure-native:app:ContainerApp"
INGRESS_SCOPES = ("environment", "network")
CPU_MEMORY = {cpu: f"{memory:g}Gi" for cpu, memory in APP_CPU_MEMORY.items()}
"""Consumption profile: the CPU sizes Azure accepts and the memory that goes with each."""


@dataclass(frozen=True, kw_only=True)
class ContainerAppArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "managed_identities",
                        reason="a container app has no private endpoint (its environment is reached privately) and "
                               "holds no state")
    resource_group_name: pulumi.Input[str]
    """The app's resource group; the component never creates it."""
    location: str
    """The app's region (its environment's)."""
    environment_id: pulumi.Input[str]
    """The Container Apps environment (internal) the app runs in."""
    image: str
    """The image, `<registry_server>/<repository>:<tag>`."""
    registry_server: str
    """The city registry's login server; the app pulls from it with its identity (AcrPull)."""
    identity_id: pulumi.Input[str]
    """The user-assigned identity the app runs as: it pulls the image and reads the Key Vault secrets."""
    registry_identity_id: pulumi.Input[str] | None = None
    """Unset: the app's own identity pulls the image; set: this user-assigned identity does (a vended landing
    zone's pull identity, which the vending granted AcrPull), attached to the app beside its own."""
    identity_client_id: pulumi.Input[str] | None = None
    """Unset: the app is not told its identity's client id; set: AZURE_CLIENT_ID carries it (for Azure SDKs)."""
    port: int = 8080
    """The port the container listens on."""
    ingress_scope: str = "environment"
    """environment: only other apps of the environment reach it; network: the city's networks (and the WAF's
    private link) reach it too. The environment is internal, so neither is reachable from the internet."""
    min_replicas: int = 1
    """Fewest replicas (0: scale to zero when idle)."""
    max_replicas: int = 3
    """Most replicas under load."""
    concurrent_requests: int = 50
    """HTTP requests per replica at which the app scales out."""
    cpu: float = 0.5
    """vCPU per replica; memory follows (0.5 vCPU: 1 GiB)."""
    workload_profile_name: str = "Consumption"
    """The environment's profile the app runs on: serverless Consumption unless a dedicated profile is named."""
    health_path: str = "/health"
    """The HTTP path the liveness and readiness probes call."""
    key_vault_uri: pulumi.Input[str] | None = None
    """The vault the secrets live in; required when `secrets` is not empty."""
    secrets: Mapping[str, str] = field(default_factory=dict)
    """No secrets; each entry maps an environment variable to a Key Vault secret name, read by reference."""
    environment_variables: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Plain (non-secret) settings for the container."""
    allow_external_registry: bool = False
    """Off: the image must come from `registry_server`; on (explicit opt-out): any registry."""
    app_name: pulumi.Input[str] | None = None
    """Unset: azure-native's auto-name, `<component name>-app` plus 8 characters; set: that name. Either must fit
    Azure's 2-32 lower-case letters, digits and hyphens (`core/naming.py`), checked at construction."""
    start_after: tuple[pulumi.Resource, ...] = ()
    """No ordering; resources listed (the vault and its role assignments) finish before the app starts, so its
    first revision can read its secrets."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.app_name, str):
            require_name(CONTAINER_APP, self.app_name, "ContainerAppArgs.app_name")
        if self.ingress_scope not in INGRESS_SCOPES:
            raise InterfaceError(f"ContainerAppArgs.ingress_scope: {self.ingress_scope!r}; expected one of "
                                 f"{', '.join(INGRESS_SCOPES)}")
        if not self.allow_external_registry and not self.image.startswith(self.registry_server + "/"):
            raise InterfaceError(f"ContainerAppArgs.image: {self.image!r} is not in the city registry "
                                 f"{self.registry_server}; import it there and use {self.registry_server}/<repo>:<tag>")
        if not 0 <= self.min_replicas <= self.max_replicas or self.max_replicas < 1:
            raise InterfaceError(f"ContainerAppArgs.min_replicas: {self.min_replicas} and max_replicas "
                                 f"{self.max_replicas}; expected 0 <= min <= max and max >= 1")
        if self.cpu not in CPU_MEMORY:
            raise InterfaceError(f"ContainerAppArgs.cpu: {self.cpu}; expected one of "
                                 f"{', '.join(map(str, CPU_MEMORY))}")
        if self.secrets and self.key_vault_uri is None:
            raise InterfaceError("ContainerAppArgs.key_vault_uri: secrets are Key Vault references; pass the vault")


def _secret_url(vault_uri: pulumi.Output[str], secret: str) -> pulumi.Output[str]:
    """The Key Vault URL of `secret` in the vault at `vault_uri`, which the app reads with its identity."""
    return vault_uri.apply(lambda uri: f"{uri.rstrip('/')}/secrets/{secret}")


def _secret_name(variable: str) -> str:
    """Container Apps secret names are lower-case letters, digits and dashes."""
    return variable.lower().replace("_", "-")


class ContainerApp(WithInterfaces, pulumi.ComponentResource):
    """The app; `fqdn` is its name inside the environment's domain."""

    def __init__(self, name: str, args: ContainerAppArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:ContainerApp", name, None, opts)
        if args.app_name is None:
            require_auto_name(CONTAINER_APP, f"{name}-app", "ContainerAppArgs.app_name")
        vault_uri = pulumi.Output.from_input(args.key_vault_uri or "")
        secrets = [app.SecretArgs(name=_secret_name(variable), identity=args.identity_id,
                                  key_vault_url=_secret_url(vault_uri, secret))
                   for variable, secret in sorted(args.secrets.items())]
        env = [app.EnvironmentVarArgs(name=key, value=value)
               for key, value in sorted(args.environment_variables.items())]
        if args.identity_client_id is not None:
            env.append(app.EnvironmentVarArgs(name="AZURE_CLIENT_ID", value=args.identity_client_id))
        env += [app.EnvironmentVarArgs(name=variable, secret_ref=_secret_name(variable))
                for variable in sorted(args.secrets)]
        probe = app.ContainerAppProbeHttpGetArgs(path=args.health_path, port=args.port)
        puller = args.registry_identity_id or args.identity_id
        identities = [args.identity_id] + ([puller] if args.registry_identity_id else []) + list(
            args.managed_identities.user_assigned_resource_ids if args.managed_identities else ())
        system = bool(args.managed_identities and args.managed_identities.system_assigned)
        container_app = app.ContainerApp(
            f"{name}-app", resource_group_name=args.resource_group_name, location=args.location,
            container_app_name=args.app_name, managed_environment_id=args.environment_id,
            workload_profile_name=args.workload_profile_name,
            identity=app.ManagedServiceIdentityArgs(
                type="SystemAssigned,UserAssigned" if system else "UserAssigned",
                user_assigned_identities=identities),
            configuration=app.ConfigurationArgs(
                active_revisions_mode="Single",
                ingress=app.IngressArgs(external=args.ingress_scope == "network", target_port=args.port,
                                        transport="auto", allow_insecure=False,
                                        traffic=[app.TrafficWeightArgs(latest_revision=True, weight=100)]),
                registries=[app.RegistryCredentialsArgs(server=args.registry_server, identity=puller)],
                secrets=secrets or None),
            template=app.TemplateArgs(
                containers=[app.ContainerArgs(
                    name="app", image=args.image, env=env or None,
                    resources=app.ContainerResourcesArgs(cpu=args.cpu, memory=CPU_MEMORY[args.cpu]),
                    probes=[app.ContainerAppProbeArgs(type="Liveness", http_get=probe),
                            app.ContainerAppProbeArgs(type="Readiness", http_get=probe)])],
                scale=app.ScaleArgs(min_replicas=args.min_replicas, max_replicas=args.max_replicas, rules=[
                    app.ScaleRuleArgs(name="http-load", http=app.HttpScaleRuleArgs(
                        metadata={"concurrentRequests": str(args.concurrent_requests)}))])),
            tags=dict(args.tags), opts=self.child_options(args, depends_on=list(args.start_after)))
        self.add_interfaces(name, scope_id=container_app.id, args=args,
                            diagnostics=DiagnosticSupport(logs=False, metrics=True))
        self.resource_id, self.name = container_app.id, container_app.name
        self.fqdn = container_app.configuration.apply(
            lambda c: getattr(getattr(c, "ingress", None), "fqdn", None) if c else None)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "fqdn": self.fqdn})
