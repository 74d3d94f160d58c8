"""The analytics project planned offline on top of the platform's plan, per environment: zero policy violations
(no waivers), every algorithm's resources tagged with a published register id, EU-only AI deployments, everything
private in the platform's analytics spoke, diagnostics to the platform's workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.components.analytics.ai_services import EU_DEPLOYMENT_TYPES
from amsterdam_cloud.core.algorithm_register import TAG, load_register
from amsterdam_cloud.policies.checker import check_resources, parse_resources
from amsterdam_cloud.policies.rules import RULE_IDS
from amsterdam_cloud.policies.settings import config_path, parse_pack_config
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path

PLATFORM_DIR = Path(__file__).resolve().parents[3]
"""The platform project (this checkout's root Pulumi.yaml)."""

pytestmark = pytest.mark.slow

PROJECT_DIR = Path(__file__).resolve().parents[3] / "stacks" / "analytics"
ML_WORKSPACE = "azure-native:machinelearningservices:Workspace"
AI_ACCOUNT = "azure-native:cognitiveservices:Account"
AI_DEPLOYMENT = "azure-native:cognitiveservices:Deployment"


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """(platform plan, analytics plan) per environment, the platform planned first as `cityctl plan` would."""
    plans_dir = tmp_path_factory.mktemp("plans")
    made: dict[str, tuple[Plan, Plan]] = {}

    def get(stack: str) -> tuple[Plan, Plan]:
        if stack not in made:
            platform = plan_stack(PulumiProject.load(PLATFORM_DIR), stack, plans_dir=plans_dir)
            write_atomically(saved_plan_path(plans_dir, "amsterdam-platform", stack), platform.export_text())
            made[stack] = platform, plan_stack(PulumiProject.load(PROJECT_DIR), stack, plans_dir=plans_dir)
        return made[stack]

    get.plans_dir = plans_dir
    return get


def _pack_config_with_central_workspace(environment: str, workspace_id: str):
    """The committed pack config, with the platform's workspace as the city's central one: what CI passes with
    `--policy-pack-config` once it knows the workspace id (the committed files list none)."""
    data = json.loads(config_path(environment).read_text(encoding="utf-8"))
    rule = "monitoring-diagnostic-settings"
    data[rule] = {**data.get(rule, {}), "logAnalyticsWorkspaceIds": [workspace_id]}
    return parse_pack_config(data, f"{config_path(environment)} + platform workspace", RULE_IDS)


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_stack_passes_the_policy_pack_with_no_violations_and_no_waivers(plans, stack):
    platform, analytics = plans(stack)
    resources, _ = parse_resources(analytics.to_export())
    result = check_resources(resources, environment=stack, stack=stack, config=_pack_config_with_central_workspace(
        stack, platform.stack_outputs["workspaceId"]))
    assert [f"{f.policy}: {f.urn}: {f.message}" for f in result.findings] == []
    assert result.waived == []


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_workspace_and_ai_account_carries_a_published_register_id(plans, stack):
    _, analytics = plans(stack)
    runners = analytics.of_type(ML_WORKSPACE) + analytics.of_type(AI_ACCOUNT)
    assert runners and {r.inputs["tags"].get(TAG) for r in runners} <= set(load_register())


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_ai_deployments_use_eu_deployment_types_only(plans, stack):
    _, analytics = plans(stack)
    types = {d.inputs["sku"]["name"] for d in analytics.of_type(AI_DEPLOYMENT)}
    assert types and types <= set(EU_DEPLOYMENT_TYPES)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_private_endpoints_go_into_the_platform_analytics_endpoint_subnet(plans, stack):
    platform, analytics = plans(stack)
    subnets = {e.inputs["subnet"]["id"] for e in analytics.of_type("azure-native:network:PrivateEndpoint")}
    assert subnets == {platform.stack_outputs["spokeSubnetIds"]["analytics"]["endpoints"]}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_diagnostics_go_to_the_platform_workspace(plans, stack):
    platform, analytics = plans(stack)
    settings = analytics.of_type("azure-native:monitor:DiagnosticSetting")
    assert settings and {s.inputs["workspaceId"] for s in settings} == {platform.stack_outputs["workspaceId"]}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_register_export_maps_each_register_id_to_its_workspace(plans, stack):
    _, analytics = plans(stack)
    register = analytics.stack_outputs["algorithmRegister"]
    workspaces = {w.id: w.inputs["tags"][TAG] for w in analytics.of_type(ML_WORKSPACE)}
    assert {workspace_id: register_id for register_id, workspace_id in register.items()} == workspaces


def test_prod_locks_and_protects_every_lake_storage_and_vault(plans):
    _, analytics = plans("prod")
    stateful = [r for r in analytics.resources
                if r.type in ("azure-native:storage:StorageAccount", "azure-native:keyvault:Vault")]
    locked = {lock.inputs["scope"] for lock in analytics.of_type("azure-native:authorization:ManagementLockByScope")}
    assert stateful and all(r.protect for r in stateful) and {r.id for r in stateful} <= locked


def test_a_location_other_than_the_platform_is_refused(plans):
    plans("dev")
    with pytest.raises(UserError, match=r"location: 'northeurope', but the platform stack .* is in 'westeurope'"):
        plan_stack(PulumiProject.load(PROJECT_DIR), "dev", plans_dir=plans.plans_dir, config_overrides={
            "amsterdam-analytics:location": "northeurope", "azure-native:location": "northeurope"})


ROLE_ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_ml_workspaces_build_into_their_teams_registry_not_the_platforms(plans, stack):
    platform, analytics = plans(stack)
    team_registries = {r.outputs["id"] for r in analytics.of_type("azure-native:containerregistry:Registry")}
    registries = {w.inputs["containerRegistry"] for w in analytics.of_type(ML_WORKSPACE)}
    assert registries and registries <= team_registries
    assert platform.stack_outputs["containerRegistryId"] not in registries


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_no_workspace_identity_holds_acr_push_on_the_app_registry(plans, stack):
    platform, analytics = plans(stack)
    app_registry = platform.stack_outputs["containerRegistryId"]
    pushes = [r for r in analytics.of_type("azure-native:authorization:RoleAssignment")
              if r.inputs["roleDefinitionId"].endswith(ROLE_ACR_PUSH)]
    assert pushes, "the workspaces push their environment images somewhere"
    assert [r.inputs["scope"] for r in pushes if r.inputs["scope"] == app_registry] == []