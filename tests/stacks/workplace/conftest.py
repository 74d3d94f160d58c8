"""Plans of the four workplace stacks, each on top of its platform stack's plan, made once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path

REPO_ROOT = Path(__file__).resolve().parents[3]
WORKPLACE_DIR = REPO_ROOT / "stacks" / "workplace"


@pytest.fixture(scope="session")
def workplace_plan(stack_plan, tmp_path_factory) -> Callable[[str], Plan]:
    """`workplace_plan("dev")`: the platform's dev plan saved where the StackReference looks, then the workplace's."""
    plans: dict[str, Plan] = {}
    plans_dir: Path = tmp_path_factory.mktemp("workplace-plans")

    def get(stack: str) -> Plan:
        if stack not in plans:
            platform = stack_plan(stack)
            write_atomically(saved_plan_path(plans_dir, "amsterdam-platform", stack), platform.export_text())
            plans[stack] = plan_stack(PulumiProject.load(WORKPLACE_DIR), stack, plans_dir=plans_dir)
        return plans[stack]

    return get
