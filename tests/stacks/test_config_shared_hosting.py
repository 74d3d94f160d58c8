"""The platform's shared hosting config: the shared Container Apps environment's subnet and workload profiles."""

from __future__ import annotations

import copy

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ConfigError, SharedHosting

P = config.PROJECT


def parse(**shared) -> config.StackConfig:
    raw = copy.deepcopy(config.read_stack_file(config.stack_file("dev")))
    raw[f"{P}:sharedHosting"] = shared
    return config.parse(raw, "stacks/Pulumi.dev.yaml", "dev")


def test_without_the_key_the_environment_sits_in_the_apps_containers_subnet_on_consumption_only():
    assert config.load("dev").shared_hosting == SharedHosting(spoke="apps", subnet="containers", workload_profiles=())


def test_prod_adds_a_dedicated_zone_spread_profile():
    [profile] = config.load("prod").shared_hosting.workload_profiles
    assert (profile.name, profile.profile_type, profile.minimum_count) == ("general", "D4", 3)


def test_a_subnet_the_spoke_lacks_names_the_key():
    with pytest.raises(ConfigError, match=r"sharedHosting: spoke 'apps' has no subnet 'cae'"):
        parse(subnet="cae")


@pytest.mark.parametrize("profiles,key,problem", [
    ([{"name": "general", "type": "D5"}], "workloadProfiles[0].type", "D5"),
    ([{"name": "general", "type": "D4", "minimumCount": 4, "maximumCount": 2}], "workloadProfiles[0].minimumCount",
     "exceeds maximumCount"),
    ([{"name": "general", "type": "D4"}, {"name": "general", "type": "E4"}], "workloadProfiles", "appears twice"),
])
def test_a_wrong_workload_profile_names_its_key(profiles, key, problem):
    with pytest.raises(ConfigError) as error:
        parse(workloadProfiles=profiles)
    assert error.value.key == f"{P}:sharedHosting.{key}" and problem in error.value.problem
