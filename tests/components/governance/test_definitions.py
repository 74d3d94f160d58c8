"""The pack and Azure Policy agree: for each rule in both, the same fixture is compliant or violating on both sides.

The pack's rule runs on the azure-native inputs (what CrossGuard sees in a preview); the Azure Policy definition
the governance stack deploys runs in the offline evaluator on the ARM request body built from the same inputs.
"""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.governance import definitions as d
from tests.policies.rule_fixtures import violations
from amsterdam_cloud.core.regions import EU_REGIONS, GLOBAL_ONLY_TYPES
from amsterdam_cloud.policies.rules import RULES_BY_ID
from amsterdam_cloud.policies.settings import Settings
from amsterdam_cloud.scripts.offline.azure_policy import arm_shape, arm_type, evaluate

LOCATION_RULE = RULES_BY_ID["residency-allowed-location"]


def azure_denies(definition: d.Definition, token: str, inputs: dict) -> bool:
    return evaluate(definition.rule, arm_shape(token, inputs), definition.defaults(), mode=definition.mode)


def pack_denies(rule, token: str, inputs: dict) -> bool:
    return bool(violations(rule, inputs, token=token, environment="prod"))


def test_the_allowed_locations_are_the_packs_eu_list_itself():
    pack_default = Settings.from_properties({"environment": "prod"}).allowed_regions

    for definition in (d.ALLOWED_LOCATIONS, d.ALLOWED_RESOURCE_GROUP_LOCATIONS):
        assert set(definition.defaults()["allowedLocations"]) == set(EU_REGIONS) == set(pack_default)


LOCATION_CASES = [
    ("azure-native:storage:StorageAccount", "westeurope"),
    ("azure-native:storage:StorageAccount", "swedencentral"),
    ("azure-native:storage:StorageAccount", "eastus"),
    ("azure-native:storage:StorageAccount", "uksouth"),
    ("azure-native:storage:StorageAccount", "global"),
    ("azure-native:keyvault:Vault", "europe"),
    ("azure-native:privatedns:PrivateZone", "global"),
    ("azure-native:cdn:Profile", "Global"),
    ("azure-native:monitor:ActionGroup", "global"),
    ("azure-native:monitor:ActionGroup", "norwayeast"),
    ("azure-native:azureactivedirectory:B2CTenant", "europe"),
    ("azure-native:storage:StorageAccount", "West Europe"),  # Azure normalises the location field
    ("azure-native:storage:StorageAccount", "East US"),
    ("azure-native:network:VirtualNetworkPeering", None),  # no location: Indexed definitions do not see it
]


@pytest.mark.parametrize(("token", "location"), LOCATION_CASES)
def test_allowed_locations_agree(token, location):
    inputs = {"location": location} if location is not None else {"remoteVirtualNetwork": {"id": "/x/hub"}}

    assert azure_denies(d.ALLOWED_LOCATIONS, token, inputs) == pack_denies(LOCATION_RULE, token, inputs)


def test_the_location_fixtures_hold_both_verdicts():
    verdicts = {pack_denies(LOCATION_RULE, token, {"location": loc}) for token, loc in LOCATION_CASES if loc}
    assert verdicts == {True, False}


@pytest.mark.parametrize("location", ["westeurope", "northeurope", "eastus", "switzerlandnorth", "North Europe",
                                      "East US"])
def test_resource_group_locations_agree(location):
    token, inputs = "azure-native:resources:ResourceGroup", {"location": location}

    assert (azure_denies(d.ALLOWED_RESOURCE_GROUP_LOCATIONS, token, inputs)
            == pack_denies(LOCATION_RULE, token, inputs))


SDK_PROPERTIES_BLOCK = {"azure-native:keyvault:Vault", "azure-native:cognitiveservices:Account"}
"""Types whose azure-native inputs keep ARM's `properties` block instead of flattening it."""


def _public_access_fixtures(entry: d.PublicAccess) -> list[tuple[str, dict, bool]]:
    """(case, inputs, whether both sides must deny) as the azure-native inputs of this type carry the property."""
    def at(value):
        parts = entry.alias.split(".")
        inputs: dict = {"location": "westeurope"}
        node = inputs.setdefault("properties", {}) if entry.token in SDK_PROPERTIES_BLOCK else inputs
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if value is not None:
            node[parts[-1]] = value
        return inputs

    cases = [("disabled", at("Disabled"), False), ("disabled in lower case", at("disabled"), False),
             ("enabled", at("Enabled"), True), ("unset (Azure's default is Enabled)", at(None), True)]
    if entry.private_when:
        delegated = at(None)
        delegated["network"]["delegatedSubnetResourceId"] = "/subscriptions/x/resourceGroups/rg/providers/" \
                                                            "Microsoft.Network/virtualNetworks/v/subnets/db"
        cases.append(("unset in a delegated subnet (private by default)", delegated, False))
        explicit = at("Enabled")
        explicit["network"]["delegatedSubnetResourceId"] = delegated["network"]["delegatedSubnetResourceId"]
        cases.append(("enabled in a delegated subnet", explicit, True))
    if entry.private_if_true:
        flag, _, leaf = entry.private_if_true.rpartition(".")
        for case, access, private in (("internal, access unset", None, True),
                                      ("internal, access enabled", "Enabled", True),
                                      ("not internal, access enabled", "Enabled", False)):
            inputs = at(access)
            inputs.setdefault(flag, {})[leaf] = private
            cases.append((case, inputs, not private))
    return cases


PUBLIC_CASES = [(entry, case, inputs, denied) for entry in d.PUBLIC_ACCESS
                for case, inputs, denied in _public_access_fixtures(entry)]


@pytest.mark.parametrize(("entry", "case", "inputs", "denied"), PUBLIC_CASES,
                         ids=[f"{entry.pack_rule}: {case}" for entry, case, _, _ in PUBLIC_CASES])
def test_public_network_access_agrees(entry, case, inputs, denied):
    rule = RULES_BY_ID[entry.pack_rule]

    assert pack_denies(rule, entry.token, inputs) is denied
    assert azure_denies(d.DENY_PUBLIC_NETWORK_ACCESS, entry.token, inputs) is denied


def test_every_public_access_entry_names_a_pack_rule_for_its_type():
    for entry in d.PUBLIC_ACCESS:
        assert entry.token in RULES_BY_ID[entry.pack_rule].applies_to


def test_public_access_denial_leaves_other_types_alone():
    inputs = {"location": "westeurope", "publicNetworkAccess": "Enabled"}

    assert not azure_denies(d.DENY_PUBLIC_NETWORK_ACCESS, "azure-native:desktopvirtualization:HostPool", inputs)


def test_the_dns_zone_group_policy_targets_private_endpoints_of_its_group_and_service_only():
    def endpoint(service: str, *groups: str) -> dict:
        target = f"/subscriptions/s/resourceGroups/g/providers/{service}/x"
        return {"location": "westeurope", "privateLinkServiceConnections": [
            {"name": "c", "privateLinkServiceId": target, "groupIds": list(groups)}]}
    token = "azure-native:network:PrivateEndpoint"
    params = {"groupId": "account", "service": "/providers/Microsoft.CognitiveServices/accounts/",
              "privateDnsZoneIds": ["/z"], "effect": "DeployIfNotExists"}

    assert evaluate(d.PRIVATE_DNS_ZONE_GROUP.rule, arm_shape(token, endpoint("Microsoft.CognitiveServices/accounts",
                                                                               "account")), params)
    assert not evaluate(d.PRIVATE_DNS_ZONE_GROUP.rule, arm_shape(token, endpoint("Microsoft.CognitiveServices/accounts",
                                                                                   "vault")), params)
    # the same group id on another service (Purview's `account`) is not this zone's
    assert not evaluate(d.PRIVATE_DNS_ZONE_GROUP.rule, arm_shape(token, endpoint("Microsoft.Purview/accounts",
                                                                                   "account")), params)


def test_the_dns_table_covers_exactly_the_connectivity_zone_list():
    from amsterdam_cloud.core.private_link import city_private_link_zones

    covered = {zone.format(location="westeurope") for entry in d.PRIVATE_LINK_DNS for zone in entry.zones}

    assert covered == set(city_private_link_zones("westeurope"))
    assert all(1 <= len(entry.zones) <= 5 for entry in d.PRIVATE_LINK_DNS)  # Azure: at most 5 configs per group
    # the zone group right after the endpoint exists (Azure's default waits 10 minutes, the app would start first)
    assert d.PRIVATE_DNS_ZONE_GROUP.rule["then"]["details"]["evaluationDelay"] == "AfterProvisioning"
    assert len({entry.key for entry in d.PRIVATE_LINK_DNS}) == len(d.PRIVATE_LINK_DNS)
    assert len({(entry.group_id, entry.service) for entry in d.PRIVATE_LINK_DNS}) == len(d.PRIVATE_LINK_DNS)


def test_each_definition_declares_exactly_the_roles_its_effect_needs():
    assert {definition.name: (definition.effect, definition.roles) for definition in d.DEFINITIONS} == {
        "amsterdam-allowed-locations": ("Deny", ()),
        "amsterdam-allowed-rg-locations": ("Deny", ()),
        "amsterdam-deny-public-network-access": ("Deny", ()),
        "amsterdam-inherit-tag-from-rg": ("modify", (d.TAG_CONTRIBUTOR,)),
        "amsterdam-dine-private-dns-zone-group": ("DeployIfNotExists", (d.NETWORK_CONTRIBUTOR,)),
        "amsterdam-deny-new-resources": ("Deny", ()),
        "amsterdam-deny-vnet-peering": ("Deny", ()),
        "amsterdam-deny-resource-types": ("Deny", ()),
    }


def test_the_arm_types_written_in_the_definitions_are_the_mocks_id_templates():
    assert set(d.GLOBAL_ONLY_ARM_TYPES) == set(GLOBAL_ONLY_TYPES)
    assert all(arm_type(token) == kind for token, kind in d.GLOBAL_ONLY_ARM_TYPES.items())
    assert all(arm_type(entry.token) == entry.arm_type for entry in d.PUBLIC_ACCESS)


def test_an_indexed_definition_does_not_evaluate_resource_groups():
    group = arm_shape("azure-native:resources:ResourceGroup", {"location": "eastus"})

    assert evaluate(d.ALLOWED_LOCATIONS.rule, group, d.ALLOWED_LOCATIONS.defaults(), mode="All")
    assert not evaluate(d.ALLOWED_LOCATIONS.rule, group, d.ALLOWED_LOCATIONS.defaults(), mode=d.ALLOWED_LOCATIONS.mode)


def test_decommissioned_denies_every_new_resource_and_resource_group():
    params = d.DENY_NEW_RESOURCES.defaults()
    for token, inputs in (("azure-native:storage:StorageAccount", {"location": "westeurope"}),
                          ("azure-native:resources:ResourceGroup", {"location": "westeurope"}),
                          ("azure-native:network:VirtualNetwork", {"location": "westeurope"})):
        assert evaluate(d.DENY_NEW_RESOURCES.rule, arm_shape(token, inputs), params), token


def test_sandbox_denies_a_peering_as_its_own_resource_or_inside_a_network():
    params = d.DENY_VNET_PEERING.defaults()
    peering = arm_shape("azure-native:network:VirtualNetworkPeering",
                        {"remoteVirtualNetwork": {"id": "/subscriptions/x/hub"}})
    peered = arm_shape("azure-native:network:VirtualNetwork", {"location": "westeurope", "virtualNetworkPeerings": [
        {"name": "to-hub", "remoteVirtualNetwork": {"id": "/subscriptions/x/hub"}}]})
    isolated = arm_shape("azure-native:network:VirtualNetwork", {"location": "westeurope",
                                                                 "addressSpace": {"addressPrefixes": ["10.0.0.0/24"]}})

    assert evaluate(d.DENY_VNET_PEERING.rule, peering, params)
    assert evaluate(d.DENY_VNET_PEERING.rule, peered, params)
    assert not evaluate(d.DENY_VNET_PEERING.rule, isolated, params)


@pytest.mark.parametrize(("arm_type", "denied"), [
    ("Microsoft.Network/publicIPAddresses", True), ("Microsoft.Cdn/profiles", True),
    ("Microsoft.Network/applicationGateways", True), ("Microsoft.Network/privateEndpoints", False),
    ("Microsoft.App/managedEnvironments", False)])
def test_the_archetype_type_denial_denies_exactly_the_listed_types(arm_type, denied):
    params = {"resourceTypes": list(d.PUBLIC_INGRESS_TYPES), "effect": "Deny"}

    assert evaluate(d.DENY_RESOURCE_TYPES.rule, {"type": arm_type, "location": "westeurope"}, params,
                    mode=d.DENY_RESOURCE_TYPES.mode) is denied
