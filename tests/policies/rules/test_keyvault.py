"""Key Vault rules: compliant fixture passes, each way to break a rule is reported."""

import pytest

from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.keyvault import purge_protection, public_network_access, rbac_authorization, soft_delete

from .baseline_cases import DROP, U, mutate

COMPLIANT = {"location": "westeurope", "properties": {"enablePurgeProtection": True, "enableRbacAuthorization": True,
                                                      "publicNetworkAccess": "Disabled", "tenantId": "t",
                                                      "sku": {"family": "A", "name": "standard"}}}
CASES = [
    (purge_protection.RULE, "properties.enablePurgeProtection", False),
    (purge_protection.RULE, "properties.enablePurgeProtection", DROP),
    (purge_protection.RULE, "properties.enablePurgeProtection", "yes"),
    (purge_protection.RULE, "properties.enablePurgeProtection", U),
    (soft_delete.RULE, "properties.enableSoftDelete", False),
    (rbac_authorization.RULE, "properties.enableRbacAuthorization", False),
    (rbac_authorization.RULE, "properties.enableRbacAuthorization", DROP),
    (public_network_access.RULE, "properties.publicNetworkAccess", "Enabled"),
    (public_network_access.RULE, "properties.publicNetworkAccess", DROP),
]
RULES = sorted({c[0] for c in CASES}, key=lambda r: r.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_compliant_vault_passes(rule):
    assert violations(rule, COMPLIANT) == []


@pytest.mark.parametrize("rule,path,value", CASES, ids=lambda v: getattr(v, "id", repr(v) if v is not DROP else "unset"))
def test_each_mutation_is_a_violation_naming_the_property(rule, path, value):
    found = violations(rule, mutate(COMPLIANT, path, value))
    assert len(found) == 1 and path in found[0]


def test_public_network_access_is_compared_case_insensitively():
    assert violations(public_network_access.RULE, mutate(COMPLIANT, "properties.publicNetworkAccess", "disabled")) == []


def test_vault_without_properties_object_reports_purge_protection_off():
    assert violations(purge_protection.RULE, {"location": "westeurope"}) != []
