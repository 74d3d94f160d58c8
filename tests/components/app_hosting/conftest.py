"""Fixtures for the app-hosting components: saved platform plans to resolve StackReferences against, and the
policy check an app stack gets."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path


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
