"""The config keys the landing zone added: spoke subnets, the address plan's exhaustion checks, budget
thresholds and the firewall tier; each bad value stops with a ConfigError naming file, key and expected form."""

from __future__ import annotations

import copy

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ConfigError

P = config.PROJECT
NET = f"{P}:network"


def dev_raw() -> dict:
    return copy.deepcopy(config.read_stack_file(config.stack_file("dev")))


def parse(raw: dict):
    return config.parse(raw, "stacks/Pulumi.dev.yaml", "dev")


def error_of(raw: dict) -> ConfigError:
    with pytest.raises(ConfigError) as error:
        parse(raw)
    assert str(error.value).startswith("stacks/Pulumi.dev.yaml: ")
    return error.value


def test_declared_subnets_are_placed_in_the_plan():
    loaded = parse(dev_raw())
    apps = loaded.network.plan.spokes["apps"]
    assert [s.name for s in apps.subnets] == ["containers", "appservice", "vms", "endpoints"]
    assert apps.subnet("containers").delegation == "Microsoft.App/environments"
    assert loaded.network.spokes["apps"] == apps.cidr


def test_spoke_given_as_a_range_alone_gets_the_default_subnets():
    raw = dev_raw()
    raw[NET]["spokes"]["analytics"] = "10.10.48.0/21"
    assert [s.name for s in parse(raw).network.plan.spokes["analytics"].subnets] == ["workload", "endpoints"]


def test_unknown_key_in_a_spoke_is_named():
    raw = dev_raw()
    raw[NET]["spokes"]["apps"]["subnet"] = {"web": 24}
    error = error_of(raw)
    assert error.key == f"{NET}.spokes.apps.subnet" and "unknown key" in error.problem


def test_subnet_size_of_the_wrong_type_says_the_expected_form():
    raw = dev_raw()
    raw[NET]["spokes"]["workplace"]["subnets"]["hosts"] = "big"
    error = error_of(raw)
    assert error.key == f"{NET}.spokes.workplace.subnets.hosts"
    assert "expected a whole number from 8 to 29" in error.problem


def test_unknown_delegation_lists_the_known_ones():
    raw = dev_raw()
    raw[NET]["spokes"]["apps"]["subnets"]["containers"]["delegation"] = "Microsoft.Foo/bars"
    error = error_of(raw)
    assert error.key == f"{NET}.spokes.apps.subnets.containers.delegation"
    assert "Microsoft.App/environments" in error.problem


def test_spoke_whose_subnets_do_not_fit_is_exhausted():
    raw = dev_raw()
    raw[NET]["spokes"]["analytics"]["subnets"] = {"compute": 21, "endpoints": 26}
    error = error_of(raw)
    assert error.key == f"{NET}.spokes.analytics.subnets"
    assert error.problem.startswith("exhausted") and "10.10.48.0/21" in error.problem


def test_hub_too_small_for_firewall_bastion_and_gateway_is_exhausted():
    raw = dev_raw()
    raw[NET]["hub"] = "10.10.0.0/25"
    error = error_of(raw)
    assert error.key == f"{NET}.hub" and error.problem.startswith("exhausted")


def test_block_too_small_for_hub_and_spokes_is_exhausted():
    raw = dev_raw()
    raw[NET]["addressSpace"] = "10.10.0.0/19"
    error = error_of(raw)
    assert error.key == f"{NET}.addressSpace" and error.problem.startswith("exhausted")


def test_budget_thresholds_must_ascend():
    raw = dev_raw()
    raw[f"{P}:budgetAlertThresholds"] = [100, 80]
    error = error_of(raw)
    assert error.key == f"{P}:budgetAlertThresholds" and "strictly ascending" in error.problem


def test_budget_threshold_that_is_not_a_number_is_named_by_index():
    raw = dev_raw()
    raw[f"{P}:budgetAlertThresholds"] = [80, "lots"]
    assert error_of(raw).key == f"{P}:budgetAlertThresholds[1]"


def test_firewall_premium_must_be_a_boolean():
    raw = dev_raw()
    raw[f"{P}:features"]["firewallPremium"] = "yes"
    error = error_of(raw)
    assert error.key == f"{P}:features.firewallPremium" and "expected true or false" in error.problem


def test_new_keys_survive_the_cli_string_form():
    import json
    raw = dev_raw()
    cli_form = {key: json.dumps(value) if isinstance(value, (dict, list)) else str(value)
                for key, value in raw.items()}
    assert parse(cli_form) == parse(raw)
