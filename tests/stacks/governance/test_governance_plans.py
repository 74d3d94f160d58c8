"""The governance project planned offline by its real program: the hierarchy, where subscriptions sit, every
assignment's scope, effect, identity and roles, exemptions, and zero policy violations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from amsterdam_cloud.components.governance import definitions as d
from amsterdam_cloud.components.governance.policy import CONNECTIVITY_ONLY_DNS
from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack
from amsterdam_cloud.stacks.governance.config import parse_exemptions

PROJECT_DIR = Path(__file__).resolve().parents[3] / "stacks" / "governance"
MG = "/providers/Microsoft.Management/managementGroups/"


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Plan:
    return plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path_factory.mktemp("plans"))


def test_the_hierarchy_is_the_reference_shape_under_the_tenant_root(plan):
    parents = {group.inputs["groupId"]: group.inputs["details"]["parent"]["id"].removeprefix(MG)
               for group in plan.of_type("azure-native:management:ManagementGroup")}

    assert parents == {
        "amsterdam": "9a1b2c3d-0000-4000-8000-000000000001",
        "amsterdam-platform": "amsterdam", "amsterdam-management": "amsterdam-platform",
        "amsterdam-connectivity": "amsterdam-platform", "amsterdam-identity": "amsterdam-platform",
        "amsterdam-landingzones": "amsterdam", "amsterdam-corp": "amsterdam-landingzones",
        "amsterdam-online": "amsterdam-landingzones", "amsterdam-sandbox": "amsterdam",
        "amsterdam-decommissioned": "amsterdam"}


def test_subscriptions_are_placed_by_config_through_their_own_provider(plan):
    placed = sorted(r.outputs["id"].removeprefix(MG)
                    for r in plan.of_type("azure-native:management:ManagementGroupSubscription"))

    assert placed == ["amsterdam-connectivity/subscriptions/00000009-0000-4000-8000-000000000009"] \
        + [f"amsterdam-corp/subscriptions/0000000{n}-0000-4000-8000-00000000000{n}" for n in (1, 2, 3, 4)]


def _assignments(plan: Plan) -> dict[str, dict]:
    return {r.inputs["policyAssignmentName"]: r for r in plan.of_type("azure-native:authorization:PolicyAssignment")}


def test_every_assignment_has_its_scope_and_effect(plan):
    shown = {key: (r.inputs["scope"].removeprefix(MG), r.inputs["enforcementMode"])
             for key, r in _assignments(plan).items()}

    assert shown == {
        "allowed-locations": ("amsterdam", "Default"), "allowed-rg-locations": ("amsterdam", "Default"),
        "nl-bio-cloud-theme": ("amsterdam", "DoNotEnforce"), "diagnostics": ("amsterdam", "Default"),
        "deny-public-access": ("amsterdam-landingzones", "Default"),
        "sandbox-no-peering": ("amsterdam-sandbox", "Default"),
        "online-ingress-via-waf": ("amsterdam-online", "Default"),
        "corp-no-public-ingress": ("amsterdam-corp", "Default"),
        "corp-no-hybrid-network": ("amsterdam-corp", "Default"),
        "decommissioned-deny": ("amsterdam-decommissioned", "Default"),
        **{f"tag-{tag}": ("amsterdam", "Default")
           for tag in ("owner", "cost-center", "data-classification", "application", "environment")},
        **{f"dns-{entry.key}": ("amsterdam-landingzones", "Default") for entry in d.PRIVATE_LINK_DNS
           if entry.key not in CONNECTIVITY_ONLY_DNS}}


def test_the_allowed_locations_assignment_uses_the_definition_with_the_packs_list(plan):
    (definition,) = [r for r in plan.of_type("azure-native:authorization:PolicyDefinitionAtManagementGroup")
                     if r.inputs["policyDefinitionName"] == "amsterdam-allowed-locations"]

    assert definition.inputs["managementGroupId"] == "amsterdam"
    assert definition.inputs["policyRule"] == d.ALLOWED_LOCATIONS.rule
    assert definition.inputs["parameters"]["allowedLocations"]["defaultValue"] == sorted(d.EU_REGIONS)
    assert _assignments(plan)["allowed-locations"].inputs["policyDefinitionId"] == definition.outputs["id"]


def test_each_identity_gets_exactly_the_roles_its_effect_needs_where_it_acts(plan):
    assignments = _assignments(plan)
    principal_to_key = {r.outputs["identity"]["principalId"]: key for key, r in assignments.items()
                        if "identity" in r.inputs}
    grants: dict[str, set[tuple[str, str]]] = {}
    for role in plan.of_type("azure-native:authorization:RoleAssignment"):
        if role.name.startswith("rbac-"):
            continue  # people's roles (the RBAC model), tested on their own
        key = principal_to_key[role.inputs["principalId"]]
        grants.setdefault(key, set()).add((role.inputs["scope"].removeprefix(MG),
                                           role.inputs["roleDefinitionId"].rsplit("/", 1)[-1]))
    zones_rg = "/subscriptions/00000009-0000-4000-8000-000000000009/resourceGroups/rg-connectivity-prod"
    network = d.NETWORK_CONTRIBUTOR.rsplit("/", 1)[-1]
    zone_contributor = d.PRIVATE_DNS_ZONE_CONTRIBUTOR.rsplit("/", 1)[-1]

    assert not {"allowed-locations", "allowed-rg-locations", "deny-public-access"} & set(principal_to_key)
    assert "nl-bio-cloud-theme" not in grants  # reporting only: an identity, no role
    assert grants["diagnostics"] == {("amsterdam", role.rsplit("/", 1)[-1]) for role in d.DIAGNOSTICS_ROLES}
    assert grants["tag-owner"] == {("amsterdam", d.TAG_CONTRIBUTOR.rsplit("/", 1)[-1])}
    # the zone group is written on the endpoint (landing zones); the hub's zones are only joined
    assert grants["dns-blob"] == {("amsterdam-landingzones", network), (zones_rg, zone_contributor)}
    assert all(r.inputs["principalType"] == "ServicePrincipal"
               for r in plan.of_type("azure-native:authorization:RoleAssignment") if not r.name.startswith("rbac-"))


def test_corp_and_online_each_hold_what_makes_them_what_they_are(plan):
    assignments = _assignments(plan)
    by_group: dict[str, set[str]] = {}
    for key, r in assignments.items():
        by_group.setdefault(r.inputs["scope"].removeprefix(MG), set()).add(key)
    types = {key: set(r.inputs["parameters"]["resourceTypes"]["value"]) for key, r in assignments.items()
             if "resourceTypes" in r.inputs.get("parameters", {})}

    assert by_group["amsterdam-online"] == {"online-ingress-via-waf"}
    assert by_group["amsterdam-corp"] == {"corp-no-public-ingress", "corp-no-hybrid-network"}
    assert "Microsoft.Network/publicIPAddresses" in types["online-ingress-via-waf"] == types["corp-no-public-ingress"]
    assert "Microsoft.Network/virtualNetworkGateways" in types["corp-no-hybrid-network"]
    assert "notScopes" not in assignments["online-ingress-via-waf"].inputs


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_denials_over_corp_leave_the_platform_placed_there_deployable_and_catch_anything_else(plan, stack_plan,
                                                                                                   env):
    """Every resource of the platform's plan against the Deny assignments at landing zones and corp as Azure applies
    them (the definition's rule and mode, the assignment's parameters and notScopes): nothing is denied, and the
    platform's ingress outside its carve-outs would be (the hub's public IPs, the shared Front Door)."""
    from amsterdam_cloud.scripts.offline.azure_policy import arm_shape, evaluate

    definitions = {definition.name: definition for definition in d.DEFINITIONS}
    denials = [(definitions[r.inputs["policyDefinitionId"].rsplit("/", 1)[-1]], r) for r in _assignments(plan).values()
               if r.inputs["scope"].removeprefix(MG) in ("amsterdam-landingzones", "amsterdam-corp")
               and r.inputs["policyDefinitionId"].rsplit("/", 1)[-1] in definitions]
    denied, carved_out = [], []
    for resource in stack_plan(env).resources:
        if not resource.type.startswith("azure-native:") or not resource.outputs.get("id", "").startswith("/sub"):
            continue
        shape = arm_shape(resource.type, resource.inputs)
        for definition, assignment in denials:
            params = {key: value["value"] for key, value in assignment.inputs.get("parameters", {}).items()}
            if definition.effect == "Deny" and evaluate(definition.rule, shape, {**definition.defaults(), **params},
                                                        mode=definition.mode):
                carved = any(resource.outputs["id"].lower().startswith(scope.lower() + "/")
                             for scope in assignment.inputs.get("notScopes", ()))
                (carved_out if carved else denied).append(f"{assignment.inputs['policyAssignmentName']}: "
                                                          f"{resource.type}")

    assert {definition.name for definition, _ in denials} >= {"amsterdam-deny-public-network-access",
                                                            "amsterdam-deny-resource-types"}
    assert denied == []
    assert {"corp-no-public-ingress: azure-native:network:PublicIPAddress",
            "corp-no-public-ingress: azure-native:cdn:Profile"} <= set(carved_out)


def test_the_dns_assignments_point_at_the_connectivity_stacks_zones(plan):
    from amsterdam_cloud.stacks.connectivity.config import load

    connectivity = load()
    zones = {key.removeprefix("dns-"): r.inputs["parameters"]["privateDnsZoneIds"]["value"]
             for key, r in _assignments(plan).items() if key.startswith("dns-")}

    assert zones["ai"] == [connectivity.ref.zone_id("privatelink.cognitiveservices.azure.com"),
                           connectivity.ref.zone_id("privatelink.openai.azure.com")]
    assert zones["containerapps"] == [connectivity.ref.zone_id("privatelink.westeurope.azurecontainerapps.io")]


def test_identities_live_in_the_configured_eu_region(plan):
    assert {r.inputs["location"] for r in _assignments(plan).values() if "identity" in r.inputs} == {"westeurope"}


def test_the_plan_has_no_policy_violations(plan):
    result = check_export(plan.to_export(), environment="prod", stack="prod", today=dt.date(2026, 12, 2))

    assert [finding.message for finding in result.findings] == []
    assert len(result.rules) > 50


KEYS = frozenset({"deny-public-access"})
SCOPE = "/subscriptions/00000001-0000-4000-8000-000000000009/resourceGroups/rg-legacy-ftp"


def _exemption(**changes) -> dict:
    return {"waivers": [{"rule": "deny-public-access", "resource": SCOPE, "stack": "prod",
                         "reason": "supplier SFTP", "owner": "cloud-platform@amsterdam.nl", "ticket": "CLOUD-1",
                         "expires": "2027-06-30", **changes}]}


def test_an_exemption_in_the_waivers_format_is_read():
    (exemption,) = parse_exemptions(_exemption(), "exemptions.yaml", KEYS, dt.date(2026, 12, 2))

    assert (exemption.rule, exemption.scope, exemption.expires) == (
        "deny-public-access", SCOPE, dt.date(2027, 6, 30))


@pytest.mark.parametrize(("changes", "message"), [
    ({"expires": "2026-12-01"}, "exemptions.yaml: waivers[0].expires: expired on 2026-12-01; remove"),
    ({"resource": "urn:pulumi:prod::p::t::n"}, "exemptions.yaml: waivers[0].resource: expected the ARM id"),
    ({"rule": "allowed-everything"},
     "exemptions.yaml: waivers[0].rule: 'allowed-everything' is not a policy assignment"),
    ({"stack": "dev"}, "exemptions.yaml: waivers[0].stack: expected 'prod'"),
    ({"owner": ""}, "waivers[0].owner: required"),
])
def test_a_bad_or_expired_exemption_stops_with_the_file_and_the_key(changes, message):
    with pytest.raises(UserError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        parse_exemptions(_exemption(**changes), "exemptions.yaml", KEYS, dt.date(2026, 12, 2))


def test_an_exemption_becomes_a_policy_exemption_on_its_assignment(plan_inline):
    import pulumi

    from amsterdam_cloud.components.governance.hierarchy import ROLES
    from amsterdam_cloud.components.governance.policy import Exemption, Policy, PolicyArgs, city_assignments
    from amsterdam_cloud.components.landing_zone.connectivity import ConnectivityRef

    def program() -> None:
        assignments = city_assignments(workspace_id="/subscriptions/x/w", connectivity=ConnectivityRef(
            subscription_id="00000009-0000-4000-8000-000000000009", resource_group_name="rg-connectivity-prod",
            virtual_network_name="vnet-hub-prod"), location="westeurope", inherited_tags=())
        groups = {role: MG + ("amsterdam" if role == "root" else f"amsterdam-{role}") for role in ROLES}
        Policy("p", PolicyArgs(group_ids=groups,
                               root_group_name="amsterdam", location="westeurope", assignments=assignments,
                               exemptions=(Exemption(rule="deny-public-access", scope=SCOPE, reason="r",
                                                     owner="o@amsterdam.nl", expires=dt.date(2027, 6, 30)),)))
        pulumi.export("done", True)

    plan = plan_inline(program, stack="prod")
    (exemption,) = plan.of_type("azure-native:authorization:PolicyExemption")
    (assignment,) = [r for r in plan.of_type("azure-native:authorization:PolicyAssignment")
                     if r.inputs["policyAssignmentName"] == "deny-public-access"]

    assert exemption.inputs["policyAssignmentId"] == assignment.outputs["id"]
    assert exemption.inputs["expiresOn"] == "2027-06-30T23:59:59Z"
    assert exemption.inputs["scope"] == SCOPE
    assert exemption.inputs["exemptionCategory"] == "Waiver"


def test_the_custom_roles_are_defined_and_assignable_at_the_citys_root(plan):
    definitions = {r.inputs["roleName"]: r for r in plan.of_type("azure-native:authorization:RoleDefinition")}

    assert set(definitions) == {"Amsterdam platform-operator", "Amsterdam app-team-deployer",
                                "Amsterdam app-team-monitoring", "Amsterdam auditor-reader", "Amsterdam break-glass"}
    assert {r.inputs["scope"] for r in definitions.values()} == {MG + "amsterdam"}
    assert all(r.inputs["assignableScopes"] == [MG + "amsterdam"] for r in definitions.values())
    assert all("*" not in r.inputs["permissions"][0]["actions"] for r in definitions.values())


def test_auditors_read_actively_and_operators_and_break_glass_are_only_pim_eligible(plan):
    groups = {"platformOperators": "5d1f0a7e-0000-4000-8000-0000000000a1",
              "auditors": "5d1f0a7e-0000-4000-8000-0000000000a2", "breakGlass": "5d1f0a7e-0000-4000-8000-0000000000a3"}
    roles = {f"/providers/Microsoft.Authorization/roleDefinitions/{r.inputs['roleDefinitionId']}": r.inputs["roleName"]
             for r in plan.of_type("azure-native:authorization:RoleDefinition")}  # assigned by the tenant-wide id
    active = {(r.inputs["principalId"], roles.get(r.inputs["roleDefinitionId"]), r.inputs["scope"])
              for r in plan.of_type("azure-native:authorization:RoleAssignment") if r.name.startswith("rbac-")}
    eligible = {(r.inputs["principalId"], roles[r.inputs["roleDefinitionId"]], r.inputs["scope"],
                 r.inputs["scheduleInfo"]["expiration"]["type"])
                for r in plan.of_type("azure-native:authorization:PimRoleEligibilitySchedule")}

    assert active == {(groups["auditors"], "Amsterdam auditor-reader", MG + "amsterdam")}
    assert eligible == {
        (groups["platformOperators"], "Amsterdam platform-operator", MG + "amsterdam", "NoExpiration"),
        (groups["breakGlass"], "Amsterdam break-glass", MG + "amsterdam", "NoExpiration")}


def test_a_sandbox_subscription_gets_its_budget_and_the_sandbox_denies_peering(tmp_path):
    sandbox = "0000000a-0000-4000-8000-00000000000a"
    plan = plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path, config_overrides={
        "amsterdam-governance:subscriptions": {"sandbox": [sandbox]}})
    (budget,) = plan.of_type("azure-native:consumption:Budget")
    (placement,) = plan.of_type("azure-native:management:ManagementGroupSubscription")

    assert budget.inputs["scope"] == f"/subscriptions/{sandbox}"
    assert budget.inputs["amount"] == 100
    assert placement.outputs["id"] == f"{MG}amsterdam-sandbox/subscriptions/{sandbox}"
    assert _assignments(plan)["sandbox-no-peering"].inputs["scope"] == MG + "amsterdam-sandbox"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_platform_assigns_no_rule_the_root_management_group_already_holds(stack_plan, env):
    from amsterdam_cloud.components.landing_zone import guardrails

    assigned = {r.inputs["policyDefinitionId"] for r in stack_plan(env).of_type(
        "azure-native:authorization:PolicyAssignment")}

    assert not assigned & {guardrails.ALLOWED_LOCATIONS, guardrails.ALLOWED_RESOURCE_GROUP_LOCATIONS,
                           guardrails.INHERIT_TAG_FROM_RESOURCE_GROUP, guardrails.NOT_ALLOWED_RESOURCE_TYPES}
    assert guardrails.REQUIRE_TAG_ON_RESOURCES in assigned  # the audit has no equivalent at the root: it stays


def test_the_plan_depends_on_the_day_only_through_the_exemptions_expiries(tmp_path):
    from amsterdam_cloud.core import clock

    with clock.reading() as reads:  # what the estate cache keys the plan on
        plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path)
    assert reads.date == "" and reads.until is None  # no exemptions: the plan holds on every day
