"""The one exception type for input a person can fix, and how its messages name files.

`cityctl` prints a UserError as one line and exits with its `exit_code` (2: bad input); every layer raises it.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input (a file, a key, a value) with a message that names where it is and how to fix it."""

    exit_code = 2


def display(path: Path | str) -> str:
    """A path as people read it in messages: relative to the working folder when it lies inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)
