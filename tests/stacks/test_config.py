"""The typed stack config: every stack file validates, and each kind of bad input stops with one clear message."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ConfigError, SecretValue

P = config.PROJECT


def dev_raw() -> dict:
    return copy.deepcopy(config.read_stack_file(config.stack_file("dev")))


def parse(raw: dict):
    return config.parse(raw, "stacks/Pulumi.dev.yaml", "dev")


@pytest.mark.parametrize("stack", config.ENVIRONMENTS)
def test_every_stack_file_validates(stack):
    loaded = config.load(stack)
    assert loaded.environment == stack
    assert loaded.azure_tags["environment"] == stack


def test_prod_differs_from_dev_only_through_config():
    dev, prod = config.load("dev"), config.load("prod")
    assert (dev.features.zone_redundancy, dev.features.resource_locks, dev.features.protect_stateful) == (
        False, False, False)
    assert (prod.features.zone_redundancy, prod.features.resource_locks, prod.features.protect_stateful) == (
        True, True, True)
    assert prod.log_retention_days == 365 > dev.log_retention_days


def test_unknown_region_names_the_key_and_an_example():
    raw = dev_raw()
    raw[f"{P}:location"] = "westeuropa"
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == f"{P}:location"
    assert "unknown Azure region 'westeuropa'" in str(error.value)
    assert str(error.value).startswith("stacks/Pulumi.dev.yaml: ")


def test_region_display_name_is_normalised():
    raw = dev_raw()
    raw[f"{P}:location"] = "West Europe"
    raw["azure-native:location"] = "West Europe"
    assert parse(raw).location == "westeurope"


def test_provider_subscription_other_than_the_stacks_own_is_rejected():
    raw = dev_raw()
    raw["azure-native:subscriptionId"] = "00000004-0000-4000-8000-000000000004"  # prod's, in the dev stack file
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == "azure-native:subscriptionId"
    assert f"differs from {P}:subscriptionId" in error.value.problem


def test_every_platform_stack_file_pins_its_provider_to_its_own_subscription():
    # the pack places a new public IP in the hub by its provider's subscription (policies/rules/network/connectivity.py)
    for environment in config.ENVIRONMENTS:
        raw = config.read_stack_file(config.stack_file(environment))
        assert raw["azure-native:subscriptionId"] == raw[f"{P}:subscriptionId"], environment


def test_malformed_cidr_is_rejected():
    raw = dev_raw()
    raw[f"{P}:network"]["hub"] = "10.10.0.0/33"
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == f"{P}:network.hub"
    assert "malformed CIDR" in error.value.problem


def test_cidr_with_host_bits_is_rejected():
    raw = dev_raw()
    raw[f"{P}:network"]["hub"] = "10.10.0.1/22"
    with pytest.raises(ConfigError, match="malformed CIDR"):
        parse(raw)


def test_overlapping_spoke_names_both_ranges():
    raw = dev_raw()
    raw[f"{P}:network"]["spokes"]["workplace"] = "10.10.16.0/21"
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == f"{P}:network.spokes.workplace"
    assert "overlaps" in error.value.problem and "10.10.16.0/20" in error.value.problem


def test_range_outside_the_environment_block_is_rejected():
    raw = dev_raw()
    raw[f"{P}:network"]["spokes"]["apps"] = "10.99.0.0/20"
    with pytest.raises(ConfigError, match="outside the environment's block 10.10.0.0/16"):
        parse(raw)


def test_public_range_is_rejected():
    raw = dev_raw()
    raw[f"{P}:network"]["addressSpace"] = "8.8.0.0/16"
    with pytest.raises(ConfigError, match="not a private range"):
        parse(raw)


def test_missing_required_tag_is_named():
    raw = dev_raw()
    del raw[f"{P}:tags"]["cost-center"]
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == f"{P}:tags.cost-center"
    assert error.value.problem == "required key is missing"


def test_wrong_type_says_what_was_expected():
    raw = dev_raw()
    raw[f"{P}:logRetentionDays"] = "thirty"
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert "expected a whole number from 30 to 730, got str 'thirty'" in error.value.problem


def test_boolean_feature_rejects_a_string_that_is_not_true_or_false():
    raw = dev_raw()
    raw[f"{P}:features"]["zoneRedundancy"] = "yes"
    with pytest.raises(ConfigError, match="expected true or false"):
        parse(raw)


def test_unknown_top_level_key_is_a_typo_not_ignored():
    raw = dev_raw()
    raw[f"{P}:logRetentionDay"] = 30
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == f"{P}:logRetentionDay"
    assert "unknown key" in error.value.problem and f"{P}:logRetentionDays" in error.value.problem


def test_unknown_key_inside_a_section_is_rejected():
    raw = dev_raw()
    raw[f"{P}:features"]["zoneRedundant"] = True
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert error.value.key == f"{P}:features.zoneRedundant"


def test_unknown_namespace_is_rejected():
    raw = dev_raw()
    raw["azure-nativ:location"] = "westeurope"
    with pytest.raises(ConfigError, match="unknown key"):
        parse(raw)


def test_plain_value_where_a_secret_belongs_is_rejected():
    raw = dev_raw()
    raw[f"{P}:alertWebhookUrl"] = "https://example.invalid/hook"
    with pytest.raises(ConfigError, match="pulumi config set --secret"):
        parse(raw)


def test_secret_value_is_accepted_and_never_printed():
    raw = dev_raw()
    raw[f"{P}:alertWebhookUrl"] = SecretValue(value="https://hooks.example/abc123")
    loaded = parse(raw)
    assert loaded.alert_webhook_url.value == "https://hooks.example/abc123"
    assert "abc123" not in repr(loaded)


def test_environment_must_match_the_stack_name():
    raw = dev_raw()
    raw[f"{P}:environment"] = "prod"
    with pytest.raises(ConfigError, match="but the stack is 'dev'"):
        parse(raw)


def test_values_as_the_cli_passes_them_are_accepted():
    raw = dev_raw()
    import json
    cli_form = {key: json.dumps(value) if isinstance(value, (dict, list)) else str(value)
                for key, value in raw.items()}
    assert parse(cli_form) == parse(raw)


def test_invalid_yaml_names_the_file(tmp_path: Path):
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text("config:\n  a: [unclosed\n")
    with pytest.raises(UserError, match=r"Pulumi.dev.yaml: is not valid YAML \(line 3: "):
        config.read_stack_file(path)


def test_secure_values_are_read_as_secrets(tmp_path: Path):
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_text(f"config:\n  {P}:alertWebhookUrl:\n    secure: AAABAcipher\n")
    assert config.read_stack_file(path)[f"{P}:alertWebhookUrl"] == SecretValue(value="AAABAcipher")


def test_missing_stack_file_lists_the_stacks_there(tmp_path: Path):
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    with pytest.raises(UserError, match="no such stack file; expected one of Pulumi.dev.yaml"):
        config.read_stack_file(tmp_path / "Pulumi.prd.yaml")


def test_given_config_marks_secrets_the_cli_names_in_its_environment_and_those_set_in_process(monkeypatch):
    """The real CLI hands config and secret keys through the environment; the offline plan through `set_all_config`."""
    import json

    import pulumi

    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"p:fromCli": "a", "p:plainCli": "b"}))
    monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", json.dumps(["p:fromCli"]))
    pulumi.runtime.set_all_config({"p:inProcess": "c", "p:plain": "d"}, ["p:inProcess"])
    try:
        _, given = config.given_config()
    finally:
        pulumi.runtime.set_all_config({}, [])
    assert given["p:fromCli"] == SecretValue(value="a") and given["p:inProcess"] == SecretValue(value="c")
    assert given["p:plainCli"] == "b" and given["p:plain"] == "d"


def test_a_budget_start_date_the_budgets_api_refuses_names_the_key():
    raw = dev_raw()
    raw[f"{P}:budgetStartDate"] = "2020-01-01T00:00:00Z"
    with pytest.raises(ConfigError, match=rf"{P}:budgetStartDate.*is before the current month"):
        parse(raw)


def test_the_deployer_principal_type_is_one_azure_knows_or_unset():
    raw = dev_raw()
    assert parse(raw).deployer_principal_type is None
    raw[f"{P}:deployerPrincipalType"] = "User"
    assert parse(raw).deployer_principal_type == "User"
    raw[f"{P}:deployerPrincipalType"] = "Person"
    with pytest.raises(ConfigError, match=rf"{P}:deployerPrincipalType"):
        parse(raw)
