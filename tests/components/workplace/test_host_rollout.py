"""The rollout script under mocks: drains the replaced set, unregisters retired hosts, as a narrowly-scoped identity,
privately (its own closed storage account through a file endpoint, its container in a delegated subnet)."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, RoleAssignment
from amsterdam_cloud.components.workplace.host_rollout import (ROLLOUT_SCRIPT, SESSION_HOST_OPERATOR,
                                                               STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR, HostRollout,
                                                               HostRolloutArgs)

from .conftest import SCRIPT_SUBNET, endpoint

POOL = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-workplace/providers/"
        "Microsoft.DesktopVirtualization/hostPools/avd-pool")


@pytest.fixture
def args(tags):
    def make(**overrides) -> HostRolloutArgs:
        values = dict(tags=tags, resource_group_name="rg-workplace", location="westeurope", host_pool_id=POOL,
                      host_pool_name="avd-pool", name_prefix="avd-dev", current_hosts=("avd-dev-b2c001",),
                      draining_hosts=("avd-dev-a1b001", "avd-dev-a1b002"), versions="2026.12.0,2026.11.0",
                      storage_account_name="stamsavdrolloutdev", container_subnet_id=SCRIPT_SUBNET,
                      private_endpoints=endpoint("privatelink.file.core.windows.net"))
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


def test_its_identity_may_only_operate_the_pools_session_hosts_and_its_own_files(plan_inline, args):
    plan = plan_inline(lambda: HostRollout("rollout", args()))
    roles = {r.inputs["roleDefinitionId"].rsplit("/", 1)[1]: r for r in
             plan.of_type("azure-native:authorization:RoleAssignment")}
    assert set(roles) == {SESSION_HOST_OPERATOR, STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR}
    assert roles[SESSION_HOST_OPERATOR].inputs["scope"] == POOL
    assert roles[STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR].inputs["scope"] == plan.named("rollout-storage").id
    identity = plan.named("rollout-identity")
    assert plan.named("rollout-script").inputs["identity"]["userAssignedIdentities"] == [identity.id]
    assert all(role.inputs["principalId"] == identity.outputs["principalId"] for role in roles.values())
    assert {role.urn for role in roles.values()} <= set(plan.named("rollout-script").dependencies)


def test_the_script_runs_privately_on_its_own_closed_keyed_account_and_in_the_delegated_subnet(plan_inline, args):
    plan = plan_inline(lambda: HostRollout("rollout", args()))
    script, account = plan.named("rollout-script"), plan.named("rollout-storage")
    # without storageAccountSettings Azure creates a public account, which the city's policy denies
    assert script.inputs["storageAccountSettings"] == {"storageAccountName": "stamsavdrolloutdev"}
    assert script.inputs["containerSettings"] == {"subnetIds": [{"id": SCRIPT_SUBNET}]}
    # shared keys on: the script's container (ACI) mounts the share with the account key; still no public access
    assert (account.inputs["publicNetworkAccess"], account.inputs["allowSharedKeyAccess"],
            account.inputs["allowBlobPublicAccess"]) == ("Disabled", True, False)
    [pe] = plan.of_type("azure-native:network:PrivateEndpoint")
    connection = pe.inputs["privateLinkServiceConnections"][0]
    assert (connection["privateLinkServiceId"], connection["groupIds"]) == (account.id, ["file"])
    assert {pe.urn, plan.named("rollout-storage-pe-dns").urn} <= set(script.dependencies)


def test_its_file_blob_queue_and_table_services_send_their_logs_to_the_workspace(plan_inline, args, diagnostics):
    plan = plan_inline(lambda: HostRollout("rollout", args(diagnostic_settings=diagnostics)))
    account_id = plan.named("rollout-storage").id
    for role, service in (("files", "file"), ("blob", "blob"), ("queue", "queue"), ("table", "table")):
        setting = plan.named(f"rollout-storage-{role}-diag").inputs
        assert setting["resourceUri"] == f"{account_id}/{service}Services/default"
        assert setting["workspaceId"] == diagnostics[0].workspace_id and setting["logs"][0]["categoryGroup"] == "allLogs"


def test_a_host_both_current_and_draining_is_refused(args):
    with pytest.raises(InterfaceError, match="HostRolloutArgs.draining_hosts"):
        args(draining_hosts=("avd-dev-b2c001",))


def test_other_role_assignments_are_refused(args):
    with pytest.raises(InterfaceError, match="HostRolloutArgs"):
        args(role_assignments=(RoleAssignment(role="Reader", principal_id="7d1e0c52-0000-4000-8000-000000001001"),))


def test_a_script_without_its_private_file_endpoint_is_refused(args):
    with pytest.raises(InterfaceError, match="HostRolloutArgs.private_endpoints"):
        args(private_endpoints=())


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(HostRollout, args)
