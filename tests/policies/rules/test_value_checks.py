"""The value checks declared as data (`rules/*/value_checks.py`): per rule a compliant fixture, the path it judges
and a value that violates it; unset follows Azure's default, unknown fails in acc and prod only."""

import pytest

from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules import ALL_RULES, RULES_BY_ID

from .baseline_cases import DROP, U, mutate

# rule id: (compliant inputs, the path the rule judges, a violating value)
FIXTURES = {
    "acr-dedicated-data-endpoints": ({"dataEndpointEnabled": True}, "dataEndpointEnabled", False),
    "storage-infrastructure-encryption": ({"encryption": {"requireInfrastructureEncryption": True}},
                                          "encryption.requireInfrastructureEncryption", False),
    "storage-network-default-deny": ({"networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"}},
                                     "networkRuleSet.defaultAction", "Allow"),
    "storage-local-users-disabled": ({"isLocalUserEnabled": False}, "isLocalUserEnabled", True),
    "storage-sftp-disabled": ({"isSftpEnabled": False}, "isSftpEnabled", True),
    "storage-container-soft-delete": ({"containerDeleteRetentionPolicy": {"enabled": True, "days": 14}},
                                      "containerDeleteRetentionPolicy.enabled", False),
    "storage-container-not-public": ({"publicAccess": "None"}, "publicAccess", "Blob"),
    "webapp-http2": ({"siteConfig": {"http20Enabled": True}}, "siteConfig.http20Enabled", False),
    "webapp-scm-min-tls12": ({"siteConfig": {"scmMinTlsVersion": "1.2"}}, "siteConfig.scmMinTlsVersion", "1.0"),
    "webapp-ftp-basic-auth-disabled": ({"allow": False}, "allow", True),
    "webapp-scm-basic-auth-disabled": ({"allow": False}, "allow", True),
    "defender-plan-standard": ({"pricingTier": "Standard", "pricingName": "VirtualMachines"}, "pricingTier", "Free"),
    "log-analytics-local-auth-disabled": ({"features": {"disableLocalAuth": True}}, "features.disableLocalAuth",
                                          False),
    "app-insights-local-auth-disabled": ({"disableLocalAuth": True, "kind": "web"}, "disableLocalAuth", False),
    "messaging-local-auth-disabled": ({"disableLocalAuth": True}, "disableLocalAuth", False),
    "messaging-min-tls12": ({"minimumTlsVersion": "1.2"}, "minimumTlsVersion", "1.1"),
    "messaging-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess",
                                                 "Enabled"),
    "data-factory-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess",
                                                    "Enabled"),
    "synapse-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "databricks-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess",
                                                  "Enabled"),
    "databricks-no-public-ip": ({"parameters": {"enableNoPublicIp": {"value": True}}},
                                "parameters.enableNoPublicIp.value", False),
    "redis-enterprise-min-tls12": ({"minimumTlsVersion": "1.2"}, "minimumTlsVersion", "1.0"),
    "ai-services-network-default-deny": ({"properties": {"networkAcls": {"defaultAction": "Deny"}}},
                                         "properties.networkAcls.defaultAction", "Allow"),
    "ai-services-restrict-outbound": ({"properties": {"restrictOutboundNetworkAccess": True, "allowedFqdnList": []}},
                                      "properties.restrictOutboundNetworkAccess", False),
    "ml-compute-local-auth-disabled": ({"properties": {"computeType": "AmlCompute", "disableLocalAuth": True}},
                                       "properties.disableLocalAuth", False),
    "ai-search-public-network-access-disabled": ({"publicNetworkAccess": "disabled"}, "publicNetworkAccess",
                                                 "enabled"),
    "ai-search-local-auth-disabled": ({"disableLocalAuth": True}, "disableLocalAuth", False),
    "firewall-policy-threat-intel-deny": ({"threatIntelMode": "Deny"}, "threatIntelMode", "Alert"),
    "frontdoor-waf-enabled": ({"policySettings": {"enabledState": "Enabled", "mode": "Prevention"}},
                              "policySettings.enabledState", "Disabled"),
    "frontdoor-waf-prevention": ({"policySettings": {"enabledState": "Enabled", "mode": "Prevention"}},
                                 "policySettings.mode", "Detection"),
    "app-gateway-waf-enabled": ({"policySettings": {"state": "Enabled", "mode": "Prevention"}},
                                "policySettings.state", "Disabled"),
    "app-gateway-waf-prevention": ({"policySettings": {"state": "Enabled", "mode": "Prevention"}},
                                   "policySettings.mode", "Detection"),
    "cosmosdb-no-key-based-metadata-writes": ({"disableKeyBasedMetadataWriteAccess": True},
                                              "disableKeyBasedMetadataWriteAccess", False),
    "sql-auditing-enabled": ({"state": "Enabled", "retentionDays": 0}, "state", "Disabled"),
    "sql-tde-enabled": ({"state": "Enabled"}, "state", "Disabled"),
    "sql-threat-detection-enabled": ({"state": "Enabled"}, "state", "Disabled"),
    "acr-export-disabled": ({"policies": {"exportPolicy": {"status": "disabled"}}}, "policies.exportPolicy.status",
                            "enabled"),
    "acr-untagged-retention": ({"policies": {"retentionPolicy": {"status": "enabled", "days": 30}}},
                               "policies.retentionPolicy.status", "disabled"),
    "aks-rbac-enabled": ({"enableRBAC": True}, "enableRBAC", False),
    "aks-azure-policy-addon": ({"addonProfiles": {"azurepolicy": {"enabled": True}}},
                               "addonProfiles.azurepolicy.enabled", False),
    "aks-monitoring-addon": ({"addonProfiles": {"omsagent": {"enabled": True}}}, "addonProfiles.omsagent.enabled",
                             False),
    "aks-auto-upgrade": ({"autoUpgradeProfile": {"upgradeChannel": "patch"}}, "autoUpgradeProfile.upgradeChannel",
                         "none"),
    "aks-defender": ({"securityProfile": {"defender": {"securityMonitoring": {"enabled": True}}}},
                     "securityProfile.defender.securityMonitoring.enabled", False),
    "aks-node-pool-no-public-ip": ({"enableNodePublicIP": False}, "enableNodePublicIP", True),
    "vmss-trusted-launch": ({"virtualMachineProfile": {"securityProfile": {"securityType": "TrustedLaunch"}}},
                            "virtualMachineProfile.securityProfile.securityType", "Standard"),
    "synapse-managed-virtual-network": ({"managedVirtualNetwork": "default"}, "managedVirtualNetwork", ""),
    "apim-internal-virtual-network": ({"virtualNetworkType": "Internal"}, "virtualNetworkType", "External"),
    "ml-workspace-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess",
                                                    "Enabled"),
    "vm-windows-automatic-updates": ({"osProfile": {"windowsConfiguration": {"enableAutomaticUpdates": True}}},
                                     "osProfile.windowsConfiguration.enableAutomaticUpdates", False),
    "vmss-automatic-os-upgrade": ({"upgradePolicy": {"automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}}},
                                  "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade", False),
    # the simple value rules that were code until issue 18 (their domain tests keep their own cases too)
    "acr-admin-user-disabled": ({"adminUserEnabled": False}, "adminUserEnabled", True),
    "acr-anonymous-pull-disabled": ({"anonymousPullEnabled": False}, "anonymousPullEnabled", True),
    "acr-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "ai-services-local-auth-disabled": ({"properties": {"disableLocalAuth": True}}, "properties.disableLocalAuth", False),
    "ai-services-public-network-access-disabled": ({"properties": {"publicNetworkAccess": "Disabled"}}, "properties.publicNetworkAccess", "Enabled"),
    "aks-local-accounts-disabled": ({"disableLocalAccounts": True}, "disableLocalAccounts", False),
    "aks-network-policy": ({"networkProfile": {"networkPolicy": "cilium"}}, "networkProfile.networkPolicy", "none"),
    "aks-private-cluster": ({"apiServerAccessProfile": {"enablePrivateCluster": True}}, "apiServerAccessProfile.enablePrivateCluster", False),
    "avd-host-pool-public-network-access": ({"publicNetworkAccess": "EnabledForClientsOnly"}, "publicNetworkAccess", "Enabled"),
    "containerapp-no-insecure-ingress": ({"configuration": {"ingress": {"allowInsecure": False}}}, "configuration.ingress.allowInsecure", True),
    "cosmosdb-local-auth-disabled": ({"disableLocalAuth": True}, "disableLocalAuth", False),
    "cosmosdb-min-tls12": ({"minimalTlsVersion": "Tls12"}, "minimalTlsVersion", "Tls"),
    "cosmosdb-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "keyvault-public-network-access-disabled": ({"properties": {"publicNetworkAccess": "Disabled"}}, "properties.publicNetworkAccess", "Enabled"),
    "keyvault-purge-protection": ({"properties": {"enablePurgeProtection": True}}, "properties.enablePurgeProtection", False),
    "keyvault-rbac-authorization": ({"properties": {"enableRbacAuthorization": True}}, "properties.enableRbacAuthorization", False),
    "keyvault-soft-delete": ({"properties": {"enableSoftDelete": True}}, "properties.enableSoftDelete", False),
    "postgresql-password-auth-disabled": ({"authConfig": {"passwordAuth": "Disabled"}}, "authConfig.passwordAuth", "Enabled"),
    "redis-access-key-auth-disabled": ({"disableAccessKeyAuthentication": True}, "disableAccessKeyAuthentication", False),
    "redis-min-tls12": ({"minimumTlsVersion": "1.2"}, "minimumTlsVersion", "1.0"),
    "redis-not-basic-sku": ({"sku": {"name": "Standard", "family": "C", "capacity": 1}}, "sku.name", "Basic"),
    "public-ip-standard-sku": ({"sku": {"name": "Standard", "tier": "Regional"}}, "sku.name", "Basic"),
    "load-balancer-standard-sku": ({"sku": {"name": "Standard"}}, "sku.name", "Basic"),
    "redis-non-ssl-port-disabled": ({"enableNonSslPort": False}, "enableNonSslPort", True),
    "redis-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "sql-entra-only-auth": ({"administrators": {"azureADOnlyAuthentication": True}}, "administrators.azureADOnlyAuthentication", False),
    "sql-min-tls12": ({"minimalTlsVersion": "1.2"}, "minimalTlsVersion", "1.0"),
    "sql-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "storage-min-tls12": ({"minimumTlsVersion": "TLS1_2"}, "minimumTlsVersion", "TLS1_0"),
    "storage-no-public-blob-access": ({"allowBlobPublicAccess": False}, "allowBlobPublicAccess", True),
    "storage-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "storage-secure-transfer": ({"enableHttpsTrafficOnly": True}, "enableHttpsTrafficOnly", False),
    "storage-shared-key-disabled": ({"allowSharedKeyAccess": False}, "allowSharedKeyAccess", True),
    "webapp-ftps-disabled": ({"siteConfig": {"ftpsState": "Disabled"}}, "siteConfig.ftpsState", "AllAllowed"),
    "webapp-https-only": ({"httpsOnly": True}, "httpsOnly", False),
    "webapp-min-tls12": ({"siteConfig": {"minTlsVersion": "1.2"}}, "siteConfig.minTlsVersion", "1.0"),
    "webapp-public-network-access-disabled": ({"publicNetworkAccess": "Disabled"}, "publicNetworkAccess", "Enabled"),
    "webapp-remote-debugging-disabled": ({"siteConfig": {"remoteDebuggingEnabled": False}}, "siteConfig.remoteDebuggingEnabled", True),
}
UNSET_PASSES = {  # Azure's documented default for an unset value is compliant
    "storage-sftp-disabled", "storage-container-not-public", "webapp-scm-min-tls12", "messaging-min-tls12", "databricks-no-public-ip", "redis-enterprise-min-tls12", "frontdoor-waf-prevention",
    "aks-rbac-enabled", "aks-node-pool-no-public-ip", "vm-windows-automatic-updates",
    "acr-admin-user-disabled", "acr-anonymous-pull-disabled", "containerapp-no-insecure-ingress", "cosmosdb-min-tls12",
    "keyvault-soft-delete", "redis-min-tls12", "redis-non-ssl-port-disabled", "storage-no-public-blob-access",
    "storage-secure-transfer", "webapp-min-tls12", "webapp-remote-debugging-disabled",
}
VALUE_RULES = [rule for rule in ALL_RULES if rule.check.__qualname__ == "value_rule.<locals>.check"]
CASES = [(RULES_BY_ID[rule_id], *fixture) for rule_id, fixture in FIXTURES.items()]


def test_every_value_rule_has_a_fixture():
    assert sorted(rule.id for rule in VALUE_RULES) == sorted(FIXTURES)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_compliant_fixture_passes_on_every_type(rule_id):
    rule = RULES_BY_ID[rule_id]
    for token in rule.applies_to:
        assert violations(rule, FIXTURES[rule_id][0], token=token) == []


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_violating_value_is_one_violation_naming_the_path(rule_id):
    props, path, bad = FIXTURES[rule_id]
    [message] = violations(RULES_BY_ID[rule_id], mutate(props, path, bad))
    assert path in message


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_unset_value_follows_azures_documented_default(rule_id):
    props, path, _ = FIXTURES[rule_id]
    found = violations(RULES_BY_ID[rule_id], mutate(props, path, DROP))
    assert (found == []) is (rule_id in UNSET_PASSES)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_junk_value_is_a_violation_not_a_crash(rule_id):
    props, path, _ = FIXTURES[rule_id]
    [message] = violations(RULES_BY_ID[rule_id], mutate(props, path, ["junk"]))
    assert "could not be checked" not in message


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
@pytest.mark.parametrize("environment,fails", [("dev", False), ("test", False), ("acc", True), ("prod", True)])
def test_unknown_value_fails_in_acc_and_prod_only(rule_id, environment, fails):
    props, path, _ = FIXTURES[rule_id]
    found = violations(RULES_BY_ID[rule_id], mutate(props, path, U), environment=environment)
    assert len(found) == (1 if fails else 0)
