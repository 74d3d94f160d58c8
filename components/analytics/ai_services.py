"""Azure AI services for one algorithm: a private account (Entra ID only, no public network, no outbound except what
the account is told) and its model deployments, which may only use deployment types that process data in the EU."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cognitiveservices

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   require_name, supports, system_principal_id)
from amsterdam_cloud.core.regions import AI_EU_DEPLOYMENT_SKUS

EU_DEPLOYMENT_TYPES = ("DataZoneStandard", "DataZoneProvisionedManaged", "DataZoneBatch", "Standard",
                       "ProvisionedManaged")
"""Deployment types that keep processing inside the EU (the data zone, or the account's own region)."""



@dataclass(frozen=True, kw_only=True)
class AiDeployment:
    """One model deployment on the account, pinned to a version."""

    name: str
    """The deployment's name, which clients call."""
    model: str
    """The model's name, e.g. gpt-4o-mini."""
    version: str
    """The model version; pinned: the model behind a registered algorithm never changes unnoticed."""
    deployment_type: str = "DataZoneStandard"
    """DataZoneStandard: pay per token, processed in the EU data zone; Standard / ProvisionedManaged: in the
    account's region; Global* types are refused (they may process data anywhere)."""
    capacity: int = 10
    """Thousands of tokens per minute (Standard types) or provisioned throughput units."""
    model_format: str = "OpenAI"
    """The model's publisher format."""

    def __post_init__(self) -> None:
        require_name("azure-native:cognitiveservices:Deployment", self.name, "AiDeployment.name")
        if self.deployment_type.lower() not in AI_EU_DEPLOYMENT_SKUS:
            raise InterfaceError(f"AiDeployment {self.name!r}: deployment type {self.deployment_type!r} may process "
                                 "data outside the EU; use one of " + ", ".join(EU_DEPLOYMENT_TYPES))
        if not self.version.strip() or not self.model.strip():
            raise InterfaceError(f"AiDeployment {self.name!r}: model and version are required; pin the version")
        if not 1 <= self.capacity <= 10_000:
            raise InterfaceError(f"AiDeployment {self.name!r}: capacity {self.capacity}; expected 1 to 10000")


@dataclass(frozen=True, kw_only=True)
class AiServicesArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints",
                        reason="the account runs as its system-assigned identity only, and holds no data to protect: "
                               "its models are deployments Azure serves")
    resource_group_name: pulumi.Input[str]
    """The account's resource group; the component never creates it."""
    location: str
    """The account's region (and, for Standard deployments, where data is processed)."""
    account_name: str
    """Globally unique account name; also its custom subdomain (needed for Entra ID and private endpoints)."""
    deployments: tuple[AiDeployment, ...] = ()
    """Model deployments, created one after another (Azure refuses concurrent changes to one account)."""
    kind: str = "AIServices"
    """AIServices: the multi-service account (OpenAI models and more); OpenAI: Azure OpenAI only."""
    public_network_access: bool = False
    """Off: only private endpoints reach the account; on: its public endpoint is open (network rules still deny)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:cognitiveservices:Account", self.account_name, "AiServicesArgs.account_name")
        if self.kind not in ("AIServices", "OpenAI"):
            raise InterfaceError(f"AiServicesArgs.kind: {self.kind!r}; expected AIServices or OpenAI")
        names = [deployment.name for deployment in self.deployments]
        if len(set(names)) != len(names):
            raise InterfaceError(f"AiServicesArgs.deployments: {names!r} names a deployment twice")


class AiServices(WithInterfaces, pulumi.ComponentResource):
    """The account; `endpoint` is where clients send requests (through the private endpoint), `principal_id` its
    system identity (always on)."""

    def __init__(self, name: str, args: AiServicesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:analytics:AiServices", name, None, opts)
        account = cognitiveservices.Account(
            f"{name}-account", account_name=args.account_name, resource_group_name=args.resource_group_name,
            location=args.location, kind=args.kind, sku=cognitiveservices.SkuArgs(name="S0"),
            identity=cognitiveservices.IdentityArgs(type=cognitiveservices.ResourceIdentityType.SYSTEM_ASSIGNED),
            properties=cognitiveservices.AccountPropertiesArgs(
                custom_sub_domain_name=args.account_name, disable_local_auth=True,
                public_network_access="Enabled" if args.public_network_access else "Disabled",
                network_acls=cognitiveservices.NetworkRuleSetArgs(default_action="Deny"),
                restrict_outbound_network_access=True, allowed_fqdn_list=[], dynamic_throttling_enabled=False),
            tags=dict(args.tags), opts=self.child_options(args))
        previous: list[pulumi.Resource] = []
        self.deployment_names: list[pulumi.Output[str]] = []
        for deployment in args.deployments:
            made = cognitiveservices.Deployment(
                f"{name}-{deployment.name}", account_name=account.name, resource_group_name=args.resource_group_name,
                deployment_name=deployment.name,
                sku=cognitiveservices.SkuArgs(name=deployment.deployment_type, capacity=deployment.capacity),
                properties=cognitiveservices.DeploymentPropertiesArgs(
                    model=cognitiveservices.DeploymentModelArgs(format=deployment.model_format, name=deployment.model,
                                                                version=deployment.version),
                    version_upgrade_option="NoAutoUpgrade", rai_policy_name="Microsoft.DefaultV2"),
                tags=dict(args.tags), opts=pulumi.ResourceOptions(parent=self, depends_on=previous[-1:]))
            previous.append(made)
            self.deployment_names.append(made.name)
        self.add_interfaces(name, scope_id=account.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="account", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = account.id, account.name
        self.endpoint = pulumi.Output.concat("https://", args.account_name, ".cognitiveservices.azure.com/")
        self.principal_id = system_principal_id("AiServices", account.identity)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "endpoint": self.endpoint})
