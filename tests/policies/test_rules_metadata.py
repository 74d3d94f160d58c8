"""Every rule carries the metadata the packs and reports rely on, and names only types that exist."""

import re

import pytest

from amsterdam_cloud.policies.azure_types import catalog, generate
from amsterdam_cloud.policies.rules import ALL_RULES
from amsterdam_cloud.policies.settings import PROPERTY_SCHEMAS


def test_the_pack_has_at_least_forty_rules():
    assert len(ALL_RULES) >= 40


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.id)
    assert rule.title and rule.remediation and "\n" not in rule.remediation
    assert rule.bio_controls, "every rule serves at least one BIO control"
    assert all(re.fullmatch(r"(BIO|CIS) \d+(\.\d+)+", c) for c in rule.controls)
    assert set(rule.settings) <= set(PROPERTY_SCHEMAS)


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.applies_to], ids=lambda r: r.id)
def test_rule_applies_only_to_types_the_installed_sdk_has(rule):
    unknown = [t for t in rule.applies_to if t not in catalog()]
    assert unknown == []


def test_type_catalog_matches_the_installed_sdk():
    import pulumi_azure_native
    from pathlib import Path

    assert generate(Path(pulumi_azure_native.__file__).parent) == catalog()
