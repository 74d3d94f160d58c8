"""Tags and the algorithm register rules."""

import pytest

from tests.policies.rule_fixtures import UNKNOWN_VALUE, city_tags, violations
from amsterdam_cloud.policies.rules.tags import (algorithm_register_id, algorithm_registered, data_classification,
                                                 environment_matches, required)

STORAGE = "azure-native:storage:StorageAccount"
AI = "azure-native:cognitiveservices:Account"


def test_resource_with_all_city_tags_passes():
    assert violations(required.RULE, {"tags": city_tags()}, token=STORAGE) == []


@pytest.mark.parametrize("tag", ["owner", "cost-center", "environment", "data-classification", "application"])
def test_each_missing_tag_is_named(tag):
    tags = {k: v for k, v in city_tags().items() if k != tag}
    found = violations(required.RULE, {"tags": tags}, token=STORAGE)
    assert len(found) == 1 and tag in found[0]


def test_empty_tag_value_counts_as_missing():
    assert "owner" in violations(required.RULE, {"tags": city_tags(owner=" ")}, token=STORAGE)[0]


def test_resource_without_tags_is_a_violation():
    assert len(violations(required.RULE, {}, token=STORAGE)) == 1


def test_tags_that_are_not_a_mapping_are_a_violation():
    assert "not a mapping" in violations(required.RULE, {"tags": "owner=me"}, token=STORAGE)[0]


def test_tags_unknown_at_plan_time_are_a_violation_in_prod_only():
    assert violations(required.RULE, {"tags": UNKNOWN_VALUE}, token=STORAGE) != []
    assert violations(required.RULE, {"tags": UNKNOWN_VALUE}, token=STORAGE, environment="dev") == []


def test_untaggable_type_is_not_checked():
    assert "azure-native:network:SecurityRule" not in required.RULE.applies_to


@pytest.mark.parametrize("level", ["BBN1", "BBN2", "BBN3", "bbn2"])
def test_bio_levels_pass(level):
    assert violations(data_classification.RULE, {"tags": city_tags(**{"data-classification": level})},
                      token=STORAGE) == []


@pytest.mark.parametrize("level", ["secret", "BBN4", "public"])
def test_classification_that_is_not_a_bio_level_is_a_violation(level):
    assert len(violations(data_classification.RULE, {"tags": city_tags(**{"data-classification": level})},
                          token=STORAGE)) == 1


def test_environment_tag_of_another_environment_is_a_violation():
    assert len(violations(environment_matches.RULE, {"tags": city_tags("dev")}, token=STORAGE)) == 1


def test_environment_tag_matching_the_stack_passes():
    assert violations(environment_matches.RULE, {"tags": city_tags("acc")}, token=STORAGE, environment="acc") == []


def test_ai_service_with_register_id_passes():
    props = {"tags": city_tags(**{"algorithm-register-id": "90127461"})}
    assert violations(algorithm_register_id.RULE, props, token=AI) == []


def test_ai_service_without_register_id_is_a_violation():
    assert len(violations(algorithm_register_id.RULE, {"tags": city_tags()}, token=AI)) == 1


def test_ml_workspace_without_register_id_is_a_violation():
    assert len(violations(algorithm_register_id.RULE, {"tags": city_tags()},
                          token="azure-native:machinelearningservices:Workspace")) == 1


def test_resource_tagged_as_running_an_algorithm_needs_a_register_id():
    props = {"tags": city_tags(**{"runs-algorithm": "true"})}
    assert len(violations(algorithm_register_id.RULE, props, token="azure-native:web:WebApp")) == 1


def test_ordinary_resource_needs_no_register_id():
    assert violations(algorithm_register_id.RULE, {"tags": city_tags()}, token=STORAGE) == []


def test_register_id_missing_from_the_snapshot_is_a_violation_in_prod():
    props = {"tags": city_tags(**{"algorithm-register-id": "00000000"})}
    found = violations(algorithm_registered.RULE, props, token=AI)
    assert len(found) == 1 and "00000000" in found[0]


def test_register_id_missing_from_the_snapshot_passes_in_acc():
    props = {"tags": city_tags("acc", **{"algorithm-register-id": "00000000"})}
    assert violations(algorithm_registered.RULE, props, token=AI, environment="acc") == []


def test_register_id_in_the_snapshot_passes_in_prod():
    props = {"tags": city_tags(**{"algorithm-register-id": "90127488"})}
    assert violations(algorithm_registered.RULE, props, token=AI) == []
