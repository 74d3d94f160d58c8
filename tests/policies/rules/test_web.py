"""App Service (web and function app) rules."""

import pytest

from amsterdam_cloud.policies.rules import RULES_BY_ID
from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.web import managed_identity

from .baseline_cases import DROP, case_id, mutate

COMPLIANT = {"httpsOnly": True, "publicNetworkAccess": "Disabled", "identity": {"type": "SystemAssigned"},
             "siteConfig": {"minTlsVersion": "1.2", "ftpsState": "Disabled", "remoteDebuggingEnabled": False}}
CASES = [
    (RULES_BY_ID["webapp-https-only"], "httpsOnly", False),
    (RULES_BY_ID["webapp-https-only"], "httpsOnly", DROP),
    (RULES_BY_ID["webapp-min-tls12"], "siteConfig.minTlsVersion", "1.0"),
    (RULES_BY_ID["webapp-min-tls12"], "siteConfig.minTlsVersion", "1.1"),
    (RULES_BY_ID["webapp-ftps-disabled"], "siteConfig.ftpsState", "AllAllowed"),
    (RULES_BY_ID["webapp-ftps-disabled"], "siteConfig.ftpsState", "FtpsOnly"),
    (RULES_BY_ID["webapp-ftps-disabled"], "siteConfig.ftpsState", DROP),
    (RULES_BY_ID["webapp-remote-debugging-disabled"], "siteConfig.remoteDebuggingEnabled", True),
    (RULES_BY_ID["webapp-public-network-access-disabled"], "publicNetworkAccess", "Enabled"),
    (RULES_BY_ID["webapp-public-network-access-disabled"], "publicNetworkAccess", ""),
    (RULES_BY_ID["webapp-public-network-access-disabled"], "publicNetworkAccess", DROP),
    (managed_identity.RULE, "identity.type", "None"),
    (managed_identity.RULE, "identity", DROP),
]
RULES = sorted({c[0] for c in CASES}, key=lambda r: r.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
@pytest.mark.parametrize("token", ["azure-native:web:WebApp", "azure-native:web:WebAppSlot"])
def test_compliant_app_passes(rule, token):
    assert violations(rule, COMPLIANT, token=token) == []


@pytest.mark.parametrize("rule,path,value", CASES, ids=case_id)
def test_each_mutation_is_a_violation(rule, path, value):
    assert len(violations(rule, mutate(COMPLIANT, path, value))) == 1


def test_min_tls_unset_passes_because_new_apps_default_to_tls12():
    assert violations(RULES_BY_ID["webapp-min-tls12"], mutate(COMPLIANT, "siteConfig.minTlsVersion", DROP)) == []
