"""AI services, Machine Learning and AI Search value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.values import value_rule

ACCOUNT = ("azure-native:cognitiveservices:Account",)

RULES = (
    value_rule(id="ai-services-network-default-deny", title="AI services firewalls deny by default",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"), applies_to=ACCOUNT,
               path="properties.networkAcls.defaultAction", allowed=("Deny",), default="Allow",
               fix="set properties.networkAcls.defaultAction='Deny'",
               defaults_source="cognitiveservices Account, API 2024-10-01: without networkAcls every network is allowed"),
    value_rule(id="ai-services-restrict-outbound", title="AI services may call out only to listed FQDNs",
               severity=Severity.MEDIUM, controls=("BIO 13.1.3", "BIO 13.2.1"), applies_to=ACCOUNT,
               path="properties.restrictOutboundNetworkAccess", want=True, default=False,
               fix="set properties.restrictOutboundNetworkAccess=True with properties.allowedFqdnList",
               defaults_source="cognitiveservices AccountProperties, API 2024-10-01: restrictOutboundNetworkAccess "
                               "unset is false"),
    value_rule(id="ml-compute-local-auth-disabled", title="Machine Learning compute accepts Entra ID only",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"),
               applies_to=("azure-native:machinelearningservices:Compute",), path="properties.disableLocalAuth",
               want=True, default=False, fix="set properties.disableLocalAuth=True",
               defaults_source="machinelearningservices Compute, API 2024-04-01: disableLocalAuth unset is false "
                               "(local SSH/keys allowed)"),
    value_rule(id="ai-search-public-network-access-disabled", title="AI Search services are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:search:Service",), path="publicNetworkAccess", allowed=("disabled",),
               default="enabled", fix="set publicNetworkAccess='disabled'",
               defaults_source="search Service, API 2023-11-01: publicNetworkAccess unset is enabled"),
    value_rule(id="ai-search-local-auth-disabled", title="AI Search services accept Entra ID only, no API keys",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"),
               applies_to=("azure-native:search:Service",), path="disableLocalAuth", want=True, default=False,
               fix="set disableLocalAuth=True",
               defaults_source="search Service, API 2023-11-01: disableLocalAuth unset is false (API keys accepted)"),
    value_rule(id="ml-workspace-public-network-access-disabled",
               title="Machine Learning workspaces are reachable only privately", severity=Severity.HIGH,
               controls=("BIO 13.1.1", "BIO 13.1.3"), applies_to=("azure-native:machinelearningservices:Workspace",),
               path="publicNetworkAccess", allowed=("Disabled",), default="Enabled",
               fix="set publicNetworkAccess='Disabled' and reach the workspace through a private endpoint",
               defaults_source="machinelearningservices Workspace, API 2024-04-01: publicNetworkAccess unset is Enabled"),
    value_rule(id="ai-services-local-auth-disabled", title="AI services accept Entra ID only, no keys",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"),
               applies_to=("azure-native:cognitiveservices:Account",), path="properties.disableLocalAuth", want=True,
               default=False, fix="set properties.disableLocalAuth=True",
               defaults_source='cognitiveservices Account, API 2025-06-01: keys are accepted unless disableLocalAuth is true'),
    value_rule(id="ai-services-public-network-access-disabled", title="AI services are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:cognitiveservices:Account",), path="properties.publicNetworkAccess",
               allowed=("Disabled",), default="Enabled", fix="set properties.publicNetworkAccess='Disabled'",
               remediation="Set properties.publicNetworkAccess='Disabled' and use a private endpoint.",
               defaults_source='cognitiveservices Account, API 2025-06-01: publicNetworkAccess unset is Enabled'),
)
