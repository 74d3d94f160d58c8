"""Azure's naming rules table and azure-native's auto-naming, as `core/naming.py` states them."""

from __future__ import annotations

import re

import pytest

from amsterdam_cloud.core import naming
from amsterdam_cloud.scripts.offline.arm_types import ARM_ID_TEMPLATES, RG


def test_every_type_the_offline_plan_knows_has_a_naming_rule_with_its_source():
    assert set(naming.RULES) == set(ARM_ID_TEMPLATES)
    assert all(rule.source.startswith(("https://", "azure-native")) for rule in naming.RULES.values())


@pytest.mark.parametrize(("name", "wrong"), [
    ("kv-ams-plat-dev", None), ("kv", "has 2 characters"), ("kv-ams-platform-shared-dev", "has 26 characters"),
    ("kv_ams", "contains '_'"), ("1kv-ams", "starts with '1'"), ("kv-ams-", "ends with '-'"),
    ("kv--ams", "contains '--'")])
def test_a_vault_name_is_judged_like_azure_does(name, wrong):
    assert naming.KEY_VAULT.problem(name) == wrong


def test_a_windows_computer_name_holds_15_characters_and_is_not_only_digits():
    assert naming.WINDOWS_COMPUTER_NAME.problem("avd-prod-001") is None
    assert naming.WINDOWS_COMPUTER_NAME.problem("avd-workplace-001") == "has 17 characters"
    assert naming.WINDOWS_COMPUTER_NAME.problem("12345") == "is only digits"


def test_the_rule_reads_as_one_clause_with_length_characters_edges_and_scope():
    assert naming.KEY_VAULT.describe() == ("3-24 chars, alphanumerics and hyphens, start with a letter, end with a "
                                           "letter or digit, no '--'; unique globally")


# azure-native provider/pkg/resources/resources.go `(*AutoNamer).AutoName`: the strategy follows the API path.
@pytest.mark.parametrize(("token", "kind"), [
    ("azure-native:resources:ResourceGroup", naming.RANDOM),  # no `Microsoft.` in the path
    ("azure-native:keyvault:Vault", naming.RANDOM),  # one `{` after the last `Microsoft.`
    ("azure-native:authorization:ManagementLockByScope", naming.RANDOM),  # `{scope}` comes before `Microsoft.`
    ("azure-native:authorization:RoleAssignment", naming.UUID),  # roleAssignmentName
    ("azure-native:network:Subnet", naming.COPY),  # a child resource
    ("azure-native:cdn:AFDEndpoint", naming.RANDOM),  # endpointName: a global host name
    ("azure-native:web:WebAppFtpAllowed", None),  # the path ends in a fixed segment: nothing to auto-name
])
def test_the_auto_naming_strategy_is_azure_natives_for_the_api_path(token, kind):
    path = ARM_ID_TEMPLATES[token].replace("{rg}", RG)
    assert naming.auto_name_kind(path, re.findall(r"\{(\w+)\}", path)[-1]) == kind


def test_a_random_auto_name_is_the_logical_name_untouched_plus_eight_hex_characters():
    # provider/pkg/provider/provider.go `getDefaultName`: resource.NewUniqueName(randomSeed, name, 8, 0, nil): no
    # maximum length, no lower-casing, nothing stripped (azure-native's own test expects "test614742c2" for "test").
    name = naming.auto_name(naming.RANDOM, "Platform_KV-vault", "urn:a")
    assert re.fullmatch(r"Platform_KV-vault[0-9a-f]{8}", name)
    assert naming.auto_name(naming.RANDOM, "Platform_KV-vault", "urn:a") == name  # the same URN, the same name
    assert naming.auto_name(naming.COPY, "default", "urn:a") == "default"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                        naming.auto_name(naming.UUID, "x", "urn:a"))
