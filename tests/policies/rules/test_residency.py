"""EU data residency: regions, display names, global-only types, replicas, AI deployment types, unknown locations."""

import pytest

from tests.policies.rule_fixtures import UNKNOWN_VALUE, violations
from amsterdam_cloud.policies.rules.residency import (ai_deployment_data_zone, allowed_locations,
                                                      avd_metadata_location, communication_data_location,
                                                      cosmosdb_replica_locations, storage_cross_tenant_replication)

LOCATION = allowed_locations.RULE
STORAGE = "azure-native:storage:StorageAccount"


@pytest.mark.parametrize("location", ["westeurope", "West Europe", "west-europe", "NorthEurope", "swedencentral",
                                      "Germany West Central", "francecentral", "italynorth", "polandcentral"])
def test_eu_region_in_any_spelling_passes(location):
    assert violations(LOCATION, {"location": location}, token=STORAGE) == []


@pytest.mark.parametrize("location", ["uksouth", "UK West", "switzerlandnorth", "Norway East"])
def test_european_region_outside_the_eu_is_a_violation_saying_so(location):
    found = violations(LOCATION, {"location": location}, token=STORAGE)
    assert len(found) == 1 and "outside the EU" in found[0]


@pytest.mark.parametrize("location", ["eastus", "japaneast"])
def test_region_outside_europe_is_a_violation(location):
    assert len(violations(LOCATION, {"location": location}, token=STORAGE)) == 1


def test_made_up_region_is_a_violation():
    found = violations(LOCATION, {"location": "amsterdamcentral"}, token=STORAGE)
    assert "not a known Azure region" in found[0]


def test_location_that_is_not_a_string_is_a_violation_not_a_crash():
    assert len(violations(LOCATION, {"location": ["westeurope"]}, token=STORAGE)) == 1


def test_allowed_regions_come_from_pack_config():
    assert violations(LOCATION, {"location": "westeurope"}, token=STORAGE, allowedRegions=["northeurope"]) != []
    assert violations(LOCATION, {"location": "northeurope"}, token=STORAGE, allowedRegions=["North Europe"]) == []


@pytest.mark.parametrize("token", ["azure-native:dns:Zone", "azure-native:privatedns:PrivateZone",
                                   "azure-native:frontdoor:Policy", "azure-native:cdn:Profile",
                                   "azure-native:trafficmanager:Profile", "azure-native:monitor:ActionGroup"])
def test_global_is_accepted_for_global_only_types(token):
    assert violations(LOCATION, {"location": "Global"}, token=token) == []


def test_global_is_a_violation_for_a_regional_type():
    found = violations(LOCATION, {"location": "global"}, token=STORAGE)
    assert len(found) == 1 and "regional instances" in found[0]


def test_global_only_type_in_a_non_eu_region_is_still_a_violation():
    assert violations(LOCATION, {"location": "eastus"}, token="azure-native:monitor:ActionGroup") != []


@pytest.mark.parametrize("environment", ["acc", "prod"])
def test_unknown_location_is_a_violation_in_acc_and_prod(environment):
    found = violations(LOCATION, {"location": UNKNOWN_VALUE}, token=STORAGE, environment=environment)
    assert len(found) == 1 and "unknown" in found[0]


@pytest.mark.parametrize("environment", ["dev", "test"])
def test_unknown_location_passes_in_dev_and_test(environment):
    assert violations(LOCATION, {"location": UNKNOWN_VALUE}, token=STORAGE, environment=environment) == []


def test_unset_location_passes_because_it_inherits_the_resource_group():
    assert violations(LOCATION, {"kind": "StorageV2"}, token=STORAGE) == []


REPLICAS = {"locations": [{"locationName": "westeurope", "failoverPriority": 0},
                          {"locationName": "North Europe", "failoverPriority": 1}]}


def test_cosmos_replicas_in_the_eu_pass():
    assert violations(cosmosdb_replica_locations.RULE, REPLICAS) == []


def test_cosmos_replica_outside_the_eu_is_a_violation_naming_the_replica():
    props = {"locations": [*REPLICAS["locations"], {"locationName": "uksouth", "failoverPriority": 2}]}
    found = violations(cosmosdb_replica_locations.RULE, props)
    assert len(found) == 1 and "locations[2]" in found[0]


def test_cosmos_replica_list_unknown_is_a_violation_in_prod():
    assert violations(cosmosdb_replica_locations.RULE, {"locations": UNKNOWN_VALUE}) != []


@pytest.mark.parametrize("sku", ["DataZoneStandard", "Standard", "ProvisionedManaged", "DataZoneProvisionedManaged"])
def test_ai_deployment_types_inside_the_eu_boundary_pass(sku):
    assert violations(ai_deployment_data_zone.RULE, {"sku": {"name": sku, "capacity": 10}}) == []


@pytest.mark.parametrize("sku", ["GlobalStandard", "GlobalProvisionedManaged", "GlobalBatch"])
def test_global_ai_deployment_types_are_a_violation(sku):
    found = violations(ai_deployment_data_zone.RULE, {"sku": {"name": sku}})
    assert len(found) == 1 and "outside the EU" in found[0]


def test_ai_deployment_without_sku_is_a_violation():
    assert violations(ai_deployment_data_zone.RULE, {"model": {"name": "gpt-4o"}}) != []


def test_communication_data_location_in_europe_passes():
    assert violations(communication_data_location.RULE, {"location": "global", "dataLocation": "Europe"}) == []


@pytest.mark.parametrize("where", ["United States", "UK", "Switzerland", "Norway"])
def test_communication_data_location_outside_the_eu_is_a_violation(where):
    assert len(violations(communication_data_location.RULE, {"dataLocation": where})) == 1


def test_communication_service_without_data_location_is_a_violation():
    assert len(violations(communication_data_location.RULE, {"location": "global"})) == 1


def test_avd_metadata_in_west_europe_passes():
    assert violations(avd_metadata_location.RULE, {"location": "West Europe"}) == []


@pytest.mark.parametrize("where", ["uksouth", "swedencentral", "eastus"])
def test_avd_metadata_outside_the_eu_metadata_regions_is_a_violation(where):
    assert len(violations(avd_metadata_location.RULE, {"location": where})) == 1


def test_cross_tenant_replication_on_is_a_violation():
    assert len(violations(storage_cross_tenant_replication.RULE, {"allowCrossTenantReplication": True})) == 1


def test_cross_tenant_replication_unset_passes_because_azure_defaults_to_off():
    assert violations(storage_cross_tenant_replication.RULE, {}) == []


def test_null_location_counts_as_unset_not_unknown():
    assert violations(LOCATION, {"location": None}, token=STORAGE) == []
