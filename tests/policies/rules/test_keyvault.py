"""Key Vault rules: compliant fixture passes, each way to break a rule is reported."""

import pytest

from amsterdam_cloud.policies.rules import RULES_BY_ID
from tests.policies.rule_fixtures import violations

from .baseline_cases import DROP, U, assert_one_violation_naming, case_id, mutate

COMPLIANT = {"location": "westeurope", "properties": {"enablePurgeProtection": True, "enableRbacAuthorization": True,
                                                      "publicNetworkAccess": "Disabled", "tenantId": "t",
                                                      "sku": {"family": "A", "name": "standard"}}}
CASES = [
    (RULES_BY_ID["keyvault-purge-protection"], "properties.enablePurgeProtection", False),
    (RULES_BY_ID["keyvault-purge-protection"], "properties.enablePurgeProtection", DROP),
    (RULES_BY_ID["keyvault-purge-protection"], "properties.enablePurgeProtection", "yes"),
    (RULES_BY_ID["keyvault-purge-protection"], "properties.enablePurgeProtection", U),
    (RULES_BY_ID["keyvault-soft-delete"], "properties.enableSoftDelete", False),
    (RULES_BY_ID["keyvault-rbac-authorization"], "properties.enableRbacAuthorization", False),
    (RULES_BY_ID["keyvault-rbac-authorization"], "properties.enableRbacAuthorization", DROP),
    (RULES_BY_ID["keyvault-public-network-access-disabled"], "properties.publicNetworkAccess", "Enabled"),
    (RULES_BY_ID["keyvault-public-network-access-disabled"], "properties.publicNetworkAccess", DROP),
]
RULES = sorted({c[0] for c in CASES}, key=lambda r: r.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_compliant_vault_passes(rule):
    assert violations(rule, COMPLIANT) == []


@pytest.mark.parametrize("rule,path,value", CASES, ids=case_id)
def test_each_mutation_is_a_violation_naming_the_property(rule, path, value):
    assert_one_violation_naming(rule, COMPLIANT, path, value)


def test_public_network_access_is_compared_case_insensitively():
    assert violations(RULES_BY_ID["keyvault-public-network-access-disabled"], mutate(COMPLIANT, "properties.publicNetworkAccess", "disabled")) == []


def test_vault_without_properties_object_reports_purge_protection_off():
    assert violations(RULES_BY_ID["keyvault-purge-protection"], {"location": "westeurope"}) != []
