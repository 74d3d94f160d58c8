"""The policy component's args refuse what Azure would refuse at deploy time, and pick the assignments' identities."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.governance import definitions as d
from amsterdam_cloud.components.governance.policy import CONNECTIVITY_ONLY_DNS, Assignment, PolicyArgs, \
    city_assignments
from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.landing_zone.connectivity import ConnectivityRef

HUB = ConnectivityRef(subscription_id="00000009-0000-4000-8000-000000000009",
                      resource_group_name="rg-connectivity-prod", virtual_network_name="vnet-hub-prod")
GROUPS = {"root": "/providers/Microsoft.Management/managementGroups/amsterdam"}


def args(*assignments: Assignment) -> PolicyArgs:
    return PolicyArgs(group_ids=GROUPS, root_group_name="amsterdam", location="westeurope", assignments=assignments)


def test_an_assignment_name_longer_than_azure_takes_at_a_management_group_is_refused():
    too_long = Assignment(key="deny-public-network-access", group="root", definition=d.DENY_PUBLIC_NETWORK_ACCESS,
                          display_name="x")

    with pytest.raises(InterfaceError, match="has 26 characters; Azure takes 1-24 chars"):
        args(too_long)


def test_an_assignment_at_an_unknown_group_is_refused():
    with pytest.raises(InterfaceError, match="'corp' is not a management group"):
        args(Assignment(key="a", group="corp", definition=d.ALLOWED_LOCATIONS, display_name="x"))


def test_every_city_assignment_name_fits_and_only_remediating_ones_get_an_identity():
    assignments = city_assignments(workspace_id="/w", connectivity=HUB, location="westeurope",
                                   inherited_tags=("data-classification",))
    args_ok = PolicyArgs(group_ids={**GROUPS, "landingzones": "/lz", "sandbox": "/sb", "decommissioned": "/dc",
                                    "corp": "/corp", "online": "/online"},
                         root_group_name="amsterdam",
                         location="westeurope", assignments=assignments)

    assert {a.key: a.needs_identity for a in args_ok.assignments} == {
        "allowed-locations": False, "allowed-rg-locations": False, "nl-bio-cloud-theme": True, "diagnostics": True,
        "deny-public-access": False, "tag-data-classification": True, "sandbox-no-peering": False,
        "decommissioned-deny": False, "online-ingress-via-waf": False, "corp-no-public-ingress": False,
        "corp-no-hybrid-network": False, **{f"dns-{entry.key}": True for entry in d.PRIVATE_LINK_DNS
                                            if entry.key not in CONNECTIVITY_ONLY_DNS}}
