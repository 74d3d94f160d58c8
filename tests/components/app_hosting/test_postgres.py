"""The PostgreSQL flexible server under mocks: Entra ID only, private, HA and geo backups when asked."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.flexible_server import EntraAdministrator
from amsterdam_cloud.components.app_hosting.postgres import PostgresServer, PostgresServerArgs
from amsterdam_cloud.components.interfaces import InterfaceError, Lock, PrivateEndpoint

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app"
ENDPOINTS = RG + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/endpoints"
ZONE = RG + "/providers/Microsoft.Network/privateDnsZones/privatelink.postgres.database.azure.com"
ADMIN = "0f0e0d0c-0000-4000-8000-000000000042"


@pytest.fixture
def args(tags, diagnostics, tenant_id):
    def make(**overrides) -> PostgresServerArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app",
                      location="westeurope", tenant_id=tenant_id,
                      administrators=(EntraAdministrator(object_id=ADMIN, principal_name="id-app",
                                                         principal_type="ServicePrincipal"),),
                      private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINTS, private_dns_zone_ids=(ZONE,)),))
        values.update(overrides)
        return PostgresServerArgs(**values)
    return make


def test_server_accepts_entra_id_only(plan_inline, args, tenant_id):
    server = plan_inline(lambda: PostgresServer("pg", args())).named("pg-server").inputs
    assert server["authConfig"] == {"activeDirectoryAuth": "Enabled", "passwordAuth": "Disabled",
                                    "tenantId": tenant_id}
    assert "administratorLoginPassword" not in server


def test_server_is_private_behind_an_endpoint(plan_inline, args):
    plan = plan_inline(lambda: PostgresServer("pg", args()))
    assert plan.named("pg-server").inputs["network"] == {"publicNetworkAccess": "Disabled"}
    assert plan.named("pg-pe").inputs["privateLinkServiceConnections"][0]["groupIds"] == ["postgresqlServer"]


def test_administrator_is_the_given_principal(plan_inline, args):
    admin = plan_inline(lambda: PostgresServer("pg", args())).named("pg-admin-0").inputs
    assert (admin["objectId"], admin["principalType"]) == (ADMIN, "ServicePrincipal")


def test_defaults_are_one_instance_with_local_backups(plan_inline, args):
    server = plan_inline(lambda: PostgresServer("pg", args())).named("pg-server").inputs
    assert server["highAvailability"]["mode"] == "Disabled"
    assert server["backup"] == {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"}


def test_high_availability_and_geo_backups_when_asked(plan_inline, args):
    plan = plan_inline(lambda: PostgresServer("pg", args(high_availability=True, geo_redundant_backup=True,
                                                         backup_retention_days=35, protect=True, lock=Lock())))
    server = plan.named("pg-server")
    assert server.inputs["highAvailability"]["mode"] == "ZoneRedundant"
    assert server.inputs["backup"] == {"backupRetentionDays": 35, "geoRedundantBackup": "Enabled"}
    assert server.protect is True and plan.named("pg-lock").inputs["scope"] == server.id


def test_tier_follows_the_sku_family(plan_inline, args):
    server = plan_inline(lambda: PostgresServer("pg", args(sku="Standard_E4ds_v5"))).named("pg-server").inputs
    assert server["sku"] == {"name": "Standard_E4ds_v5", "tier": "MemoryOptimized"}


def test_burstable_with_high_availability_is_refused(args):
    with pytest.raises(InterfaceError, match="Burstable"):
        args(sku="Standard_B1ms", high_availability=True)


def test_a_server_without_administrators_is_refused(args):
    with pytest.raises(InterfaceError, match="administrators"):
        args(administrators=())


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(PostgresServer, args)
