"""The platform outputs contract: the platform exports exactly `PlatformOutputs`, and every consumer (workplace,
analytics, the app template) planned against a platform whose output was renamed stops with one line naming the
stack reference, the output and the fix."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.platform_outputs import PlatformOutputs, output_name
from amsterdam_cloud.scripts.offline.plan import stack_outputs_of
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

ROOT = Path(__file__).resolve().parents[2]
RENAMED = ("workspaceId", "workspaceResourceId")


def test_the_platform_exports_exactly_the_contract(stack_plan):
    assert sorted(stack_plan("dev").stack_outputs) == sorted(output_name(item.name) for item in fields(PlatformOutputs))


def platform_with(outputs: dict, **changes) -> dict:
    renamed = {(RENAMED[1] if key == RENAMED[0] else key): value for key, value in outputs.items()}
    return {**renamed, **changes}


def consumer(name: str, tmp_path: Path) -> PulumiProject:
    if name == "app":
        from tests.templates.test_app_template import render

        return PulumiProject.load(render(tmp_path / "parkeer", project="parkeer", description="Parkeren"))
    return PulumiProject.load(ROOT / "stacks" / name)


@pytest.mark.parametrize("project", ["workplace", "analytics", "app"])
def test_a_consumer_of_a_platform_with_a_renamed_output_stops_with_the_reference_the_output_and_the_fix(
        platform_plans, tmp_path, project):
    outputs, secret = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    with pytest.raises(UserError) as raised:
        plan_stack(consumer(project, tmp_path), "dev",
                   stack_outputs=lambda name: (platform_with(outputs), secret))
    message = str(raised.value)
    assert "stack reference organization/amsterdam-platform/dev: has no output 'workspaceId' (it has " \
           "'workspaceResourceId': renamed?)" in message
    assert "deploy (or re-plan) that platform stack" in message and "\n" not in message


def test_a_structured_output_without_a_key_names_the_key(platform_plans, tmp_path):
    outputs, secret = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    door = {key: value for key, value in outputs["frontDoor"].items() if key != "wafPolicyId"}
    with pytest.raises(UserError, match=r"output 'frontDoor' has no wafPolicyId \(it has certificateVaultId, "
                                        r"profileName, resourceGroupName\)"):
        plan_stack(consumer("app", tmp_path), "dev",
                   stack_outputs=lambda name: ({**outputs, "frontDoor": door}, secret))


def test_an_output_of_the_wrong_kind_is_refused(platform_plans, tmp_path):
    outputs, secret = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    with pytest.raises(UserError, match=r"output 'spokeSubnetIds' is a str, PlatformOutputs \(core/platform_outputs"
                                        r"\.py\) expects a mapping"):
        plan_stack(consumer("workplace", tmp_path), "dev",
                   stack_outputs=lambda name: ({**outputs, "spokeSubnetIds": "none"}, secret))


@pytest.mark.parametrize("project", ["workplace", "app"])
def test_a_consumer_reads_the_contracts_outputs_by_name_so_a_new_platform_output_replans_none_of_them(
        platform_plans, tmp_path, project):
    from amsterdam_cloud.scripts.offline import reference_reads

    outputs, secret = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    with reference_reads.recording() as reads:
        plan_stack(consumer(project, tmp_path), "dev",
                   stack_outputs=lambda name: ({**outputs, "somethingNew": "x"}, secret))
    read = reads["organization/amsterdam-platform/dev"]
    assert reference_reads.ALL not in read and "somethingNew" not in read
    assert {output_name(item.name) for item in fields(PlatformOutputs)} <= read
