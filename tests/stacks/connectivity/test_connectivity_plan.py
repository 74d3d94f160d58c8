"""The connectivity project planned offline by its real program: one set of private-link zones, the DNS Private
Resolver, the VPN gateway (site-to-site and point-to-site), the agent pool the pipelines name, the hub's own egress,
and the contract with the stacks that use it (environment hubs, state backend, governance)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest

from amsterdam_cloud.components.landing_zone.connectivity import (AGENTS_SUBNET, CI_POOL_NAME, DNS_INBOUND_SUBNET,
                                                                  DNS_OUTBOUND_SUBNET, ENDPOINTS_SUBNET,
                                                                  MONITOR_SCOPE_NAME, VPN_CLIENT_APP_ID)
from amsterdam_cloud.core.private_link import city_private_link_zones
from amsterdam_cloud.components.monitoring.private_ingestion import AMPLS_ZONES
from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.engine import ProgramRun, run_program
from amsterdam_cloud.scripts.offline.project import PulumiProject, azure_context, plan_stack
from amsterdam_cloud.scripts.offline.values import Secret
from amsterdam_cloud.stacks import config as platform_config
from amsterdam_cloud.stacks.config import ENVIRONMENTS, read_stack_file
from amsterdam_cloud.stacks.connectivity.config import load
from amsterdam_cloud.stacks.governance.config import TENANT_STACK, load as load_governance
from amsterdam_cloud.stacks.landing_zones.team_files import load_teams

ROOT = Path(__file__).resolve().parents[3]
PROJECT_DIR = ROOT / "stacks" / "connectivity"


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Plan:
    return plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path_factory.mktemp("plans"))


def _subnet(plan: Plan, name: str):
    [subnet] = [s for s in plan.of_type("azure-native:network:Subnet") if s.inputs["subnetName"] == name]
    return subnet


def test_the_plan_passes_the_prod_policy_pack(plan):
    result = check_export(plan.to_export(), environment="prod", stack="prod")
    assert [f"{finding.policy}: {finding.urn}" for finding in result.findings] == []


def test_the_citys_private_link_zones_exist_once_linked_to_the_connectivity_hub(plan):
    zones = plan.of_type("azure-native:privatedns:PrivateZone")
    assert sorted(z.inputs["privateZoneName"] for z in zones) == sorted(city_private_link_zones("westeurope"))
    [vnet] = plan.of_type("azure-native:network:VirtualNetwork")
    links = plan.of_type("azure-native:privatedns:VirtualNetworkLink")
    assert {link.inputs["virtualNetwork"]["id"] for link in links} == {vnet.id} and len(links) == len(zones)
    locked = {lock.inputs["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert locked and not locked & {zone.id for zone in zones}


def test_the_resolver_has_endpoints_in_delegated_subnets_and_a_fixed_inbound_address(plan):
    [inbound] = plan.of_type("azure-native:dnsresolver:InboundEndpoint")
    [outbound] = plan.of_type("azure-native:dnsresolver:OutboundEndpoint")
    subnet_in, subnet_out = _subnet(plan, DNS_INBOUND_SUBNET), _subnet(plan, DNS_OUTBOUND_SUBNET)
    [configuration] = inbound.inputs["ipConfigurations"]
    assert configuration["subnet"]["id"] == subnet_in.id and configuration["privateIpAllocationMethod"] == "Static"
    assert ipaddress.IPv4Address(configuration["privateIpAddress"]) in ipaddress.IPv4Network(
        subnet_in.inputs["addressPrefix"])
    assert plan.stack_outputs["resolverInboundIp"] == configuration["privateIpAddress"]
    assert outbound.inputs["subnet"]["id"] == subnet_out.id
    for subnet in (subnet_in, subnet_out):
        assert [d["serviceName"] for d in subnet.inputs["delegations"]] == ["Microsoft.Network/dnsResolvers"]
        assert ipaddress.IPv4Network(subnet.inputs["addressPrefix"]).prefixlen <= 28


def test_the_citys_zones_are_forwarded_to_the_on_premises_dns_servers(plan):
    [ruleset] = plan.of_type("azure-native:dnsresolver:DnsForwardingRuleset")
    [outbound] = plan.of_type("azure-native:dnsresolver:OutboundEndpoint")
    assert ruleset.inputs["dnsResolverOutboundEndpoints"] == [{"id": outbound.id}]
    rules = {r.inputs["domainName"]: r.inputs for r in plan.of_type("azure-native:dnsresolver:ForwardingRule")}
    assert set(rules) == {f"{zone.domain}." for zone in load().forwarded_zones}
    assert all(rule["forwardingRuleState"] == "Enabled" for rule in rules.values())
    assert rules["amsterdam.local."]["targetDnsServers"] == [{"ipAddress": "172.16.0.10", "port": 53},
                                                             {"ipAddress": "172.16.0.11", "port": 53}]


def test_the_vpn_gateway_carries_site_to_site_and_entra_id_point_to_site(plan):
    [gateway] = plan.of_type("azure-native:network:VirtualNetworkGateway")
    assert gateway.inputs["gatewayType"] == "Vpn" and gateway.inputs["vpnType"] == "RouteBased"
    assert gateway.inputs["sku"]["name"].endswith("AZ")
    assert gateway.inputs["ipConfigurations"][0]["subnet"]["id"] == _subnet(plan, "GatewaySubnet").id
    clients = gateway.inputs["vpnClientConfiguration"]
    assert clients["vpnAuthenticationTypes"] == ["AAD"] and clients["vpnClientProtocols"] == ["OpenVPN"]
    assert clients["aadAudience"] == VPN_CLIENT_APP_ID
    assert gateway.inputs["customRoutes"]["addressPrefixes"] == ["10.10.0.0/16", "10.20.0.0/16"]
    [connection] = plan.of_type("azure-native:network:VirtualNetworkGatewayConnection")
    assert connection.inputs["connectionType"] == "IPsec" and connection.inputs["connectionProtocol"] == "IKEv2"
    assert connection.inputs["virtualNetworkGateway1"]["id"] == gateway.id
    assert isinstance(connection.inputs["sharedKey"], Secret)  # the pre-shared key never appears in a plan


def test_without_express_route_there_is_no_express_route_gateway(plan):
    assert [g.inputs["gatewayType"] for g in plan.of_type("azure-native:network:VirtualNetworkGateway")] == ["Vpn"]


def test_the_agent_pool_is_named_as_the_pipelines_expect_in_the_delegated_agents_subnet(plan):
    [pool] = plan.of_type("azure-native:devopsinfrastructure:Pool")
    assert pool.inputs["poolName"] == CI_POOL_NAME == "amsterdam-platform-vnet"
    pipelines = (ROOT / ".ci" / "azure-pipelines.yml").read_text()
    assert f"DEPLOY_POOL: {CI_POOL_NAME}" in pipelines
    subnet = _subnet(plan, AGENTS_SUBNET)
    assert pool.inputs["fabricProfile"]["networkProfile"]["subnetId"] == subnet.id
    assert [d["serviceName"] for d in subnet.inputs["delegations"]] == ["Microsoft.DevOpsInfrastructure/pools"]
    [project] = plan.of_type("azure-native:devcenter:Project")
    assert pool.inputs["devCenterProjectResourceId"] == project.id
    assert pool.inputs["organizationProfile"]["organizations"][0]["url"] == "https://dev.azure.com/gemeente-amsterdam"


def test_the_devops_infrastructure_principal_gets_reader_and_network_contributor_on_the_network(plan):
    [vnet] = plan.of_type("azure-native:network:VirtualNetwork")
    principal = load().ci_agents.devops_infrastructure_principal_id
    roles = [r for r in plan.of_type("azure-native:authorization:RoleAssignment")
             if r.inputs["principalId"] == principal]
    assert {r.inputs["scope"] for r in roles} == {vnet.id}
    assert {r.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for r in roles} == {
        "acdd72a7-3385-48ef-bd42-f606fba81ae7", "4d97b98b-1d4f-4787-a291-c67834d212e7"}


def test_the_agents_leave_only_through_the_hubs_firewall_with_the_ci_profile(plan):
    [route] = plan.of_type("azure-native:network:Route")
    assert route.inputs["addressPrefix"] == "0.0.0.0/0" and route.inputs["nextHopType"] == "VirtualAppliance"
    agents = _subnet(plan, AGENTS_SUBNET)
    assert agents.inputs["routeTable"]["id"] == plan.named("connectivity-agent-routes").id
    assert route.inputs["routeTableName"] == plan.named("connectivity-agent-routes").outputs["name"]
    group = plan.named("connectivity-fw-egress-rules").inputs
    sources = {tuple(rule["sourceAddresses"]) for c in group["ruleCollections"] for rule in c["rules"]}
    assert sources == {(agents.inputs["addressPrefix"],)}
    fqdns = {f for c in group["ruleCollections"] for rule in c["rules"] for f in rule.get("targetFqdns", [])}
    assert {"dev.azure.com", "get.pulumi.com", "management.azure.com"} <= fqdns


def test_the_names_the_other_stacks_use_are_the_ones_this_stack_creates(plan):
    ref = load().ref
    [vnet] = plan.of_type("azure-native:network:VirtualNetwork")
    assert vnet.id == ref.virtual_network_id
    backend = read_stack_file(ROOT / "stacks" / "state_backend" / "Pulumi.prod.yaml")
    assert backend["amsterdam-state-backend:privateEndpointSubnetId"] == _subnet(plan, ENDPOINTS_SUBNET).id
    zones = {z.id for z in plan.of_type("azure-native:privatedns:PrivateZone")}
    # the governance stack's zone-group DINE assignments point at this stack's zones (derived from its config)
    governance = load_governance(TENANT_STACK, dt.date(2026, 12, 3))
    dine_zones = {zone for assignment in governance.assignments if assignment.key.startswith("dns-")
                  for zone in assignment.parameters["privateDnsZoneIds"]}
    assert dine_zones and dine_zones <= zones
    for environment in ENVIRONMENTS:
        assert platform_config.load(environment).connectivity.ref == ref


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_environment_lets_the_agents_subnet_in_by_its_real_range(plan, environment):
    agents = _subnet(plan, AGENTS_SUBNET).inputs["addressPrefix"]
    [ci] = [flow for flow in platform_config.load(environment).network.east_west if flow.name == "ci-agents-to-deploy"]
    assert ci.source_ranges == (agents,)


def test_the_resolver_answering_the_city_network_lives_in_the_hub_the_environments_link_their_zones_to(plan):
    [resolver] = plan.of_type("azure-native:dnsresolver:DnsResolver")
    assert resolver.inputs["virtualNetwork"]["id"] == load().ref.virtual_network_id


def test_the_city_has_one_monitor_scope_with_one_endpoint_in_the_central_zones_named_as_the_environments_expect(plan):
    [scope] = plan.of_type("azure-native:monitor:PrivateLinkScope")
    assert scope.id == f"{load().ref.resource_group_id}/providers/Microsoft.Insights/privateLinkScopes/" \
                       f"{MONITOR_SCOPE_NAME}"
    assert set(scope.inputs["accessModeSettings"].values()) == {"PrivateOnly"}
    [endpoint] = [e for e in plan.of_type("azure-native:network:PrivateEndpoint")
                  if e.inputs["privateLinkServiceConnections"][0]["groupIds"] == ["azuremonitor"]]
    assert endpoint.inputs["subnet"]["id"] == _subnet(plan, ENDPOINTS_SUBNET).id
    [group] = [g for g in plan.of_type("azure-native:network:PrivateDnsZoneGroup")
               if g.inputs["privateEndpointName"] == endpoint.inputs["privateEndpointName"]]
    zone_ids = plan.stack_outputs["privateDnsZoneIds"]
    assert [c["privateDnsZoneId"] for c in group.inputs["privateDnsZoneConfigs"]] == [zone_ids[z] for z in AMPLS_ZONES]
    assert all(platform_config.load(environment).connectivity.ref.monitor_scope.name == MONITOR_SCOPE_NAME
               for environment in ENVIRONMENTS)


def test_across_the_estate_exactly_one_azure_monitor_endpoint_registers_in_the_central_monitor_zone(plan, stack_plan):
    monitor_zone = load().ref.zone_id("privatelink.monitor.azure.com")
    registering = [
        (stack, group.name) for stack, stack_of in [("connectivity", plan)] + [(e, stack_plan(e)) for e in ENVIRONMENTS]
        for group in stack_of.of_type("azure-native:network:PrivateDnsZoneGroup")
        if monitor_zone in {c["privateDnsZoneId"] for c in group.inputs["privateDnsZoneConfigs"]}]
    assert registering == [("connectivity", "monitor-private-link-pe-dns")]


def test_the_city_scope_holds_every_monitored_environments_workspace_and_endpoint_as_their_plans_create_them(
        plan, stack_plan):
    scoped = {r.inputs["name"]: r for r in plan.of_type("azure-native:monitor:PrivateLinkScopedResource")}
    expected = {}
    for environment in load().monitored_environments:
        outputs = stack_plan(environment.environment).stack_outputs
        expected[f"{environment.environment}-workspace"] = outputs["workspaceId"]
        expected[f"{environment.environment}-dce"] = outputs["dataCollectionEndpointId"]
    expected.update({f"{app.environment}-appi-{app.app}": app.component_id for app in load().apps})
    assert {name: r.inputs["linkedResourceId"] for name, r in scoped.items()} == expected
    assert sorted({name.split("-")[0] for name in expected}) == sorted(ENVIRONMENTS)
    # each entry ReadOnly: nobody outside this stack can repoint or delete it
    locks = {lock.inputs["scope"]: lock.inputs["level"]
             for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert all(locks.get(r.id) == "ReadOnly" for r in scoped.values())


def test_the_listed_apps_are_scoped_in_every_environment_from_their_teams_recorded_subscriptions(plan):
    [parkeren] = load_teams()
    linked = {r.inputs["name"]: r.inputs["linkedResourceId"]
              for r in plan.of_type("azure-native:monitor:PrivateLinkScopedResource") if "-appi-" in r.inputs["name"]}
    assert linked == {f"{env}-appi-parkeer": f"/subscriptions/{parkeren.subscriptions[env]}/resourceGroups/"
                      f"rg-parkeer-{env}/providers/Microsoft.Insights/components/appi-parkeer-{env}"
                      for env in ENVIRONMENTS}


def test_without_a_workspace_the_stack_plans_with_no_diagnostic_settings_says_so_once_and_the_pack_names_only_them(
        plan):
    config = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
    del config["amsterdam-connectivity:workspaceId"], config["amsterdam-connectivity:monitoredEnvironments"]
    config["amsterdam-connectivity:pendingEnvironments"] = list(ENVIRONMENTS)
    config["amsterdam-connectivity:apps"] = {"parkeer": {"team": "parkeren", "environments": [],
                                                         "pending": list(ENVIRONMENTS)}}
    green_field = run_program(ProgramRun(
        program_dir=PROJECT_DIR, project="amsterdam-connectivity", stack="prod", config=config,
        context=azure_context("amsterdam-connectivity", "prod", config), stack_outputs=lambda name: ({}, [])))
    assert green_field.of_type("azure-native:monitor:DiagnosticSetting") == []
    [policy] = green_field.of_type("azure-native:network:FirewallPolicy")
    assert "insights" not in policy.inputs
    assert green_field.of_type("azure-native:monitor:PrivateLinkScopedResource") == []
    assert [w for w in green_field.warnings if "workspaceId" in w] == [green_field.warnings[0]]
    assert len(green_field.warnings) == 1
    # the bootstrap run's one finding: the resources whose settings wait for the workspace (its waiver is documented)
    result = check_export(green_field.to_export(), environment="prod", stack="prod")
    targets = {setting.inputs["resourceUri"] for setting in plan.of_type("azure-native:monitor:DiagnosticSetting")}
    flagged = {finding.urn for finding in result.findings if finding.policy == "monitoring-diagnostic-settings"}
    assert {finding.policy for finding in result.findings} == {"monitoring-diagnostic-settings"}
    assert {r.id for r in green_field.resources if r.urn in flagged} <= targets and len(flagged) >= 9


def test_the_city_monitor_scope_is_not_locked_so_stacks_can_remove_their_scoped_resources(plan):
    [scope] = plan.of_type("azure-native:monitor:PrivateLinkScope")
    locked = {lock.inputs["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert locked and scope.id not in locked


def test_nobody_holds_a_role_on_the_city_scope_and_the_teams_monitoring_role_cannot_write_its_entries(plan):
    from amsterdam_cloud.components.governance.roles import APP_TEAM_MONITORING

    [scope] = plan.of_type("azure-native:monitor:PrivateLinkScope")
    assert [r for r in plan.of_type("azure-native:authorization:RoleAssignment")
            if r.inputs["scope"].startswith(scope.id)] == []
    # the deployer role is on the team's own subscription only; the monitoring role, on the workspace, no longer
    # carries the scope's rights it once held there
    assert not any(APP_TEAM_MONITORING.permits(f"Microsoft.Insights/privateLinkScopes/{action}") for action in (
        "read", "scopedResources/write", "scopedResources/delete"))


def test_a_changed_link_replaces_its_entry_delete_first_so_pulumi_removes_the_entrys_lock_before_it(plan):
    scoped = plan.of_type("azure-native:monitor:PrivateLinkScopedResource")
    locks = {lock.inputs["scope"]: lock for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert scoped and all(r.options.get("replaceOnChanges") == ["linkedResourceId"] and
                          r.options.get("deleteBeforeReplace") is True for r in scoped)
    # the lock's scope is the entry's id: Pulumi deletes a resource whose replace-forcing input depends on a
    # delete-before-replace resource before it (and re-creates it after)
    assert all(r.urn in locks[r.id].property_dependencies["scope"] for r in scoped)


def test_the_connectivity_hub_network_is_protected_not_locked_so_environments_can_remove_their_peerings(plan):
    [vnet] = plan.of_type("azure-native:network:VirtualNetwork")
    locks = {lock.inputs["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    [firewall] = plan.of_type("azure-native:network:AzureFirewall")
    [policy] = plan.of_type("azure-native:network:FirewallPolicy")
    assert vnet.protect and vnet.id not in locks
    assert {firewall.id, policy.id} <= locks  # resourceLocks still guards the firewall and its policy
