"""Data platform value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="data-factory-public-network-access-disabled", title="Data factories are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:datafactory:Factory",), path="publicNetworkAccess", allowed=("Disabled",),
               default="Enabled", fix="set publicNetworkAccess='Disabled'",
               defaults_source="datafactory Factory, API 2018-06-01: publicNetworkAccess unset is Enabled"),
    value_rule(id="synapse-public-network-access-disabled", title="Synapse workspaces are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:synapse:Workspace",), path="publicNetworkAccess", allowed=("Disabled",),
               default="Enabled", fix="set publicNetworkAccess='Disabled'",
               defaults_source="synapse Workspace, API 2021-06-01: publicNetworkAccess unset is Enabled"),
    value_rule(id="databricks-public-network-access-disabled", title="Databricks workspaces are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:databricks:Workspace",), path="publicNetworkAccess", allowed=("Disabled",),
               default="Enabled", fix="set publicNetworkAccess='Disabled' (with requiredNsgRules='NoAzureDatabricksRules')",
               defaults_source="databricks Workspace, API 2024-05-01: publicNetworkAccess unset is Enabled"),
    value_rule(id="databricks-no-public-ip", title="Databricks clusters have no public IPs (secure cluster connectivity)",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:databricks:Workspace",), path="parameters.enableNoPublicIp.value",
               want=True, default=True, fix="set parameters.enableNoPublicIp.value=True",
               defaults_source="databricks Workspace, API 2024-05-01: enableNoPublicIp defaults to true"),
    value_rule(id="redis-enterprise-min-tls12", title="Redis Enterprise clusters require TLS 1.2",
               severity=Severity.MEDIUM, controls=("BIO 10.1.1", "BIO 14.1.2"),
               applies_to=("azure-native:redisenterprise:RedisEnterprise",), path="minimumTlsVersion", min_tls=True,
               default="1.2", fix="set minimumTlsVersion='1.2'",
               defaults_source="redisenterprise RedisEnterprise, API 2024-10-01: minimumTlsVersion unset is 1.2"),
    value_rule(id="synapse-managed-virtual-network", title="Synapse workspaces run in a managed virtual network",
               severity=Severity.MEDIUM, controls=("BIO 13.1.3", "BIO 13.2.1"),
               applies_to=("azure-native:synapse:Workspace",), path="managedVirtualNetwork", allowed=("default",),
               default="", fix="set managedVirtualNetwork='default' (only possible when the workspace is created)",
               defaults_source="synapse Workspace, API 2021-06-01: managedVirtualNetwork unset is none"),
    value_rule(id="apim-internal-virtual-network", title="API Management runs inside a virtual network (internal)",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:apimanagement:ApiManagementService",), path="virtualNetworkType",
               allowed=("Internal",), default="None",
               fix="set virtualNetworkType='Internal' with virtualNetworkConfiguration, and publish through the hub",
               defaults_source="apimanagement ApiManagementService, API 2022-08-01: virtualNetworkType unset is None "
                               "(public gateway)"),
)
