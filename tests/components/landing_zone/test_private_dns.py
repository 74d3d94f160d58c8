"""Private DNS zones under mocks: one zone per name, linked to the given networks, global, never locked."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import DiagnosticSettings, InterfaceError, Lock
from amsterdam_cloud.components.landing_zone.private_dns import PrivateDnsZones, PrivateDnsZonesArgs
from amsterdam_cloud.core.private_link import city_private_link_zones

HUB_ID = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
          "virtualNetworks/hub")
ZONES = ("privatelink.vaultcore.azure.net", "privatelink.blob.core.windows.net")


@pytest.fixture
def args(tags):
    def make(**overrides) -> PrivateDnsZonesArgs:
        values = dict(tags=tags, resource_group_name="rg-connectivity", zones=ZONES, virtual_network_ids=(HUB_ID,))
        values.update(overrides)
        return PrivateDnsZonesArgs(**values)
    return make


def test_each_zone_is_created_global_and_linked_to_the_hub(plan_inline, args):
    plan = plan_inline(lambda: PrivateDnsZones("dns", args()))
    zones = plan.of_type("azure-native:privatedns:PrivateZone")
    assert sorted(z.inputs["privateZoneName"] for z in zones) == sorted(ZONES)
    assert {z.inputs["location"] for z in zones} == {"global"}
    links = plan.of_type("azure-native:privatedns:VirtualNetworkLink")
    assert {link.inputs["virtualNetwork"]["id"] for link in links} == {HUB_ID} and len(links) == len(ZONES)
    assert all(link.inputs["registrationEnabled"] is False for link in links)


def test_links_are_children_of_their_zone(plan_inline, args):
    plan = plan_inline(lambda: PrivateDnsZones("dns", args()))
    assert plan.named("dns-vaultcore-azure-net-link-0").parent == plan.named("dns-vaultcore-azure-net").urn


def test_zone_ids_are_exposed_by_zone_name(plan_inline, args):
    import pulumi

    def program() -> None:
        pulumi.export("ids", PrivateDnsZones("dns", args()).zone_ids)

    plan = plan_inline(program)
    assert plan.stack_outputs["ids"]["privatelink.vaultcore.azure.net"] == plan.named("dns-vaultcore-azure-net").id


def test_a_lock_is_refused_because_it_blocks_record_clean_up(args):
    with pytest.raises(InterfaceError, match="PrivateDnsZonesArgs.lock: .*record clean-up"):
        args(lock=Lock())


def test_city_zones_include_the_regional_container_apps_zone():
    zones = city_private_link_zones("swedencentral")
    assert "privatelink.swedencentral.azurecontainerapps.io" in zones
    assert len(set(zones)) == len(zones)


def test_a_name_that_is_not_a_private_link_zone_is_rejected(args):
    with pytest.raises(InterfaceError, match="not a private-link zone"):
        args(zones=("amsterdam.nl",))


def test_diagnostic_settings_are_rejected_because_zones_have_none(args, workspace_id):
    with pytest.raises(InterfaceError, match="no diagnostic settings"):
        args(diagnostic_settings=(DiagnosticSettings(workspace_id=workspace_id),))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(PrivateDnsZones, args)
