"""The policy pack config requires exactly the Defender for Cloud plans the platform stack switches to Standard.

`defender-required-plans` knows which plans must exist only through `requiredDefenderPlans` and `subscriptionStacks`;
the platform declares them from its config (`features.defenderPlans`, `CITY_DEFENDER_PLANS`), so the two must
never drift apart: a plan dropped from the stack would otherwise pass unnoticed, one added would go unchecked.
"""

from __future__ import annotations

import json

import pytest

from amsterdam_cloud.core.program_config import PLATFORM_PROJECT
from amsterdam_cloud.policies.settings import config_path

ENVIRONMENTS = ("dev", "test", "acc", "prod")


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pack_config_requires_the_plans_the_platform_declares_on_its_own_stack(stack_plan, environment):
    block = json.loads(config_path(environment).read_text())["defender-required-plans"]
    declared = {r.inputs["pricingName"] for r in stack_plan(environment).resources
                if r.type == "azure-native:security:Pricing" and r.inputs.get("pricingTier") == "Standard"}
    assert set(block["requiredDefenderPlans"]) == declared
    assert block["subscriptionStacks"] == [f"{PLATFORM_PROJECT}/{environment}"]
