"""The `sourcePosition` the engine records per resource (`project:///<path under the project root>#<line>`):
written by the offline engine (scripts/offline/source_locations.py), read by the reports that point at program lines."""

from __future__ import annotations

PROJECT_SCHEME = "project:///"
"""A position relative to the project root, so a plan points at the same line on every machine."""


def parse(source_position: str) -> tuple[str, int] | None:
    """`project:///stacks/__main__.py#42` (or `#42,7`) as (`stacks/__main__.py`, 42); None for anything else."""
    if not source_position.startswith(PROJECT_SCHEME):
        return None
    path, _, line = source_position[len(PROJECT_SCHEME):].partition("#")
    number = line.split(",", 1)[0]
    return (path, int(number)) if path and number.isdigit() and int(number) > 0 else None
