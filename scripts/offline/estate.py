"""The city's estate: every Pulumi project under a root (or listed in a file), their stacks, and CI's shards of them.

`cityctl plan --estate` plans all of it in StackReference order (`scripts/offline/estate_plan.py`); this module only
says what there is. A project is a folder with a `Pulumi.yaml` (a `pulumi new` template, which has a `template:`
section, is not one); its stacks are its stack files, as for `cityctl plan --all`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.errors import display
from amsterdam_cloud.scripts.offline.project import PROJECT_FILE, PulumiProject

SKIPPED_FOLDERS = frozenset({"out", "node_modules", "__pycache__", "venv", "site-packages"})
"""Folders never searched for projects (besides hidden ones such as `.venv` and `.git`): outputs and installs."""
_SHARD = re.compile(r"^([1-9][0-9]*)/([1-9][0-9]*)$")


@dataclass(frozen=True, order=True)
class StackId:
    """One stack of the estate, as a StackReference names it (without the organization)."""

    project: str
    stack: str

    def __str__(self) -> str:
        return f"{self.project}/{self.stack}"


@dataclass(frozen=True, kw_only=True)
class Estate:
    """The projects found and every stack they have, in a stable order (projects by folder, stacks by promotion)."""

    root: Path
    """The folder searched (or holding the projects file): out/plans and out/cache live under it."""
    projects: tuple[PulumiProject, ...]

    @property
    def stacks(self) -> list[StackId]:
        return [StackId(project.name, stack) for project in self.projects for stack in project.stacks()]

    def project(self, name: str) -> PulumiProject:
        return next(project for project in self.projects if project.name == name)


def discover(root: Path, projects_file: Path | None = None) -> Estate:
    """Every project under `root`, or exactly the folders `projects_file` lists (one a line, relative to the file;
    `#` starts a comment). Two projects of one name are refused: their plans and references would collide."""
    if projects_file is not None:
        folders = _listed(projects_file)
        root = projects_file.parent
    else:
        if not root.is_dir():
            raise UserError(f"{display(root)}: no such folder; --estate takes the folder the projects are under")
        folders = _found(root)
    projects = tuple(PulumiProject.load(folder, origin="the estate") for folder in folders)
    seen: dict[str, Path] = {}
    for project in projects:
        if project.name in seen:
            raise UserError(f"{display(project.root / PROJECT_FILE)}: name: {project.name!r} is also the project in "
                            f"{display(seen[project.name] / PROJECT_FILE)}; project names are unique in an estate "
                            "(plans and StackReferences are named by them): rename one")
        seen[project.name] = project.root
    if not projects:
        raise UserError(f"{display(projects_file or root)}: no Pulumi project found; expected folders with a "
                        "Pulumi.yaml (or --projects-file listing them)")
    return Estate(root=root, projects=projects)


def _found(root: Path) -> list[Path]:
    """Project folders under `root` (itself included), in path order; templates and installs are skipped."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders
                               if not name.startswith(".") and name not in SKIPPED_FOLDERS)
        if PROJECT_FILE in files and not _is_template(Path(folder) / PROJECT_FILE):
            found.append(Path(folder))
    return found


def _is_template(path: Path) -> bool:
    """A `pulumi new` template (its Pulumi.yaml has a `template:` section): a project only once instantiated."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False  # loading it as a project reports the problem
    return isinstance(document, dict) and "template" in document


def _listed(projects_file: Path) -> list[Path]:
    try:
        lines = projects_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{display(projects_file)}: cannot read the projects file: {error}") from None
    folders = []
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        folder = (projects_file.parent / entry)
        if not (folder / PROJECT_FILE).is_file():
            raise UserError(f"{display(projects_file)}:{number}: {entry!r} has no {PROJECT_FILE}; list project "
                            "folders, one a line, relative to this file")
        folders.append(folder)
    return folders


@dataclass(frozen=True, kw_only=True)
class Shard:
    """Part `index` of `count` (1-based), as `--shard i/N` says."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, text: str) -> "Shard":
        match = _SHARD.match(text)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise UserError(f"plan: --shard {text!r}; expected i/N with 1 <= i <= N, e.g. --shard 2/4")
        return cls(index=int(match.group(1)), count=int(match.group(2)))

    def owned(self, stacks: list[StackId]) -> list[StackId]:
        """This shard's stacks: the estate cut into `count` runs of consecutive stacks of about equal length.
        Consecutive keeps a project's stacks, which reference the same stacks, together; every shard plans what its
        stacks reference as well (reused from the cache when unchanged), so the parts are independent and agree."""
        start, end = ((self.index - 1) * len(stacks)) // self.count, (self.index * len(stacks)) // self.count
        return stacks[start:end]
