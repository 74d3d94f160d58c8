"""Keyvault value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="keyvault-public-network-access-disabled", title="Key vaults are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:keyvault:Vault",), path="properties.publicNetworkAccess",
               allowed=("Disabled",), default="Enabled",
               fix="set properties.publicNetworkAccess='Disabled' and use a private endpoint",
               defaults_source="keyvault Vault, API 2024-11-01: publicNetworkAccess defaults to 'enabled'"),
    value_rule(id="keyvault-purge-protection", title="Key vaults have purge protection", severity=Severity.HIGH,
               controls=("BIO 10.1.2", "CIS 8.5"), applies_to=("azure-native:keyvault:Vault",),
               path="properties.enablePurgeProtection", want=True, default=False,
               fix="set properties.enablePurgeProtection=True",
               remediation='Set properties.enablePurgeProtection=True (irreversible, by design).',
               defaults_source='keyvault Vault, API 2024-11-01: enablePurgeProtection unset means off'),
    value_rule(id="keyvault-rbac-authorization", title="Key vaults authorise data access with Azure RBAC",
               severity=Severity.HIGH, controls=("BIO 9.1.1", "BIO 9.2.3", "CIS 8.6"),
               applies_to=("azure-native:keyvault:Vault",), path="properties.enableRbacAuthorization", want=True,
               default=False, fix="set properties.enableRbacAuthorization=True and grant Key Vault data roles",
               remediation='Set properties.enableRbacAuthorization=True and drop access policies.',
               defaults_source='keyvault Vault, API 2024-11-01: enableRbacAuthorization unset means access policies (false)'),
    value_rule(id="keyvault-soft-delete", title="Key vaults keep soft delete on", severity=Severity.MEDIUM,
               controls=("BIO 10.1.2",), applies_to=("azure-native:keyvault:Vault",),
               path="properties.enableSoftDelete", want=True, default=True,
               fix="leave properties.enableSoftDelete unset or set it to True",
               remediation='Leave properties.enableSoftDelete unset or True.',
               defaults_source="keyvault Vault, API 2024-11-01: 'If it's not set to any value(true or false) when creating new key vault, it will be set to true by default.'"),
)
