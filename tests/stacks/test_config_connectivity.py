"""The platform stacks' `connectivity` section: where the city's connectivity hub is; a mistake is a ConfigError
naming the file and the key; without the section the environment stands alone."""

from __future__ import annotations

import copy

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ENVIRONMENTS, ConfigError, load

KEY = f"{config.PROJECT}:connectivity"


def dev_raw() -> dict:
    return copy.deepcopy(config.read_stack_file(config.stack_file("dev")))


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_environment_attaches_with_gateway_transit(stack):
    connectivity = load(stack).connectivity
    assert connectivity.use_gateway is True
    assert connectivity.ref.virtual_network_id == ("/subscriptions/00000009-0000-4000-8000-000000000009/"
                                                   "resourceGroups/rg-connectivity-prod/providers/"
                                                   "Microsoft.Network/virtualNetworks/vnet-hub-prod")


@pytest.mark.parametrize(("change", "key", "problem"), [
    ({"subscriptionId": "connectivity"}, f"{KEY}.subscriptionId", "GUID"),
    ({"virtualNetworkName": "-hub"}, f"{KEY}.virtualNetworkName", "hub network such as vnet-hub-prod"),
    ({"useGateway": "yes"}, f"{KEY}.useGateway", "true or false"),
    ({"gatewayTransit": True}, f"{KEY}.gatewayTransit", "unknown key"),
])
def test_a_mistake_names_the_key(change, key, problem):
    raw = dev_raw()
    raw[KEY] = {**raw[KEY], **change}
    with pytest.raises(ConfigError) as error:
        config.parse(raw, "stacks/Pulumi.dev.yaml", "dev")
    assert error.value.key == key and problem in error.value.problem


def test_without_the_section_the_environment_stands_alone():
    raw = dev_raw()
    del raw[KEY]
    assert config.parse(raw, "stacks/Pulumi.dev.yaml", "dev").connectivity is None
