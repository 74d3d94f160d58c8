"""Shared hosting on the recorded platform plans: one Container Apps environment per environment in the configured
subnet with the configured workload profiles, one Front Door Premium with one WAF policy, and a certificate vault
its identity reads; the exports app stacks use name only values known at preview."""

from __future__ import annotations

import pytest

from amsterdam_cloud.scripts.offline.values import UNKNOWN
from amsterdam_cloud.stacks.config import ENVIRONMENTS, load

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_one_shared_environment_in_the_configured_subnet_with_its_workload_profiles(stack_plan, stack):
    plan, hosting = stack_plan(stack), load(stack).shared_hosting
    [environment] = plan.of_type("azure-native:app:ManagedEnvironment")
    subnet = plan.stack_outputs["spokeSubnetIds"][hosting.spoke][hosting.subnet]
    assert environment.inputs["vnetConfiguration"] == {"infrastructureSubnetId": subnet, "internal": True}
    assert [p["name"] for p in environment.inputs["workloadProfiles"]] == \
        plan.stack_outputs["containerAppsEnvironment"]["workloadProfiles"] == \
        ["Consumption"] + [p.name for p in hosting.workload_profiles]
    assert environment.inputs["zoneRedundant"] is load(stack).features.zone_redundancy


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_guardrails_leave_out_the_group_the_shared_environment_names(stack_plan, stack):
    plan = stack_plan(stack)
    [environment] = plan.of_type("azure-native:app:ManagedEnvironment")
    group = (f"/subscriptions/{load(stack).subscription_id}/resourceGroups/"
             f"{environment.inputs['infrastructureResourceGroup']}")
    tag_assignments = [a for a in plan.of_type("azure-native:authorization:PolicyAssignment")
                       if a.inputs.get("notScopes")]
    assert tag_assignments and all(group in a.inputs["notScopes"] for a in tag_assignments)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_one_front_door_premium_whose_identity_reads_the_certificate_vault(stack_plan, stack):
    plan = stack_plan(stack)
    [profile] = plan.of_type("azure-native:cdn:Profile")
    assert profile.inputs["sku"] == {"name": "Premium_AzureFrontDoor"}
    [policy] = plan.of_type("azure-native:frontdoor:Policy")
    door = plan.stack_outputs["frontDoor"]
    assert (door["profileName"], door["wafPolicyId"]) == (profile.outputs["name"], policy.id)
    readers = [r.inputs for r in plan.of_type("azure-native:authorization:RoleAssignment")
               if r.inputs["scope"] == door["certificateVaultId"]
               and r.inputs["principalId"] == profile.outputs["identity"]["principalId"]]
    assert [r["roleDefinitionId"].rsplit("/", 1)[1] for r in readers] == ["4633458b-17de-408a-b874-0445c86b69e6"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_what_app_stacks_read_is_known_at_preview(stack_plan, stack):
    """A StackReference's outputs are unknown as a whole while any one value is; app stacks read these."""
    outputs = stack_plan(stack).stack_outputs

    def known(value) -> bool:
        if isinstance(value, dict):
            return all(known(item) for item in value.values())
        if isinstance(value, list):
            return all(known(item) for item in value)
        return value != UNKNOWN and value is not None

    assert [key for key, value in outputs.items() if not known(value)] == []


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_internal_environments_zone_resolves_from_the_environment_hub_and_the_resolvers_hub(stack_plan, stack):
    """An internal environment has no public record: the city network resolves it only through the resolver's
    inbound endpoint, which answers from the zones linked to its own VNet (the connectivity hub)."""
    plan, connectivity = stack_plan(stack), load(stack).connectivity
    linked = {link.inputs["virtualNetwork"]["id"] for link in plan.of_type("azure-native:privatedns:VirtualNetworkLink")
              if link.name.startswith("apps-cae-dns-link-")}
    assert connectivity is not None
    assert linked == {plan.named("hub-vnet").id, connectivity.ref.virtual_network_id}
