"""East-west flows in the stack config: subnet names resolve to their CIDRs from the address plan, the connectivity
stack's ranges by name from its stack file; a name that names no subnet or range, a CIDR inside the environment or
of a connectivity range, a bad port or an unknown key is a ConfigError naming file and key."""

from __future__ import annotations

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ENVIRONMENTS, load
from amsterdam_cloud.stacks.connectivity import config as connectivity_config
from amsterdam_cloud.stacks.connectivity.config import load as load_connectivity, named_sources

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


def test_the_city_network_vpn_clients_and_agents_are_the_connectivity_stacks_ranges_by_name():
    sources = named_sources()
    for stack in ENVIRONMENTS:
        flows = {flow.name: flow for flow in load(stack).network.east_west}
        assert flows["ci-agents-to-deploy"].source_ranges == sources["ci-agents"]
        assert set(sources["on-premises"]) <= set(flows["city-to-internal-apps"].source_ranges)
    assert sources["vpn-clients"] == (load_connectivity().point_to_site.client_address_pool,)


def test_a_changed_vpn_pool_reaches_every_environment_that_admits_vpn_clients(tmp_path, monkeypatch):
    text = (connectivity_config.STACKS_DIR / "Pulumi.prod.yaml").read_text()
    assert text.count("clientAddressPool: 10.0.8.0/24") == 1
    (tmp_path / "Pulumi.prod.yaml").write_text(text.replace("clientAddressPool: 10.0.8.0/24",
                                                            "clientAddressPool: 10.0.12.0/24"))
    before = {stack: load(stack).network.east_west for stack in ENVIRONMENTS}
    monkeypatch.setattr(connectivity_config, "STACKS_DIR", tmp_path)
    admitting = []
    for stack in ENVIRONMENTS:
        [flow] = [f for f in load(stack).network.east_west if f.name == "city-to-internal-apps"]
        [old] = [f for f in before[stack] if f.name == "city-to-internal-apps"]
        assert "10.0.8.0/24" not in flow.source_ranges
        if "10.0.12.0/24" in flow.source_ranges:
            admitting.append(stack)
            assert flow.source_ranges == tuple("10.0.12.0/24" if r == "10.0.8.0/24" else r for r in old.source_ranges)
    assert admitting == ["dev", "test"]


def test_a_literal_connectivity_range_must_be_named_so_it_follows_the_connectivity_config(dev_raw, config_error):
    dev_raw[NET]["eastWest"]["city-to-internal-apps"]["from"] = ["10.0.8.0/24"]
    error = config_error(dev_raw)
    assert error.key == f"{KEY}.city-to-internal-apps.from[0]"
    assert "name it connectivity.vpn-clients" in error.problem


def test_an_unknown_connectivity_range_names_the_ones_there_are(dev_raw, config_error):
    dev_raw[NET]["eastWest"]["city-to-internal-apps"]["from"] = ["connectivity.express-route"]
    error = config_error(dev_raw)
    assert error.key == f"{KEY}.city-to-internal-apps.from[0]"
    assert "one of connectivity.ci-agents, connectivity.on-premises, connectivity.vpn-clients" in error.problem
