"""The offline plan of each of the four stacks: it plans, exports what app and workplace stacks need, and passes
the policy pack with zero violations and no waivers (the platform is the example every app team copies)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack
from amsterdam_cloud.stacks.config import load

PLATFORM_DIR = Path(__file__).resolve().parents[2]
"""The platform project (this checkout's root Pulumi.yaml)."""

pytestmark = pytest.mark.slow

EXPORTS = ("workspaceId", "workspaceCustomerId", "actionGroupId", "hubVirtualNetworkId", "hubVirtualNetworkName",
           "hubResourceGroupName", "firewallPrivateIp", "privateDnsZoneIds", "spokes", "spokeSubnetIds",
           "platformKeyVaultId", "platformKeyVaultUri", "containerRegistryId", "containerRegistryLoginServer",
           "policyAssignmentIds")


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_stack_passes_the_policy_pack_with_no_violations_and_no_waivers(stack_plan, stack):
    result = check_export(stack_plan(stack).to_export(), environment=stack, stack=stack)
    assert [f"{f.policy}: {f.urn}: {f.message}" for f in result.findings] == []
    assert result.waived == []


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_stack_exports_what_app_and_workplace_stacks_need(stack_plan, stack):
    outputs = stack_plan(stack).stack_outputs
    assert sorted(set(EXPORTS) - set(outputs)) == []
    assert set(outputs["spokeSubnetIds"]) == set(load(stack).network.plan.spokes)


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_firewall_private_ip_is_the_fourth_host_of_the_planned_firewall_subnet(stack_plan, stack):
    subnet = load(stack).network.plan.hub.subnet("AzureFirewallSubnet").cidr
    assert stack_plan(stack).stack_outputs["firewallPrivateIp"] == str(ipaddress.IPv4Network(subnet)[4])


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_spoke_subnet_id_points_at_a_planned_subnet(stack_plan, stack):
    plan = stack_plan(stack)
    subnet_ids = {r.id for r in plan.of_type("azure-native:network:Subnet")}
    exported = {i for subnets in plan.stack_outputs["spokeSubnetIds"].values() for i in subnets.values()}
    assert exported and exported <= subnet_ids


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_resource_is_in_the_configured_region_or_global(stack_plan, stack):
    location = load(stack).location
    places = {r.inputs.get("location") for r in stack_plan(stack).resources if "location" in r.inputs}
    assert places <= {location, "global"}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_registry_is_named_for_the_environment_and_reached_from_the_hub_shared_subnet(stack_plan, stack):
    plan = stack_plan(stack)
    outputs = plan.stack_outputs
    assert outputs["containerRegistryLoginServer"] == f"cramsterdam{stack}.azurecr.io"
    assert outputs["containerRegistryId"] == plan.named("registry-registry").id
    assert plan.named("registry-pe").inputs["subnet"]["id"] == plan.named("hub-shared").id


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_registry_zone_redundancy_lock_and_protection_follow_the_feature_switches(stack_plan, stack):
    plan, features = stack_plan(stack), load(stack).features
    registry = plan.named("registry-registry")
    assert registry.inputs["zoneRedundancy"] == ("Enabled" if features.zone_redundancy else "Disabled")
    assert registry.protect is features.protect_stateful
    assert any(r.name == "registry-lock" for r in plan.resources) is features.resource_locks


def _deployer_assignment(plan):
    (assignment,) = [r for r in plan.of_type("azure-native:authorization:RoleAssignment")
                     if r.name.startswith("platform-kv-role")]
    return assignment.inputs


def test_the_deployers_vault_role_states_no_principal_type_unless_the_config_says_one(stack_plan):
    for environment in ("dev", "test"):  # deployed by CI's workload identity and by people: ARM accepts both
        assert "principalType" not in _deployer_assignment(stack_plan(environment))
    for environment in ("acc", "prod"):  # deployed only by the pipeline's workload identity
        assert _deployer_assignment(stack_plan(environment))["principalType"] == "ServicePrincipal"


def test_the_deployers_principal_type_comes_from_the_stack_config(tmp_path):
    plan = plan_stack(PulumiProject.load(PLATFORM_DIR), "dev", plans_dir=tmp_path,
                      config_overrides={"amsterdam-platform:deployerPrincipalType": "ServicePrincipal"})
    assert _deployer_assignment(plan)["principalType"] == "ServicePrincipal"


def test_the_platform_vault_has_the_citys_stable_name(stack_plan):
    assert stack_plan("prod").named("platform-kv-vault").outputs["name"] == "kv-ams-plat-prod"
