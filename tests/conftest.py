"""Shared fixtures: plan a program offline under the real engine and mocks, exactly as `cityctl plan` does."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path

PLATFORM_DIR = Path(__file__).resolve().parents[1]
"""The platform project (this checkout's root Pulumi.yaml)."""


@pytest.fixture
def plan_inline(tmp_path: Path) -> Callable[..., Plan]:
    """Plan an inline program (a function that builds resources or components) with a stack's config."""

    def plan(program: Callable[[], None], stack: str = "dev", **options) -> Plan:
        return plan_stack(PulumiProject.load(PLATFORM_DIR), stack, inline_program=program, plans_dir=tmp_path, **options)

    return plan


@pytest.fixture(scope="session")
def stack_plan(tmp_path_factory) -> Callable[[str], Plan]:
    """`stack_plan("dev")`: the platform stack's plan, made once per test session (a few seconds each)."""
    plans: dict[str, Plan] = {}
    plans_dir = tmp_path_factory.mktemp("plans")

    def get(stack: str) -> Plan:
        if stack not in plans:
            plans[stack] = plan_stack(PulumiProject.load(PLATFORM_DIR), stack, plans_dir=plans_dir)
        return plans[stack]

    return get


@pytest.fixture(scope="session")
def platform_plans(stack_plan, tmp_path_factory) -> Callable[[str], Path]:
    """The platform stack's saved plan file for an environment, where StackReferences of app stacks look."""
    directory = tmp_path_factory.mktemp("platform-plans")

    def plan_of(environment: str) -> Path:
        path = saved_plan_path(directory, "amsterdam-platform", environment)
        if not path.exists():
            write_atomically(path, stack_plan(environment).export_text())
        return path

    return plan_of


@pytest.fixture
def violations() -> Callable[..., list[str]]:
    """The policy findings of a plan with the environment's committed pack config (which names the central
    workspace, so app stacks' diagnostic settings are recognised) and the committed waivers file."""
    from amsterdam_cloud.policies.checker import check_export

    def check(plan: Plan, environment: str = "dev") -> list[str]:
        result = check_export(plan.to_export(), environment=environment, stack=environment)
        return [f"{'waived ' if f in result.waived else ''}{f.policy}: {f.urn.rsplit('::', 1)[-1]}: {f.message}"
                for f in result.findings + result.waived]

    return check
