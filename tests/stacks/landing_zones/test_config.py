"""The landing zones stacks' config and the team files: valid as committed, and each mistake stops with the file,
the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.stacks.config import ConfigError, read_stack_file
from amsterdam_cloud.stacks.landing_zones.config import STACKS_DIR, load, parse
from amsterdam_cloud.stacks.landing_zones.team_files import TEAMS_DIR, load_teams, parse_team

PARKEREN = yaml.safe_load((TEAMS_DIR / "parkeren.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("env", ["dev", "test", "acc", "prod"])
def test_every_committed_environment_is_valid_and_references_its_own_platform_only(env):
    config = load(env)

    assert config.platform_stack == f"organization/amsterdam-platform/{env}"
    # the governance stack's state is in prod's container: its ids come from its config, never its state
    assert config.management_group_prefix == "amsterdam"
    assert [team.name for team in config.teams] == ["parkeren"]


def test_dev_and_test_bill_to_the_dev_test_enrollment_account_and_acc_and_prod_do_not():
    scopes = {env: load(env).billing_scope for env in ("dev", "test", "acc", "prod")}
    offers = {env: load(env).subscription_workload for env in ("dev", "test", "acc", "prod")}

    assert scopes["dev"] == scopes["test"] != scopes["acc"] == scopes["prod"]
    assert offers == {"dev": "DevTest", "test": "DevTest", "acc": "Production", "prod": "Production"}


@pytest.mark.parametrize(("changes", "key", "problem"), [
    ({"amsterdam-landing-zones:billingScope": "/subscriptions/x"}, "amsterdam-landing-zones:billingScope",
     "billing scope"),
    ({"amsterdam-landing-zones:alertEmails": []}, "amsterdam-landing-zones:alertEmails", "e-mail"),
    ({"amsterdam-landing-zones:subscriptionWorkload": "Dev"}, "amsterdam-landing-zones:subscriptionWorkload",
     "Production, DevTest"),
])
def test_a_bad_stack_value_names_the_file_and_the_key(changes, key, problem):
    raw = {**read_stack_file(STACKS_DIR / "Pulumi.dev.yaml"), **changes}
    with pytest.raises(ConfigError) as error:
        parse(raw, "stacks/landing_zones/Pulumi.dev.yaml", "dev", ())

    assert (error.value.source, error.value.key) == ("stacks/landing_zones/Pulumi.dev.yaml", key)
    assert problem in error.value.problem


@pytest.mark.parametrize(("changes", "key", "problem"), [
    ({"team": "afval"}, "team", "differs from the file name"),
    ({"owner": "parkeren@gmail.com"}, "owner", "@amsterdam.nl mailbox"),
    ({"owner": "parkeren@amsterdam.nl\n"}, "owner", "expected the team's @amsterdam.nl mailbox"),
    ({"costCenter": "CC-4120\n"}, "costCenter", "expected a cost centre such as CC-4120"),
    ({"archetype": "hybrid"}, "archetype", "corp, online"),
    ({"environments": {"staging": {"addressSpace": "10.10.5.0/24"}}}, "environments.staging", "not an environment"),
    ({"environments": {"dev": {"addressSpace": "10.10.5.0/26"}}}, "environments.dev.addressSpace", "/24"),
    ({"budget": 5}, "budget", "unknown key"),
    ({"ciPrincipalId": PARKEREN["entraGroupId"]}, "ciPrincipalId", "also the team's Entra group"),
    ({"environments": {"dev": {"addressSpace": "10.10.4.0/24", "subscriptionId": "sub-parkeren-dev"}}},
     "environments.dev.subscriptionId", "vended subscription's id"),
    ({"environments": {"dev": {"subscriptionId": "5eb84889-54bb-5d14-90e9-b35b8009745a"}}}, "environments.dev",
     "expected {addressSpace: CIDR}"),
])
def test_a_bad_team_file_names_the_file_and_the_key(changes, key, problem):
    with pytest.raises(ConfigError) as error:
        parse_team({**PARKEREN, **changes}, "stacks/landing_zones/teams/parkeren.yaml")

    assert error.value.key == key
    assert problem in error.value.problem


def test_a_team_range_on_the_hub_is_refused_naming_the_team_file(tmp_path: Path):
    (tmp_path / "parkeren.yaml").write_text(yaml.safe_dump(
        {**PARKEREN, "environments": {"dev": {"addressSpace": "10.10.1.0/24"}}}), encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        load_teams(tmp_path)

    assert error.value.source.endswith("parkeren.yaml")
    assert error.value.key == "environments.dev.addressSpace"
    assert "overlaps hub" in error.value.problem
