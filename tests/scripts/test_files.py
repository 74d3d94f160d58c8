"""Every command's file writes are whole or absent, and paths are shown as people typed them."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from amsterdam_cloud.scripts import files
from amsterdam_cloud.core.errors import UserError


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "plan.json"
    target.write_text("old\n")

    def broken_replace(source, destination):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(files.WriteFailed, match="plan.json: cannot write: no space left on the device"):
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


def test_a_dash_writes_to_standard_output(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert files.write_output("-", "report\n") == "<stdout>"
    assert capsys.readouterr().out == "report\n"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("kind", ["folder", "fifo", "symlink", "device"])
def test_a_target_that_is_not_a_regular_file_is_refused_and_left_alone(tmp_path: Path, kind: str):
    import os

    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real").write_text("kept\n")
        target.symlink_to(tmp_path / "real")
    else:
        target = Path("/dev/null")
    before = target.lstat()
    with pytest.raises(UserError, match="not a regular file; name a file to write"):
        files.write_atomically(target, "x")
    after = target.lstat()
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_existing_file_keeps_its_mode(tmp_path: Path):
    target = tmp_path / "evidence.md"
    target.write_text("old\n")
    target.chmod(0o600)
    files.write_atomically(target, "new\n")
    assert (target.stat().st_mode & 0o777, target.read_text()) == (0o600, "new\n")
    files.write_atomically(tmp_path / "fresh.md", "x")
    assert (tmp_path / "fresh.md").stat().st_mode & 0o777 == files.DEFAULT_MODE


def test_every_writer_treats_a_dash_as_standard_output(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    files.write_atomically("-", "inventory\n")
    assert capsys.readouterr().out == "inventory\n"
    assert list(tmp_path.iterdir()) == []
