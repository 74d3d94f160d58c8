"""Cosmos DB for NoSQL under mocks: the shared interfaces it declares (most of its behaviour is tested through App)."""

from __future__ import annotations

from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosContainer, CosmosNoSql, CosmosNoSqlArgs

APP_PRINCIPAL = "0f0e0d0c-0000-4000-8000-0000000000a1"


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags):
    conforms(CosmosNoSql, lambda: CosmosNoSqlArgs(
        tags=tags, resource_group_name="rg-app", location="westeurope", account_name="cosmos-parkeer-dev-abc123",
        database_name="parkeer", containers=(CosmosContainer(name="events"),), data_principal_id=APP_PRINCIPAL))
