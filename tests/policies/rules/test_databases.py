"""Database rules (SQL, PostgreSQL, MySQL, Cosmos DB, Redis, server parameters)."""

import pytest

from amsterdam_cloud.policies.rules import RULES_BY_ID
from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.databases import (mysql_public_network_access, postgresql_public_network_access, server_parameters)

from .baseline_cases import DROP, U, assert_one_violation_naming, case_id, mutate

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
    ("sql", RULES_BY_ID["sql-min-tls12"], "minimalTlsVersion", "1.0"),
    ("sql", RULES_BY_ID["sql-min-tls12"], "minimalTlsVersion", "None"),
    ("sql", RULES_BY_ID["sql-min-tls12"], "minimalTlsVersion", DROP),
    ("sql", RULES_BY_ID["sql-public-network-access-disabled"], "publicNetworkAccess", "Enabled"),
    ("sql", RULES_BY_ID["sql-public-network-access-disabled"], "publicNetworkAccess", DROP),
    ("sql", RULES_BY_ID["sql-entra-only-auth"], "administrators.azureADOnlyAuthentication", False),
    ("sql", RULES_BY_ID["sql-entra-only-auth"], "administrators.azureADOnlyAuthentication", DROP),
    ("pg", postgresql_public_network_access.RULE, "network.publicNetworkAccess", "Enabled"),
    ("pg", postgresql_public_network_access.RULE, "network.publicNetworkAccess", DROP),
    ("pg", RULES_BY_ID["postgresql-password-auth-disabled"], "authConfig.passwordAuth", "Enabled"),
    ("pg", RULES_BY_ID["postgresql-password-auth-disabled"], "authConfig.passwordAuth", DROP),
    ("my", mysql_public_network_access.RULE, "network.publicNetworkAccess", "Enabled"),
    ("my", mysql_public_network_access.RULE, "network.publicNetworkAccess", DROP),
    ("cosmos", RULES_BY_ID["cosmosdb-local-auth-disabled"], "disableLocalAuth", False),
    ("cosmos", RULES_BY_ID["cosmosdb-local-auth-disabled"], "disableLocalAuth", DROP),
    ("cosmos", RULES_BY_ID["cosmosdb-public-network-access-disabled"], "publicNetworkAccess", "Enabled"),
    ("cosmos", RULES_BY_ID["cosmosdb-public-network-access-disabled"], "publicNetworkAccess", DROP),
    ("cosmos", RULES_BY_ID["cosmosdb-min-tls12"], "minimalTlsVersion", "Tls"),
    ("cosmos", RULES_BY_ID["cosmosdb-min-tls12"], "minimalTlsVersion", "Tls11"),
    ("redis", RULES_BY_ID["redis-non-ssl-port-disabled"], "enableNonSslPort", True),
    ("redis", RULES_BY_ID["redis-min-tls12"], "minimumTlsVersion", "1.0"),
    ("redis", RULES_BY_ID["redis-public-network-access-disabled"], "publicNetworkAccess", "Enabled"),
    ("redis", RULES_BY_ID["redis-public-network-access-disabled"], "publicNetworkAccess", DROP),
    ("redis", RULES_BY_ID["redis-access-key-auth-disabled"], "disableAccessKeyAuthentication", False),
    ("redis", RULES_BY_ID["redis-access-key-auth-disabled"], "disableAccessKeyAuthentication", DROP),
]
RULES = sorted({(c[0], c[1]) for c in CASES}, key=lambda c: c[1].id)


@pytest.mark.parametrize("fixture,rule", RULES, ids=lambda v: getattr(v, "id", v))
def test_compliant_database_passes(fixture, rule):
    assert violations(rule, FIXTURES[fixture]) == []


@pytest.mark.parametrize("fixture,rule,path,value", CASES,
                         ids=case_id)
def test_each_mutation_is_a_violation_naming_the_property(fixture, rule, path, value):
    assert_one_violation_naming(rule, FIXTURES[fixture], path, value)


def test_postgresql_in_a_delegated_subnet_passes_without_public_network_access_set():
    props = {"network": {"delegatedSubnetResourceId": "/subscriptions/s/resourceGroups/rg/providers/"
                                                      "Microsoft.Network/virtualNetworks/v/subnets/pg"}}
    assert violations(postgresql_public_network_access.RULE, props) == []


def test_cosmos_tls_unset_passes_because_azure_defaults_to_tls12():
    assert violations(RULES_BY_ID["cosmosdb-min-tls12"], mutate(COSMOS, "minimalTlsVersion", DROP)) == []


def test_unknown_sql_tls_is_a_violation_in_acc():
    assert violations(RULES_BY_ID["sql-min-tls12"], mutate(SQL, "minimalTlsVersion", U), environment="acc") != []


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


def test_both_parameter_rules_read_the_parameter_with_one_helper_that_skips_others_and_lowercases():
    from amsterdam_cloud.policies.rule_model import Reporter
    from amsterdam_cloud.policies.rules.common import server_parameter
    report = Reporter(strict=True)
    found = server_parameter({"name": "Log_Connections", "value": " OFF "}, report, names=("log_connections",),
                             kind="logging", fix="set it")
    assert found == ("log_connections", "off", " OFF ")
    assert server_parameter({"configurationName": "max_connections", "value": "9"}, report,
                            names=("log_connections",), kind="logging", fix="set it") is None
    assert report.skipped and "not a logging parameter" in report.skipped[0][0] and not report.violations
