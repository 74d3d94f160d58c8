"""The app template in a vended subscription, end to end: vend a team, plan its landing zones, point the rendered
app at them with `cityctl vend --app-dir`, and plan the app: zero violations, every resource in the team's
subscription (its Application Insights is scoped by the connectivity stack, not by the app), no DNS zone group
(the DINE policy writes them), no role assignment on the platform's registry, the team's Container Apps
environment (the vending's)."""

from __future__ import annotations

import re
import shutil

import pytest

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path
from amsterdam_cloud.stacks.landing_zones import team_files

from .test_app_template import ANSWERS, ENVIRONMENTS, TEMPLATE, config_set, render

LANDING_ZONES = TEMPLATE.parents[1] / "stacks" / "landing_zones"
CONNECTIVITY = TEMPLATE.parents[1] / "stacks" / "connectivity"
SCOPED = "azure-native:monitor:PrivateLinkScopedResource"
_SUBSCRIPTION = re.compile(r"/subscriptions/([0-9a-f-]{36})", re.IGNORECASE)


@pytest.fixture(scope="module")
def vended_estate(stack_plan, tmp_path_factory) -> dict:
    """Every environment's platform and landing zones plans (the committed team parkeren) where the app's
    StackReferences look, the template rendered with a stack per environment and pointed at parkeren's
    subscriptions, and its plan per environment."""
    directory = tmp_path_factory.mktemp("vended-plans")
    zones = {}
    for env in ENVIRONMENTS:
        write_atomically(saved_plan_path(directory, "amsterdam-platform", env), stack_plan(env).export_text())
        zones[env] = plan_stack(PulumiProject.load(LANDING_ZONES), env, plans_dir=directory)
        write_atomically(saved_plan_path(directory, "amsterdam-landing-zones", env), zones[env].export_text())
    app = render(tmp_path_factory.mktemp("app") / "parkeer", project="parkeer", description="Parkeervergunningen")
    for env in ENVIRONMENTS[1:]:
        config_set(app, env, ANSWERS)
    assert main(["vend", "parkeren", "--teams-dir", str(team_files.TEAMS_DIR), "--app-dir", str(app),
                 "--plans-dir", str(directory), "--offline-ids"]) == 0
    return {"dir": directory, "app": app,
            "zones": {env: plan.stack_outputs["landingZones"]["parkeren"] for env, plan in zones.items()},
            "plans": {env: plan_stack(PulumiProject.load(app), env, plans_dir=directory) for env in ENVIRONMENTS}}


@pytest.fixture(scope="module")
def vended(vended_estate) -> dict:
    """The dev stack of the template in parkeren's dev subscription."""
    return {"dir": vended_estate["dir"], "app": vended_estate["app"], "zone": vended_estate["zones"]["dev"],
            "plan": vended_estate["plans"]["dev"]}


def test_the_connectivity_stack_scopes_exactly_the_components_the_apps_plans_create(vended_estate, tmp_path):
    connectivity = plan_stack(PulumiProject.load(CONNECTIVITY), "prod", plans_dir=tmp_path)
    linked = {r.inputs["linkedResourceId"] for r in connectivity.of_type(SCOPED) if "-appi-" in r.inputs["name"]}
    created = {r.id for plan in vended_estate["plans"].values()
               for r in plan.of_type("azure-native:applicationinsights:Component")}

    assert len(created) == len(ENVIRONMENTS) and linked == created
    assert all(plan.of_type(SCOPED) == [] for plan in vended_estate["plans"].values())
    # each in the subscription its landing zone created, which the team file records (the zones stack checks it)
    assert {component.split("/")[2] for component in created} == {
        zone["subscriptionId"] for zone in vended_estate["zones"].values()}


def test_the_app_in_a_vended_subscription_plans_with_zero_violations(vended, violations):
    plan: Plan = vended["plan"]

    assert plan.of_type("azure-native:app:ContainerApp") and violations(plan, "dev") == []
    assert plan.stack_outputs["subscriptionId"] == vended["zone"]["subscriptionId"]


def test_everything_the_app_creates_is_in_the_teams_subscription_none_in_the_citys_private_link_scope(vended):
    team = vended["zone"]["subscriptionId"]
    elsewhere = sorted(r.type for r in vended["plan"].resources
                       if r.outputs.get("id", "").startswith("/subscriptions/")
                       and not r.outputs["id"].startswith(f"/subscriptions/{team}/"))

    assert vended["plan"].of_type("azure-native:app:ContainerApp") and elsewhere == []
    assert vended["plan"].of_type("azure-native:monitor:PrivateLinkScopedResource") == []


def test_outside_its_subscription_the_app_only_links_to_the_envs_workspace_and_scope(vended, stack_plan):
    team = vended["zone"]["subscriptionId"]
    outputs = stack_plan("dev").stack_outputs
    linked = set()
    for resource in vended["plan"].resources:
        if resource.type.startswith("pulumi:"):
            continue
        for text in re.findall(r'"(/subscriptions/[^"]+)"', str(resource.inputs).replace("'", '"')):
            if _SUBSCRIPTION.match(text).group(1) != team:
                linked.add(text)

    assert linked == {outputs["workspaceId"]}  # diagnostic settings and Application Insights; the scope by name


def test_every_grant_the_app_makes_is_one_the_deployer_role_may_make(vended):
    from amsterdam_cloud.components.governance.roles import DEPLOYER_GRANTABLE_ROLES
    from amsterdam_cloud.components.interfaces import BUILTIN_ROLES

    grantable = {BUILTIN_ROLES[role] for role in DEPLOYER_GRANTABLE_ROLES}
    grants = vended["plan"].of_type("azure-native:authorization:RoleAssignment")

    assert grants and {r.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for r in grants} <= grantable
    assert all(r.inputs["scope"].startswith(f"/subscriptions/{vended['zone']['subscriptionId']}/") for r in grants)


def test_the_teams_deployer_role_permits_every_resource_the_app_writes(vended):
    from amsterdam_cloud.components.governance.roles import APP_TEAM_DEPLOYER
    from amsterdam_cloud.scripts.offline.azure_policy import arm_type

    writes = {arm_type(r.type) + "/write" for r in vended["plan"].resources if r.type.startswith("azure-native:")}

    assert "Microsoft.Insights/components/write" in writes
    assert [action for action in sorted(writes) if not APP_TEAM_DEPLOYER.permits(action)] == []


def test_private_endpoints_get_no_zone_group_and_land_in_the_vended_spoke(vended):
    plan = vended["plan"]
    endpoints = plan.of_type("azure-native:network:PrivateEndpoint")

    assert not plan.of_type("azure-native:network:PrivateDnsZoneGroup")
    assert endpoints and {e.inputs["subnet"]["id"] for e in endpoints} == {vended["zone"]["subnetIds"]["endpoints"]}


def test_the_app_runs_in_its_teams_environment_and_pulls_with_the_vendings_identity(vended):
    plan = vended["plan"]
    (container_app,) = plan.of_type("azure-native:app:ContainerApp")
    pull = vended["zone"]["registryPullIdentityId"]

    assert not plan.of_type("azure-native:app:ManagedEnvironment")
    assert container_app.inputs["managedEnvironmentId"] == vended["zone"]["containerAppsEnvironment"]["id"]
    assert [r["identity"] for r in container_app.inputs["configuration"]["registries"]] == [pull]
    assert pull in container_app.inputs["identity"]["userAssignedIdentities"]
    assert not [r for r in plan.of_type("azure-native:authorization:RoleAssignment")
                if "containerRegistry" in r.inputs["scope"]]


def test_an_app_pointed_at_another_subscription_than_its_landing_zones_fails_naming_the_key(vended, tmp_path):
    app = tmp_path / "app"
    shutil.copytree(vended["app"], app)
    stack = app / "Pulumi.dev.yaml"
    stack.write_text(re.sub(r"azure-native:subscriptionId: \S+", "azure-native:subscriptionId: "
                            "00000001-0000-4000-8000-000000000001", stack.read_text()))

    with pytest.raises(Exception, match="app:landingZone parkeren: its subscription is .* set azure-native:"
                                        "subscriptionId"):
        plan_stack(PulumiProject.load(app), "dev", plans_dir=vended["dir"])
