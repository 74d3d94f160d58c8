"""Bastion under mocks: Standard SKU in the bastion subnet, risky session features off unless asked for."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.landing_zone.bastion import Bastion, BastionArgs

SUBNET_ID = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
             "virtualNetworks/hub/subnets/AzureBastionSubnet")


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> BastionArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-connectivity",
                      location="westeurope", subnet_id=SUBNET_ID)
        values.update(overrides)
        return BastionArgs(**values)
    return make


def test_bastion_sits_in_its_subnet_with_its_public_ip(plan_inline, args):
    plan = plan_inline(lambda: Bastion("bas", args()))
    configuration = plan.named("bas-host").inputs["ipConfigurations"][0]
    assert configuration["subnet"]["id"] == SUBNET_ID
    assert configuration["publicIPAddress"]["id"] == plan.named("bas-pip").id
    assert plan.named("bas-host").inputs["sku"]["name"] == "Standard"


def test_file_copy_tunneling_and_shareable_links_are_off_by_default(plan_inline, args):
    host = plan_inline(lambda: Bastion("bas", args())).named("bas-host").inputs
    assert (host["enableFileCopy"], host["enableTunneling"], host["enableShareableLink"]) == (False, False, False)


def test_native_client_is_an_explicit_opt_in(plan_inline, args):
    host = plan_inline(lambda: Bastion("bas", args(native_client=True))).named("bas-host").inputs
    assert host["enableTunneling"] is True


def test_bastion_and_its_ip_send_diagnostics(plan_inline, args, workspace_id):
    plan = plan_inline(lambda: Bastion("bas", args()))
    assert plan.named("bas-diag").inputs["resourceUri"] == plan.named("bas-host").id
    assert plan.named("bas-pip-diag").inputs["workspaceId"] == workspace_id


def test_unknown_sku_is_rejected(args):
    with pytest.raises(InterfaceError, match="sku"):
        args(sku="Developer2")


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Bastion, args)
