"""Guardrails under mocks: Azure Policy assignments beside CrossGuard, and the Defender plans."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import BUILTIN_ROLES, InterfaceError, Lock
from amsterdam_cloud.components.landing_zone.guardrails import (ALLOWED_LOCATIONS, ALLOWED_RESOURCE_GROUP_LOCATIONS,
                                                                CITY_DEFENDER_PLANS,
                                                                INHERIT_TAG_FROM_RESOURCE_GROUP,
                                                                NOT_ALLOWED_RESOURCE_TYPES,
                                                                REQUIRE_TAG_ON_RESOURCES, Guardrails,
                                                                GuardrailsArgs)
from amsterdam_cloud.core.regions import EU_REGIONS

ASSIGNMENT = "azure-native:authorization:PolicyAssignment"
SPOKE_GROUP = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-spoke-apps"


@pytest.fixture
def args(tags, subscription_id):
    def make(**overrides) -> GuardrailsArgs:
        values = dict(tags=tags, subscription_id=subscription_id, allowed_locations=tuple(sorted(EU_REGIONS)),
                      required_tags=tuple(tags), no_public_ip_scopes={"apps": SPOKE_GROUP})
        values.update(overrides)
        return GuardrailsArgs(**values)
    return make


def _by_definition(plan, definition: str):
    return [a for a in plan.of_type(ASSIGNMENT) if a.inputs["policyDefinitionId"] == definition]


def test_allowed_locations_are_the_packs_eu_list_on_the_subscription(plan_inline, args, subscription_id):
    plan = plan_inline(lambda: Guardrails("guard", args()))
    [assignment] = _by_definition(plan, ALLOWED_LOCATIONS)
    assert assignment.inputs["scope"] == f"/subscriptions/{subscription_id}"
    assert assignment.inputs["parameters"]["listOfAllowedLocations"]["value"] == sorted(EU_REGIONS)
    assert assignment.inputs["enforcementMode"] == "Default"


def test_each_required_tag_is_audited_not_denied(plan_inline, args, tags):
    plan = plan_inline(lambda: Guardrails("guard", args()))
    audits = _by_definition(plan, REQUIRE_TAG_ON_RESOURCES)
    assert {a.inputs["parameters"]["tagName"]["value"] for a in audits} == set(tags)
    assert all(a.inputs["overrides"] == [{"kind": "policyEffect", "value": "Audit"}] for a in audits)


def test_each_required_tag_is_inherited_from_the_resource_group_by_an_identity_with_tag_contributor(
        plan_inline, args, tags, subscription_id):
    plan = plan_inline(lambda: Guardrails("guard", args()))
    inherits = _by_definition(plan, INHERIT_TAG_FROM_RESOURCE_GROUP)
    assert {a.inputs["parameters"]["tagName"]["value"] for a in inherits} == set(tags)
    assert all(a.inputs["identity"] == {"type": "SystemAssigned"} and a.inputs["location"] for a in inherits)
    roles = plan.of_type("azure-native:authorization:RoleAssignment")
    assert len(roles) == len(tags)
    assert {r.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for r in roles} == {BUILTIN_ROLES["Tag Contributor"]}
    assert {r.inputs["scope"] for r in roles} == {f"/subscriptions/{subscription_id}"}
    assert {r.inputs["principalType"] for r in roles} == {"ServicePrincipal"}


def test_platform_managed_resource_groups_are_left_out_of_the_tag_assignments(plan_inline, args, subscription_id):
    plan = plan_inline(lambda: Guardrails("guard", args(platform_managed_groups=("DefaultResourceGroup-WEU",))))
    groups = f"/subscriptions/{subscription_id}/resourceGroups/"
    for assignment in _by_definition(plan, REQUIRE_TAG_ON_RESOURCES) + _by_definition(
            plan, INHERIT_TAG_FROM_RESOURCE_GROUP):
        assert assignment.inputs["notScopes"] == [groups + "NetworkWatcherRG", groups + "DefaultResourceGroup-WEU"]
    [locations] = _by_definition(plan, ALLOWED_LOCATIONS)
    assert "notScopes" not in locations.inputs


def test_public_ips_are_denied_in_the_spoke_scopes_only(plan_inline, args):
    plan = plan_inline(lambda: Guardrails("guard", args()))
    [assignment] = _by_definition(plan, NOT_ALLOWED_RESOURCE_TYPES)
    assert assignment.inputs["scope"] == SPOKE_GROUP
    assert assignment.name == "guard-no-public-ip-apps"
    assert assignment.inputs["parameters"]["listOfResourceTypesNotAllowed"]["value"] == [
        "Microsoft.Network/publicIPAddresses"]


def test_assignment_names_fit_azures_limit(plan_inline, args):
    plan = plan_inline(lambda: Guardrails("guard", args()))
    assert all(len(a.inputs["policyAssignmentName"]) <= 64 for a in plan.of_type(ASSIGNMENT))


def test_defender_plans_are_switched_to_standard(plan_inline, args):
    plan = plan_inline(lambda: Guardrails("guard", args()))
    pricings = plan.of_type("azure-native:security:Pricing")
    assert {p.inputs["pricingName"] for p in pricings} == {p.name for p in CITY_DEFENDER_PLANS}
    assert {p.inputs["pricingTier"] for p in pricings} == {"Standard"}


def test_without_defender_plans_no_pricing_is_touched(plan_inline, args):
    plan = plan_inline(lambda: Guardrails("guard", args(defender_plans=())))
    assert not plan.of_type("azure-native:security:Pricing")


def test_report_only_mode_does_not_enforce(plan_inline, args):
    plan = plan_inline(lambda: Guardrails("guard", args(enforce=False)))
    assert {a.inputs["enforcementMode"] for a in plan.of_type(ASSIGNMENT)} == {"DoNotEnforce"}


def test_scope_name_that_cannot_name_an_assignment_is_rejected(args):
    with pytest.raises(InterfaceError, match="no_public_ip_scopes"):
        args(no_public_ip_scopes={"Apps Spoke": SPOKE_GROUP})


def test_interfaces_that_make_no_sense_on_assignments_are_rejected(args):
    with pytest.raises(InterfaceError, match="no lock"):
        args(lock=Lock())


def test_under_the_management_group_hierarchy_only_what_governance_lacks_is_assigned_here(plan_inline, args, tags):
    plan = plan_inline(lambda: Guardrails("guard", args(governed_by_management_group=True)))

    assert not _by_definition(plan, ALLOWED_LOCATIONS) and not _by_definition(plan, ALLOWED_RESOURCE_GROUP_LOCATIONS)
    assert not _by_definition(plan, INHERIT_TAG_FROM_RESOURCE_GROUP)
    assert not plan.of_type("azure-native:authorization:RoleAssignment")
    assert {a.inputs["parameters"]["tagName"]["value"] for a in _by_definition(plan, REQUIRE_TAG_ON_RESOURCES)} == \
        set(tags)
    assert not _by_definition(plan, NOT_ALLOWED_RESOURCE_TYPES)  # corp denies public IPs at the management group


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Guardrails, args)
