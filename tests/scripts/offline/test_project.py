"""Finding the Pulumi project as the Pulumi CLI does, and where its plans are saved and StackReferences resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.project import PLANS_DIR_ENV, PulumiProject


@pytest.fixture
def app(tmp_path) -> Path:
    """A small project with its program in src/ and stack files in stacks/."""
    root = tmp_path / "parkeer"
    (root / "src" / "deep").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: parkeer\nruntime: python\nmain: src/\nstackConfigDir: stacks\n")
    return root


def test_the_project_is_the_current_folder_when_it_has_a_pulumi_yaml(app):
    project = PulumiProject.discover(start=app)

    assert (project.root, project.name, project.origin) == (app, "parkeer", "the current folder")
    assert (project.program_dir, project.stack_config_dir) == (app / "src/", app / "stacks")


def test_the_project_is_the_nearest_parent_with_a_pulumi_yaml(app):
    project = PulumiProject.discover(start=app / "src" / "deep")

    assert (project.root, project.origin) == (app, "a parent of the current folder")


def test_project_dir_overrides_the_search(app, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "Pulumi.yaml").write_text("name: other\nruntime: python\n")

    project = PulumiProject.discover(other, start=app)

    assert (project.name, project.origin) == ("other", "--project-dir")


def test_no_pulumi_yaml_up_to_the_root_is_one_clear_error(tmp_path):
    with pytest.raises(UserError, match="no Pulumi.yaml here or in any parent folder; run cityctl inside a Pulumi "
                                        "project or pass --project-dir DIR"):
        PulumiProject.discover(start=tmp_path)


def test_plans_live_in_the_projects_out_plans_unless_told_otherwise(app, monkeypatch):
    monkeypatch.delenv(PLANS_DIR_ENV, raising=False)
    project = PulumiProject.discover(start=app)

    assert project.plans_dir() == app / "out" / "plans"
    monkeypatch.setenv(PLANS_DIR_ENV, "/srv/platform-plans")
    assert project.plans_dir() == Path("/srv/platform-plans")
    assert project.plans_dir(Path("given")) == Path("given")


def test_the_first_line_names_project_origin_stack_and_plans(app, monkeypatch):
    monkeypatch.chdir(app)
    project = PulumiProject.discover()

    assert project.describe(["dev"], project.plans_dir(Path("plans"))) == (
        "project parkeer (Pulumi.yaml, from the current folder), stack dev; plans in plans")
