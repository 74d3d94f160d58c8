"""What the estate is: projects found under a root or listed in a file, their stacks, and shards of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.estate import Shard, StackId, discover

REPO = Path(__file__).resolve().parents[3]


def project(folder: Path, name: str, *stacks: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    for stack in stacks:
        (folder / f"Pulumi.{stack}.yaml").write_text("config: {}\n")
    return folder


def test_this_repository_is_an_estate_of_its_projects_without_the_app_template():
    estate = discover(REPO)
    assert [p.name for p in estate.projects] == ["amsterdam-platform", "amsterdam-analytics", "amsterdam-connectivity",
                                                 "amsterdam-governance", "amsterdam-landing-zones",
                                                 "amsterdam-state-backend", "amsterdam-workplace"]
    assert StackId("amsterdam-platform", "prod") in estate.stacks
    assert StackId("amsterdam-governance", "prod") in estate.stacks


def test_outputs_virtualenvs_and_hidden_folders_are_not_searched(tmp_path: Path):
    project(tmp_path / "app", "app", "dev")
    project(tmp_path / "app" / "out" / "copy", "copy", "dev")
    project(tmp_path / ".venv" / "lib", "installed", "dev")
    assert [p.name for p in discover(tmp_path).projects] == ["app"]


def test_two_projects_of_one_name_are_refused_naming_both(tmp_path: Path):
    project(tmp_path / "a", "parkeer", "dev")
    project(tmp_path / "b", "parkeer", "dev")
    with pytest.raises(UserError, match=r"b/Pulumi.yaml: name: 'parkeer' is also the project in .*a/Pulumi.yaml"):
        discover(tmp_path)


def test_a_projects_file_lists_exactly_the_projects_planned(tmp_path: Path):
    project(tmp_path / "platform", "platform", "dev")
    project(tmp_path / "apps" / "parkeer", "parkeer", "dev", "prod")
    project(tmp_path / "apps" / "afval", "afval", "dev")
    listing = tmp_path / "estate.txt"
    listing.write_text("# the estate\nplatform\n\napps/parkeer  # the parking app\n")
    estate = discover(Path("unused"), listing)
    assert [p.name for p in estate.projects] == ["platform", "parkeer"]
    assert estate.root == tmp_path
    assert estate.stacks == [StackId("platform", "dev"), StackId("parkeer", "dev"), StackId("parkeer", "prod")]


def test_a_listed_folder_without_a_project_names_the_line(tmp_path: Path):
    listing = tmp_path / "estate.txt"
    listing.write_text("platform\n")
    with pytest.raises(UserError, match=r"estate.txt:1: 'platform' has no Pulumi.yaml"):
        discover(tmp_path, listing)


def test_a_root_without_projects_is_refused(tmp_path: Path):
    with pytest.raises(UserError, match="no Pulumi project found"):
        discover(tmp_path)


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_a_shard_is_i_of_n(text: str):
    with pytest.raises(UserError, match=r"--shard .*expected i/N with 1 <= i <= N"):
        Shard.parse(text)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_split_the_stacks_into_consecutive_parts_that_cover_them_once(count: int):
    stacks = [StackId(f"app-{i // 4}", f"s{i}") for i in range(22)]
    parts = [Shard.parse(f"{i}/{count}").owned(stacks) for i in range(1, count + 1)]
    assert [stack for part in parts for stack in part] == stacks
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
