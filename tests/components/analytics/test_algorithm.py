"""One algorithm's workspace under mocks: the shared interfaces it declares (its parts are tested through the team's
AnalyticsWorkspace and the Machine Learning workspace)."""

from __future__ import annotations

from amsterdam_cloud.components.analytics.algorithm import (Algorithm, AlgorithmWorkspace, AlgorithmWorkspaceArgs,
                                                            TeamShared)

from .conftest import SUBSCRIPTION

DATA = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-analytics-wonen/providers"


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, subnet_id, zone_ids, registry_id):
    lake = f"{DATA}/Microsoft.Storage/storageAccounts/stwonenlakedev"
    shared = TeamShared(
        storage_account_id=f"{DATA}/Microsoft.Storage/storageAccounts/stwonenmldev",
        key_vault_id=f"{DATA}/Microsoft.KeyVault/vaults/kv-wonen-dev", container_registry_id=registry_id,
        lake_account_id=lake, lake_account_name="stwonenlakedev",
        filesystem_ids={"raw": f"{lake}/blobServices/default/containers/raw"}, endpoint_subnet_id=subnet_id,
        private_dns_zone_ids=zone_ids)
    conforms(AlgorithmWorkspace, lambda: AlgorithmWorkspaceArgs(
        tags=tags, resource_group_name="rg-analytics-wonen", location="westeurope",
        algorithm=Algorithm(name="vakantie", register_id="90127502"), team="wonen", environment="dev",
        shared=shared))
