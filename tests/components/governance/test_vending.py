"""Vending's pure parts: the next free range of a block and a vended spoke's subnets; LandingZoneArgs refuses
what Azure would refuse."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.governance import vending
from amsterdam_cloud.components.interfaces import InterfaceError, Lock
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlanError, carve


def test_the_next_free_range_skips_every_taken_one_and_stays_aligned():
    assert vending.next_free_range("10.10.0.0/16", ["10.10.0.0/22", "10.10.4.0/24"], 24) == "10.10.5.0/24"
    assert vending.next_free_range("10.10.0.0/16", ["10.10.0.0/22", "10.10.4.0/24"], 23) == "10.10.6.0/23"


def test_a_full_block_is_exhausted():
    with pytest.raises(AddressPlanError, match="exhausted: no free /24 left in 10.10.0.0/23"):
        vending.next_free_range("10.10.0.0/23", ["10.10.0.0/24", "10.10.1.0/24"], 24)


def test_a_vended_spoke_has_the_subnets_the_app_template_uses_and_fills_its_range():
    placed = carve("10.10.5.0/24", vending.vended_subnets("10.10.5.0/24"), "t")

    assert [(s.name, s.cidr, s.delegation) for s in placed] == [
        ("containers", "10.10.5.0/25", "Microsoft.App/environments"),
        ("appservice", "10.10.5.128/26", "Microsoft.Web/serverFarms"),
        ("endpoints", "10.10.5.192/26", None)]


@pytest.mark.parametrize("change, message", [
    ({"billing_scope": "/subscriptions/x"}, "billing_scope"),
    ({"entra_group_id": "team@amsterdam.nl"}, "entra_group_id"),
    ({"environment": "staging"}, "environment"),
    ({"workload": "Dev"}, "workload"),
    ({"budget_monthly_eur": 0}, "budget_monthly_eur"),
    ({"lock": Lock()}, "takes no lock"),
    ({"alert_emails": ()}, "the team's mailbox first"),
    ({"firewall_priority": 300}, "firewall_priority"),
])
def test_landing_zone_args_refuse_what_azure_would(change, message):
    from amsterdam_cloud.components.landing_zone.address_plan import NetworkPlan
    from amsterdam_cloud.components.landing_zone.hub import HubRef

    args = dict(team="t", environment="dev", workload="DevTest", management_group_id="/mg", location="westeurope",
                billing_scope="/providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2",
                network=NetworkPlan(name="t", cidr="10.0.0.0/24", subnets=()),
                hub=HubRef(virtual_network_id="/h", virtual_network_name="h", resource_group_name="g",
                           firewall_private_ip="10.0.0.4"),
                hub_subscription_id="s", budget_monthly_eur=1, alert_emails=("a@amsterdam.nl",),
                entra_group_id="2a3b4c5d-0000-4000-8000-0000000000c1",
                ci_principal_id="2a3b4c5d-0000-4000-8000-0000000000c2", deployer_role_id="/r", tags={},
                registry_id="/acr", workspace_id="/log", firewall_policy_name="p",
                firewall_priority=1004)
    with pytest.raises(InterfaceError, match=message):
        vending.LandingZoneArgs(**{**args, **change})


def test_a_ranges_firewall_priority_is_its_offset_in_the_block_after_the_platforms_groups():
    assert vending.firewall_priority("10.10.0.0/16", "10.10.4.0/24") == 1004
    assert vending.firewall_priority("10.10.0.0/16", "10.10.8.0/22") == 1008
    with pytest.raises(AddressPlanError, match="not inside 10.10.0.0/16"):
        vending.firewall_priority("10.10.0.0/16", "10.9.0.0/24")


def test_the_platforms_flows_into_its_app_spoke_reach_the_same_subnets_of_a_vended_spoke():
    from amsterdam_cloud.components.landing_zone.address_plan import NetworkPlan
    from amsterdam_cloud.components.landing_zone.east_west import EastWestFlow

    hosting = NetworkPlan(name="apps", cidr="10.10.16.0/20", subnets=carve("10.10.16.0/20", (
        vending.SubnetRequest(name="containers", prefix_length=23), vending.SubnetRequest(name="vms", prefix_length=24),
        vending.SubnetRequest(name="endpoints", prefix_length=24)), "apps"))
    team = NetworkPlan(name="t", cidr="10.10.5.0/24", subnets=carve("10.10.5.0/24",
                                                                    vending.vended_subnets("10.10.5.0/24"), "t"))
    apps = {subnet.name: subnet.cidr for subnet in hosting.subnets}
    flows = (EastWestFlow(name="avd", description="d", source_ranges=("10.10.32.0/21",),
                          destination_ranges=(apps["containers"], apps["vms"]), ports=(443,)),
             EastWestFlow(name="other", description="d", source_ranges=("10.10.32.0/21",),
                          destination_ranges=("10.10.48.0/24",), ports=(443,)))

    (vended,) = vending.vended_flows(team, hosting, flows)

    assert (vended.name, vended.source_ranges, vended.destination_ranges) == (
        "avd", ("10.10.32.0/21",), ("10.10.5.0/25",))  # no vms subnet in a vended spoke


def test_a_landing_zone_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, diagnostics):
    from amsterdam_cloud.components.landing_zone.hub import HubRef

    hub_group = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-amsterdam-connectivity-dev"
    conforms(vending.LandingZone, lambda: vending.LandingZoneArgs(
        tags=tags, diagnostic_settings=diagnostics, team="parkeren", environment="dev", workload="DevTest",
        management_group_id="/providers/Microsoft.Management/managementGroups/amsterdam-apps",
        location="westeurope", billing_scope="/providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2",
        network=vending.NetworkPlan(name="parkeren", cidr="10.10.5.0/24", subnets=tuple(
            carve("10.10.5.0/24", vending.vended_subnets("10.10.5.0/24"), "parkeren"))),
        hub=HubRef(virtual_network_id=f"{hub_group}/providers/Microsoft.Network/virtualNetworks/hub-vnet",
                   virtual_network_name="hub-vnet", resource_group_name="rg-amsterdam-connectivity-dev",
                   firewall_private_ip="10.10.0.4"),
        hub_subscription_id="00000001-0000-4000-8000-000000000001", budget_monthly_eur=500,
        alert_emails=("parkeren@amsterdam.nl",), entra_group_id="2a3b4c5d-0000-4000-8000-0000000000c1",
        ci_principal_id="2a3b4c5d-0000-4000-8000-0000000000c2",
        deployer_role_id="/providers/Microsoft.Authorization/roleDefinitions/2a3b4c5d-0000-4000-8000-0000000000d1",
        registry_id="/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-amsterdam-shared-dev/"
                    "providers/Microsoft.ContainerRegistry/registries/cramsterdamdev",
        workspace_id="/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-amsterdam-management-dev/"
                     "providers/Microsoft.OperationalInsights/workspaces/log-amsterdam-dev",
        firewall_policy_name="hub-fw-policy", firewall_priority=1005))
