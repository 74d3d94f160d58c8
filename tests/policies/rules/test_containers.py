"""Container registry, Container Apps and AKS rules."""

import pytest

from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.containers import (acr_admin_user, acr_anonymous_pull, acr_public_network_access,
                                                       aks_azure_rbac, aks_local_accounts, aks_network_policy,
                                                       aks_private_cluster, containerapp_insecure_ingress,
                                                       containerapp_managed_identity,
                                                       containerapps_environment_internal)

from .baseline_cases import DROP, U, mutate

ACR = {"adminUserEnabled": False, "anonymousPullEnabled": False, "publicNetworkAccess": "Disabled",
       "sku": {"name": "Premium"}}
AKS = {"apiServerAccessProfile": {"enablePrivateCluster": True}, "networkProfile": {"networkPolicy": "cilium"},
       "disableLocalAccounts": True, "aadProfile": {"managed": True, "enableAzureRBAC": True}, "enableRBAC": True}
ENV = {"vnetConfiguration": {"internal": True, "infrastructureSubnetId": "subnet-id"}}
APP = {"configuration": {"ingress": {"external": True, "allowInsecure": False, "targetPort": 8080}},
       "identity": {"type": "SystemAssigned"}}
FIXTURES = {"acr": ACR, "aks": AKS, "env": ENV, "app": APP}
CASES = [
    ("acr", acr_admin_user.RULE, "adminUserEnabled", True),
    ("acr", acr_anonymous_pull.RULE, "anonymousPullEnabled", True),
    ("acr", acr_public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    ("acr", acr_public_network_access.RULE, "publicNetworkAccess", DROP),
    ("aks", aks_private_cluster.RULE, "apiServerAccessProfile.enablePrivateCluster", False),
    ("aks", aks_private_cluster.RULE, "apiServerAccessProfile.enablePrivateCluster", DROP),
    ("aks", aks_network_policy.RULE, "networkProfile.networkPolicy", "none"),
    ("aks", aks_network_policy.RULE, "networkProfile.networkPolicy", DROP),
    ("aks", aks_local_accounts.RULE, "disableLocalAccounts", False),
    ("aks", aks_local_accounts.RULE, "disableLocalAccounts", DROP),
    ("aks", aks_azure_rbac.RULE, "aadProfile.enableAzureRBAC", False),
    ("aks", aks_azure_rbac.RULE, "enableRBAC", False),
    ("env", containerapps_environment_internal.RULE, "vnetConfiguration.internal", False),
    ("env", containerapps_environment_internal.RULE, "vnetConfiguration.internal", DROP),
    ("app", containerapp_insecure_ingress.RULE, "configuration.ingress.allowInsecure", True),
    ("app", containerapp_managed_identity.RULE, "identity.type", "None"),
    ("app", containerapp_managed_identity.RULE, "identity.type", DROP),
]
RULES = sorted({(c[0], c[1]) for c in CASES}, key=lambda c: c[1].id)


@pytest.mark.parametrize("fixture,rule", RULES, ids=lambda v: getattr(v, "id", v))
def test_compliant_container_resource_passes(fixture, rule):
    assert violations(rule, FIXTURES[fixture]) == []


@pytest.mark.parametrize("fixture,rule,path,value", CASES,
                         ids=lambda v: getattr(v, "id", repr(v) if v is not DROP else "unset"))
def test_each_mutation_is_a_violation_naming_the_property(fixture, rule, path, value):
    found = violations(rule, mutate(FIXTURES[fixture], path, value))
    assert len(found) == 1 and path in found[0]


def test_environment_with_public_access_disabled_passes_without_internal_vnet():
    props = {"publicNetworkAccess": "Disabled"}
    assert violations(containerapps_environment_internal.RULE, props) == []


def test_unknown_private_cluster_flag_is_a_violation_in_prod_only():
    props = mutate(AKS, "apiServerAccessProfile.enablePrivateCluster", U)
    assert violations(aks_private_cluster.RULE, props, environment="prod") != []
    assert violations(aks_private_cluster.RULE, props, environment="dev") == []
