"""The landing zones program: each vended team's landing zone in this environment (its subscription, budget,
activity log, spoke peered to the hub and its firewall rules, registry pull identity, Container Apps environment,
action group, roles), from the team files, the platform stack of the same environment and the
governance config (the management group and custom role ids derive from it; that stack's state is in prod's
container, out of this environment's reach). No team: no resources. Teams are added with `cityctl vend <team>`.
"""

from functools import partial

import pulumi

from amsterdam_cloud.components.governance.hierarchy import group_resource_id
from amsterdam_cloud.components.governance.roles import APP_TEAM_DEPLOYER
from amsterdam_cloud.components.governance.vending import LandingZone, LandingZoneArgs, firewall_priority, \
    vended_flows
from amsterdam_cloud.components.interfaces import DiagnosticSettings
from amsterdam_cloud.components.landing_zone.hub import HubRef
from amsterdam_cloud.core.platform_outputs import PlatformOutputs
from amsterdam_cloud.stacks.landing_zones.config import from_pulumi
from amsterdam_cloud.stacks.landing_zones.team_files import recorded_subscription

config = from_pulumi()
env = config.environment
landing_zones: dict[str, dict[str, object]] = {}
if config.teams:
    # The platform's outputs, checked against their contract before any is used (core/platform_outputs.py).
    platform = PlatformOutputs.read(config.platform_stack)
    hub = HubRef(virtual_network_id=platform.hub_virtual_network_id,
                 virtual_network_name=platform.hub_virtual_network_name,
                 resource_group_name=platform.hub_resource_group_name,
                 firewall_private_ip=platform.firewall_private_ip)
    workspace_id = platform.workspace_id
    diagnostics = (DiagnosticSettings(workspace_id=workspace_id),)
    network = config.platform.network
    hosting = network.plan.spokes[config.platform.shared_hosting.spoke]
    # where the city's names resolve: the environment hub (its firewall's DNS proxy) and the connectivity hub
    dns_networks = (hub.virtual_network_id,) + ((config.platform.connectivity.ref.virtual_network_id,)
                                                 if config.platform.connectivity else ())
    previous: tuple[pulumi.Resource, ...] = ()  # one hub peering at a time: Azure refuses concurrent hub changes
    rules: tuple[pulumi.Resource, ...] = ()  # one firewall policy change at a time, likewise
    for team in config.teams:
        team_network = team.network(env)
        zone = LandingZone(f"lz-{team.name}", LandingZoneArgs(
            team=team.name, environment=env, workload=config.subscription_workload,
            management_group_id=group_resource_id(config.management_group_prefix, team.archetype),
            billing_scope=config.billing_scope, location=config.platform.location, network=team_network,
            hub=hub, hub_subscription_id=config.platform.subscription_id,
            budget_monthly_eur=team.budget_monthly_eur, alert_emails=(team.owner, *config.alert_emails),
            entra_group_id=team.entra_group_id, ci_principal_id=team.ci_principal_id,
            deployer_role_id=APP_TEAM_DEPLOYER.definition_id, registry_id=platform.container_registry_id,
            workspace_id=workspace_id,
            firewall_policy_name=platform.firewall_policy_name,
            firewall_priority=firewall_priority(network.plan.address_space, team_network.cidr),
            east_west=vended_flows(team_network, hosting, network.east_west), dns_network_ids=dns_networks,
            tags=team.tags(env), diagnostic_settings=diagnostics, peer_after=previous, policy_after=rules))
        previous, rules = (zone.spoke.hub_peering,), (zone.firewall_rules,)
        landing_zones[team.name] = {
            "subscriptionId": zone.subscription_id.apply(partial(recorded_subscription, team, env)),
            "resourceGroupName": zone.resource_group_name,
            "virtualNetworkId": zone.spoke.resource_id, "subnetIds": zone.spoke.subnet_ids,
            "registryPullIdentityId": zone.registry_pull_identity_id, "actionGroupId": zone.action_group_id,
            "containerAppsEnvironment": {"id": zone.container_apps_environment.resource_id,
                                         "workloadProfiles": ["Consumption"]}}

pulumi.export("environment", env)
pulumi.export("landingZones", landing_zones)
