"""Every command's file writes are whole or absent, and paths are shown as people typed them."""

from __future__ import annotations

from pathlib import Path

import pytest

from amsterdam_cloud.scripts import files
from amsterdam_cloud.scripts.errors import UserError


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_text("old\n")

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        files.write_atomically(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_write_creates_missing_folders_and_replaces_the_whole_file(tmp_path: Path):
    target = tmp_path / "out" / "plans" / "dev.json"
    files.write_atomically(target, "first\n")
    files.write_atomically(target, "second\n")
    assert target.read_text() == "second\n"


def test_an_unwritable_folder_is_one_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(UserError, match="cannot write"):
        files.write_atomically(blocker / "plan.json", "x")


def test_paths_below_the_working_folder_are_shown_relative(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert files.display(tmp_path / "stacks" / "Pulumi.dev.yaml") == "stacks/Pulumi.dev.yaml"
    assert files.display("/elsewhere/x.yaml") == "/elsewhere/x.yaml"
