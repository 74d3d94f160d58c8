"""The MySQL flexible server under mocks: Entra ID only, TLS enforced, private, HA and geo backups when asked."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.mysql import MySqlServer, MySqlServerArgs
from amsterdam_cloud.components.app_hosting.postgres import EntraAdministrator
from amsterdam_cloud.components.interfaces import InterfaceError, Lock, PrivateEndpoint
from amsterdam_cloud.policies.checker import check_export

LOGGING_RULES = ("database-logging-parameters", "database-server-has-logging-parameters")

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app"
ENDPOINTS = RG + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/endpoints"
ZONE = RG + "/providers/Microsoft.Network/privateDnsZones/privatelink.mysql.database.azure.com"
GRAPH_IDENTITY = RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app-mysql"
ADMIN = "0f0e0d0c-0000-4000-8000-000000000042"


@pytest.fixture
def args(tags, diagnostics, tenant_id):
    def make(**overrides) -> MySqlServerArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app",
                      location="westeurope", tenant_id=tenant_id, graph_identity_id=GRAPH_IDENTITY,
                      administrator=EntraAdministrator(object_id=ADMIN, principal_name="id-app",
                                                       principal_type="ServicePrincipal"),
                      private_endpoints=(PrivateEndpoint(subnet_id=ENDPOINTS, private_dns_zone_ids=(ZONE,)),))
        values.update(overrides)
        return MySqlServerArgs(**values)
    return make


def parameters(plan) -> dict[str, str]:
    return {r.inputs["configurationName"]: r.inputs["value"]
            for r in plan.of_type("azure-native:dbformysql:Configuration")}


def test_server_accepts_entra_id_logins_only(plan_inline, args):
    assert parameters(plan_inline(lambda: MySqlServer("my", args())))["aad_auth_only"] == "ON"


def test_entra_only_is_switched_on_after_the_entra_administrator_exists(plan_inline, args):
    plan = plan_inline(lambda: MySqlServer("my", args()))
    chain = [plan.named(f"my-{name}") for name in ("require-secure-transport", "tls-version", "aad-auth-only")]
    assert plan.named("my-admin").urn in chain[0].dependencies
    assert chain[1].urn in chain[2].dependencies


def test_audit_log_records_connections_and_schema_and_permission_changes(plan_inline, args):
    settings = parameters(plan_inline(lambda: MySqlServer("my", args())))
    assert (settings["audit_log_enabled"], settings["audit_log_events"]) == ("ON", "CONNECTION,DDL,DCL")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_server_passes_the_database_logging_rules(plan_inline, args, stack):
    result = check_export(plan_inline(lambda: MySqlServer("my", args()), stack=stack).to_export(),
                          environment=stack, stack=stack)
    assert [f for f in result.findings if f.policy in LOGGING_RULES] == []


def test_administrator_is_the_given_principal_looked_up_with_the_graph_identity(plan_inline, args, tenant_id):
    admin = plan_inline(lambda: MySqlServer("my", args())).named("my-admin").inputs
    assert (admin["sid"], admin["login"], admin["administratorType"]) == (ADMIN, "id-app", "ActiveDirectory")
    assert (admin["identityResourceId"], admin["tenantId"]) == (GRAPH_IDENTITY, tenant_id)


def test_server_runs_as_the_graph_identity(plan_inline, args):
    server = plan_inline(lambda: MySqlServer("my", args())).named("my-server")
    assert server.inputs["identity"]["type"] == "UserAssigned"
    assert list(server.outputs["identity"]["userAssignedIdentities"]) == [GRAPH_IDENTITY]


def test_tls_is_enforced_at_1_2_or_later(plan_inline, args):
    found = parameters(plan_inline(lambda: MySqlServer("my", args())))
    assert (found["require_secure_transport"], found["tls_version"]) == ("ON", "TLSv1.2,TLSv1.3")


def test_server_is_private_behind_an_endpoint(plan_inline, args):
    plan = plan_inline(lambda: MySqlServer("my", args()))
    assert plan.named("my-server").inputs["network"] == {"publicNetworkAccess": "Disabled"}
    connection = plan.named("my-pe").inputs["privateLinkServiceConnections"][0]
    assert connection["groupIds"] == ["mysqlServer"] and connection["privateLinkServiceId"] == plan.named("my-server").id
    assert plan.named("my-pe-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == ZONE


def test_generated_password_is_a_secret_that_later_runs_leave_alone(plan_inline, args):
    from amsterdam_cloud.scripts.offline.values import Secret

    server = plan_inline(lambda: MySqlServer("my", args())).named("my-server")
    assert isinstance(server.inputs["administratorLoginPassword"], Secret)
    assert "administratorLoginPassword" in server.options.get("ignoreChanges", [])


def test_defaults_are_one_instance_with_local_backups(plan_inline, args):
    server = plan_inline(lambda: MySqlServer("my", args())).named("my-server").inputs
    assert server["highAvailability"]["mode"] == "Disabled"
    assert server["backup"] == {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"}


def test_high_availability_and_geo_backups_when_asked(plan_inline, args):
    server = plan_inline(lambda: MySqlServer("my", args(high_availability=True, geo_redundant_backup=True,
                                                        backup_retention_days=35))).named("my-server").inputs
    assert server["highAvailability"]["mode"] == "ZoneRedundant"
    assert server["backup"] == {"backupRetentionDays": 35, "geoRedundantBackup": "Enabled"}


def test_sku_letter_picks_the_tier(plan_inline, args):
    server = plan_inline(lambda: MySqlServer("my", args(sku="Standard_E4ds_v4"))).named("my-server").inputs
    assert server["sku"] == {"name": "Standard_E4ds_v4", "tier": "MemoryOptimized"}


def test_databases_are_created_utf8mb4(plan_inline, args):
    database = plan_inline(lambda: MySqlServer("my", args(databases=("parkeer",)))).named("my-db-parkeer").inputs
    assert (database["databaseName"], database["charset"]) == ("parkeer", "utf8mb4")


def test_server_sends_logs_to_the_workspace(plan_inline, args, workspace_id):
    setting = plan_inline(lambda: MySqlServer("my", args())).named("my-diag").inputs
    assert setting["workspaceId"] == workspace_id and setting["logs"][0]["categoryGroup"] == "allLogs"


def test_protect_and_lock_apply_to_the_server(plan_inline, args):
    plan = plan_inline(lambda: MySqlServer("my", args(protect=True, lock=Lock())))
    assert plan.named("my-server").protect is True
    assert plan.named("my-lock").inputs["scope"] == plan.named("my-server").id


def test_server_keeps_its_given_name(plan_inline, args):
    plan = plan_inline(lambda: MySqlServer("my", args(server_name="mysql-parkeer-dev")))
    assert plan.named("my-server").inputs["serverName"] == "mysql-parkeer-dev"


def test_burstable_with_high_availability_is_refused(args):
    with pytest.raises(InterfaceError, match="Burstable"):
        args(sku="Standard_B1ms", high_availability=True)


def test_mysql_5_7_is_refused(args):
    with pytest.raises(InterfaceError, match="version"):
        args(version="5.7")


def test_storage_beyond_what_mysql_offers_is_refused(args):
    with pytest.raises(InterfaceError, match="storage_gb"):
        args(storage_gb=32767)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(MySqlServer, args)
