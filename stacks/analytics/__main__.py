"""The analytics program: read the typed config once, take the platform's network and workspace from its stack,
compose one analytics workspace per data team, export what the teams and the register review need.

Its own project (not part of the platform program): data teams onboard on their own cadence, and the algorithm
register review gates their deploys, not the platform's. Environments differ only through the stack config.
"""

import pulumi
from pulumi_azure_native import resources

from amsterdam_cloud.components.analytics.workspace import (PRIVATE_DNS_ZONES, AnalyticsWorkspace,
                                                             AnalyticsWorkspaceArgs)
from amsterdam_cloud.components.interfaces import DiagnosticSettings, Lock
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.platform_outputs import PlatformOutputs
from amsterdam_cloud.stacks.analytics.config import from_pulumi

config = from_pulumi()
features = config.features
lock = Lock(notes="A data team's lake, storage or vault; remove the lock through the analytics stack, never by "
                  "hand.") if features.resource_locks else None

# The platform's outputs, checked against their contract before any is used (core/platform_outputs.py).
platform = PlatformOutputs.read(config.platform_stack)


def _same_region(location: str) -> str:
    if location != config.location:
        raise UserError(f"{config.source}: amsterdam-analytics:location: {config.location!r}, but the platform "
                        f"stack {config.platform_stack} is in {location!r}; private endpoints must be in the "
                        "region of the spoke, set the same location")
    return location


def _subnet(subnets: dict) -> str:
    try:
        return subnets[config.spoke][config.endpoint_subnet]
    except KeyError:
        raise UserError(f"{config.source}: amsterdam-analytics:spoke/endpointSubnet: the platform stack "
                        f"{config.platform_stack} has no subnet {config.endpoint_subnet!r} in spoke "
                        f"{config.spoke!r}; its spokes: {', '.join(sorted(subnets))}") from None


workspace_id = platform.workspace_id
# Every private endpoint hangs on this id, so the region check runs before any of them is declared.
endpoint_subnet_id = pulumi.Output.all(platform.location, platform.spoke_subnet_ids).apply(
    lambda values: _same_region(values[0]) and _subnet(values[1]))
zone_ids = pulumi.Output.from_input(platform.private_dns_zone_ids)
# No platform registry here: each team's workspaces build into the team's own ML registry (AnalyticsWorkspace), so
# no workspace identity can push to the registry that serves the city's production app images.
diagnostics = (DiagnosticSettings(workspace_id=workspace_id),)



def _zone(ids: dict, zone: str) -> str:
    if zone not in ids:
        raise UserError(f"the platform stack {config.platform_stack} exports no private DNS zone {zone}; add it to "
                        "the platform's private link zones (components/landing_zone/private_dns.py)")
    return ids[zone]


# The zone names are known here (the components pick the ones they need); their ids come from the platform.
private_dns_zone_ids = {z: pulumi.Output.all(zone_ids, z).apply(lambda v: _zone(*v)) for z in PRIVATE_DNS_ZONES}

teams: dict[str, AnalyticsWorkspace] = {}
groups: dict[str, resources.ResourceGroup] = {}
for team in config.teams:
    tags = team.tags.as_azure_tags(config.environment)
    groups[team.name] = resources.ResourceGroup(
        f"rg-analytics-{team.name}", resource_group_name=f"rg-amsterdam-analytics-{team.name}-{config.environment}",
        location=config.location, tags=tags)
    teams[team.name] = AnalyticsWorkspace(team.name, AnalyticsWorkspaceArgs(
        tags=tags, lock=lock, protect=features.protect_stateful, diagnostic_settings=diagnostics,
        resource_group_name=groups[team.name].name, location=config.location, team=team.name,
        environment=config.environment, tenant_id=config.tenant_id, endpoint_subnet_id=endpoint_subnet_id,
        private_dns_zone_ids=private_dns_zone_ids,
        algorithms=team.algorithms, register_policy=config.register_policy, filesystems=team.filesystems,
        data_scientist_principal_ids=team.data_scientist_group_ids, outbound_fqdns=config.outbound_fqdns,
        zone_redundant=features.zone_redundancy))

pulumi.export("environment", config.environment)
pulumi.export("platformStack", config.platform_stack)
pulumi.export("teams", {
    name: {"resourceGroupName": groups[name].name, "lakeId": team.lake.resource_id, "lakeName": team.lake.name,
           "lakeDfsEndpoint": team.lake.dfs_endpoint, "lakeFilesystemIds": team.lake.filesystem_ids,
           "keyVaultId": team.key_vault_id, "mlRegistryId": team.registry.resource_id,
           "mlRegistryLoginServer": team.registry.login_server,
           "workspaces": {algorithm: {"id": ml_workspace.resource_id, "name": ml_workspace.name,
                                      "registerId": ml_workspace.register_id or ""}
                          for algorithm, ml_workspace in team.algorithms.items()}}
    for name, team in teams.items()})
pulumi.export("algorithmRegister", {
    (ml_workspace.register_id or f"unregistered:{name}/{algorithm}"): ml_workspace.resource_id
    for name, team in teams.items() for algorithm, ml_workspace in team.algorithms.items()})
