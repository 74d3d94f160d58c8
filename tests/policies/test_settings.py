"""The pack config files: levels per environment, and every setting a rule reads, consistent across files."""

import json

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.regions import EU_REGIONS
from amsterdam_cloud.policies.rules import ALL_RULES, RULE_IDS
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.policies.settings import (PACK_DIR, PROPERTY_SCHEMAS, PackConfigError, Settings, config_path,
                                               load_pack_config, parse_pack_config)

EXPECTED_LEVEL = {"dev": "advisory", "test": "advisory", "acc": "mandatory", "prod": "mandatory"}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_environment_level_is_advisory_in_dev_and_test_and_mandatory_in_acc_and_prod(environment):
    config = load_pack_config(environment)
    assert {config.level(rule.id) for rule in ALL_RULES} == {EXPECTED_LEVEL[environment]}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_setting_a_rule_reads_is_configured_for_its_environment(environment):
    config = load_pack_config(environment)
    for rule in ALL_RULES:
        props = config.properties.get(rule.id, {})
        assert set(rule.settings) <= set(props), rule.id
        if "environment" in rule.settings:
            assert props["environment"] == environment, rule.id


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_allowed_regions_default_to_the_eu_regions_in_every_file(environment):
    config = load_pack_config(environment)
    regions = {frozenset(p["allowedRegions"]) for p in config.properties.values() if "allowedRegions" in p}
    assert regions == {frozenset(EU_REGIONS)}


def test_waived_findings_are_listed_at_advisory_level_even_in_prod():
    assert load_pack_config("prod").level("waivers-in-force") == "advisory"


def test_every_rule_setting_has_a_json_schema_with_a_default():
    for rule in ALL_RULES:
        for setting in rule.settings:
            assert "default" in PROPERTY_SCHEMAS[setting]


@pytest.mark.parametrize("document,problem", [
    ({"all": "strict"}, "enforcement level"),
    ({"no-such-rule": "advisory"}, "no such policy"),
    ({"all": {"enforcementLevel": "mandatory", "environment": "prod"}}, "only the enforcement level"),
    ({"storage-min-tls12": {"colour": "red"}}, "unknown setting"),
    ({"residency-allowed-location": {"allowedRegions": ["atlantis"]}}, "unknown Azure region"),
    ({"residency-allowed-location": {"allowedRegions": ["westeurope", "eastus"]}}, "eastus outside the EU"),
    ({"residency-allowed-location": {"allowedRegions": ["UK South"]}}, "uksouth outside the EU"),
    ({"residency-allowed-location": {"environment": "staging"}}, "environment"),
    ({"monitoring-log-retention": {"minLogRetentionDays": "a year"}}, "whole number"),
    ([], "JSON object"),
])
def test_malformed_pack_config_is_an_error_naming_the_key(document, problem):
    with pytest.raises(PackConfigError, match=problem):
        parse_pack_config(document, "config/prod.json", RULE_IDS)


def test_config_files_are_valid_json_objects():
    for environment in ENVIRONMENTS:
        assert isinstance(json.loads(config_path(environment).read_text()), dict)


def test_a_whole_float_is_a_whole_number_of_days_as_the_cli_sends_it():
    from amsterdam_cloud.policies.settings import Settings
    assert Settings.from_properties({"minLogRetentionDays": 365.0}).min_log_retention_days == 365


@pytest.mark.parametrize("days", [365.5, -1.0, True, "365"])
def test_a_fractional_negative_or_non_number_retention_is_refused_naming_the_key(days):
    from amsterdam_cloud.policies.settings import Settings
    with pytest.raises(PackConfigError, match="minLogRetentionDays: must be a whole number of days"):
        Settings.from_properties({"minLogRetentionDays": days}, "dev.json", "monitoring-log-retention")


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pack_config_files_hold_retention_as_a_plain_json_number(environment):
    document = json.loads(config_path(environment).read_text())
    assert type(document["monitoring-log-retention"]["minLogRetentionDays"]) is int


@pytest.mark.parametrize("environment", ["acc", "prod"])
@pytest.mark.parametrize("document,key", [
    ({"all": "advisory"}, "all"),
    ({"all": "disabled"}, "all"),
    ({"residency-allowed-location": "advisory"}, "residency-allowed-location"),
    ({"residency-allowed-location": {"enforcementLevel": "disabled"}}, "residency-allowed-location"),
])
def test_acc_and_prod_pack_configs_cannot_lower_residency_or_the_default(environment, document, key):
    committed = json.loads(config_path(environment).read_text())
    with pytest.raises(PackConfigError, match=rf"config/{environment}.json: {key}: .* not allowed in {environment}; "
                                              r"set it to \"mandatory\""):
        parse_pack_config({**committed, **document}, f"config/{environment}.json", RULE_IDS, environment)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_a_pack_config_without_all_is_mandatory_as_the_pack_itself(environment):
    committed = json.loads(config_path(environment).read_text())
    del committed["all"]
    assert parse_pack_config(committed, "config.json", RULE_IDS, environment).default_level == "mandatory"


def test_the_pack_defaults_to_mandatory_without_a_config():
    assert "enforcement_level=EnforcementLevel.MANDATORY" in (PACK_DIR / "__main__.py").read_text()


@pytest.mark.parametrize("environment", ["dev", "test"])
def test_dev_and_test_pack_configs_may_lower_residency(environment):
    config = parse_pack_config({"all": "advisory", "residency-allowed-location": "disabled"},
                               f"config/{environment}.json", RULE_IDS, environment)
    assert config.level("residency-allowed-location") == "disabled"


def test_duplicate_key_in_a_pack_config_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("amsterdam_cloud.policies.settings.CONFIG_DIR", tmp_path)
    load_pack_config.cache_clear()
    (tmp_path / "prod.json").write_text('{"all": "mandatory", "residency-allowed-location": "mandatory", '
                                        '"residency-allowed-location": "disabled"}')
    try:
        with pytest.raises(UserError, match=r"prod.json: not valid JSON \(duplicate key 'residency-allowed-location'"):
            load_pack_config("prod")
    finally:
        load_pack_config.cache_clear()



@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_block_of_a_file_names_the_same_connectivity_stacks_and_components(environment):
    """The three connectivity rules and waivers-in-force each carry a copy (Pulumi passes a policy only its own
    block): the copies must agree, and name this environment's platform and connectivity stacks."""
    blocks = [block for block in json.loads(config_path(environment).read_text()).values()
              if isinstance(block, dict) and ("connectivityStacks" in block or "publicIpAllowedUnder" in block)]
    assert len(blocks) == 4
    assert {json.dumps([b.get("connectivityStacks"), b.get("publicIpAllowedUnder")]) for b in blocks} == {json.dumps(
        [[f"amsterdam-platform/{environment}", f"amsterdam-connectivity/{environment}"],
         ["amsterdam:landingzone:Hub", "amsterdam:landingzone:Connectivity"]])}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_subscription_rules_and_waivers_in_force_name_the_same_plans_and_stack(environment):
    """Pulumi passes a policy only its own block: the copies must agree and name this environment's platform."""
    document = json.loads(config_path(environment).read_text())
    copies = [{key: document[policy][key] for key in ("subscriptionStacks", "requiredDefenderPlans")}
              for policy in ("defender-required-plans", "waivers-in-force")]
    assert copies[0] == copies[1] and copies[0]["subscriptionStacks"] == [f"amsterdam-platform/{environment}"]
    for policy in ("activity-log-exported", "defender-security-contact", "monitoring-activity-log-alerts",
                   "network-bastion-present"):
        assert document[policy]["subscriptionStacks"] == copies[0]["subscriptionStacks"], policy


def test_required_defender_plans_must_be_plan_names():
    with pytest.raises(PackConfigError, match=r"requiredDefenderPlans: must be a list of Defender plan names"):
        Settings.from_properties({"requiredDefenderPlans": ["Virtual Machines"]}, "prod.json", "defender-required-plans")
