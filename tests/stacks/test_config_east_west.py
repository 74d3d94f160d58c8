"""East-west flows in the stack config: subnet names resolve to their CIDRs from the address plan; a name that
names no subnet, a CIDR inside the environment, a bad port or an unknown key is a ConfigError naming file and key."""

from __future__ import annotations

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ENVIRONMENTS, load

NET = f"{config.PROJECT}:network"
KEY = f"{NET}.eastWest"


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_avd_reaches_internal_apps_and_ml_workspaces_on_443_only(stack):
    network = load(stack).network
    plan = network.plan
    flows = {flow.name: flow for flow in network.east_west}
    hosts = (plan.spokes["workplace"].subnet("hosts").cidr,)
    assert flows["avd-to-internal-apps"].source_ranges == hosts
    assert flows["avd-to-internal-apps"].destination_ranges == (plan.spokes["apps"].subnet("containers").cidr,
                                                                 plan.spokes["apps"].subnet("endpoints").cidr)
    assert flows["avd-to-ml-workspaces"].destination_ranges == (plan.spokes["analytics"].subnet("endpoints").cidr,)
    assert {flow.ports for flow in flows.values()} == {(443,)}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_ci_agents_reach_the_private_endpoints_they_deploy_to(stack):
    plan = load(stack).network.plan
    [ci] = [flow for flow in load(stack).network.east_west if flow.name == "ci-agents-to-deploy"]
    assert set(ci.destination_ranges) == {plan.hub.subnet("shared").cidr,
                                          *(plan.spokes[name].subnet("endpoints").cidr
                                            for name in ("apps", "workplace", "analytics"))}


def test_a_subnet_the_spoke_does_not_have_is_named_with_the_ones_it_has(dev_raw, config_error):
    dev_raw[NET]["eastWest"]["avd-to-internal-apps"]["to"] = ["apps.web"]
    error = config_error(dev_raw)
    assert error.key == f"{KEY}.avd-to-internal-apps.to[0]"
    assert "apps has no subnet 'web'" in error.problem and "containers" in error.problem


def test_an_unknown_range_is_refused(dev_raw, config_error):
    dev_raw[NET]["eastWest"]["avd-to-internal-apps"]["from"] = ["desktops.hosts"]
    error = config_error(dev_raw)
    assert error.key == f"{KEY}.avd-to-internal-apps.from[0]" and "names no subnet" in error.problem


def test_a_cidr_inside_the_environment_must_be_named_as_a_subnet(dev_raw, config_error):
    dev_raw[NET]["eastWest"]["avd-to-internal-apps"]["from"] = ["10.10.32.0/21"]
    error = config_error(dev_raw)
    assert error.key == f"{KEY}.avd-to-internal-apps.from[0]" and "name the subnet" in error.problem


@pytest.mark.parametrize("ports", [[], [0], [70000], "443"])
def test_ports_must_be_a_list_of_tcp_ports(ports, dev_raw, config_error):
    dev_raw[NET]["eastWest"]["avd-to-internal-apps"]["ports"] = ports
    assert config_error(dev_raw).key.startswith(f"{KEY}.avd-to-internal-apps.ports")


def test_an_unknown_flow_key_is_a_typo(dev_raw, config_error):
    dev_raw[NET]["eastWest"]["avd-to-internal-apps"]["port"] = [443]
    error = config_error(dev_raw)
    assert error.key == f"{KEY}.avd-to-internal-apps.port" and "unknown key" in error.problem


def test_without_east_west_no_flow_is_allowed(dev_raw):
    del dev_raw[NET]["eastWest"]
    assert config.parse(dev_raw, "stacks/Pulumi.dev.yaml", "dev").network.east_west == ()
