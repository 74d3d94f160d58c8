"""Which services of a storage account log reads, writes and deletes, and where (CIS Microsoft Azure Foundations
v2.1.0: 3.13 blob, 3.5 queue, 3.14 table): one fact read by the components that create the accounts' diagnostic
settings and the rule that requires them."""

from __future__ import annotations

LOGGED_SERVICES: dict[str, str] = {"blob": "CIS 3.13", "queue": "CIS 3.5", "table": "CIS 3.14"}
"""Each service whose resource logs (StorageRead, StorageWrite, StorageDelete) must reach a workspace, and the
recommendation that asks it."""

_SERVICES_OF_KIND: dict[str, tuple[str, ...]] = {
    "storagev2": ("blob", "queue", "table"), "storage": ("blob", "queue", "table"),
    "blobstorage": ("blob",), "blockblobstorage": ("blob",), "filestorage": (),
}
"""The logged services each account kind has (Azure's "Types of storage accounts": FileStorage serves files only,
the blob kinds blobs only)."""


def logged_services(kind: str) -> tuple[str, ...] | None:
    """The services of LOGGED_SERVICES an account of `kind` has; None for a kind Azure does not document."""
    return _SERVICES_OF_KIND.get(kind.lower())


def service_scope(account_id: str, service: str) -> str:
    """The ARM id of an account's service (`{account}/queueServices/default`): the scope of its diagnostic setting."""
    return f"{account_id}/{service}Services/default"
