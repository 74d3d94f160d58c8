"""The replace and stateful tables: every type and input they name exists in azure-native."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from amsterdam_cloud.scripts.delivery.replace_rules import (
    EXTRA_PATH_PARAMETERS, STATEFUL_TYPES, TYPE_RULES, own_name_input, path_parameters, replace_rules_for)


def _resource_class(token: str):
    package, module, name = token.split(":")
    assert package == "azure-native", token
    return getattr(importlib.import_module(f"pulumi_azure_native.{module}"), name)


def _inputs_of(token: str) -> set[str]:
    """The camelCase input names of a resource, as the engine and a stack export spell them."""
    module, name = importlib.import_module(_resource_class(token).__module__), token.split(":")[2]
    args = getattr(module, f"{name}InitArgs", None) or getattr(module, f"{name}Args")  # InitArgs: a name clash
    return {getattr(member.fget, "_pulumi_name", name) for name, member in vars(args).items()
            if isinstance(member, property)}


@pytest.mark.parametrize("token", sorted({*TYPE_RULES, *STATEFUL_TYPES, *EXTRA_PATH_PARAMETERS}))
def test_every_type_in_the_tables_is_an_azure_native_resource(token):
    assert inspect.isclass(_resource_class(token))


@pytest.mark.parametrize("token", sorted(TYPE_RULES))
def test_every_type_specific_rule_names_an_input_of_its_type(token):
    inputs = _inputs_of(token)
    for rule in TYPE_RULES[token]:
        top = re.split(r"[.\[]", rule.path)[0]
        assert top in inputs, f"{token}: {rule.path}"


@pytest.mark.parametrize("token", sorted(EXTRA_PATH_PARAMETERS))
def test_every_extra_path_parameter_is_an_input_of_its_type(token):
    inputs = _inputs_of(token)
    assert set(EXTRA_PATH_PARAMETERS[token]) <= inputs


def test_a_subnet_is_identified_by_its_group_network_and_name():
    assert path_parameters("azure-native:network:Subnet") == ("resourceGroupName", "virtualNetworkName",
                                                              "subnetName")
    assert own_name_input("azure-native:network:Subnet") == "subnetName"


def test_a_type_in_no_table_still_replaces_on_location_and_group():
    paths = [rule.path for rule in replace_rules_for("azure-native:search:Service")]

    assert paths[:2] == ["location", "resourceGroupName"]
    assert own_name_input("azure-native:search:Service") is None
