"""Storage value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

ACCOUNT = ("azure-native:storage:StorageAccount",)
BLOB_SERVICE = ("azure-native:storage:BlobServiceProperties",)

RULES = (
    value_rule(id="storage-infrastructure-encryption", title="Storage accounts encrypt twice (infrastructure encryption)",
               severity=Severity.MEDIUM, controls=("BIO 10.1.1", "BIO 10.1.2", "CIS 3.2"), applies_to=ACCOUNT,
               path="encryption.requireInfrastructureEncryption", want=True, default=False,
               fix="set encryption.requireInfrastructureEncryption=True (only possible when the account is created)",
               defaults_source="storage Encryption, API 2024-01-01: requireInfrastructureEncryption unset is off "
                               "(azure-mgmt-storage Encryption docs; Azure Policy 4733ea7b audits notEquals true)"),
    value_rule(id="storage-network-default-deny", title="Storage account firewalls deny by default",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3", "CIS 3.8"), applies_to=ACCOUNT,
               path="networkRuleSet.defaultAction", allowed=("Deny",), default="Allow",
               fix="set networkRuleSet.defaultAction='Deny' and allow only private endpoints or named subnets",
               defaults_source="storage NetworkRuleSet, API 2024-01-01: without networkAcls the default action is Allow"),
    value_rule(id="storage-local-users-disabled", title="Storage accounts have no local (SFTP) users",
               severity=Severity.MEDIUM, controls=("BIO 9.2.3", "BIO 9.4.2"), applies_to=ACCOUNT,
               path="isLocalUserEnabled", want=False, default=UNSET, fix="set isLocalUserEnabled=False",
               defaults_source="storage StorageAccount, API 2024-01-01: isLocalUserEnabled documents no default "
                               "('Enables local users feature, if set to true'), so unset is a violation"),
    value_rule(id="storage-sftp-disabled", title="Storage accounts do not serve SFTP",
               severity=Severity.MEDIUM, controls=("BIO 9.4.2", "BIO 13.1.3"), applies_to=ACCOUNT,
               path="isSftpEnabled", want=False, default=False, fix="set isSftpEnabled=False",
               defaults_source="storage StorageAccount, API 2024-01-01: SFTP is off unless isSftpEnabled is true"),
    value_rule(id="storage-container-soft-delete", title="Blob services keep deleted containers (soft delete)",
               severity=Severity.LOW, controls=("BIO 10.1.2", "CIS 3.11"), applies_to=BLOB_SERVICE,
               path="containerDeleteRetentionPolicy.enabled", want=True, default=False,
               fix="set containerDeleteRetentionPolicy=DeleteRetentionPolicyArgs(enabled=True, days=>=7)",
               defaults_source="storage BlobServiceProperties, API 2024-01-01: container soft delete is off unless "
                               "containerDeleteRetentionPolicy.enabled is true"),
    value_rule(id="storage-container-not-public", title="Blob containers allow no anonymous access",
               severity=Severity.HIGH, controls=("BIO 9.4.1", "BIO 13.1.1"),
               applies_to=("azure-native:storage:BlobContainer",), path="publicAccess", allowed=("None",),
               default="None", fix="set publicAccess='None'",
               defaults_source="storage BlobContainer, API 2024-01-01: publicAccess unset is None (private)"),
    value_rule(id="storage-min-tls12", title="Storage accounts require TLS 1.2", severity=Severity.HIGH,
               controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 3.15"), applies_to=("azure-native:storage:StorageAccount",),
               path="minimumTlsVersion", min_tls=True, default="TLS1_0", fix="set minimumTlsVersion='TLS1_2'",
               defaults_source="storage StorageAccount, API 2024-01-01: 'The default interpretation is TLS 1.0 for this property.'"),
    value_rule(id="storage-no-public-blob-access", title="Storage accounts allow no anonymous blob access",
               severity=Severity.CRITICAL, controls=("BIO 9.4.1", "BIO 13.1.1", "CIS 3.17"),
               applies_to=("azure-native:storage:StorageAccount",), path="allowBlobPublicAccess", want=False,
               default=False, fix="set allowBlobPublicAccess=False",
               defaults_source="storage StorageAccount, API 2024-01-01: 'The default interpretation is false for this property.'"),
    value_rule(id="storage-public-network-access-disabled", title="Storage accounts are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3", "CIS 3.7"),
               applies_to=("azure-native:storage:StorageAccount",), path="publicNetworkAccess", allowed=("Disabled",),
               default="Enabled", fix="set publicNetworkAccess='Disabled' and use a private endpoint",
               remediation="Set publicNetworkAccess='Disabled' and reach the account through a private endpoint.",
               defaults_source='storage StorageAccount, API 2024-01-01: publicNetworkAccess unset is treated as Enabled'),
    value_rule(id="storage-secure-transfer", title="Storage accounts accept HTTPS only", severity=Severity.HIGH,
               controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 3.1"), applies_to=("azure-native:storage:StorageAccount",),
               path="enableHttpsTrafficOnly", want=True, default=True, fix="set enableHttpsTrafficOnly=True",
               remediation='Set enableHttpsTrafficOnly=True (the default since API 2019-04-01).',
               defaults_source="storage StorageAccount, API 2024-01-01: 'The default value is true since API version 2019-04-01.'"),
    value_rule(id="storage-shared-key-disabled", title="Storage accounts accept Entra ID only, no shared keys",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"),
               applies_to=("azure-native:storage:StorageAccount",), path="allowSharedKeyAccess", want=False,
               default=True, fix="set allowSharedKeyAccess=False and use Entra ID (managed identities)",
               remediation='Set allowSharedKeyAccess=False and grant data roles to managed identities.',
               defaults_source="storage StorageAccount, API 2024-01-01: 'The default value is null, which is equivalent to true.'"),
)
