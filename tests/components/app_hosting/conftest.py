"""Fixtures for the app-hosting components: an inline app program planned against a saved platform plan."""

from __future__ import annotations

from pathlib import Path

import shutil
from typing import Callable

import pytest

from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path

PLATFORM_DIR = Path(__file__).resolve().parents[3]
"""The platform project (this checkout's root Pulumi.yaml)."""


@pytest.fixture
def plan_app(tmp_path, platform_plans) -> Callable[..., Plan]:
    """Plan an inline program against the saved platform plan of `environment` (StackReferences resolve)."""

    def plan(program: Callable[[], None], environment: str = "dev") -> Plan:
        shutil.copy(platform_plans(environment), saved_plan_path(tmp_path, "amsterdam-platform", environment))
        return plan_stack(PulumiProject.load(PLATFORM_DIR), environment, inline_program=program, plans_dir=tmp_path)

    return plan
