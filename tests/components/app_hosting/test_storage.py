"""The storage account under mocks: private, Entra-only, one private endpoint per sub-resource, blob logs."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.storage import StorageAccount, StorageAccountArgs
from amsterdam_cloud.components.interfaces import InterfaceError, PrivateEndpoint

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app"
ENDPOINTS = RG + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/endpoints"


def endpoint(sub: str) -> PrivateEndpoint:
    zone = f"{RG}/providers/Microsoft.Network/privateDnsZones/privatelink.{sub}.core.windows.net"
    return PrivateEndpoint(subnet_id=ENDPOINTS, private_dns_zone_ids=(zone,), group_id=sub)


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> StorageAccountArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app",
                      location="westeurope", account_name="stappdev", private_endpoints=(endpoint("blob"),))
        values.update(overrides)
        return StorageAccountArgs(**values)
    return make


def test_account_has_no_public_access_shared_keys_or_cross_tenant_copies(plan_inline, args):
    account = plan_inline(lambda: StorageAccount("st", args())).named("st-account").inputs
    assert account["publicNetworkAccess"] == "Disabled" and account["allowBlobPublicAccess"] is False
    assert account["allowSharedKeyAccess"] is False and account["allowCrossTenantReplication"] is False
    assert account["minimumTlsVersion"] == "TLS1_2" and account["networkRuleSet"]["defaultAction"] == "Deny"


def test_each_sub_resource_gets_its_own_private_endpoint(plan_inline, args):
    plan = plan_inline(lambda: StorageAccount("st", args(private_endpoints=(endpoint("blob"), endpoint("queue")))))
    groups = [plan.named(f"st-pe-{i}").inputs["privateLinkServiceConnections"][0]["groupIds"] for i in (0, 1)]
    assert groups == [["blob"], ["queue"]]
    assert plan.named("st-pe-1-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"].endswith(
        "privatelink.queue.core.windows.net")


def test_blob_queue_and_table_logs_and_account_metrics_go_to_the_workspace(plan_inline, args):
    plan = plan_inline(lambda: StorageAccount("st", args()))
    account_id = plan.named("st-account").id
    for service in ("blob", "queue", "table"):
        assert plan.named(f"st-{service}-diag").inputs["resourceUri"] == f"{account_id}/{service}Services/default"
        assert plan.named(f"st-{service}-diag").inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
        assert "metrics" not in plan.named(f"st-{service}-diag").inputs
    assert "logs" not in plan.named("st-diag").inputs and plan.named("st-diag").inputs["metrics"]


def test_deleted_blobs_can_be_restored(plan_inline, args):
    service = plan_inline(lambda: StorageAccount("st", args(blob_soft_delete_days=14))).named("st-blob-service")
    assert service.inputs["deleteRetentionPolicy"] == {"enabled": True, "days": 14}


def test_an_endpoint_without_a_storage_sub_resource_is_refused(args):
    with pytest.raises(InterfaceError, match="one endpoint per sub-resource"):
        args(private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINTS, private_dns_zone_ids=("z",)),))


def test_a_name_azure_refuses_is_refused_when_the_args_are_built(args):
    with pytest.raises(InterfaceError, match=r"account_name: 'st-app-dev' is refused by Azure: contains '-'"):
        args(account_name="st-app-dev")


def test_an_unset_name_that_azure_native_would_auto_name_badly_is_refused_at_construction(plan_inline, args):
    with pytest.raises(InterfaceError, match=r"account_name: unset, so azure-native names the resource 'st-account'"):
        plan_inline(lambda: StorageAccount("st", args(account_name=None)))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(StorageAccount, args)
