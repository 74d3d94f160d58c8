"""Container registry and AKS value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.values import value_rule

AKS = ("azure-native:containerservice:ManagedCluster",)

RULES = (
    value_rule(id="acr-export-disabled", title="Container registries do not export images", severity=Severity.MEDIUM,
               controls=("BIO 13.2.1", "BIO 9.4.1"), applies_to=("azure-native:containerregistry:Registry",),
               path="policies.exportPolicy.status", allowed=("disabled",), default="enabled",
               fix="set policies.exportPolicy.status='disabled' (Premium, with public network access off)",
               defaults_source="containerregistry ExportPolicy, API 2023-07-01: status unset is enabled"),
    value_rule(id="aks-rbac-enabled", title="AKS clusters use Kubernetes RBAC", severity=Severity.HIGH,
               controls=("BIO 9.1.1", "BIO 9.2.3"), applies_to=AKS, path="enableRBAC", want=True, default=True,
               fix="set enableRBAC=True",
               defaults_source="containerservice ManagedCluster, API 2025-09-01: enableRBAC unset is true"),
    value_rule(id="aks-azure-policy-addon", title="AKS clusters run the Azure Policy add-on", severity=Severity.MEDIUM,
               controls=("BIO 12.1.2", "BIO 14.2.5"), applies_to=AKS, path="addonProfiles.azurepolicy.enabled",
               want=True, default=False, fix="set addonProfiles={'azurepolicy': {'enabled': True}}",
               defaults_source="containerservice ManagedCluster, API 2025-09-01: add-ons are off unless enabled"),
    value_rule(id="aks-monitoring-addon", title="AKS clusters send container insights", severity=Severity.MEDIUM,
               controls=("BIO 12.4.1",), applies_to=AKS, path="addonProfiles.omsagent.enabled", want=True,
               default=False, fix="set addonProfiles={'omsagent': {'enabled': True, 'config': {...workspace...}}}",
               defaults_source="containerservice ManagedCluster, API 2025-09-01: add-ons are off unless enabled"),
    value_rule(id="aks-auto-upgrade", title="AKS clusters upgrade automatically", severity=Severity.MEDIUM,
               controls=("BIO 12.6.1",), applies_to=AKS, path="autoUpgradeProfile.upgradeChannel",
               allowed=("patch", "stable", "rapid", "node-image"), default="none",
               fix="set autoUpgradeProfile.upgradeChannel='patch' or 'stable'",
               defaults_source="containerservice AutoUpgradeProfile, API 2025-09-01: upgradeChannel unset is none"),
    value_rule(id="aks-defender", title="AKS clusters run Microsoft Defender", severity=Severity.MEDIUM,
               controls=("BIO 12.2.1", "BIO 12.6.1"), applies_to=AKS,
               path="securityProfile.defender.securityMonitoring.enabled", want=True, default=False,
               fix="set securityProfile.defender.securityMonitoring.enabled=True with a workspace",
               defaults_source="containerservice ManagedClusterSecurityProfileDefender, API 2025-09-01: security "
                               "monitoring is off unless enabled"),
    value_rule(id="aks-node-pool-no-public-ip", title="AKS node pools give nodes no public IPs",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:containerservice:AgentPool",), path="enableNodePublicIP", want=False,
               default=False, fix="set enableNodePublicIP=False",
               defaults_source="containerservice AgentPool, API 2025-09-01: enableNodePublicIP unset is false"),
)
