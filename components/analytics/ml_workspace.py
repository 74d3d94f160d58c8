"""An Azure Machine Learning workspace, private and isolated: no public network access, a managed network that
allows only approved outbound traffic (private endpoints to the data lake and AI services, listed FQDNs), identity
based access to storage (no keys), the team's Key Vault and ML container registry, a compute cluster without
public IPs or SSH, identity-based datastores for the lake's filesystems, diagnostics to the central workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, RoleAssignment,
                                                   WithInterfaces, create_role_assignments, require_name, supports,
                                                   system_principal_id)

ROLE_AZUREML_DATA_SCIENTIST = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
"""Built-in role AzureML Data Scientist: run experiments and deploy models, not change the workspace itself."""
ROLE_STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR = "69566ab7-960f-475b-8e7c-b3118f30c6bd"
"""Built-in role Storage File Data Privileged Contributor: notebooks on the workspace's file share, by identity."""
ROLE_ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"
"""Built-in role AcrPush: the workspace builds environment images into its team's ML registry (never the app one)."""

_FQDN = re.compile(r"^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$")


@dataclass(frozen=True, kw_only=True)
class ComputeCluster:
    """A compute cluster that scales to zero; its nodes have no public IP and no SSH."""

    name: str = "cpu-cluster"
    """The cluster's name in the workspace (2 to 16 lower-case letters, digits, hyphens)."""
    vm_size: str = "Standard_D4s_v5"
    """The nodes' VM size."""
    max_nodes: int = 2
    """The most nodes the cluster scales out to; it scales to zero when idle."""
    idle_minutes: int = 15
    """Minutes a node stays up without work before the cluster scales it down."""

    def __post_init__(self) -> None:
        require_name("azure-native:machinelearningservices:Compute", self.name, "ComputeCluster.name")
        if not 1 <= self.max_nodes <= 100:
            raise InterfaceError(f"ComputeCluster.max_nodes: {self.max_nodes}; expected 1 to 100")
        if not 2 <= self.idle_minutes <= 240:
            raise InterfaceError(f"ComputeCluster.idle_minutes: {self.idle_minutes}; expected 2 to 240")


@dataclass(frozen=True, kw_only=True)
class LakeAccess:
    """Filesystems of a data lake the workspace works on, reached privately and by identity."""

    account_id: pulumi.Input[str]
    """Resource id of the data lake account (the managed network reaches it over private endpoints)."""
    account_name: pulumi.Input[str]
    """Name of the data lake account (the datastores point at it)."""
    filesystem_ids: Mapping[str, pulumi.Input[str]]
    """Filesystem name to its resource id; each becomes a datastore, and the compute identity gets data access to it."""
    role: str = "Storage Blob Data Contributor"
    """The compute identity's role on each filesystem; Storage Blob Data Reader: the algorithm only reads."""


@dataclass(frozen=True, kw_only=True)
class MachineLearningWorkspaceArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the workspace runs as its system-assigned identity only (roles are granted to it)")
    resource_group_name: pulumi.Input[str]
    """The workspace's resource group; the component never creates it."""
    location: str
    """The workspace's region."""
    workspace_name: str
    """The workspace's name (3 to 33 letters, digits, '-', '_')."""
    storage_account_id: pulumi.Input[str]
    """The workspace's own storage (a non-HNS account without shared keys); the component never creates it."""
    key_vault_id: pulumi.Input[str]
    """The Key Vault for the workspace's secrets (RBAC, private); the component never creates it."""
    container_registry_id: pulumi.Input[str]
    """The team's ML registry for environment images (the workspace gets AcrPush on it): never the platform's app
    registry; the workspace never creates a registry of its own."""
    lake: LakeAccess | None = None
    """No lake: the workspace sees only its own storage."""
    compute: ComputeCluster | None = ComputeCluster()
    """A small CPU cluster that scales to zero; None: no cluster (serverless compute only)."""
    ai_services_ids: tuple[pulumi.Input[str], ...] = ()
    """AI services accounts the managed network reaches over private endpoints; none: no AI services."""
    outbound_fqdns: tuple[str, ...] = ()
    """Extra outbound hosts (package mirrors, say) allowed through the managed firewall; none: no internet at all
    (each FQDN rule starts a managed Azure Firewall, which costs money)."""
    data_scientist_principal_ids: tuple[pulumi.Input[str], ...] = ()
    """Entra groups that get AzureML Data Scientist on the workspace; none: only inherited access."""
    high_business_impact: bool = True
    """On: Microsoft collects less diagnostic data and encrypts local scratch disks (data about residents); off: not."""
    public_network_access: bool = False
    """Off: only private endpoints reach the workspace; on: its public endpoint is open to Entra ID users."""
    description: str = ""
    """Shown in the portal and the studio; empty: no description."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:machinelearningservices:Workspace", self.workspace_name,
                     "MachineLearningWorkspaceArgs.workspace_name")
        for fqdn in self.outbound_fqdns:
            if not _FQDN.match(fqdn):
                raise InterfaceError(f"MachineLearningWorkspaceArgs.outbound_fqdns: {fqdn!r} is not a host name")


class MachineLearningWorkspace(WithInterfaces, pulumi.ComponentResource):
    """The workspace; `principal_id` is its system identity (always on: it reaches storage, vault and registry by
    identity), `compute_principal_id` that of its cluster (None: no cluster). `protect` covers the workspace (its
    experiments, models and lineage)."""

    def __init__(self, name: str, args: MachineLearningWorkspaceArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:analytics:MachineLearningWorkspace", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        workspace = ml.Workspace(
            f"{name}-workspace", workspace_name=args.workspace_name, resource_group_name=args.resource_group_name,
            location=args.location, kind="Default", sku=ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
            friendly_name=args.workspace_name, description=args.description or None,
            identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
            storage_account=args.storage_account_id, key_vault=args.key_vault_id,
            container_registry=args.container_registry_id,
            image_build_compute=args.compute.name if args.compute else None,
            public_network_access="Enabled" if args.public_network_access else "Disabled",
            allow_public_access_when_behind_vnet=False, v1_legacy_mode=False, enable_data_isolation=True,
            hbi_workspace=args.high_business_impact, system_datastores_auth_mode="identity",
            serverless_compute_settings=ml.ServerlessComputeSettingsArgs(serverless_compute_no_public_ip=True),
            managed_network=ml.ManagedNetworkSettingsArgs(
                isolation_mode="AllowOnlyApprovedOutbound", outbound_rules=self._outbound_rules(args) or None),
            provision_network_now=True, tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        self.principal_id = system_principal_id("MachineLearningWorkspace", workspace.identity)

        # What the workspace's identity needs, by identity (its storage has no keys): blobs and file share of its
        # own storage, its secrets, and pushing environment images to the team's ML registry.
        grants = [("blob", args.storage_account_id, "Storage Blob Data Contributor"),
                  ("file", args.storage_account_id, ROLE_STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR),
                  ("vault", args.key_vault_id, "Key Vault Administrator"),
                  ("acr", args.container_registry_id, ROLE_ACR_PUSH)]
        for purpose, scope, role in grants:
            create_role_assignments(f"{name}-identity-{purpose}", scope_id=scope, parent=self, assignments=[
                RoleAssignment(role=role, principal_id=self.principal_id,
                               description=f"Machine Learning workspace {args.workspace_name} works by identity")])

        self.compute_principal_id: pulumi.Output[str] | None = None
        if args.compute:
            compute = ml.Compute(
                f"{name}-{args.compute.name}", compute_name=args.compute.name, workspace_name=workspace.name,
                resource_group_name=args.resource_group_name, location=args.location,
                identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
                properties=ml.AmlComputeArgs(
                    compute_type="AmlCompute", disable_local_auth=True,
                    description="Scales to zero; no public IP, no SSH",
                    properties=ml.AmlComputePropertiesArgs(
                        vm_size=args.compute.vm_size, vm_priority="Dedicated", os_type="Linux",
                        enable_node_public_ip=False, remote_login_port_public_access="Disabled",
                        scale_settings=ml.ScaleSettingsArgs(
                            min_node_count=0, max_node_count=args.compute.max_nodes,
                            node_idle_time_before_scale_down=f"PT{args.compute.idle_minutes}M"))),
                tags=dict(args.tags), opts=child)
            self.compute_principal_id = system_principal_id("MachineLearningWorkspace compute", compute.identity)

        self.datastore_names: dict[str, pulumi.Output[str]] = {}
        if args.lake:
            for filesystem, filesystem_id in args.lake.filesystem_ids.items():
                datastore = ml.Datastore(
                    f"{name}-{filesystem}-datastore", name=filesystem.replace("-", "_"),
                    workspace_name=workspace.name, resource_group_name=args.resource_group_name,
                    properties=ml.AzureDataLakeGen2DatastoreArgs(
                        datastore_type="AzureDataLakeGen2", account_name=args.lake.account_name,
                        filesystem=filesystem, credentials=ml.NoneDatastoreCredentialsArgs(credentials_type="None"),
                        service_data_access_auth_identity="None", tags=dict(args.tags),
                        description=f"Filesystem {filesystem} of the team's data lake, by the caller's identity"),
                    opts=child)
                self.datastore_names[filesystem] = datastore.name
                if self.compute_principal_id is not None:
                    create_role_assignments(f"{name}-{filesystem}-compute", scope_id=filesystem_id, parent=self,
                                            assignments=[RoleAssignment(
                                                role=args.lake.role, principal_id=self.compute_principal_id,
                                                description=f"Cluster of {args.workspace_name} reads and writes "
                                                            f"{filesystem} by identity")])

        self.add_interfaces(name, scope_id=workspace.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="amlworkspace", resource_group_name=args.resource_group_name,
                            location=args.location)
        create_role_assignments(f"{name}-scientists", scope_id=workspace.id, parent=self, assignments=[
            RoleAssignment(role=ROLE_AZUREML_DATA_SCIENTIST, principal_id=principal, principal_type="Group",
                           description="The team's data scientists run experiments and deploy models")
            for principal in args.data_scientist_principal_ids])
        self.resource_id, self.name = workspace.id, workspace.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "principal_id": self.principal_id})

    @staticmethod
    def _outbound_rules(args: MachineLearningWorkspaceArgs) -> dict[str, ml.PrivateEndpointOutboundRuleArgs |
                                                                      ml.FqdnOutboundRuleArgs]:
        rules: dict = {}
        if args.lake:
            for target in ("dfs", "blob"):
                rules[f"lake-{target}"] = ml.PrivateEndpointOutboundRuleArgs(
                    type="PrivateEndpoint", category="UserDefined", destination=ml.PrivateEndpointDestinationArgs(
                        service_resource_id=args.lake.account_id, subresource_target=target, spark_enabled=False))
        for index, account_id in enumerate(args.ai_services_ids):
            rules[f"ai-services-{index}"] = ml.PrivateEndpointOutboundRuleArgs(
                type="PrivateEndpoint", category="UserDefined", destination=ml.PrivateEndpointDestinationArgs(
                    service_resource_id=account_id, subresource_target="account", spark_enabled=False))
        for index, fqdn in enumerate(args.outbound_fqdns):
            rules[f"fqdn-{index}"] = ml.FqdnOutboundRuleArgs(type="FQDN", category="UserDefined", destination=fqdn)
        return rules
