"""SQL and Cosmos DB value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="cosmosdb-no-key-based-metadata-writes", title="Cosmos DB metadata changes need Entra ID, not keys",
               severity=Severity.MEDIUM, controls=("BIO 9.4.2", "BIO 12.1.2"),
               applies_to=("azure-native:cosmosdb:DatabaseAccount",), path="disableKeyBasedMetadataWriteAccess",
               want=True, default=False, fix="set disableKeyBasedMetadataWriteAccess=True",
               defaults_source="cosmosdb DatabaseAccount, API 2024-11-15: disableKeyBasedMetadataWriteAccess unset "
                               "is false"),
    value_rule(id="sql-auditing-enabled", title="Azure SQL servers audit", severity=Severity.HIGH,
               controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 4.1.1"),
               applies_to=("azure-native:sql:ServerBlobAuditingPolicy",), path="state", allowed=("Enabled",),
               default=UNSET, fix="set state='Enabled' (to the city's Log Analytics workspace)",
               defaults_source="sql ServerBlobAuditingPolicy, API 2023-08-01: state is required"),
    value_rule(id="sql-tde-enabled", title="Azure SQL databases encrypt at rest (TDE)", severity=Severity.HIGH,
               controls=("BIO 10.1.1", "CIS 4.1.5"), applies_to=("azure-native:sql:TransparentDataEncryption",),
               path="state", allowed=("Enabled",), default=UNSET, fix="set state='Enabled'",
               defaults_source="sql TransparentDataEncryption, API 2023-08-01: state is required"),
    value_rule(id="sql-threat-detection-enabled", title="Azure SQL servers detect threats", severity=Severity.MEDIUM,
               controls=("BIO 12.2.1", "BIO 12.6.1"), applies_to=("azure-native:sql:ServerSecurityAlertPolicy",),
               path="state", allowed=("Enabled",), default=UNSET, fix="set state='Enabled'",
               defaults_source="sql ServerSecurityAlertPolicy, API 2023-08-01: state is required"),
)
