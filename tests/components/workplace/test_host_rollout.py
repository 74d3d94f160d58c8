"""The rollout script under mocks: drains the replaced set, unregisters retired hosts, as a narrowly-scoped identity."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, RoleAssignment
from amsterdam_cloud.components.workplace.host_rollout import (ROLLOUT_SCRIPT, SESSION_HOST_OPERATOR, HostRollout,
                                                               HostRolloutArgs)

POOL = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-workplace/providers/"
        "Microsoft.DesktopVirtualization/hostPools/avd-pool")


@pytest.fixture
def args(tags):
    def make(**overrides) -> HostRolloutArgs:
        values = dict(tags=tags, resource_group_name="rg-workplace", location="westeurope", host_pool_id=POOL,
                      host_pool_name="avd-pool", name_prefix="avd-dev", current_hosts=("avd-dev-b2c001",),
                      draining_hosts=("avd-dev-a1b001", "avd-dev-a1b002"), versions="2026.12.0,2026.11.0")
        values.update(overrides)
        return HostRolloutArgs(**values)
    return make


def test_the_script_gets_the_sets_and_reruns_when_the_versions_change(plan_inline, args):
    script = plan_inline(lambda: HostRollout("rollout", args())).named("rollout-script").inputs
    settings = {v["name"]: v["value"] for v in script["environmentVariables"]}
    assert settings == {"HOST_POOL": "avd-pool", "HOST_POOL_GROUP": "rg-workplace", "HOST_PREFIX": "avd-dev",
                        "CURRENT_HOSTS": "avd-dev-b2c001", "DRAIN_HOSTS": "avd-dev-a1b001,avd-dev-a1b002"}
    assert script["forceUpdateTag"] == "2026.12.0,2026.11.0" and script["kind"] == "AzurePowerShell"
    assert script["cleanupPreference"] == "Always" and script["scriptContent"] == ROLLOUT_SCRIPT


def test_the_script_drains_only_once_the_current_set_is_registered_and_never_forces_a_removal():
    refusal = ROLLOUT_SCRIPT.index("throw \"not draining: the current set is not registered yet")
    assert refusal < ROLLOUT_SCRIPT.index("Update-AzWvdSessionHost")
    assert "-AllowNewSession:$false" in ROLLOUT_SCRIPT
    assert "Remove-AzWvdSessionHost" in ROLLOUT_SCRIPT and "-Force" not in ROLLOUT_SCRIPT
    assert '-like "$($env:HOST_PREFIX)-*"' in ROLLOUT_SCRIPT


def test_its_identity_may_only_operate_the_pools_session_hosts(plan_inline, args):
    plan = plan_inline(lambda: HostRollout("rollout", args()))
    role, = plan.of_type("azure-native:authorization:RoleAssignment")
    assert role.inputs["scope"] == POOL and role.inputs["roleDefinitionId"].endswith(SESSION_HOST_OPERATOR)
    identity = plan.named("rollout-identity")
    assert plan.named("rollout-script").inputs["identity"]["userAssignedIdentities"] == [identity.id]
    assert role.urn in plan.named("rollout-script").dependencies


def test_a_host_both_current_and_draining_is_refused(args):
    with pytest.raises(InterfaceError, match="HostRolloutArgs.draining_hosts"):
        args(draining_hosts=("avd-dev-b2c001",))


def test_other_role_assignments_are_refused(args):
    with pytest.raises(InterfaceError, match="HostRolloutArgs"):
        args(role_assignments=(RoleAssignment(role="Reader", principal_id="7d1e0c52-0000-4000-8000-000000001001"),))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(HostRollout, args)
