"""Container registry, Container Apps and AKS rules."""

import pytest

from amsterdam_cloud.policies.rules import RULES_BY_ID
from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.containers import (aks_azure_rbac, containerapp_managed_identity, containerapps_environment_internal)

from .baseline_cases import DROP, U, assert_one_violation_naming, case_id, mutate

ACR = {"adminUserEnabled": False, "anonymousPullEnabled": False, "publicNetworkAccess": "Disabled",
       "sku": {"name": "Premium"}}
AKS = {"apiServerAccessProfile": {"enablePrivateCluster": True}, "networkProfile": {"networkPolicy": "cilium"},
       "disableLocalAccounts": True, "aadProfile": {"managed": True, "enableAzureRBAC": True}, "enableRBAC": True}
ENV = {"vnetConfiguration": {"internal": True, "infrastructureSubnetId": "subnet-id"}}
APP = {"configuration": {"ingress": {"external": True, "allowInsecure": False, "targetPort": 8080}},
       "identity": {"type": "SystemAssigned"}}
FIXTURES = {"acr": ACR, "aks": AKS, "env": ENV, "app": APP}
CASES = [
    ("acr", RULES_BY_ID["acr-admin-user-disabled"], "adminUserEnabled", True),
    ("acr", RULES_BY_ID["acr-anonymous-pull-disabled"], "anonymousPullEnabled", True),
    ("acr", RULES_BY_ID["acr-public-network-access-disabled"], "publicNetworkAccess", "Enabled"),
    ("acr", RULES_BY_ID["acr-public-network-access-disabled"], "publicNetworkAccess", DROP),
    ("aks", RULES_BY_ID["aks-private-cluster"], "apiServerAccessProfile.enablePrivateCluster", False),
    ("aks", RULES_BY_ID["aks-private-cluster"], "apiServerAccessProfile.enablePrivateCluster", DROP),
    ("aks", RULES_BY_ID["aks-network-policy"], "networkProfile.networkPolicy", "none"),
    ("aks", RULES_BY_ID["aks-network-policy"], "networkProfile.networkPolicy", DROP),
    ("aks", RULES_BY_ID["aks-local-accounts-disabled"], "disableLocalAccounts", False),
    ("aks", RULES_BY_ID["aks-local-accounts-disabled"], "disableLocalAccounts", DROP),
    ("aks", aks_azure_rbac.RULE, "aadProfile.enableAzureRBAC", False),
    ("aks", aks_azure_rbac.RULE, "enableRBAC", False),
    ("env", containerapps_environment_internal.RULE, "vnetConfiguration.internal", False),
    ("env", containerapps_environment_internal.RULE, "vnetConfiguration.internal", DROP),
    ("app", RULES_BY_ID["containerapp-no-insecure-ingress"], "configuration.ingress.allowInsecure", True),
    ("app", containerapp_managed_identity.RULE, "identity.type", "None"),
    ("app", containerapp_managed_identity.RULE, "identity.type", DROP),
]
RULES = sorted({(c[0], c[1]) for c in CASES}, key=lambda c: c[1].id)


@pytest.mark.parametrize("fixture,rule", RULES, ids=lambda v: getattr(v, "id", v))
def test_compliant_container_resource_passes(fixture, rule):
    assert violations(rule, FIXTURES[fixture]) == []


@pytest.mark.parametrize("fixture,rule,path,value", CASES,
                         ids=case_id)
def test_each_mutation_is_a_violation_naming_the_property(fixture, rule, path, value):
    assert_one_violation_naming(rule, FIXTURES[fixture], path, value)


def test_environment_with_public_access_disabled_passes_without_internal_vnet():
    props = {"publicNetworkAccess": "Disabled"}
    assert violations(containerapps_environment_internal.RULE, props) == []


def test_unknown_private_cluster_flag_is_a_violation_in_prod_only():
    props = mutate(AKS, "apiServerAccessProfile.enablePrivateCluster", U)
    assert violations(RULES_BY_ID["aks-private-cluster"], props, environment="prod") != []
    assert violations(RULES_BY_ID["aks-private-cluster"], props, environment="dev") == []
