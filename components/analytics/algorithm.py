"""One registered algorithm of a data team: its own Machine Learning workspace (and compute, datastores), and, when
it uses language models, its own AI services account, every resource tagged with the algorithm's register id.

One workspace per algorithm, not per team: a workspace carries exactly one `algorithm-register-id` (the policy pack
checks it against the register), the register review gates each algorithm's deploys on its own, and access,
experiments and audit logs stay apart per algorithm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi

from amsterdam_cloud.components.analytics.ai_services import AiDeployment, AiServices, AiServicesArgs
from amsterdam_cloud.components.analytics.ml_workspace import (ComputeCluster, LakeAccess, MachineLearningWorkspace,
                                                               MachineLearningWorkspaceArgs)
from amsterdam_cloud.components.analytics.register import RegisterPolicy, check_register_entry, register_tags
from amsterdam_cloud.components.interfaces import (CommonArgs, InterfaceError, PrivateEndpoint, RoleAssignment,
                                                   create_role_assignments, supports)
from amsterdam_cloud.core.private_link import PRIVATE_LINK_ZONES

ROLE_COGNITIVE_SERVICES_OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
"""Built-in role Cognitive Services OpenAI User: call deployments, not change them."""
ML_ZONES, AI_ZONES = PRIVATE_LINK_ZONES["ml"], PRIVATE_LINK_ZONES["ai"]
KINDS = ("model", "pipeline")

_NAME = re.compile(r"^[a-z][a-z0-9-]{1,10}[a-z0-9]$")


@dataclass(frozen=True, kw_only=True)
class Algorithm:
    """A model or pipeline the team runs, as the algorithm register knows it."""

    name: str
    """Short name, 3 to 12 lower-case letters, digits and hyphens; part of the workspace's name."""
    register_id: str | None = None
    """The algorithm's id (`lars`) in the public algorithm register; none: not (yet) registered, which only an
    environment that does not require register entries accepts."""
    kind: str = "model"
    """model: a trained model that scores or predicts; pipeline: a rule-based or data pipeline."""
    compute: ComputeCluster | None = ComputeCluster()
    """A small CPU cluster that scales to zero; None: no cluster."""
    filesystems: tuple[str, ...] | None = None
    """Lake filesystems the algorithm works on; None: all of the team's."""
    read_only: bool = False
    """Off: the cluster may write to its filesystems; on: it only reads them."""
    ai_deployments: tuple[AiDeployment, ...] = ()
    """Language model deployments the algorithm calls; none: no AI services account."""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise InterfaceError(f"Algorithm.name: {self.name!r}; expected 3 to 12 lower-case letters, digits and "
                                 "hyphens, starting with a letter")
        if self.kind not in KINDS:
            raise InterfaceError(f"Algorithm {self.name!r}: kind {self.kind!r}; expected one of {', '.join(KINDS)}")


@dataclass(frozen=True, kw_only=True)
class TeamShared:
    """What the team's algorithms share: storage, vault, lake, registry, network; built by AnalyticsWorkspace."""

    storage_account_id: pulumi.Input[str]
    key_vault_id: pulumi.Input[str]
    container_registry_id: pulumi.Input[str]
    lake_account_id: pulumi.Input[str]
    lake_account_name: pulumi.Input[str]
    filesystem_ids: Mapping[str, pulumi.Input[str]]
    endpoint_subnet_id: pulumi.Input[str]
    private_dns_zone_ids: Mapping[str, pulumi.Input[str]]
    data_scientist_principal_ids: tuple[pulumi.Input[str], ...] = ()
    outbound_fqdns: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AlgorithmWorkspaceArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "protect",
                        reason="private endpoints and identities are built by the component (endpoints in "
                               "shared.endpoint_subnet_id, system-assigned identities)")
    resource_group_name: pulumi.Input[str]
    """The resource group of the algorithm's resources; the component never creates it."""
    location: str
    """The region of the algorithm's resources."""
    algorithm: Algorithm
    """The algorithm and its register id."""
    team: str
    """The team's short name; part of resource names."""
    environment: str
    """The environment's name; part of resource names only (behaviour comes from the other args)."""
    shared: TeamShared
    """What the team's algorithms share."""
    register_policy: RegisterPolicy = field(default_factory=RegisterPolicy)
    """Refuse an algorithm without a published register entry (the default); dev and test relax it."""
    high_business_impact: bool = True
    """On: the workspace is marked high business impact (less Microsoft telemetry, encrypted scratch disks)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        check_register_entry(self.algorithm.name, self.algorithm.register_id, self.register_policy)
        unknown = sorted(set(self.algorithm.filesystems or ()) - set(self.shared.filesystem_ids))
        if unknown:
            raise InterfaceError(f"Algorithm {self.algorithm.name!r}: filesystems {unknown} are not in the team's "
                                 f"lake ({', '.join(sorted(self.shared.filesystem_ids))})")
        needed = ML_ZONES + (AI_ZONES if self.algorithm.ai_deployments else ())
        missing = [zone for zone in needed if zone not in self.shared.private_dns_zone_ids]
        if missing:
            raise InterfaceError(f"AlgorithmWorkspaceArgs.shared.private_dns_zone_ids: no zone {missing[0]}; the "
                                 "platform's privateDnsZoneIds export lists the city's zones")


class AlgorithmWorkspace(pulumi.ComponentResource):
    """The algorithm's Machine Learning workspace (`ml_workspace`) and AI services (`ai_services`, or None). The
    interfaces in its args (lock, protect, role assignments) apply to the Machine Learning workspace; diagnostics to
    everything that has logs."""

    def __init__(self, name: str, args: AlgorithmWorkspaceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:analytics:AlgorithmWorkspace", name, None, opts)
        algorithm, shared = args.algorithm, args.shared
        tags = register_tags(args.tags, algorithm.register_id)
        self.register_id = algorithm.register_id
        scientists = shared.data_scientist_principal_ids

        def endpoint(zones: tuple[str, ...]) -> tuple[PrivateEndpoint, ...]:
            return (PrivateEndpoint(subnet_id=shared.endpoint_subnet_id,
                                    private_dns_zone_ids=tuple(shared.private_dns_zone_ids[z] for z in zones)),)

        self.ai_services: AiServices | None = None
        if algorithm.ai_deployments:
            self.ai_services = AiServices(f"{name}-ai", AiServicesArgs(
                tags=tags, diagnostic_settings=args.diagnostic_settings, resource_group_name=args.resource_group_name,
                location=args.location, account_name=f"ai-ams-{args.team}-{algorithm.name}-{args.environment}",
                deployments=algorithm.ai_deployments, private_endpoints=endpoint(AI_ZONES),
                role_assignments=tuple(
                    RoleAssignment(role=ROLE_COGNITIVE_SERVICES_OPENAI_USER, principal_id=principal,
                                   principal_type="Group", description="The team's data scientists call the models")
                    for principal in scientists)), opts=pulumi.ResourceOptions(parent=self))

        filesystems = algorithm.filesystems if algorithm.filesystems is not None else tuple(shared.filesystem_ids)
        self.ml_workspace = MachineLearningWorkspace(f"{name}-ml", MachineLearningWorkspaceArgs(
            tags=tags, diagnostic_settings=args.diagnostic_settings, resource_group_name=args.resource_group_name,
            location=args.location, workspace_name=f"mlw-{args.team}-{algorithm.name}-{args.environment}",
            description=self._description(algorithm),
            storage_account_id=shared.storage_account_id, key_vault_id=shared.key_vault_id,
            container_registry_id=shared.container_registry_id,
            lake=LakeAccess(account_id=shared.lake_account_id, account_name=shared.lake_account_name,
                            filesystem_ids={fs: shared.filesystem_ids[fs] for fs in filesystems},
                            role=f"Storage Blob Data {'Reader' if algorithm.read_only else 'Contributor'}"),
            compute=algorithm.compute,
            ai_services_ids=(self.ai_services.resource_id,) if self.ai_services else (),
            outbound_fqdns=shared.outbound_fqdns, data_scientist_principal_ids=scientists,
            high_business_impact=args.high_business_impact, private_endpoints=endpoint(ML_ZONES),
            lock=args.lock, protect=args.protect, role_assignments=args.role_assignments),
            opts=pulumi.ResourceOptions(parent=self))

        if self.ai_services and self.ml_workspace.compute_principal_id is not None:
            create_role_assignments(f"{name}-compute-ai", scope_id=self.ai_services.resource_id, parent=self,
                                    assignments=[RoleAssignment(
                                        role=ROLE_COGNITIVE_SERVICES_OPENAI_USER,
                                        principal_id=self.ml_workspace.compute_principal_id,
                                        description=f"The cluster of {algorithm.name} calls its models")])
        self.resource_id, self.name = self.ml_workspace.resource_id, self.ml_workspace.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "register_id": algorithm.register_id or ""})

    @staticmethod
    def _description(algorithm: Algorithm) -> str:
        registered = f"algorithm register {algorithm.register_id}" if algorithm.register_id else "not registered"
        return f"{algorithm.kind} {algorithm.name} ({registered})"
