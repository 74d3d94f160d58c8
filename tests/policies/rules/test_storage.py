"""Storage account rules: compliant fixture passes, each way to break a rule is reported."""

import pytest

from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.storage import (min_tls, no_public_blob_access, public_network_access,
                                                    secure_transfer, shared_key_access)
from .baseline_cases import DROP, U, mutate

COMPLIANT = {"location": "westeurope", "enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
             "publicNetworkAccess": "Disabled", "allowSharedKeyAccess": False, "allowBlobPublicAccess": False}

CASES = [
    (secure_transfer.RULE, "enableHttpsTrafficOnly", False),
    (secure_transfer.RULE, "enableHttpsTrafficOnly", "true"),
    (min_tls.RULE, "minimumTlsVersion", "TLS1_0"),
    (min_tls.RULE, "minimumTlsVersion", "TLS1_1"),
    (min_tls.RULE, "minimumTlsVersion", DROP),
    (min_tls.RULE, "minimumTlsVersion", 12),
    (min_tls.RULE, "minimumTlsVersion", U),
    (public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    (public_network_access.RULE, "publicNetworkAccess", DROP),
    (shared_key_access.RULE, "allowSharedKeyAccess", True),
    (shared_key_access.RULE, "allowSharedKeyAccess", DROP),
    (no_public_blob_access.RULE, "allowBlobPublicAccess", True),
    (no_public_blob_access.RULE, "allowBlobPublicAccess", "false"),
]
RULES = sorted({c[0] for c in CASES}, key=lambda r: r.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_compliant_storage_account_passes(rule):
    assert violations(rule, COMPLIANT) == []


@pytest.mark.parametrize("rule,path,value", CASES, ids=lambda v: getattr(v, "id", repr(v) if v is not DROP else "unset"))
def test_each_mutation_is_a_violation_naming_the_property(rule, path, value):
    found = violations(rule, mutate(COMPLIANT, path, value))
    assert len(found) == 1 and path in found[0]


def test_secure_transfer_unset_passes_because_azure_defaults_to_https_only():
    assert violations(secure_transfer.RULE, mutate(COMPLIANT, "enableHttpsTrafficOnly", DROP)) == []


def test_public_blob_access_unset_passes_because_azure_defaults_to_off():
    assert violations(no_public_blob_access.RULE, mutate(COMPLIANT, "allowBlobPublicAccess", DROP)) == []


def test_unknown_tls_version_passes_in_dev():
    assert violations(min_tls.RULE, mutate(COMPLIANT, "minimumTlsVersion", U), environment="dev") == []
