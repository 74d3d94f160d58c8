"""The stateful resource types: databases, storage and key vaults (what a `pulumi destroy` must never take)."""

STATEFUL_TYPES = (
    "azure-native:storage:StorageAccount",
    "azure-native:keyvault:Vault",
    "azure-native:sql:Server",
    "azure-native:sql:Database",
    "azure-native:dbforpostgresql:Server",
    "azure-native:dbformysql:Server",
    "azure-native:cosmosdb:DatabaseAccount",
)
