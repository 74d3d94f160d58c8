"""Governance value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="defender-plan-standard", title="Microsoft Defender plans are on (Standard tier)",
               severity=Severity.HIGH, controls=("BIO 12.2.1", "BIO 12.6.1", "CIS 2.1.1"),
               applies_to=("azure-native:security:Pricing",), path="pricingTier", allowed=("Standard",),
               default=UNSET, fix="set pricingTier='Standard'",
               defaults_source="security Pricing, API 2024-01-01: pricingTier is required (Free or Standard)"),
)
