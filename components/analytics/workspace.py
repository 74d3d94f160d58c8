"""A data team's analytics workspace (the team's bundle of resources, not one Azure resource): a private data lake,
the storage and Key Vault its Machine Learning workspaces share, and one `AlgorithmWorkspace` per registered algorithm
(Machine Learning workspace, compute, datastores, AI services), all reachable only through private endpoints in the
analytics spoke, all sending diagnostics to the central Log Analytics workspace.

Every algorithm is checked against the algorithm register before anything is declared: with the default
`RegisterPolicy` an unregistered algorithm stops the whole team's deploy with an error that names it and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import pulumi

from amsterdam_cloud.components.analytics.algorithm import (AI_ZONES, ML_ZONES, Algorithm, AlgorithmWorkspace,
                                                             AlgorithmWorkspaceArgs, TeamShared)
from amsterdam_cloud.components.analytics.data_lake import DataLake, DataLakeArgs
from amsterdam_cloud.components.analytics.register import RegisterPolicy, check_register_entry
from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, PrivateEndpoint, RoleAssignment, supports
from amsterdam_cloud.components.security.container_registry import ContainerRegistry, ContainerRegistryArgs
from amsterdam_cloud.components.security.key_vault import KeyVault, KeyVaultArgs
from amsterdam_cloud.core import private_link
from amsterdam_cloud.core.environments import ENVIRONMENTS, ENVIRONMENTS_IN_WORDS

BLOB_ZONE, DFS_ZONE, VAULT_ZONE, FILE_ZONE = (private_link.zone(key) for key in ("blob", "dfs", "vault", "file"))
REGISTRY_ZONE = private_link.zone("registry")
PRIVATE_DNS_ZONES = (BLOB_ZONE, DFS_ZONE, FILE_ZONE, VAULT_ZONE, REGISTRY_ZONE) + ML_ZONES + AI_ZONES
"""Every private DNS zone a team's workspace may register endpoints in (AI zones only with model deployments)."""

_TEAM = re.compile(r"^[a-z][a-z0-9]{1,9}$")


@dataclass(frozen=True, kw_only=True)
class AnalyticsWorkspaceArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "protect",
                        reason="private endpoints and identities are built by the component (endpoints in "
                               "endpoint_subnet_id, system-assigned identities per workspace)")
    resource_group_name: pulumi.Input[str]
    """The team's resource group; the component never creates it."""
    location: str
    """The region of everything the team gets."""
    team: str
    """The team's short name (2 to 10 lower-case letters and digits); part of every resource name."""
    environment: str
    """The environment's name; part of resource names only (behaviour comes from the other args)."""
    tenant_id: str
    """The Entra ID tenant of the team's Key Vault."""
    endpoint_subnet_id: pulumi.Input[str]
    """The analytics spoke's endpoint subnet: every private endpoint of the team goes there."""
    private_dns_zone_ids: Mapping[str, pulumi.Input[str]]
    """Private DNS zone name to id (the platform's `privateDnsZoneIds` export)."""
    algorithms: tuple[Algorithm, ...] = ()
    """The team's models and pipelines, one Machine Learning workspace each; none: only the lake."""
    register_policy: RegisterPolicy = field(default_factory=RegisterPolicy)
    """Refuse algorithms without a published register entry (the default); dev and test relax it."""
    filesystems: tuple[str, ...] = ("raw", "curated")
    """The lake's filesystems."""
    data_scientist_principal_ids: tuple[str, ...] = ()
    """Entra groups of the team's data scientists: data access to the lake, AzureML Data Scientist on the
    workspaces, OpenAI User on the AI services; none: only inherited access."""
    outbound_fqdns: tuple[str, ...] = ()
    """Hosts the workspaces' managed networks may reach (package mirrors); none: no internet at all."""
    zone_redundant: bool = False
    """Off: the lake is locally redundant; on: zone-redundant."""
    high_business_impact: bool = True
    """On: workspaces are marked high business impact (less Microsoft telemetry, encrypted scratch disks)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not _TEAM.match(self.team):
            raise InterfaceError(f"AnalyticsWorkspaceArgs.team: {self.team!r}; expected 2 to 10 lower-case letters "
                                 "and digits, starting with a letter")
        if self.environment not in ENVIRONMENTS:
            raise InterfaceError(f"AnalyticsWorkspaceArgs.environment: {self.environment!r}; expected "
                                 f"{ENVIRONMENTS_IN_WORDS}")
        names = [algorithm.name for algorithm in self.algorithms]
        if len(set(names)) != len(names):
            raise InterfaceError(f"AnalyticsWorkspaceArgs.algorithms: {names} names an algorithm twice")
        ids = [a.register_id for a in self.algorithms if a.register_id]
        if len(set(ids)) != len(ids):
            raise InterfaceError(f"AnalyticsWorkspaceArgs.algorithms: register ids {ids} repeat; one workspace per "
                                 "register entry: put the models of one entry in one algorithm")
        for algorithm in self.algorithms:  # every algorithm before anything is declared
            check_register_entry(algorithm.name, algorithm.register_id, self.register_policy)
            unknown = sorted(set(algorithm.filesystems or ()) - set(self.filesystems))
            if unknown:
                raise InterfaceError(f"Algorithm {algorithm.name!r}: filesystems {unknown} are not in the team's lake "
                                     f"({', '.join(self.filesystems)}); add them to filesystems")
        for zone in (BLOB_ZONE, DFS_ZONE, VAULT_ZONE, FILE_ZONE, REGISTRY_ZONE):
            if zone not in self.private_dns_zone_ids:
                raise InterfaceError(f"AnalyticsWorkspaceArgs.private_dns_zone_ids: no zone {zone}; pass the "
                                     "platform's privateDnsZoneIds export")


def ml_registry_name(team: str, environment: str) -> str:
    """The team's Machine Learning registry (`crams<team>ml<env>`), apart from the platform's app registry."""
    return f"crams{team}ml{environment}"


class AnalyticsWorkspace(pulumi.ComponentResource):
    """The team's lake (`lake`), shared storage and vault, and `algorithms` by name; `resource_id` is the lake's.
    `lock` applies to the lake, storage, vault and ML registry, `protect` to those and the ML workspaces,
    `role_assignments` to the lake."""

    def __init__(self, name: str, args: AnalyticsWorkspaceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:analytics:AnalyticsWorkspace", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        zones = args.private_dns_zone_ids

        def endpoint(group: str, zone: str) -> PrivateEndpoint:
            return PrivateEndpoint(subnet_id=args.endpoint_subnet_id, private_dns_zone_ids=(zones[zone],),
                                   group_id=group, name=f"pe-{group}")

        scientists = args.data_scientist_principal_ids
        self.lake = DataLake(f"{name}-lake", DataLakeArgs(
            tags=args.tags, lock=args.lock, protect=args.protect, diagnostic_settings=args.diagnostic_settings,
            resource_group_name=args.resource_group_name, location=args.location,
            account_name=f"stams{args.team}lake{args.environment}", filesystems=args.filesystems,
            zone_redundant=args.zone_redundant,
            private_endpoints=(endpoint("dfs", DFS_ZONE), endpoint("blob", BLOB_ZONE)),
            role_assignments=args.role_assignments + tuple(
                RoleAssignment(role="Storage Blob Data Contributor", principal_id=principal, principal_type="Group",
                               description="The team's data scientists work on the lake by identity")
                for principal in scientists)), opts=child)
        # The workspaces' own storage: no hierarchical namespace (Azure ML does not take a lake as its default
        # storage), reached by the workspaces' managed networks and the team's private endpoints alike.
        storage = DataLake(f"{name}-mlstorage", DataLakeArgs(
            tags=args.tags, lock=args.lock, protect=args.protect, diagnostic_settings=args.diagnostic_settings,
            resource_group_name=args.resource_group_name, location=args.location,
            account_name=f"stams{args.team}mlw{args.environment}", hierarchical_namespace=False,
            zone_redundant=args.zone_redundant,
            private_endpoints=(endpoint("blob", BLOB_ZONE), endpoint("file", FILE_ZONE))), opts=child)
        vault = KeyVault(f"{name}-kv", KeyVaultArgs(
            tags=args.tags, lock=args.lock, protect=args.protect, diagnostic_settings=args.diagnostic_settings,
            resource_group_name=args.resource_group_name, location=args.location, tenant_id=args.tenant_id,
            vault_name=f"kv-ams-{args.team}-{args.environment}", private_endpoints=(endpoint("vault", VAULT_ZONE),)),
            opts=child)
        # The team's own registry for environment images: the workspaces push there (AcrPush), never to the
        # platform's registry that serves production app images (a workspace identity is not a release pipeline).
        self.registry = ContainerRegistry(f"{name}-acr", ContainerRegistryArgs(
            tags=args.tags, lock=args.lock, protect=args.protect, diagnostic_settings=args.diagnostic_settings,
            resource_group_name=args.resource_group_name, location=args.location,
            registry_name=ml_registry_name(args.team, args.environment), zone_redundant=args.zone_redundant,
            private_endpoints=(endpoint("registry", REGISTRY_ZONE),)), opts=child)
        shared = TeamShared(
            storage_account_id=storage.resource_id, key_vault_id=vault.resource_id,
            container_registry_id=self.registry.resource_id, lake_account_id=self.lake.resource_id,
            lake_account_name=self.lake.name, filesystem_ids=self.lake.filesystem_ids,
            endpoint_subnet_id=args.endpoint_subnet_id, private_dns_zone_ids=zones,
            data_scientist_principal_ids=scientists, outbound_fqdns=args.outbound_fqdns)
        self.algorithms: dict[str, AlgorithmWorkspace] = {}
        for algorithm in args.algorithms:
            self.algorithms[algorithm.name] = AlgorithmWorkspace(f"{name}-{algorithm.name}", AlgorithmWorkspaceArgs(
                # No lock on the workspaces: a lock is inherited by their child resources (computes, datastores,
                # endpoints), which data scientists must be able to delete; `protect` guards them in Pulumi.
                tags=args.tags, protect=args.protect, diagnostic_settings=args.diagnostic_settings,
                resource_group_name=args.resource_group_name, location=args.location, algorithm=algorithm,
                team=args.team, environment=args.environment, shared=shared, register_policy=args.register_policy,
                high_business_impact=args.high_business_impact), opts=child)
        self.storage_id, self.key_vault_id = storage.resource_id, vault.resource_id
        self.resource_id, self.name = self.lake.resource_id, self.lake.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "workspaces": {n: a.resource_id for n, a in self.algorithms.items()}})
