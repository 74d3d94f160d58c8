"""The city's platform program: read the typed stack config once, compose the landing zone, export what others need.

Environments differ only through their stack config (features, retention, address plan, budget): there is no
`if environment == ...` here or in any component.
"""

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import authorization, resources

from amsterdam_cloud.components.app_hosting.container_apps_environment import ContainerAppsEnvironment, \
    ContainerAppsEnvironmentArgs
from amsterdam_cloud.components.app_hosting.front_door import FrontDoor, FrontDoorArgs
from amsterdam_cloud.components.compute.operations import VmOperations, VmOperationsArgs
from amsterdam_cloud.components.interfaces import DiagnosticSettings, Lock, PrivateEndpoint, RoleAssignment
from amsterdam_cloud.components.landing_zone.firewall import FirewallEgress, FirewallEgressArgs
from amsterdam_cloud.components.landing_zone.guardrails import (CITY_DEFENDER_PLANS, Guardrails, GuardrailsArgs,
                                                                defender_default_group)
from amsterdam_cloud.components.landing_zone.hub import Hub, HubArgs
from amsterdam_cloud.components.landing_zone.hub_attachment import HubAttachment, HubAttachmentArgs
from amsterdam_cloud.components.landing_zone.management import Management, ManagementArgs
from amsterdam_cloud.components.landing_zone.spoke import Spoke, SpokeArgs
from amsterdam_cloud.components.monitoring.alerts import FIREWALL, HostHealthAlert, HostHealthAlertArgs, MetricAlerts, \
    MetricAlertsArgs
from amsterdam_cloud.components.monitoring.flow_logs import MIN_RETENTION_DAYS, VnetFlowLogs, VnetFlowLogsArgs
from amsterdam_cloud.components.monitoring.private_ingestion import (AMPLS_FQDNS, AMPLS_ZONES, MonitorPrivateLinkScope,
                                                                     MonitorPrivateLinkScopeArgs, PrivateIngestion,
                                                                     PrivateIngestionArgs, PrivateLinkScopeRef,
                                                                     environment_entries)
from amsterdam_cloud.components.security.container_registry import ContainerRegistry, ContainerRegistryArgs, \
    city_registry_name
from amsterdam_cloud.components.security.defender import DefenderReporting, DefenderReportingArgs
from amsterdam_cloud.components.security.key_vault import KeyVault, KeyVaultArgs
from amsterdam_cloud.core.environments import (central_workspace_name, collection_endpoint_name,
                                               container_apps_infrastructure_group, platform_resource_group)
from amsterdam_cloud.core.platform_outputs import PlatformOutputs
from amsterdam_cloud.core.private_link import city_private_link_zones, zone
from amsterdam_cloud.core.regions import EU_REGIONS
from amsterdam_cloud.stacks.config import from_pulumi
from amsterdam_cloud.stacks.governance.config import governs_subscription

VAULT_ZONE, REGISTRY_ZONE, BLOB_ZONE = zone("vault"), zone("registry"), zone("blob")

config = from_pulumi()
tags = config.azure_tags
features = config.features
plan = config.network.plan
lock = Lock() if features.resource_locks else None


def resource_group(role: str) -> resources.ResourceGroup:
    return resources.ResourceGroup(
        f"rg-{role}", resource_group_name=platform_resource_group(role, config.environment), location=config.location,
        tags=tags)


management_group = resource_group("management")
connectivity_group = resource_group("connectivity")
security_group = resource_group("security")
shared_group = resource_group("shared")
spoke_groups = {name: resource_group(f"spoke-{name}") for name in plan.spokes}

management = Management("management", ManagementArgs(
    tags=tags, lock=lock, protect=features.protect_stateful, resource_group_name=management_group.name,
    location=config.location, subscription_id=config.subscription_id, retention_days=config.log_retention_days,
    # A fixed name: the policy pack config names this workspace as the city's (logAnalyticsWorkspaceIds).
    workspace_name=central_workspace_name(config.environment),
    alert_emails=config.alert_emails, budget_monthly_eur=config.budget_monthly_eur,
    budget_alert_thresholds=config.budget_alert_thresholds, budget_start_date=config.budget_start_date,
    alert_webhook_url=pulumi.Output.secret(config.alert_webhook_url.value) if config.alert_webhook_url else None,
    # Operators query the central logs from the portal with their Entra ID rights; ingestion stays private.
    public_query=True))
diagnostics = (DiagnosticSettings(workspace_id=management.workspace_id),)

# With the city's connectivity hub (stacks/connectivity), the private-link zones are its one set; without, the
# environment hub keeps its own copy.
zones = city_private_link_zones(config.location)
hub = Hub("hub", HubArgs(
    tags=tags, lock=lock, diagnostic_settings=diagnostics, resource_group_name=connectivity_group.name,
    location=config.location, network=plan.hub, egress_ranges=(plan.address_space,),
    # attached to the connectivity hub: its gateway and zones, none of the hub's own
    gateway_subnet=not config.connectivity, spoke_ranges=() if config.connectivity else plan.spoke_ranges(),
    private_dns_zones=() if config.connectivity else zones,
    zone_redundant=features.zone_redundancy, firewall_premium=features.firewall_premium,
    firewall_snat_private_traffic=bool(config.network.east_west),
    # the city's Azure Monitor scope endpoint is in the connectivity hub, beyond this one
    firewall_private_link_fqdns=AMPLS_FQDNS if config.connectivity else ()))

# Each spoke peers into the hub network after the previous one: Azure rejects concurrent changes to one network.
spokes: dict[str, Spoke] = {}
for name, spoke_plan in plan.spokes.items():
    spokes[name] = Spoke(f"spoke-{name}", SpokeArgs(
        tags=tags, lock=lock, diagnostic_settings=diagnostics, resource_group_name=spoke_groups[name].name,
        location=config.location, network=spoke_plan, hub=hub.ref,
        peer_after=tuple(spoke.hub_peering for spoke in list(spokes.values())[-1:])))

private_dns_zone_ids: dict[str, pulumi.Input[str]] = dict(hub.private_dns_zone_ids)
if config.connectivity:
    # Half of the attachment lives in the connectivity subscription: its own provider, as subscription vending does.
    connectivity_provider = azure_native.Provider(
        "connectivity", subscription_id=config.connectivity.ref.subscription_id, location=config.location)
    attachment = HubAttachment("hub-connectivity", HubAttachmentArgs(
        tags=tags, connectivity=config.connectivity.ref, connectivity_provider=connectivity_provider,
        environment=config.environment, hub=hub.ref, address_space=plan.address_space,
        hub_shared_range=plan.hub.subnet("shared").cidr, private_dns_zones=zones,
        use_gateway=config.connectivity.use_gateway,
        peer_after=tuple(spoke.hub_peering for spoke in list(spokes.values())[-1:])))
    private_dns_zone_ids = dict(attachment.zone_ids)

# Beyond the firewall's baseline, subnets reach only the subnets their east-west flows name (`eastWest`) and what
# their egress profiles allow (`egressProfiles`).
if config.network.egress or config.network.east_west:
    FirewallEgress("hub-fw-egress", FirewallEgressArgs(tags=tags, firewall=hub.firewall, grants=config.network.egress,
                                                       flows=config.network.east_west))

# Observability: private ingestion through one AMPLS per DNS namespace (with the connectivity hub: the city's, in
# its subscription, which scopes this environment's workspace and DCE by their derived ids, so this stack writes
# nothing into it; without: the environment's own, its endpoint in this hub), flow logs on every network, Defender's
# contacts and export, and the baseline alerts, all into the central workspace and action group.
ingestion = PrivateIngestion("monitor-private-link", PrivateIngestionArgs(
    tags=tags, lock=lock, resource_group_name=management_group.name, location=config.location,
    endpoint_name=collection_endpoint_name(config.environment)))
monitor_scope: PrivateLinkScopeRef
if config.connectivity:
    monitor_scope = config.connectivity.ref.monitor_scope
else:
    own_scope = MonitorPrivateLinkScope("monitor-scope", MonitorPrivateLinkScopeArgs(  # no lock: see the component
        tags=tags, resource_group_name=management_group.name, location=config.location,
        scope_name=f"ampls-amsterdam-{config.environment}",
        scoped_resources=environment_entries(config.environment, management.workspace_id, ingestion.endpoint_id),
        private_endpoints=(PrivateEndpoint(subnet_id=hub.subnet_ids["shared"], private_dns_zone_ids=tuple(
            private_dns_zone_ids[zone] for zone in AMPLS_ZONES)),)))
    monitor_scope = PrivateLinkScopeRef(name=own_scope.name, resource_group_name=management_group.name)
# Every workload VM (app stacks, migrated servers) enrols in this vault's enhanced backup policy and reports
# through this rule and the AMPLS's endpoint: the app stacks read them from the `vmOperations` export.
vm_operations = VmOperations("vm-operations", VmOperationsArgs(
    tags=tags, lock=lock, protect=features.protect_stateful, diagnostic_settings=diagnostics,
    resource_group_name=management_group.name, location=config.location,
    vault_name=f"rsv-amsterdam-vms-{config.environment}", subscription_id=config.subscription_id,
    workspace_id=management.workspace_id,
    data_collection_endpoint_id=ingestion.endpoint_id, zone_redundant=features.zone_redundancy))
VnetFlowLogs("flow-logs", VnetFlowLogsArgs(
    tags=tags, lock=lock, protect=features.protect_stateful, diagnostic_settings=diagnostics,
    resource_group_name=management_group.name, location=config.location,
    networks={"hub": hub.resource_id, **{name: spoke.resource_id for name, spoke in spokes.items()}},
    workspace_id=management.workspace_id, workspace_customer_id=management.workspace_customer_id,
    storage_account_name=f"stamsflowlogs{config.environment}",
    retention_days=max(MIN_RETENTION_DAYS, config.log_retention_days),
    private_endpoints=(PrivateEndpoint(subnet_id=hub.subnet_ids["shared"],
                                       private_dns_zone_ids=(private_dns_zone_ids[BLOB_ZONE],)),)))
DefenderReporting("defender", DefenderReportingArgs(
    tags=tags, subscription_id=config.subscription_id, resource_group_name=security_group.name,
    location=config.location, emails=config.alert_emails, workspace_id=management.workspace_id))
MetricAlerts("firewall-alerts", MetricAlertsArgs(
    tags=tags, resource_group_name=management_group.name, target_id=hub.firewall.resource_id, thresholds=FIREWALL,
    action_group_id=management.action_group_id))
HostHealthAlert("avd-host-health", HostHealthAlertArgs(
    tags=tags, resource_group_name=management_group.name, location=config.location,
    workspace_id=management.workspace_id, action_group_id=management.action_group_id))

deployer = authorization.get_client_config_output()
vault = KeyVault("platform-kv", KeyVaultArgs(
    tags=tags, lock=lock, protect=features.protect_stateful, diagnostic_settings=diagnostics,
    resource_group_name=security_group.name, location=config.location, tenant_id=config.tenant_id,
    vault_name=f"kv-ams-plat-{config.environment}",  # globally unique, stable: the city's convention
    private_endpoints=(PrivateEndpoint(subnet_id=hub.subnet_ids["shared"],
                                       private_dns_zone_ids=(private_dns_zone_ids[VAULT_ZONE],)),),
    role_assignments=(RoleAssignment(role="Key Vault Secrets Officer", principal_id=deployer.object_id,
                                     principal_type=config.deployer_principal_type,
                                     description="The platform pipeline writes the platform's secrets"),)))

# The city's one registry per environment: app stacks and analytics pull from it with their identities (AcrPull).
# A fixed name: app stacks and `cityctl migrate generate` derive its login server from the environment alone.
registry = ContainerRegistry("registry", ContainerRegistryArgs(
    tags=tags, lock=lock, protect=features.protect_stateful, diagnostic_settings=diagnostics,
    resource_group_name=shared_group.name, location=config.location,
    registry_name=city_registry_name(config.environment), zone_redundant=features.zone_redundancy,
    private_endpoints=(PrivateEndpoint(subnet_id=hub.subnet_ids["shared"],
                                       private_dns_zone_ids=(private_dns_zone_ids[REGISTRY_ZONE],)),)))

# Shared hosting: one Container Apps environment per environment, in a delegated spoke subnet, for every container
# app (they differ by workload profile, not by environment); one Front Door Premium with one WAF policy, into which
# each public app stack puts its own endpoint, route and domain; and the vault its custom domain certificates live in.
hosting = config.shared_hosting
apps_environment = ContainerAppsEnvironment("apps-cae", ContainerAppsEnvironmentArgs(
    tags=tags, lock=lock, diagnostic_settings=diagnostics, resource_group_name=shared_group.name,
    location=config.location, environment_name=f"cae-amsterdam-{config.environment}",
    infrastructure_resource_group=container_apps_infrastructure_group(config.environment),
    infrastructure_subnet_id=spokes[hosting.spoke].subnet_ids[hosting.subnet],
    workload_profiles=hosting.workload_profiles, zone_redundant=features.zone_redundancy,
    # The zone is also linked to the connectivity hub, whose resolver inbound endpoint answers the city network (it
    # sees only its own VNet's links). The link is the zone's child, in this subscription, so this stack's provider
    # creates it; it joins the hub VNet with the pipeline's Network Contributor on rg-connectivity-prod.
    dns_virtual_network_ids=(hub.resource_id,) + ((config.connectivity.ref.virtual_network_id,)
                                                  if config.connectivity else ())))
front_door = FrontDoor("front-door", FrontDoorArgs(
    tags=tags, lock=lock, diagnostic_settings=diagnostics, resource_group_name=shared_group.name,
    profile_name=f"afd-amsterdam-{config.environment}"))
certificates = KeyVault("certs-kv", KeyVaultArgs(
    tags=tags, lock=lock, protect=features.protect_stateful, diagnostic_settings=diagnostics,
    resource_group_name=shared_group.name, location=config.location, tenant_id=config.tenant_id,
    vault_name=f"kv-ams-certs-{config.environment}",
    private_endpoints=(PrivateEndpoint(subnet_id=hub.subnet_ids["shared"],
                                       private_dns_zone_ids=(private_dns_zone_ids[VAULT_ZONE],)),),
    role_assignments=(RoleAssignment(role="Key Vault Secrets User", principal_id=front_door.principal_id,
                                     principal_type="ServicePrincipal",
                                     description="Front Door reads the apps' custom domain certificates"),
                      RoleAssignment(role="Key Vault Certificates Officer", principal_id=deployer.object_id,
                                     principal_type=config.deployer_principal_type,
                                     description="The platform pipeline imports the apps' certificates"))))

# Allowed locations, tag inheritance and no public IPs are the governance stack's, at the management groups, when it
# places this subscription in corp or online (stacks/governance); otherwise this subscription keeps its own.
guardrails = Guardrails("guardrails", GuardrailsArgs(
    tags=tags, subscription_id=config.subscription_id, allowed_locations=tuple(sorted(EU_REGIONS)),
    governed_by_management_group=governs_subscription(config.subscription_id),
    required_tags=tuple(tags), no_public_ip_scopes={name: group.id for name, group in spoke_groups.items()},
    location=config.location,
    platform_managed_groups=tuple(group for group in (defender_default_group(config.location),
                                                      container_apps_infrastructure_group(config.environment))
                                  if group),
    defender_plans=CITY_DEFENDER_PLANS if features.defender_plans else ()))

# What other stacks read: one typed contract (core/platform_outputs.py), which every consumer reads back through.
PlatformOutputs(
    environment=config.environment, location=config.location, tags=tags, workspace_id=management.workspace_id,
    workspace_customer_id=management.workspace_customer_id, action_group_id=management.action_group_id,
    monitor_private_link_scope={
        "name": monitor_scope.name, "resourceGroupName": monitor_scope.resource_group_name,
        "subscriptionId": monitor_scope.subscription_id or config.subscription_id},
    data_collection_endpoint_id=ingestion.endpoint_id, vm_operations=vm_operations.exports(),
    hub_resource_group_name=connectivity_group.name,
    hub_virtual_network_id=hub.resource_id, hub_virtual_network_name=hub.name,
    firewall_private_ip=hub.firewall_private_ip, firewall_policy_name=hub.firewall.policy_name,
    private_dns_zone_ids=private_dns_zone_ids,
    spokes={name: {"resourceGroupName": spoke_groups[name].name, "virtualNetworkId": spoke.resource_id,
                   "virtualNetworkName": spoke.name, "addressSpace": plan.spokes[name].cidr,
                   "subnetIds": spoke.subnet_ids}
            for name, spoke in spokes.items()},
    spoke_subnet_ids={name: spoke.subnet_ids for name, spoke in spokes.items()},
    platform_key_vault_id=vault.resource_id, platform_key_vault_uri=vault.vault_uri,
    container_registry_id=registry.resource_id, container_registry_login_server=registry.login_server,
    policy_assignment_ids=guardrails.assignment_ids,
    # Only values known at preview: app stacks read this export through a StackReference, whose outputs are unknown
    # as a whole while any one value is (the environment's domain and static IP are Azure's, and stay out of it).
    container_apps_environment={
        "id": apps_environment.resource_id, "name": apps_environment.name, "spoke": hosting.spoke,
        "workloadProfiles": ["Consumption"] + [profile.name for profile in hosting.workload_profiles]},
    front_door={"profileName": front_door.name, "resourceGroupName": shared_group.name,
                "wafPolicyId": front_door.waf_policy_id, "certificateVaultId": certificates.resource_id},
).export()
