"""App Service (web and function app) rules."""

import pytest

from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.web import (ftps, https_only, managed_identity, min_tls, public_network_access,
                                                remote_debugging)

from .baseline_cases import DROP, mutate

COMPLIANT = {"httpsOnly": True, "publicNetworkAccess": "Disabled", "identity": {"type": "SystemAssigned"},
             "siteConfig": {"minTlsVersion": "1.2", "ftpsState": "Disabled", "remoteDebuggingEnabled": False}}
CASES = [
    (https_only.RULE, "httpsOnly", False),
    (https_only.RULE, "httpsOnly", DROP),
    (min_tls.RULE, "siteConfig.minTlsVersion", "1.0"),
    (min_tls.RULE, "siteConfig.minTlsVersion", "1.1"),
    (ftps.RULE, "siteConfig.ftpsState", "AllAllowed"),
    (ftps.RULE, "siteConfig.ftpsState", "FtpsOnly"),
    (ftps.RULE, "siteConfig.ftpsState", DROP),
    (remote_debugging.RULE, "siteConfig.remoteDebuggingEnabled", True),
    (public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    (public_network_access.RULE, "publicNetworkAccess", ""),
    (public_network_access.RULE, "publicNetworkAccess", DROP),
    (managed_identity.RULE, "identity.type", "None"),
    (managed_identity.RULE, "identity", DROP),
]
RULES = sorted({c[0] for c in CASES}, key=lambda r: r.id)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
@pytest.mark.parametrize("token", ["azure-native:web:WebApp", "azure-native:web:WebAppSlot"])
def test_compliant_app_passes(rule, token):
    assert violations(rule, COMPLIANT, token=token) == []


@pytest.mark.parametrize("rule,path,value", CASES, ids=lambda v: getattr(v, "id", repr(v) if v is not DROP else "unset"))
def test_each_mutation_is_a_violation(rule, path, value):
    assert len(violations(rule, mutate(COMPLIANT, path, value))) == 1


def test_min_tls_unset_passes_because_new_apps_default_to_tls12():
    assert violations(min_tls.RULE, mutate(COMPLIANT, "siteConfig.minTlsVersion", DROP)) == []
