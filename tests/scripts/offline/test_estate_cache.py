"""`plan_cache`: which toolkit files are in which project's key, on this repository's own projects (an edit is
simulated by reading one file with a line appended, so the checkout is never changed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from amsterdam_cloud.scripts.offline import plan_cache
from amsterdam_cloud.scripts.offline.estate import discover

REPO = Path(__file__).resolve().parents[3]
PLATFORM, LANDING_ZONES = "amsterdam-platform", "amsterdam-landing-zones"


def fingerprints() -> dict[str, str]:
    """Every project's fingerprint of this repository, computed afresh."""
    plan_cache.engine_fingerprint.cache_clear()
    plan_cache._imported_names.cache_clear()
    return {project.name: plan_cache.project_fingerprint(project) for project in discover(REPO).projects}


def edited(monkeypatch, relative: str) -> dict[str, str]:
    """The fingerprints as they would be with a comment line appended to `relative` (a path in the repository)."""
    target = (REPO / relative).resolve()
    assert target.is_file()
    original = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        content = original(path)
        return content + b"\n# edited\n" if path.resolve() == target else content

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    try:
        return fingerprints()
    finally:
        monkeypatch.undo()
        plan_cache.engine_fingerprint.cache_clear()
        plan_cache._imported_names.cache_clear()


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


@pytest.fixture(scope="module")
def unedited() -> dict[str, str]:
    return fingerprints()


def test_an_edit_to_the_platform_program_changes_the_platform_key_only(unedited, monkeypatch):
    assert changed(unedited, edited(monkeypatch, "stacks/__main__.py")) == {PLATFORM}


def test_an_edit_to_a_command_no_plan_runs_changes_no_key(unedited, monkeypatch):
    assert changed(unedited, edited(monkeypatch, "scripts/migrate/status.py")) == set()


def test_an_edit_to_a_component_changes_the_keys_of_the_projects_that_import_it(unedited, monkeypatch):
    after = changed(unedited, edited(monkeypatch, "components/workplace/host_pool.py"))
    assert after == {"amsterdam-workplace"}


def test_a_module_another_project_imports_is_in_its_key_with_the_data_beside_it(unedited, monkeypatch):
    # the landing zones read the governance tenant stack's file through its config module
    assert LANDING_ZONES in changed(unedited, edited(monkeypatch, "stacks/governance/Pulumi.prod.yaml"))
    assert LANDING_ZONES in changed(unedited, edited(monkeypatch, "stacks/governance/config.py"))


@pytest.mark.parametrize("relative", ["core/clock.py", "policies/rules/storage/__init__.py", "policies/azure_types.json",
                                      "scripts/offline/azure_mocks.py", "scripts/offline/estate_plan.py"])
def test_an_edit_to_the_engine_the_bottom_layer_or_the_policy_pack_changes_every_key(unedited, monkeypatch,
                                                                                     relative: str):
    after = edited(monkeypatch, relative)
    assert changed(unedited, after) == set(unedited)



def test_a_toolkit_projects_stack_file_is_in_the_keys_of_the_projects_that_read_it(unedited, monkeypatch):
    # the connectivity stack reads every environment's stack file; the platform reads its siblings' through it
    after = changed(unedited, edited(monkeypatch, "stacks/Pulumi.prod.yaml"))
    assert {PLATFORM, "amsterdam-connectivity"} <= after
