"""The one stateful-type table: what the prod rules lock and protect is a part of what the plan diff calls data loss."""

from __future__ import annotations

from amsterdam_cloud.core.stateful import DATA_STORE_TYPES, STATEFUL_TYPES


def test_every_data_store_the_prod_rules_cover_is_a_stateful_type_with_its_loss_named():
    assert set(DATA_STORE_TYPES) <= set(STATEFUL_TYPES)
    assert all(STATEFUL_TYPES[token].strip() for token in DATA_STORE_TYPES)


def test_types_are_unversioned_azure_native_tokens():
    assert all(token.startswith("azure-native:") and token.count(":") == 2 and "/" not in token
               for token in STATEFUL_TYPES)
