"""Which Azure resource types hold data, and what their deletion or replacement loses: one table for the plan diff
and deploy gate (data loss comes first), and the data stores the policy pack wants locked and protected in prod.

Types match unversioned (`azure-native:storage:StorageAccount`, not `azure-native:storage/v20230101:...`).
"""

from __future__ import annotations

STATEFUL_TYPES: dict[str, str] = {
    "azure-native:resources:ResourceGroup": "Azure deletes every resource inside it, also those Pulumi does not "
                                            "manage",
    "azure-native:storage:StorageAccount": "blobs, files, queues and tables",
    "azure-native:storage:BlobContainer": "blobs",
    "azure-native:storage:FileShare": "files",
    "azure-native:storage:Queue": "queued messages",
    "azure-native:storage:Table": "table entities",
    "azure-native:keyvault:Vault": "keys, secrets and certificates",
    "azure-native:keyvault:Key": "key material (data encrypted with it becomes unreadable)",
    "azure-native:keyvault:Secret": "the secret value and its versions",
    "azure-native:compute:Disk": "the disk's contents",
    "azure-native:compute:Snapshot": "the snapshot's contents",
    "azure-native:sql:Server": "every database on the server",
    "azure-native:sql:Database": "the database",
    "azure-native:sql:ManagedInstance": "every database on the instance",
    "azure-native:dbforpostgresql:Server": "every database on the server",
    "azure-native:dbforpostgresql:Database": "the database",
    "azure-native:dbformysql:Server": "every database on the server",
    "azure-native:dbformysql:Database": "the database",
    "azure-native:cosmosdb:DatabaseAccount": "every database and container in the account",
    "azure-native:cosmosdb:SqlResourceSqlDatabase": "the database",
    "azure-native:cosmosdb:SqlResourceSqlContainer": "the container's items",
    "azure-native:cosmosdb:MongoDBResourceMongoDBDatabase": "the database",
    "azure-native:redis:Redis": "cached and persisted data",
    "azure-native:containerregistry:Registry": "container images",
    "azure-native:operationalinsights:Workspace": "collected logs (audit evidence under the BIO)",
    "azure-native:recoveryservices:Vault": "backups",
    "azure-native:dataprotection:BackupVault": "backups",
}
"""Every type whose deletion or replacement loses data, with what is lost: databases, storage, key vaults and their
keys and secrets, disks, backup vaults, log workspaces (audit evidence) and resource groups (Azure deletes
everything inside one, managed by Pulumi or not)."""

DATA_STORE_TYPES = (
    "azure-native:storage:StorageAccount",
    "azure-native:keyvault:Vault",
    "azure-native:sql:Server",
    "azure-native:sql:Database",
    "azure-native:dbforpostgresql:Server",
    "azure-native:dbformysql:Server",
    "azure-native:cosmosdb:DatabaseAccount",
)
"""The stateful types a prod stack must lock and `protect` (policy rules lock-in-prod and protect-in-prod): the
databases, storage and key vaults a `pulumi destroy` must never take; each is in `STATEFUL_TYPES`."""
