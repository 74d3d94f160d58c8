"""Files every command writes and names: written whole or not at all, and shown as the person typed them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from amsterdam_cloud.scripts.errors import UserError


def display(path: Path | str) -> str:
    """A path as people read it in messages: relative to the working folder when it lies inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def write_atomically(path: Path | str, text: str) -> None:
    """Write a file so that readers see the old content or the new one, never a torn one.

    The text goes to a temporary file in the same folder (same file system), is flushed to disk, and then
    replaces the target in one `os.replace`; on any failure the temporary file is removed.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise UserError(f"{display(path)}: cannot write ({error.strerror}); choose a writable output path") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
