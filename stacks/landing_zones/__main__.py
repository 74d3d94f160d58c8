"""The landing zones program: each vended team's landing zone in this environment (its subscription, budget,
spoke peered to the hub, deployer role), from the team files, the platform stack of the same environment and the
tenant's governance stack. No team: no resources. Teams are added with `cityctl vend <team>`.
"""

import pulumi

from amsterdam_cloud.components.governance.roles import APP_TEAM_DEPLOYER
from amsterdam_cloud.components.governance.vending import LandingZone, LandingZoneArgs
from amsterdam_cloud.components.interfaces import DiagnosticSettings
from amsterdam_cloud.components.landing_zone.hub import HubRef
from amsterdam_cloud.core.platform_outputs import PlatformOutputs
from amsterdam_cloud.stacks.landing_zones.config import from_pulumi

config = from_pulumi()
env = config.environment
landing_zones: dict[str, dict[str, object]] = {}
if config.teams:
    # The platform's outputs, checked against their contract before any is used (core/platform_outputs.py).
    platform = PlatformOutputs.read(config.platform_stack)
    governance = pulumi.StackReference(config.governance_stack)
    hub = HubRef(virtual_network_id=platform.hub_virtual_network_id,
                 virtual_network_name=platform.hub_virtual_network_name,
                 resource_group_name=platform.hub_resource_group_name,
                 firewall_private_ip=platform.firewall_private_ip)
    group_ids = governance.get_output("managementGroupIds")
    deployer = governance.get_output("customRoleIds").apply(lambda ids: ids[APP_TEAM_DEPLOYER.key])
    diagnostics = (DiagnosticSettings(workspace_id=platform.workspace_id),)
    previous: tuple[pulumi.Resource, ...] = ()  # one hub peering at a time: Azure refuses concurrent hub changes
    for team in config.teams:
        zone = LandingZone(f"lz-{team.name}", LandingZoneArgs(
            team=team.name, environment=env,
            management_group_id=group_ids[team.archetype],
            billing_scope=config.billing_scope, location=config.platform.location, network=team.network(env),
            hub=hub, hub_subscription_id=config.platform.subscription_id,
            budget_monthly_eur=team.budget_monthly_eur, alert_emails=(team.owner, *config.alert_emails),
            entra_group_id=team.entra_group_id, ci_principal_id=team.ci_principal_id, deployer_role_id=deployer,
            tags=team.tags(env), diagnostic_settings=diagnostics, peer_after=previous))
        previous = (zone.spoke.hub_peering,)
        landing_zones[team.name] = {
            "subscriptionId": zone.subscription_id, "resourceGroupName": zone.resource_group_name,
            "virtualNetworkId": zone.spoke.resource_id, "subnetIds": zone.spoke.subnet_ids}

pulumi.export("environment", env)
pulumi.export("landingZones", landing_zones)
