"""The data lake under mocks: a private, key-less ADLS Gen2 account with private filesystems and its logs."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.analytics.data_lake import DataLake, DataLakeArgs
from amsterdam_cloud.components.interfaces import InterfaceError, Lock, PrivateEndpoint


@pytest.fixture
def args(tags, diagnostics, subnet_id, zone_ids):
    def make(**overrides) -> DataLakeArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-analytics",
                      location="westeurope", account_name="stamswonenlakedev", filesystems=("raw", "curated"),
                      private_endpoints=(PrivateEndpoint(subnet_id=subnet_id, group_id="dfs", name="pe-dfs",
                                                         private_dns_zone_ids=(
                                                             zone_ids["privatelink.dfs.core.windows.net"],)),))
        values.update(overrides)
        return DataLakeArgs(**values)
    return make


def test_lake_has_a_hierarchical_namespace_and_no_public_or_key_access(plan_inline, args):
    account = plan_inline(lambda: DataLake("lake", args())).named("lake-account").inputs
    assert account["isHnsEnabled"] is True
    assert account["publicNetworkAccess"] == "Disabled" and account["networkRuleSet"]["defaultAction"] == "Deny"
    assert account["allowSharedKeyAccess"] is False and account["allowBlobPublicAccess"] is False
    assert account["allowCrossTenantReplication"] is False and account["minimumTlsVersion"] == "TLS1_2"


def test_plain_blob_account_when_the_namespace_is_switched_off(plan_inline, args):
    plan = plan_inline(lambda: DataLake("st", args(hierarchical_namespace=False, private_endpoints=())))
    assert plan.named("st-account").inputs["isHnsEnabled"] is False


def test_filesystems_are_private_containers_of_the_account(plan_inline, args):
    plan = plan_inline(lambda: DataLake("lake", args()))
    containers = plan.of_type("azure-native:storage:BlobContainer")
    assert sorted(c.inputs["containerName"] for c in containers) == ["curated", "raw"]
    assert {c.inputs["publicAccess"] for c in containers} == {"None"}


def test_blob_queue_and_table_service_logs_and_account_metrics_go_to_the_workspace(plan_inline, args, workspace_id):
    plan = plan_inline(lambda: DataLake("lake", args()))
    account_id = plan.named("lake-account").id
    for service in ("blob", "queue", "table"):
        logs = plan.named(f"lake-{service}-diag").inputs
        assert logs["resourceUri"] == f"{account_id}/{service}Services/default" and logs["workspaceId"] == workspace_id
        assert logs["logs"][0]["categoryGroup"] == "allLogs" and "metrics" not in logs
    account = plan.named("lake-diag").inputs
    assert account["resourceUri"] == account_id and "logs" not in account
    assert account["metrics"][0]["category"] == "AllMetrics"


def test_private_endpoint_reaches_the_dfs_subresource(plan_inline, args):
    connection = plan_inline(lambda: DataLake("lake", args())).named("lake-pe-dfs").inputs[
        "privateLinkServiceConnections"][0]
    assert connection["groupIds"] == ["dfs"]


def test_deleted_blobs_and_filesystems_can_be_restored(plan_inline, args):
    service = plan_inline(lambda: DataLake("lake", args(soft_delete_retention_days=30))).named(
        "lake-blob-service").inputs
    assert service["deleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 30}


def test_protect_and_lock_apply_to_the_account(plan_inline, args):
    plan = plan_inline(lambda: DataLake("lake", args(protect=True, lock=Lock())))
    assert plan.named("lake-account").protect is True
    assert plan.named("lake-lock").inputs["scope"] == plan.named("lake-account").id


def test_account_name_that_azure_rejects_is_refused(args):
    with pytest.raises(InterfaceError, match="account_name"):
        args(account_name="st-wonen-lake")


def test_managed_identities_are_refused_because_the_account_needs_none(args):
    from amsterdam_cloud.components.interfaces import ManagedIdentities

    with pytest.raises(InterfaceError, match="managed_identities"):
        args(managed_identities=ManagedIdentities(system_assigned=True))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(DataLake, args)
