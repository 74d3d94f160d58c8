"""Where a Pulumi project is: the folder of its `Pulumi.yaml`, found as the Pulumi CLI finds it. Apart from
`project.py` (which imports the offline engine and the Pulumi SDK) so the policy commands can find it cheaply."""

from __future__ import annotations

from pathlib import Path

PROJECT_FILE = "Pulumi.yaml"


def find_root(start: Path) -> Path | None:
    """`start` or its nearest parent with a Pulumi.yaml, as the Pulumi CLI finds the project; None when none has."""
    return next((folder for folder in (start, *start.parents) if (folder / PROJECT_FILE).is_file()), None)
