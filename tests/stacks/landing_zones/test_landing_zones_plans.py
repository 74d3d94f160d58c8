"""The landing zones project planned offline by its real program, on the platform's and the governance stack's
plans: a vended team's subscription, budget, spoke and roles; its range overlaps no other and its team has no
rights outside its own subscription."""

from __future__ import annotations

import ipaddress
import shutil
from pathlib import Path

import pytest

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path
from amsterdam_cloud.stacks.landing_zones import team_files

REPO = Path(__file__).resolve().parents[3]
LANDING_ZONES = REPO / "stacks" / "landing_zones"
MG = "/providers/Microsoft.Management/managementGroups/"
PARKEREN = {"group": "1f2e3d4c-0000-4000-8000-0000000000b1", "ci": "1f2e3d4c-0000-4000-8000-0000000000b2"}
AFVAL = {"group": "2a3b4c5d-0000-4000-8000-0000000000c1", "ci": "2a3b4c5d-0000-4000-8000-0000000000c2"}


@pytest.fixture(scope="module")
def plans(stack_plan, tmp_path_factory) -> dict[str, Plan]:
    """The dev platform and the governance stack saved where the StackReferences look; two vended teams (the
    committed parkeren and afval, vended here with `cityctl vend`); then the dev landing zones' plan."""
    directory = tmp_path_factory.mktemp("lz-plans")
    platform = stack_plan("dev")
    write_atomically(saved_plan_path(directory, "amsterdam-platform", "dev"), platform.export_text())
    governance = plan_stack(PulumiProject.load(REPO / "stacks" / "governance"), "prod", plans_dir=directory)
    write_atomically(saved_plan_path(directory, "amsterdam-governance", "prod"), governance.export_text())
    teams_dir = directory / "teams"
    shutil.copytree(team_files.TEAMS_DIR, teams_dir)
    assert main(["vend", "afval", "--owner", "afval@amsterdam.nl", "--cost-center", "CC-4711", "--group",
                 AFVAL["group"], "--ci", AFVAL["ci"], "--archetype", "online", "--teams-dir", str(teams_dir)]) == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(team_files, "TEAMS_DIR", teams_dir)
        zones = plan_stack(PulumiProject.load(LANDING_ZONES), "dev", plans_dir=directory)
    return {"platform": platform, "governance": governance, "zones": zones}


def _subscription(plan: Plan, team: str) -> str:
    (alias,) = [r for r in plan.of_type("azure-native:subscription:Alias") if r.inputs["aliasName"] ==
                f"sub-{team}-dev"]
    return alias.outputs["properties"]["subscriptionId"]


def test_each_team_gets_a_subscription_in_its_archetypes_group_on_the_billing_scope(plans):
    aliases = {r.inputs["aliasName"]: r.inputs["properties"] for r in plans["zones"].of_type(
        "azure-native:subscription:Alias")}

    assert {name: p["additionalProperties"]["managementGroupId"] for name, p in aliases.items()} == {
        "sub-parkeren-dev": MG + "amsterdam-corp", "sub-afval-dev": MG + "amsterdam-online"}
    assert {p["workload"] for p in aliases.values()} == {"DevTest"}
    assert {p["billingScope"] for p in aliases.values()} == {
        "/providers/Microsoft.Billing/billingAccounts/7654321/enrollmentAccounts/123457"}
    assert _subscription(plans["zones"], "parkeren") != _subscription(plans["zones"], "afval")


def test_the_ids_derived_from_config_are_the_ones_the_governance_stack_creates(plans):
    governance = plans["governance"].stack_outputs
    aliases = [r.inputs["properties"]["additionalProperties"]["managementGroupId"]
               for r in plans["zones"].of_type("azure-native:subscription:Alias")]
    deployers = {r.inputs["roleDefinitionId"]
                 for r in plans["zones"].of_type("azure-native:authorization:RoleAssignment")
                 if r.name.endswith("-deployer")}

    assert set(aliases) <= set(governance["managementGroupIds"].values())
    assert deployers == {governance["customRoleIds"]["app-team-deployer"]}


def test_no_vended_spoke_overlaps_the_hub_a_platform_spoke_or_another_team(plans):
    def ranges(plan: Plan) -> list[ipaddress.IPv4Network]:
        return [ipaddress.ip_network(prefix) for r in plan.of_type("azure-native:network:VirtualNetwork")
                for prefix in r.inputs["addressSpace"]["addressPrefixes"]]

    vended, platform = ranges(plans["zones"]), ranges(plans["platform"])
    everything = vended + platform

    assert len(vended) == 2
    assert all(not a.overlaps(b) for i, a in enumerate(everything) for b in everything[i + 1:])


def test_each_spoke_lives_in_its_teams_subscription_and_peers_with_the_hub_from_the_hubs(plans):
    zones = plans["zones"]
    (hub,) = [r for r in plans["platform"].of_type("azure-native:network:VirtualNetwork") if r.name == "hub-vnet"]
    hub_subscription = hub.outputs["id"].split("/")[2]
    for team in ("parkeren", "afval"):
        (vnet,) = [r for r in zones.of_type("azure-native:network:VirtualNetwork") if r.name == f"lz-{team}-spoke-vnet"]
        (to_hub,) = [r for r in zones.of_type("azure-native:network:VirtualNetworkPeering")
                     if r.name == f"lz-{team}-spoke-to-hub"]
        (from_hub,) = [r for r in zones.of_type("azure-native:network:VirtualNetworkPeering")
                       if r.name == f"lz-{team}-spoke-from-hub"]

        assert vnet.outputs["id"].startswith(f"/subscriptions/{_subscription(zones, team)}/")
        assert to_hub.inputs["remoteVirtualNetwork"]["id"] == hub.outputs["id"]
        assert from_hub.outputs["id"].startswith(f"/subscriptions/{hub_subscription}/")
        assert vnet.inputs["dhcpOptions"]["dnsServers"] == [plans["platform"].stack_outputs["firewallPrivateIp"]]


def test_a_team_has_rights_on_its_own_subscription_and_outside_it_only_links_to_the_envs_workspace(plans):
    # (on the city's Azure Monitor scope the connectivity stack grants the monitoring role: no environment's stack
    # writes role assignments into the prod-owned scope; tests/stacks/connectivity)
    roles = {f"/providers/Microsoft.Authorization/roleDefinitions/{r.inputs['roleDefinitionId']}": r.inputs["roleName"]
             for r in plans["governance"].of_type("azure-native:authorization:RoleDefinition")}
    workspace = plans["platform"].stack_outputs["workspaceId"]
    for team, principals in (("parkeren", PARKEREN), ("afval", AFVAL)):
        mine = {principals["group"], principals["ci"]}
        grants = [(r.inputs["scope"], roles[r.inputs["roleDefinitionId"]], r.inputs["principalType"])
                  for plan in plans.values() for kind in ("RoleAssignment", "PimRoleEligibilitySchedule")
                  for r in plan.of_type(f"azure-native:authorization:{kind}") if r.inputs["principalId"] in mine]

        assert sorted(grants) == sorted(
            [(f"/subscriptions/{_subscription(plans['zones'], team)}", "Amsterdam app-team-deployer", kind)
             for kind in ("Group", "ServicePrincipal")] +
            [(workspace, "Amsterdam app-team-monitoring", kind) for kind in ("Group", "ServicePrincipal")])


def test_the_vending_grants_the_teams_pull_identity_acrpull_on_the_envs_registry(plans):
    zones = plans["zones"]
    for team in ("parkeren", "afval"):
        (identity,) = [r for r in zones.of_type("azure-native:managedidentity:UserAssignedIdentity")
                       if r.name == f"lz-{team}-acrpull"]
        (grant,) = [r for r in zones.of_type("azure-native:authorization:RoleAssignment")
                    if r.name == f"lz-{team}-acrpull-role"]

        assert identity.outputs["id"].startswith(f"/subscriptions/{_subscription(zones, team)}/")
        assert grant.inputs["scope"] == plans["platform"].stack_outputs["containerRegistryId"]
        assert grant.inputs["principalId"] == identity.outputs["principalId"]
        assert grant.inputs["roleDefinitionId"].endswith("/7f951dda-4ed3-4680-a7ca-43fe172d538d")  # AcrPull


def test_each_vended_range_has_its_own_firewall_rules_for_east_west_and_egress(plans):
    zones = plans["zones"]
    platform = plans["platform"].stack_outputs
    groups = {r.inputs["ruleCollectionGroupName"]: r.inputs
              for r in zones.of_type("azure-native:network:FirewallPolicyRuleCollectionGroup")}
    for team in ("parkeren", "afval"):
        (vnet,) = [r for r in zones.of_type("azure-native:network:VirtualNetwork") if r.name == f"lz-{team}-spoke-vnet"]
        (cidr,) = vnet.inputs["addressSpace"]["addressPrefixes"]
        containers = str(next(ipaddress.ip_network(cidr).subnets(prefixlen_diff=1)))
        group = groups[f"lz-{team}"]
        rules = {collection["name"]: collection["rules"] for collection in group["ruleCollections"]}

        assert group["firewallPolicyName"] == platform["firewallPolicyName"]
        assert group["resourceGroupName"] == platform["hubResourceGroupName"]
        assert {rule["name"] for rule in rules["east-west"]} >= {"avd-to-internal-apps", "ci-agents-to-deploy"}
        assert all(ipaddress.ip_network(d).subnet_of(ipaddress.ip_network(cidr))
                   for rule in rules["east-west"] for d in rule["destinationAddresses"])
        assert {source for rule in rules["container-apps-application"] for source in rule["sourceAddresses"]} == \
            {containers}
    assert len({group["priority"] for group in groups.values()}) == len(groups)


def test_each_subscriptions_activity_log_goes_to_the_envs_workspace(plans):
    zones = plans["zones"]
    settings = {r.outputs["id"].split("/providers/")[0]: r.inputs
                for r in zones.of_type("azure-native:monitor:SubscriptionDiagnosticSetting")}

    for team in ("parkeren", "afval"):
        setting = settings[f"/subscriptions/{_subscription(zones, team)}"]
        assert setting["workspaceId"] == plans["platform"].stack_outputs["workspaceId"]
        assert {log["category"] for log in setting["logs"]} >= {"Administrative", "Security", "Policy", "Alert"}


def test_each_subscription_has_a_budget_that_tells_the_team_first(plans):
    budgets = {r.inputs["scope"]: r.inputs for r in plans["zones"].of_type("azure-native:consumption:Budget")}
    inputs = budgets[f"/subscriptions/{_subscription(plans['zones'], 'afval')}"]

    assert inputs["amount"] == 500 and inputs["timeGrain"] == "Monthly"
    assert {n["contactEmails"][0] for n in inputs["notifications"].values()} == {"afval@amsterdam.nl"}


def test_the_landing_zones_plan_has_no_policy_violations(plans, violations):
    assert violations(plans["zones"], "dev") == []


def test_an_environment_without_teams_plans_nothing_and_needs_no_other_plan(tmp_path, monkeypatch):
    (tmp_path / "teams").mkdir()
    monkeypatch.setattr(team_files, "TEAMS_DIR", tmp_path / "teams")

    plan = plan_stack(PulumiProject.load(LANDING_ZONES), "prod", plans_dir=tmp_path)

    assert plan.stack_outputs["landingZones"] == {}
    assert not plan.of_type("azure-native:subscription:Alias")


def test_the_team_files_recorded_subscription_is_the_one_its_landing_zone_created_else_the_plan_stops(
        plans, tmp_path, monkeypatch):
    from amsterdam_cloud.core.program_config import ConfigError

    [parkeren] = team_files.load_teams()
    assert _subscription(plans["zones"], "parkeren") == parkeren.subscriptions["dev"]
    teams_dir = tmp_path / "teams"
    teams_dir.mkdir()
    recorded = (team_files.TEAMS_DIR / "parkeren.yaml").read_text()
    (teams_dir / "parkeren.yaml").write_text(recorded.replace(parkeren.subscriptions["dev"],
                                                              "00000001-0000-4000-8000-000000000001"))
    monkeypatch.setattr(team_files, "TEAMS_DIR", teams_dir)
    write_atomically(saved_plan_path(tmp_path, "amsterdam-platform", "dev"), plans["platform"].export_text())

    with pytest.raises(ConfigError, match=r"parkeren.yaml: environments.dev.subscriptionId: 00000001-.*record "
                                          + parkeren.subscriptions["dev"]):
        plan_stack(PulumiProject.load(LANDING_ZONES), "dev", plans_dir=tmp_path)


def test_the_network_diagram_shows_the_vended_spokes_peered_with_the_platforms_hub(plans):
    from amsterdam_cloud.scripts.diagram import network_svg

    svg = network_svg(plans["zones"].to_export(), (plans["platform"].to_export(),))
    platform = plans["platform"]
    platform_networks = len(platform.of_type("azure-native:network:VirtualNetwork"))
    own = {r.outputs["id"].lower() for r in platform.of_type("azure-native:network:VirtualNetwork")}
    remote = {(r.inputs.get("remoteVirtualNetwork") or {}).get("id", "").lower()
              for r in platform.of_type("azure-native:network:VirtualNetworkPeering")} - own - {""}

    assert "lz-parkeren-spoke-vnet" in svg and "lz-afval-spoke-vnet" in svg and "hub-vnet" in svg
    # the platform's networks, the networks its hub peers with elsewhere (connectivity), and the two teams' spokes
    assert f"{platform_networks + len(remote) + 2} networks" in svg
    assert f"{platform_networks - 1 + len(remote) + 2} peered pairs" in svg


def test_the_teams_groups_sit_below_the_landing_zones_group_where_the_dns_zone_groups_are_deployed(plans):
    groups = {r.outputs["id"]: r.inputs["details"]["parent"]["id"] for r in plans["governance"].of_type(
        "azure-native:management:ManagementGroup")}
    dns = [r for r in plans["governance"].of_type("azure-native:authorization:PolicyAssignment")
           if r.inputs["policyAssignmentName"].startswith("dns-")]
    for alias in plans["zones"].of_type("azure-native:subscription:Alias"):
        group = alias.inputs["properties"]["additionalProperties"]["managementGroupId"]

        assert groups[group] == MG + "amsterdam-landingzones"
        assert dns and all(r.inputs["scope"] == groups[group] for r in dns)


def test_the_hub_side_peerings_of_two_teams_are_made_one_after_the_other(plans):
    (parkeren, afval) = sorted((r for r in plans["zones"].of_type("azure-native:network:VirtualNetworkPeering")
                                if r.name.endswith("-spoke-from-hub")), key=lambda r: r.name, reverse=True)

    assert parkeren.urn in afval.dependencies or afval.urn in parkeren.dependencies


def test_each_team_gets_an_internal_container_apps_environment_whose_zone_the_platform_links_to_both_hubs(plans):
    from amsterdam_cloud.stacks.config import load as load_platform

    zones = plans["zones"]
    for team in ("parkeren", "afval"):
        (environment,) = [r for r in zones.of_type("azure-native:app:ManagedEnvironment")
                          if r.name == f"lz-{team}-cae-env"]
        links = [r for r in zones.of_type("azure-native:privatedns:VirtualNetworkLink")
                 if r.name.startswith(f"lz-{team}-cae-dns-link-")]
        (vnet,) = [r for r in zones.of_type("azure-native:network:VirtualNetwork") if r.name == f"lz-{team}-spoke-vnet"]

        assert environment.outputs["id"].startswith(f"/subscriptions/{_subscription(zones, team)}/")
        assert environment.inputs["vnetConfiguration"]["internal"] is True
        assert environment.inputs["vnetConfiguration"]["infrastructureSubnetId"].startswith(vnet.outputs["id"])
        assert {link.inputs["virtualNetwork"]["id"] for link in links} == {
            plans["platform"].stack_outputs["hubVirtualNetworkId"],
            load_platform("dev").connectivity.ref.virtual_network_id}
        assert plans["zones"].stack_outputs["landingZones"][team]["containerAppsEnvironment"] == {
            "id": environment.outputs["id"], "workloadProfiles": ["Consumption"]}
