"""The platform stacks' `connectivity` section: where the city's connectivity hub is; a mistake is a ConfigError
naming the file and the key; without the section the environment stands alone."""

from __future__ import annotations

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ENVIRONMENTS, load

KEY = f"{config.PROJECT}:connectivity"


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
def test_a_mistake_names_the_key(change, key, problem, dev_raw, config_error):
    dev_raw[KEY] = {**dev_raw[KEY], **change}
    error = config_error(dev_raw)
    assert error.key == key and problem in error.problem


def test_without_the_section_the_environment_stands_alone(dev_raw):
    del dev_raw[KEY]
    assert config.parse(dev_raw, "stacks/Pulumi.dev.yaml", "dev").connectivity is None
