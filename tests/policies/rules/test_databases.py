"""Database rules (SQL, PostgreSQL, MySQL, Cosmos DB, Redis, server parameters)."""

import pytest

from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.databases import (cosmosdb_local_auth, cosmosdb_min_tls,
                                                      cosmosdb_public_network_access, mysql_public_network_access,
                                                      postgresql_password_auth, postgresql_public_network_access,
                                                      redis_access_keys, redis_min_tls, redis_non_ssl_port,
                                                      redis_public_network_access, server_parameters, sql_entra_only_auth,
                                                      sql_min_tls, sql_public_network_access)

from .baseline_cases import DROP, U, mutate

SQL = {"minimalTlsVersion": "1.2", "publicNetworkAccess": "Disabled",
       "administrators": {"azureADOnlyAuthentication": True, "login": "sql-admins"}}
PG = {"network": {"publicNetworkAccess": "Disabled"}, "authConfig": {"passwordAuth": "Disabled",
                                                                     "activeDirectoryAuth": "Enabled"}}
MY = {"network": {"publicNetworkAccess": "Disabled"}}
COSMOS = {"disableLocalAuth": True, "publicNetworkAccess": "Disabled", "minimalTlsVersion": "Tls12"}
REDIS = {"enableNonSslPort": False, "minimumTlsVersion": "1.2", "publicNetworkAccess": "Disabled",
         "disableAccessKeyAuthentication": True}
FIXTURES = {"sql": SQL, "pg": PG, "my": MY, "cosmos": COSMOS, "redis": REDIS}
CASES = [
    ("sql", sql_min_tls.RULE, "minimalTlsVersion", "1.0"),
    ("sql", sql_min_tls.RULE, "minimalTlsVersion", "None"),
    ("sql", sql_min_tls.RULE, "minimalTlsVersion", DROP),
    ("sql", sql_public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    ("sql", sql_public_network_access.RULE, "publicNetworkAccess", DROP),
    ("sql", sql_entra_only_auth.RULE, "administrators.azureADOnlyAuthentication", False),
    ("sql", sql_entra_only_auth.RULE, "administrators.azureADOnlyAuthentication", DROP),
    ("pg", postgresql_public_network_access.RULE, "network.publicNetworkAccess", "Enabled"),
    ("pg", postgresql_public_network_access.RULE, "network.publicNetworkAccess", DROP),
    ("pg", postgresql_password_auth.RULE, "authConfig.passwordAuth", "Enabled"),
    ("pg", postgresql_password_auth.RULE, "authConfig.passwordAuth", DROP),
    ("my", mysql_public_network_access.RULE, "network.publicNetworkAccess", "Enabled"),
    ("my", mysql_public_network_access.RULE, "network.publicNetworkAccess", DROP),
    ("cosmos", cosmosdb_local_auth.RULE, "disableLocalAuth", False),
    ("cosmos", cosmosdb_local_auth.RULE, "disableLocalAuth", DROP),
    ("cosmos", cosmosdb_public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    ("cosmos", cosmosdb_public_network_access.RULE, "publicNetworkAccess", DROP),
    ("cosmos", cosmosdb_min_tls.RULE, "minimalTlsVersion", "Tls"),
    ("cosmos", cosmosdb_min_tls.RULE, "minimalTlsVersion", "Tls11"),
    ("redis", redis_non_ssl_port.RULE, "enableNonSslPort", True),
    ("redis", redis_min_tls.RULE, "minimumTlsVersion", "1.0"),
    ("redis", redis_public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    ("redis", redis_public_network_access.RULE, "publicNetworkAccess", DROP),
    ("redis", redis_access_keys.RULE, "disableAccessKeyAuthentication", False),
    ("redis", redis_access_keys.RULE, "disableAccessKeyAuthentication", DROP),
]
RULES = sorted({(c[0], c[1]) for c in CASES}, key=lambda c: c[1].id)


@pytest.mark.parametrize("fixture,rule", RULES, ids=lambda v: getattr(v, "id", v))
def test_compliant_database_passes(fixture, rule):
    assert violations(rule, FIXTURES[fixture]) == []


@pytest.mark.parametrize("fixture,rule,path,value", CASES,
                         ids=lambda v: getattr(v, "id", repr(v) if v is not DROP else "unset"))
def test_each_mutation_is_a_violation_naming_the_property(fixture, rule, path, value):
    found = violations(rule, mutate(FIXTURES[fixture], path, value))
    assert len(found) == 1 and path in found[0]


def test_postgresql_in_a_delegated_subnet_passes_without_public_network_access_set():
    props = {"network": {"delegatedSubnetResourceId": "/subscriptions/s/resourceGroups/rg/providers/"
                                                      "Microsoft.Network/virtualNetworks/v/subnets/pg"}}
    assert violations(postgresql_public_network_access.RULE, props) == []


def test_cosmos_tls_unset_passes_because_azure_defaults_to_tls12():
    assert violations(cosmosdb_min_tls.RULE, mutate(COSMOS, "minimalTlsVersion", DROP)) == []


def test_unknown_sql_tls_is_a_violation_in_acc():
    assert violations(sql_min_tls.RULE, mutate(SQL, "minimalTlsVersion", U), environment="acc") != []


PARAM = "azure-native:dbforpostgresql:Configuration"


@pytest.mark.parametrize("name,value", [("require_secure_transport", "ON"), ("ssl_min_protocol_version", "TLSv1.2"),
                                        ("tls_version", "TLSv1.2,TLSv1.3"), ("max_connections", "100")])
def test_secure_server_parameters_pass(name, value):
    assert violations(server_parameters.RULE, {"configurationName": name, "value": value, "source": "user-override"},
                      token=PARAM) == []


@pytest.mark.parametrize("name,value", [("require_secure_transport", "OFF"), ("ssl_min_protocol_version", "TLSv1"),
                                        ("tls_version", "TLSv1.1,TLSv1.2")])
def test_weakening_a_server_parameter_is_a_violation(name, value):
    found = violations(server_parameters.RULE, {"configurationName": name, "value": value}, token=PARAM)
    assert len(found) == 1 and name in found[0]
