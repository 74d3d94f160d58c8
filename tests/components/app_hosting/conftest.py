"""Fixtures for the app-hosting components: saved platform plans to resolve StackReferences against, and a
stand-in for one missing mock behaviour (see `arm_identity_outputs`)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline import azure_mocks
from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path


@pytest.fixture(autouse=True)
def arm_identity_outputs(monkeypatch):
    """ARM returns `identity.userAssignedIdentities` as a map of id -> {principalId, clientId}; the shared mocks
    echo the input list, which the SDK cannot read back for ContainerApp/WebApp. Until the mocks do this
    themselves (reported to the offline engine's owner), shape the output the way ARM does."""
    original = azure_mocks.AzureMocks.new_resource

    def new_resource(self, args):
        resource_id, state = original(self, args)
        identity = state.get("identity")
        if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
            state["identity"] = {**identity, "userAssignedIdentities": {
                ref: {"principalId": azure_mocks.derived_guid("principal", ref),
                      "clientId": azure_mocks.derived_guid("client", ref)}
                for ref in identity["userAssignedIdentities"] if isinstance(ref, str)}}
        return resource_id, state

    monkeypatch.setattr(azure_mocks.AzureMocks, "new_resource", new_resource)


@pytest.fixture(scope="session")
def platform_plans(tmp_path_factory) -> Callable[[str], Path]:
    """The platform stack's plan for an environment, planned once per test session (a few seconds each)."""
    directory = tmp_path_factory.mktemp("platform-plans")

    def plan_of(environment: str) -> Path:
        path = saved_plan_path(directory, "amsterdam-platform", environment)
        if not path.exists():
            write_atomically(path, plan_stack(PulumiProject.load(), environment, plans_dir=directory).export_text())
        return path

    return plan_of


@pytest.fixture
def plan_app(tmp_path, platform_plans) -> Callable[..., Plan]:
    """Plan an inline program against the saved platform plan of `environment` (StackReferences resolve)."""

    def plan(program: Callable[[], None], environment: str = "dev") -> Plan:
        shutil.copy(platform_plans(environment), saved_plan_path(tmp_path, "amsterdam-platform", environment))
        return plan_stack(PulumiProject.load(), environment, inline_program=program, plans_dir=tmp_path)

    return plan


@pytest.fixture
def violations():
    """The policy findings of a plan with the environment's committed pack config (which names the central
    workspace, so app stacks' diagnostic settings are recognised) and the committed waivers file (no app waivers)."""
    from amsterdam_cloud.policies.checker import check_export

    def check(plan: Plan, environment: str = "dev") -> list[str]:
        result = check_export(plan.to_export(), environment=environment, stack=environment)
        return [f"{'waived ' if f in result.waived else ''}{f.policy}: {f.urn.rsplit('::', 1)[-1]}: {f.message}"
                for f in result.findings + result.waived]

    return check
