"""Storage account rules: compliant fixture passes, each way to break a rule is reported."""

import pytest

from amsterdam_cloud.policies.rules import RULES_BY_ID
from tests.policies.rule_fixtures import violations
from .baseline_cases import DROP, U, assert_one_violation_naming, case_id, mutate

COMPLIANT = {"location": "westeurope", "enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
             "publicNetworkAccess": "Disabled", "allowSharedKeyAccess": False, "allowBlobPublicAccess": False}

CASES = [
    (RULES_BY_ID["storage-secure-transfer"], "enableHttpsTrafficOnly", False),
    (RULES_BY_ID["storage-secure-transfer"], "enableHttpsTrafficOnly", "true"),
    (RULES_BY_ID["storage-min-tls12"], "minimumTlsVersion", "TLS1_0"),
    (RULES_BY_ID["storage-min-tls12"], "minimumTlsVersion", "TLS1_1"),
    (RULES_BY_ID["storage-min-tls12"], "minimumTlsVersion", DROP),
    (RULES_BY_ID["storage-min-tls12"], "minimumTlsVersion", 12),
    (RULES_BY_ID["storage-min-tls12"], "minimumTlsVersion", U),
    (RULES_BY_ID["storage-public-network-access-disabled"], "publicNetworkAccess", "Enabled"),
    (RULES_BY_ID["storage-public-network-access-disabled"], "publicNetworkAccess", DROP),
    (RULES_BY_ID["storage-shared-key-disabled"], "allowSharedKeyAccess", True),
    (RULES_BY_ID["storage-shared-key-disabled"], "allowSharedKeyAccess", DROP),
    (RULES_BY_ID["storage-no-public-blob-access"], "allowBlobPublicAccess", True),
    (RULES_BY_ID["storage-no-public-blob-access"], "allowBlobPublicAccess", "false"),
]
RULES = sorted({c[0] for c in CASES}, key=lambda r: r.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_compliant_storage_account_passes(rule):
    assert violations(rule, COMPLIANT) == []


@pytest.mark.parametrize("rule,path,value", CASES, ids=case_id)
def test_each_mutation_is_a_violation_naming_the_property(rule, path, value):
    assert_one_violation_naming(rule, COMPLIANT, path, value)


def test_secure_transfer_unset_passes_because_azure_defaults_to_https_only():
    assert violations(RULES_BY_ID["storage-secure-transfer"], mutate(COMPLIANT, "enableHttpsTrafficOnly", DROP)) == []


def test_public_blob_access_unset_passes_because_azure_defaults_to_off():
    assert violations(RULES_BY_ID["storage-no-public-blob-access"], mutate(COMPLIANT, "allowBlobPublicAccess", DROP)) == []


def test_unknown_tls_version_passes_in_dev():
    assert violations(RULES_BY_ID["storage-min-tls12"], mutate(COMPLIANT, "minimumTlsVersion", U), environment="dev") == []
