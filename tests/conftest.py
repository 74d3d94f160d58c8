"""Shared fixtures: plan a program offline under the real engine and mocks, exactly as `cityctl plan` does."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack


@pytest.fixture
def plan_inline(tmp_path: Path) -> Callable[..., Plan]:
    """Plan an inline program (a function that builds resources or components) with a stack's config."""

    def plan(program: Callable[[], None], stack: str = "dev", **options) -> Plan:
        return plan_stack(PulumiProject.load(), stack, inline_program=program, plans_dir=tmp_path, **options)

    return plan
