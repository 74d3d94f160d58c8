"""The PostgreSQL flexible server under mocks: Entra ID only, private, HA and geo backups when asked."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.flexible_server import EntraAdministrator
from amsterdam_cloud.components.app_hosting.postgres import PostgresServer, PostgresServerArgs
from amsterdam_cloud.components.interfaces import InterfaceError, Lock, PrivateEndpoint
from amsterdam_cloud.policies.checker import check_export

LOGGING_RULES = ("database-logging-parameters", "database-server-has-logging-parameters")

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


def test_server_logs_connections_and_checkpoints_throttles_logins_and_keeps_logs_a_week(plan_inline, args):
    plan = plan_inline(lambda: PostgresServer("pg", args()))
    settings = {r.inputs["configurationName"]: (r.inputs["value"], r.inputs["source"])
                for r in plan.of_type("azure-native:dbforpostgresql:Configuration")}
    assert settings == {"log_checkpoints": ("on", "user-override"), "log_connections": ("on", "user-override"),
                        "log_disconnections": ("on", "user-override"),
                        "connection_throttle.enable": ("on", "user-override"),
                        "logfiles.retention_days": ("7", "user-override")}


def test_parameters_change_one_at_a_time_after_the_administrators(plan_inline, args):
    plan = plan_inline(lambda: PostgresServer("pg", args(databases=("app",))))
    chain = [plan.named(f"pg-{name}") for name in ("log-checkpoints", "log-connections", "log-disconnections",
                                                   "connection-throttle-enable", "logfiles-retention-days")]
    assert plan.named("pg-admin-0").urn in chain[0].dependencies
    assert all(before.urn in after.dependencies for before, after in zip(chain, chain[1:]))
    assert chain[-1].urn in plan.named("pg-db-app").dependencies


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_server_passes_the_database_logging_rules(plan_inline, args, stack):
    result = check_export(plan_inline(lambda: PostgresServer("pg", args()), stack=stack).to_export(),
                          environment=stack, stack=stack)
    assert [f for f in result.findings if f.policy in LOGGING_RULES] == []


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
