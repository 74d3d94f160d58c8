"""The offline Azure Policy evaluator: each operator as Azure documents it, on the ARM shape of a resource."""

from __future__ import annotations

import pytest

from amsterdam_cloud.scripts.offline.azure_policy import PolicyLanguageError, arm_shape, arm_type, evaluate

ACCOUNT = {"type": "Microsoft.Storage/storageAccounts", "name": "st1", "location": "westeurope",
           "tags": {"owner": "a@amsterdam.nl"}, "properties": {"publicNetworkAccess": "Disabled",
                                                                "networkAcls": {"defaultAction": "Deny"}}}


def matches(condition: dict, resource: dict = ACCOUNT, **parameters) -> bool:
    return evaluate({"if": condition, "then": {"effect": "deny"}}, resource, parameters)


def test_string_comparisons_ignore_case():
    assert matches({"field": "Microsoft.Storage/storageAccounts/publicNetworkAccess", "equals": "disabled"})
    assert matches({"field": "location", "in": ["WestEurope"]})


def test_a_missing_field_is_never_equal_so_not_equals_and_not_in_hold():
    alias = "Microsoft.Storage/storageAccounts/minimumTlsVersion"
    assert not matches({"field": alias, "equals": "TLS1_2"})
    assert matches({"field": alias, "notEquals": "TLS1_2"})
    assert matches({"field": alias, "notIn": ["TLS1_2"]})
    assert matches({"field": alias, "exists": False})


def test_an_alias_of_another_type_does_not_exist_on_the_resource():
    assert matches({"field": "Microsoft.KeyVault/vaults/publicNetworkAccess", "exists": "false"})


def test_nested_alias_paths_and_tags_resolve():
    assert matches({"field": "Microsoft.Storage/storageAccounts/networkAcls.defaultAction", "equals": "Deny"})
    assert matches({"field": "tags['owner']", "like": "*@amsterdam.nl"})
    assert not matches({"field": "tags.cost-center", "exists": True})


def test_logical_operators_combine():
    yes, no = {"field": "name", "equals": "st1"}, {"field": "name", "equals": "other"}
    assert matches({"allOf": [yes, {"not": no}]})
    assert not matches({"allOf": [yes, no]})
    assert matches({"anyOf": [no, yes]})


def test_contains_on_text_and_value_conditions():
    assert matches({"field": "name", "contains": "T1"})
    assert matches({"value": "[parameters('mode')]", "equals": "on"}, mode="ON")


def test_count_with_where_counts_the_array_members_that_match():
    endpoint = {"type": "Microsoft.Network/privateEndpoints", "properties": {"privateLinkServiceConnections": [
        {"groupIds": ["blob"]}, {"groupIds": ["vault", "blob"]}]}}
    path = "Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*].groupIds[*]"
    count = {"count": {"field": path, "where": {"field": path, "equals": "blob"}}}
    assert matches({**count, "equals": 2}, endpoint)
    assert matches({"count": {"field": path}, "greaterOrEquals": 3}, endpoint)
    assert not matches({**count, "less": 2}, endpoint)


def test_a_condition_on_an_array_alias_holds_only_when_every_member_matches():
    endpoint = {"type": "Microsoft.Network/privateEndpoints", "properties": {"privateLinkServiceConnections": [
        {"groupIds": ["blob"]}, {"groupIds": ["vault"]}]}}
    path = "Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*].groupIds[*]"
    assert not matches({"field": path, "equals": "blob"}, endpoint)
    assert matches({"field": path, "in": ["blob", "vault"]}, endpoint)


def test_parameters_resolve_and_a_missing_one_is_an_error():
    assert matches({"field": "location", "in": "[parameters('allowed')]"}, allowed=["westeurope"])
    with pytest.raises(PolicyLanguageError, match="allowed"):
        matches({"field": "location", "in": "[parameters('allowed')]"})


def test_unimplemented_language_is_refused_not_guessed():
    with pytest.raises(PolicyLanguageError, match="concat"):
        matches({"field": "[concat('tags[', 'owner', ']')]", "exists": True})
    with pytest.raises(PolicyLanguageError, match="operator"):
        matches({"field": "name", "matchInsensitively": "st#"})


def test_arm_shape_moves_flattened_inputs_under_properties_and_keeps_the_envelope():
    shape = arm_shape("azure-native:storage:StorageAccount", {
        "accountName": "st1", "resourceGroupName": "rg", "location": "westeurope", "tags": {"a": "b"},
        "sku": {"name": "Standard_LRS"}, "publicNetworkAccess": "Disabled"})

    assert shape == {"type": "Microsoft.Storage/storageAccounts", "name": "st1", "location": "westeurope",
                     "tags": {"a": "b"}, "sku": {"name": "Standard_LRS"},
                     "properties": {"publicNetworkAccess": "Disabled"}}


def test_arm_shape_merges_an_sdk_properties_block():
    shape = arm_shape("azure-native:keyvault:Vault", {"vaultName": "kv", "properties": {
        "publicNetworkAccess": "Disabled", "tenantId": "t"}})

    assert shape["properties"] == {"publicNetworkAccess": "Disabled", "tenantId": "t"}


def test_a_resource_group_has_the_type_azure_policy_sees():
    assert arm_type("azure-native:resources:ResourceGroup") == "Microsoft.Resources/subscriptions/resourceGroups"
