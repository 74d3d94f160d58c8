"""The team's analytics workspace under mocks: one ML workspace per registered algorithm, every resource of an
algorithm tagged with its register id, and an unregistered algorithm refused before anything is declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from amsterdam_cloud.components.analytics.ai_services import AiDeployment
from amsterdam_cloud.components.analytics.algorithm import Algorithm
from amsterdam_cloud.components.analytics.register import TAG, RegisterError, RegisterPolicy
from amsterdam_cloud.components.analytics.workspace import AnalyticsWorkspace, AnalyticsWorkspaceArgs
from amsterdam_cloud.components.interfaces import InterfaceError

PLATFORM_DIR = Path(__file__).resolve().parents[3]
"""The platform project (this checkout's root Pulumi.yaml)."""

VAKANTIE = Algorithm(name="vakantie", register_id="90127502")
SIGNALEN = Algorithm(name="signalen", register_id="90127461", compute=None, ai_deployments=(
    AiDeployment(name="categorise", model="gpt-4o-mini", version="2024-07-18"),))
RELAXED = RegisterPolicy(require_entry=False, allowed_statuses=("In ontwikkeling", "In gebruik"))


@pytest.fixture
def args(tags, diagnostics, tenant_id, subnet_id, zone_ids):
    def make(**overrides) -> AnalyticsWorkspaceArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-analytics-wonen",
                      location="westeurope", team="wonen", environment="dev", tenant_id=tenant_id,
                      endpoint_subnet_id=subnet_id, private_dns_zone_ids=zone_ids,
                      algorithms=(VAKANTIE, SIGNALEN))
        values.update(overrides)
        return AnalyticsWorkspaceArgs(**values)
    return make


def _under(plan, component_name):
    component = plan.named(component_name).urn
    parents = {r.urn: r.parent for r in plan.resources}

    def inside(urn):
        while urn:
            if urn == component:
                return True
            urn = parents.get(urn)
        return False
    return [r for r in plan.resources if r.custom and inside(r.parent)]


@pytest.fixture(scope="module")
def team_plan(tmp_path_factory):
    """The default team planned once for the tests that only read it (planning is the slow part)."""
    from amsterdam_cloud.components.interfaces import DiagnosticSettings
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

    from .conftest import NETWORK, SUBSCRIPTION, ZONES

    workspace = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-management/providers/"
                 "Microsoft.OperationalInsights/workspaces/logs")
    tags = {"owner": "data-wonen@amsterdam.nl", "cost-center": "CC-5230", "environment": "dev",
            "data-classification": "BBN3", "application": "analytics-wonen"}
    args = AnalyticsWorkspaceArgs(
        tags=tags, diagnostic_settings=(DiagnosticSettings(workspace_id=workspace),),
        resource_group_name="rg-analytics-wonen", location="westeurope", team="wonen", environment="dev",
        tenant_id="9a1b2c3d-0000-4000-8000-000000000001",
        endpoint_subnet_id=f"{NETWORK}/virtualNetworks/spoke-analytics/subnets/endpoints",
        private_dns_zone_ids={zone: f"{NETWORK}/privateDnsZones/{zone}" for zone in ZONES},
        algorithms=(VAKANTIE, SIGNALEN))
    return plan_stack(PulumiProject.load(PLATFORM_DIR), "dev", inline_program=lambda: AnalyticsWorkspace("wonen", args),
                      plans_dir=tmp_path_factory.mktemp("plans"))


def test_every_tagged_resource_of_an_algorithm_carries_its_register_id(team_plan):
    plan = team_plan
    for component, register_id in (("wonen-vakantie", "90127502"), ("wonen-signalen", "90127461")):
        tagged = [r for r in _under(plan, component) if "tags" in r.inputs]
        assert tagged and {r.inputs["tags"].get(TAG) for r in tagged} == {register_id}


def test_each_algorithm_gets_its_own_machine_learning_workspace(team_plan):
    plan = team_plan
    names = sorted(w.inputs["workspaceName"] for w in plan.of_type("azure-native:machinelearningservices:Workspace"))
    assert names == ["mlw-wonen-signalen-dev", "mlw-wonen-vakantie-dev"]


def test_only_algorithms_with_model_deployments_get_ai_services(team_plan):
    plan = team_plan
    accounts = plan.of_type("azure-native:cognitiveservices:Account")
    assert [a.inputs["tags"][TAG] for a in accounts] == ["90127461"]


def test_workspaces_share_the_team_storage_vault_and_reach_the_lake(team_plan):
    plan = team_plan
    lake, storage = plan.named("wonen-lake-account").id, plan.named("wonen-mlstorage-account").id
    for workspace in plan.of_type("azure-native:machinelearningservices:Workspace"):
        assert workspace.inputs["storageAccount"] == storage
        assert workspace.inputs["keyVault"] == plan.named("wonen-kv-vault").id
        targets = {r["destination"]["serviceResourceId"] for r in workspace.inputs["managedNetwork"]["outboundRules"]
                   .values()}
        assert lake in targets


def test_team_resources_outside_algorithms_carry_no_register_id(team_plan):
    plan = team_plan
    assert TAG not in plan.named("wonen-lake-account").inputs["tags"]


def test_unregistered_algorithm_is_refused_before_anything_is_declared(args):
    with pytest.raises(RegisterError, match=r"algorithm 'nieuw' has no register id"):
        args(algorithms=(VAKANTIE, Algorithm(name="nieuw")))


def test_relaxed_policy_builds_an_unregistered_algorithm_without_the_tag(plan_inline, args):
    plan = plan_inline(lambda: AnalyticsWorkspace("wonen", args(
        algorithms=(Algorithm(name="nieuw"),), register_policy=RELAXED)))
    assert TAG not in plan.named("wonen-nieuw-ml-workspace").inputs["tags"]


def test_two_algorithms_with_one_register_id_are_refused(args):
    with pytest.raises(InterfaceError, match="one workspace per register entry"):
        args(algorithms=(VAKANTIE, Algorithm(name="vakantie2", register_id="90127502")))


def test_missing_private_dns_zone_is_refused(args, zone_ids):
    zones = {zone: zone_id for zone, zone_id in zone_ids.items() if zone != "privatelink.dfs.core.windows.net"}
    with pytest.raises(InterfaceError, match="privatelink.dfs.core.windows.net"):
        args(private_dns_zone_ids=zones)


def test_private_endpoints_in_args_are_refused_because_the_component_places_them(args, subnet_id, zone_ids):
    from amsterdam_cloud.components.interfaces import PrivateEndpoint

    with pytest.raises(InterfaceError, match="built by the component"):
        args(private_endpoints=(PrivateEndpoint(subnet_id=subnet_id, private_dns_zone_ids=(
            zone_ids["privatelink.blob.core.windows.net"],)),))


def test_lock_and_protect_cover_the_data_but_only_protect_the_workspaces(plan_inline, args):
    from amsterdam_cloud.components.interfaces import Lock

    plan = plan_inline(lambda: AnalyticsWorkspace("wonen", args(algorithms=(VAKANTIE,), lock=Lock(), protect=True)))
    locked = {lock.inputs["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    data = [plan.named(n) for n in ("wonen-lake-account", "wonen-mlstorage-account", "wonen-kv-vault",
                                    "wonen-acr-registry")]
    # the data and their private endpoints (which inherit the lock); nothing of the workspaces
    endpoints = {endpoint.id for endpoint in plan.of_type("azure-native:network:PrivateEndpoint")
                 if endpoint.parent in {plan.named(name).urn for name in ("wonen-lake", "wonen-mlstorage", "wonen-kv",
                                                                           "wonen-acr")}}
    assert endpoints and locked == {r.id for r in data} | endpoints and all(r.protect for r in data)
    assert plan.named("wonen-vakantie-ml-workspace").protect is True


def test_algorithm_filesystem_missing_from_the_lake_is_refused(args):
    with pytest.raises(InterfaceError, match=r"filesystems \['kentekens'\] are not in the team's lake"):
        args(algorithms=(Algorithm(name="scan", register_id="90127488", filesystems=("kentekens",)),))


def test_the_team_gets_its_own_private_ml_registry_which_its_workspaces_push_to(plan_inline, args, zone_ids):
    plan = plan_inline(lambda: AnalyticsWorkspace("wonen", args(algorithms=(VAKANTIE,))))
    registry = plan.named("wonen-acr-registry")
    assert (registry.inputs["registryName"], registry.inputs["publicNetworkAccess"]) == ("cramswonenmldev", "Disabled")
    assert plan.named("wonen-acr-pe-registry-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == \
        zone_ids["privatelink.azurecr.io"]
    assert plan.named("wonen-vakantie-ml-workspace").inputs["containerRegistry"] == registry.id


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(AnalyticsWorkspace, args)
