"""Plans of the four stacks, made once per test session: the real program under the offline engine."""

from __future__ import annotations

from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack


@pytest.fixture(scope="session")
def stack_plan(tmp_path_factory) -> Callable[[str], Plan]:
    plans: dict[str, Plan] = {}
    plans_dir = tmp_path_factory.mktemp("plans")

    def get(stack: str) -> Plan:
        if stack not in plans:
            plans[stack] = plan_stack(PulumiProject.load(), stack, plans_dir=plans_dir)
        return plans[stack]

    return get
