"""The address plan: ranges inside the block, no overlaps, subnets that fit, a layout that follows from the input."""

from __future__ import annotations

import ipaddress

import pytest

from amsterdam_cloud.components.landing_zone.address_plan import (HUB_SUBNETS, AddressPlanError, SubnetRequest,
                                                                  carve, default_spoke_subnets, plan)


def _req(name: str, length: int) -> SubnetRequest:
    return SubnetRequest(name=name, prefix_length=length)


def test_hub_gets_the_subnets_azure_requires_inside_its_range():
    placed = plan("10.10.0.0/16", "10.10.0.0/22", {"apps": ("10.10.16.0/20", (_req("web", 24),))})
    hub = ipaddress.IPv4Network(placed.hub.cidr)
    assert [s.name for s in placed.hub.subnets] == [name for name, _ in HUB_SUBNETS]
    for subnet in placed.hub.subnets:
        assert ipaddress.IPv4Network(subnet.cidr).subnet_of(hub)
    assert ipaddress.IPv4Network(placed.hub.subnet("AzureFirewallSubnet").cidr).prefixlen == 26


def test_carved_subnets_never_overlap_and_stay_inside_the_range():
    subnets = carve("10.20.16.0/20", (_req("a", 26), _req("b", 23), _req("c", 24), _req("d", 28)), "spokes.x")
    networks = [ipaddress.IPv4Network(s.cidr) for s in subnets]
    assert all(n.subnet_of(ipaddress.IPv4Network("10.20.16.0/20")) for n in networks)
    assert not any(a.overlaps(b) for i, a in enumerate(networks) for b in networks[i + 1:])


def test_subnets_keep_their_declared_order_and_sizes():
    subnets = carve("10.20.16.0/20", (_req("small", 26), _req("large", 22)), "spokes.x")
    assert [(s.name, ipaddress.IPv4Network(s.cidr).prefixlen) for s in subnets] == [("small", 26), ("large", 22)]


def test_largest_subnet_is_placed_first_so_nothing_is_fragmented():
    subnets = carve("10.20.16.0/20", (_req("small", 26), _req("large", 21)), "spokes.x")
    assert subnets[1].cidr == "10.20.16.0/21"


def test_overlapping_spokes_are_an_error_naming_the_later_one():
    with pytest.raises(AddressPlanError) as error:
        plan("10.10.0.0/16", "10.10.0.0/22", {"apps": ("10.10.16.0/20", (_req("web", 24),)),
                                               "data": ("10.10.24.0/21", (_req("db", 24),))})
    assert error.value.where == "spokes.data"
    assert "overlaps spokes.apps (10.10.16.0/20)" in error.value.problem


def test_spoke_overlapping_the_hub_is_an_error():
    with pytest.raises(AddressPlanError, match="overlaps hub"):
        plan("10.10.0.0/16", "10.10.0.0/22", {"apps": ("10.10.0.0/20", (_req("web", 24),))})


def test_range_outside_the_block_is_an_error():
    with pytest.raises(AddressPlanError) as error:
        plan("10.10.0.0/16", "10.10.0.0/22", {"apps": ("10.11.0.0/20", (_req("web", 24),))})
    assert error.value.where == "spokes.apps"
    assert "outside the environment's block 10.10.0.0/16" in error.value.problem


def test_block_too_small_for_its_ranges_is_exhausted():
    with pytest.raises(AddressPlanError) as error:
        plan("10.10.0.0/20", "10.10.0.0/22", {"apps": ("10.10.0.0/19", (_req("web", 24),))})
    assert error.value.where == "addressSpace"
    assert error.value.problem.startswith("exhausted")


def test_hub_too_small_for_azure_subnets_is_exhausted():
    with pytest.raises(AddressPlanError) as error:
        plan("10.10.0.0/16", "10.10.0.0/25", {"apps": ("10.10.16.0/20", (_req("web", 24),))})
    assert error.value.where == "hub" and "exhausted" in error.value.problem


def test_spoke_subnets_larger_than_the_spoke_are_exhausted():
    with pytest.raises(AddressPlanError) as error:
        plan("10.10.0.0/16", "10.10.0.0/22", {"apps": ("10.10.16.0/24", (_req("web", 25), _req("db", 25),
                                                                          _req("more", 26)))})
    assert error.value.where == "spokes.apps.subnets"
    assert "need 320 addresses but 10.10.16.0/24 holds 256" in error.value.problem


def test_subnet_larger_than_its_range_is_an_error():
    with pytest.raises(AddressPlanError, match="expected a prefix length from 24 to 29"):
        carve("10.10.16.0/24", (_req("web", 22),), "spokes.apps.subnets")


def test_subnet_smaller_than_azure_allows_is_an_error():
    with pytest.raises(AddressPlanError, match="to 29"):
        carve("10.10.16.0/24", (_req("tiny", 30),), "spokes.apps.subnets")


def test_duplicate_subnet_names_are_an_error():
    with pytest.raises(AddressPlanError, match="declared twice"):
        carve("10.10.16.0/24", (_req("web", 26), _req("web", 27)), "spokes.apps.subnets")


def test_spoke_declared_by_range_alone_gets_workload_and_endpoint_subnets():
    requests = default_spoke_subnets("10.10.16.0/20")
    assert [(r.name, r.prefix_length) for r in requests] == [("workload", 21), ("endpoints", 26)]


def test_spoke_ranges_list_every_spoke():
    placed = plan("10.10.0.0/16", "10.10.0.0/22", {"apps": ("10.10.16.0/20", (_req("web", 24),)),
                                                    "data": ("10.10.32.0/21", (_req("db", 24),))})
    assert placed.spoke_ranges() == ("10.10.16.0/20", "10.10.32.0/21")
