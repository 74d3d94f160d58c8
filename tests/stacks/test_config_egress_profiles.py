"""Egress profiles in the stack config: a spoke subnet's `egressProfiles` grant a profile to that subnet's range;
an unknown or malformed profile is a ConfigError naming the file and the key."""

from __future__ import annotations

import copy

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.components.landing_zone.egress_profiles import EgressGrant
from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ConfigError, load

P = config.PROJECT
NET = f"{P}:network"
HOSTS_KEY = f"{NET}.spokes.workplace.subnets.hosts.egressProfiles"


def dev_raw() -> dict:
    return copy.deepcopy(config.read_stack_file(config.stack_file("dev")))


def error_of(raw: dict) -> ConfigError:
    with pytest.raises(ConfigError) as error:
        config.parse(raw, "stacks/Pulumi.dev.yaml", "dev")
    return error.value


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_stack_grants_each_profile_to_the_subnets_that_need_it_only(stack):
    network = load(stack).network
    hosts = network.plan.spokes["workplace"].subnet("hosts").cidr
    apps = network.plan.spokes["apps"]
    assert set(network.egress) == {
        EgressGrant(profile="avd-session-hosts", source_ranges=(hosts,)),
        EgressGrant(profile="avd-intune", source_ranges=(hosts,)),
        EgressGrant(profile="avd-microsoft-365", source_ranges=(hosts,)),
        EgressGrant(profile="container-apps", source_ranges=(apps.subnet("containers").cidr,)),
        EgressGrant(profile="app-service-build", source_ranges=(apps.subnet("appservice").cidr,)),
        EgressGrant(profile="deployment-scripts",
                    source_ranges=(network.plan.spokes["workplace"].subnet("scripts").cidr,))}


def test_unknown_profile_names_the_file_the_key_and_the_known_profiles():
    raw = dev_raw()
    raw[NET]["spokes"]["workplace"]["subnets"]["hosts"]["egressProfiles"] = ["avd-session-hosts", "avd-hosts"]
    error = error_of(raw)
    assert (error.source, error.key) == ("stacks/Pulumi.dev.yaml", f"{HOSTS_KEY}[1]")
    assert "unknown egress profile 'avd-hosts'" in error.problem and "avd-session-hosts" in error.problem


def test_profiles_given_as_a_single_name_say_a_list_is_expected():
    raw = dev_raw()
    raw[NET]["spokes"]["workplace"]["subnets"]["hosts"]["egressProfiles"] = "avd-session-hosts"
    error = error_of(raw)
    assert error.key == HOSTS_KEY and error.problem.startswith("expected a list of egress profile names")


def test_profile_listed_twice_on_one_subnet_is_rejected():
    raw = dev_raw()
    raw[NET]["spokes"]["workplace"]["subnets"]["hosts"]["egressProfiles"] = ["avd-session-hosts"] * 2
    error = error_of(raw)
    assert error.key == f"{HOSTS_KEY}[1]" and "listed twice" in error.problem


def test_profile_enabled_on_two_subnets_is_one_grant_with_both_ranges():
    raw = dev_raw()
    raw[NET]["spokes"]["analytics"]["subnets"]["compute"] = {"size": 22, "egressProfiles": ["avd-session-hosts"]}
    network = config.parse(raw, "stacks/Pulumi.dev.yaml", "dev").network
    [avd] = [grant for grant in network.egress if grant.profile == "avd-session-hosts"]
    assert avd == EgressGrant(profile="avd-session-hosts", source_ranges=(
        network.plan.spokes["workplace"].subnet("hosts").cidr,
        network.plan.spokes["analytics"].subnet("compute").cidr))


def test_spokes_without_profiles_grant_no_egress():
    raw = dev_raw()
    raw[NET]["spokes"]["workplace"]["subnets"]["hosts"] = 21
    raw[NET]["spokes"]["apps"]["subnets"]["containers"] = {"size": 23, "delegation": "Microsoft.App/environments"}
    raw[NET]["spokes"]["apps"]["subnets"]["appservice"] = {"size": 26, "delegation": "Microsoft.Web/serverFarms"}
    raw[NET]["spokes"]["workplace"]["subnets"]["scripts"] = {
        "size": 28, "delegation": "Microsoft.ContainerInstance/containerGroups"}
    assert config.parse(raw, "stacks/Pulumi.dev.yaml", "dev").network.egress == ()
