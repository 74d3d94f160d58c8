"""The policy pack config names each environment's central Log Analytics workspace exactly as the platform builds it.

App, workplace and analytics stacks send diagnostics to that workspace through a StackReference; the pack knows it
as the city's workspace only through `logAnalyticsWorkspaceIds`, so the two must never drift apart.
"""

from __future__ import annotations

import json

import pytest

from amsterdam_cloud.policies.settings import PACK_DIR

ENVIRONMENTS = ("dev", "test", "acc", "prod")


def configured_ids(environment: str) -> set[str]:
    document = json.loads((PACK_DIR / "config" / f"{environment}.json").read_text())
    ids = set()
    for block in document.values():
        if isinstance(block, dict) and "logAnalyticsWorkspaceIds" in block:
            ids |= set(block["logAnalyticsWorkspaceIds"])
    return ids


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pack_config_lists_the_platforms_exported_workspace(stack_plan, environment):
    exported = stack_plan(environment).stack_outputs["workspaceId"]
    assert configured_ids(environment) == {exported}
