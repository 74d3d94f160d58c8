"""Files every command writes and names: written whole or not at all, and shown as the person typed them."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from amsterdam_cloud.core.errors import UserError, display

STDOUT = "-"
"""The output path that means standard output."""
DEFAULT_MODE = 0o644
"""The mode of a new output file (an existing file keeps its own)."""


def write_output(path: Path | str, text: str) -> str:
    """Write a command's output to `path`, or to stdout when it is `-`; returns where it went, for messages."""
    write_atomically(path, text)
    return "<stdout>" if os.fspath(path) == STDOUT else str(path)


def write_atomically(path: Path | str, text: str, *, durable: bool = True) -> None:
    """Write a file so that readers see the old content or the new one, never a torn one.

    `-` writes to standard output instead. The text goes to a temporary file in the same folder (same file
    system), is flushed to disk (unless `durable=False`: a writer of many files that syncs once at its end, like
    `plan --estate`), and then replaces the target in one `os.replace`; on any failure the temporary
    file is removed. Only a regular file
    (or a new path) is a target: replacing a device, a FIFO, a socket, a folder or a symlink would break what
    the path stands for. An existing file keeps its mode.
    """
    if os.fspath(path) == STDOUT:  # every --out/--output: `-` is standard output, never a file named `-`
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away: cityctl ends quietly
        except OSError as error:
            raise WriteFailed(f"standard output: cannot write: {_problem(error)}") from None
        return
    path = Path(path)
    mode = _existing_mode(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise UserError(f"{display(path)}: cannot write: {_problem(error)}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:  # a full disk, an I/O error: the old file stays as it was
        Path(temporary).unlink(missing_ok=True)
        raise WriteFailed(f"{display(path)}: cannot write: {_problem(error)}; the file was left as it was") \
            from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class WriteFailed(UserError):
    """Writing failed for a reason outside the input (a full disk, an I/O error): the run failed, exit 1."""

    exit_code = 1


def _problem(error: OSError) -> str:
    from amsterdam_cloud.core.documents import os_problem

    return os_problem(error)


def _existing_mode(path: Path) -> int:
    """The permission bits to give the new file: the target's own, or DEFAULT_MODE for a new one."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return DEFAULT_MODE
    except OSError as error:
        raise UserError(f"{display(path)}: cannot write: {_problem(error)}") from None
    if stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a symbolic link" if stat.S_ISLNK(info.st_mode)
            else "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "a device")
    raise UserError(f"{display(path)}: is {kind}, not a regular file; name a file to write "
                    f"(or `-` for standard output)")
