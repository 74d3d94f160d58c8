"""The stateful resource types the prod rules cover: databases, storage and key vaults (what a `pulumi destroy` must
never take), from the one table in `core/stateful.py`."""

from amsterdam_cloud.core.stateful import DATA_STORE_TYPES as STATEFUL_TYPES

__all__ = ["STATEFUL_TYPES"]
