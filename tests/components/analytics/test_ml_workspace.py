"""The Machine Learning workspace under mocks: private, approved-outbound-only, identity-based, no public compute."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.analytics.ml_workspace import (ROLE_AZUREML_DATA_SCIENTIST, ComputeCluster,
                                                               LakeAccess, MachineLearningWorkspace,
                                                               MachineLearningWorkspaceArgs)
from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint

SUB = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-analytics/providers"
LAKE = f"{SUB}/Microsoft.Storage/storageAccounts/stamswonenlakedev"
GROUP = "3c1d2e4f-0000-4000-8000-00000000a001"


@pytest.fixture
def args(tags, diagnostics, subnet_id, zone_ids, registry_id):
    def make(**overrides) -> MachineLearningWorkspaceArgs:
        values = dict(
            tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-analytics", location="westeurope",
            workspace_name="mlw-wonen-vakantie-dev", container_registry_id=registry_id,
            storage_account_id=f"{SUB}/Microsoft.Storage/storageAccounts/stamswonenmlwdev",
            key_vault_id=f"{SUB}/Microsoft.KeyVault/vaults/kv-wonen",
            lake=LakeAccess(account_id=LAKE, account_name="stamswonenlakedev",
                            filesystem_ids={"raw": f"{LAKE}/blobServices/default/containers/raw"}),
            data_scientist_principal_ids=(GROUP,),
            private_endpoints=(PrivateEndpoint(subnet_id=subnet_id, private_dns_zone_ids=(
                zone_ids["privatelink.api.azureml.ms"], zone_ids["privatelink.notebooks.azure.net"])),))
        values.update(overrides)
        return MachineLearningWorkspaceArgs(**values)
    return make


def test_workspace_is_private_and_allows_only_approved_outbound(plan_inline, args):
    workspace = plan_inline(lambda: MachineLearningWorkspace("ml", args())).named("ml-workspace").inputs
    assert workspace["publicNetworkAccess"] == "Disabled"
    assert workspace["allowPublicAccessWhenBehindVnet"] is False
    assert workspace["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert workspace["serverlessComputeSettings"]["serverlessComputeNoPublicIP"] is True


def test_workspace_uses_the_city_registry_and_identity_based_storage(plan_inline, args, registry_id):
    workspace = plan_inline(lambda: MachineLearningWorkspace("ml", args())).named("ml-workspace").inputs
    assert workspace["containerRegistry"] == registry_id
    assert workspace["systemDatastoresAuthMode"] == "identity"
    assert workspace["identity"]["type"] == "SystemAssigned"


def test_managed_network_reaches_the_lake_over_private_endpoints(plan_inline, args):
    rules = plan_inline(lambda: MachineLearningWorkspace("ml", args())).named("ml-workspace").inputs[
        "managedNetwork"]["outboundRules"]
    assert {(r["destination"]["serviceResourceId"], r["destination"]["subresourceTarget"]) for r in rules.values()} \
        == {(LAKE, "dfs"), (LAKE, "blob")}


def test_compute_has_no_public_ip_and_no_ssh(plan_inline, args):
    compute = plan_inline(lambda: MachineLearningWorkspace("ml", args())).named("ml-cpu-cluster").inputs
    properties = compute["properties"]["properties"]
    assert properties["enableNodePublicIp"] is False
    assert properties["remoteLoginPortPublicAccess"] == "Disabled"
    assert properties["scaleSettings"]["minNodeCount"] == 0
    assert compute["properties"]["disableLocalAuth"] is True


def test_lake_filesystems_become_identity_based_datastores(plan_inline, args):
    datastore = plan_inline(lambda: MachineLearningWorkspace("ml", args())).named("ml-raw-datastore").inputs
    assert datastore["properties"]["credentials"]["credentialsType"] == "None"
    assert datastore["properties"]["filesystem"] == "raw"


def test_compute_identity_gets_data_access_on_its_filesystem_only(plan_inline, args):
    plan = plan_inline(lambda: MachineLearningWorkspace("ml", args()))
    role = plan.named("ml-raw-compute-role-0").inputs
    assert role["scope"] == f"{LAKE}/blobServices/default/containers/raw"
    assert role["principalId"] == plan.named("ml-cpu-cluster").outputs["identity"]["principalId"]


def test_data_scientists_get_the_data_scientist_role_on_the_workspace(plan_inline, args):
    plan = plan_inline(lambda: MachineLearningWorkspace("ml", args()))
    role = plan.named("ml-scientists-role-0").inputs
    assert role["scope"] == plan.named("ml-workspace").id and role["principalId"] == GROUP
    assert role["roleDefinitionId"].endswith(ROLE_AZUREML_DATA_SCIENTIST)


def test_no_cluster_when_compute_is_none(plan_inline, args):
    plan = plan_inline(lambda: MachineLearningWorkspace("ml", args(compute=None)))
    assert plan.of_type("azure-native:machinelearningservices:Compute") == []


def test_cluster_name_azure_rejects_is_refused():
    with pytest.raises(InterfaceError, match="ComputeCluster.name"):
        ComputeCluster(name="a-cluster-name-that-is-too-long")


def test_workspace_identity_works_on_its_storage_vault_and_registry_by_role(plan_inline, args, registry_id):
    plan = plan_inline(lambda: MachineLearningWorkspace("ml", args()))
    principal = plan.named("ml-workspace").outputs["identity"]["principalId"]
    scopes = {plan.named(f"ml-identity-{purpose}-role-0").inputs["scope"]
              for purpose in ("blob", "file", "vault", "acr")
              if plan.named(f"ml-identity-{purpose}-role-0").inputs["principalId"] == principal}
    assert scopes == {f"{SUB}/Microsoft.Storage/storageAccounts/stamswonenmlwdev",
                      f"{SUB}/Microsoft.KeyVault/vaults/kv-wonen", registry_id}


def test_protect_covers_the_workspace(plan_inline, args):
    assert plan_inline(lambda: MachineLearningWorkspace("ml", args(protect=True))).named("ml-workspace").protect


def test_managed_identities_are_refused_because_the_workspace_runs_as_its_system_identity(args):
    from amsterdam_cloud.components.interfaces import ManagedIdentities

    with pytest.raises(InterfaceError, match="system-assigned identity only"):
        args(managed_identities=ManagedIdentities(system_assigned=True))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(MachineLearningWorkspace, args)
