"""Incremental estate plans: a content-addressed cache of plans and their policy results under `out/cache`.

A stack's plan is a function of its program's files, its stack file, the toolkit and SDK it runs on and the outputs
of the stacks it references. The *own key* hashes all but the last; it indexes the references the stack made last
time. The *full key* adds each referenced stack's outputs digest and names the entry: plan object, outputs digest,
resources, policy result. So a stack whose inputs did not change is reused, and a changed stack re-plans itself and
exactly the stacks that reference outputs it changed. The day is no part of a key: an entry records what its plan
and policy check read of the clock (`core.clock`: a budget's start month, a waiver's expiry) and is reused only on
that day, or on any day when they read none. Everything is written atomically; deleting the folder costs time only.

    out/cache/references/<own key>.json   the stacks referenced last time, by StackReference name
    out/cache/entries/<full key>.json     what a plan with these inputs produced
    out/cache/objects/<sha256>.json       plan files by content (hard-linked into the plans folder)

A cache file of the wrong shape (truncated, edited, from a bug) is a miss, and an object whose content no longer
hashes to its name (a plan file edited in place edits its hard-linked object too) is a miss and is dropped.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.util
import json
import os
import platform
import re
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, get_type_hints

from amsterdam_cloud.core.documents import read_text
from amsterdam_cloud.scripts.files import write_atomically
from amsterdam_cloud.scripts.offline.estate import SKIPPED_FOLDERS, StackId
from amsterdam_cloud.scripts.offline.project import PROJECT_FILE, PulumiProject

CACHE_FORMAT = "cityctl-plan-cache/2"
"""Part of every key: a new format never reads an old entry."""
TOOLKIT_PACKAGES = ("core", "components", "policies", "scripts", "stacks")
"""The toolkit's sub-packages (`amsterdam_cloud.<name>`): their files are in every key."""
SDK_DISTRIBUTIONS = ("pulumi", "pulumi-azure-native", "pulumi-policy", "amsterdam-cloud")
"""Installed versions in every key (an upgrade re-plans everything)."""


@dataclass(frozen=True, kw_only=True)
class CachedPlan:
    """What a plan with one full key produced: enough to reuse it without running the program."""

    plan_sha256: str
    """The plan file's content hash: its object in `objects/`."""
    size: int
    """The plan file's size in bytes (a cheap check that its object is whole)."""
    outputs_digest: str
    """Hash of the stack's outputs as its plan records them: what referencing stacks read."""
    resources: int
    summary: str
    """The plan's one-line count of resources by action."""
    warnings: tuple[str, ...]
    policy_text: str
    """The policy report; empty without a policy check."""
    policy_failed: bool
    day: str
    """The one day the plan or its check read from the clock (reused on that day only); "" when they read no date;
    `clock.NOW` when they read the time of day (never reused)."""


_SHA256 = re.compile(r"[0-9a-f]{64}")
ENTRY_FIELDS: dict[str, Any] = get_type_hints(CachedPlan)
"""Each field of an entry and its type: what an entry file must hold, exactly, to be read."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def outputs_digest(export: dict[str, Any]) -> str:
    """The root stack's outputs in a plan or export, hashed canonically (what a StackReference to it reads)."""
    from amsterdam_cloud.scripts.offline.recorder import ROOT_STACK_TYPE

    root = next((r for r in export["deployment"].get("resources") or [] if r.get("type") == ROOT_STACK_TYPE), {})
    return sha256_text(json.dumps(root.get("outputs") or {}, sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=1)
def toolkit_fingerprint() -> str:
    """The toolkit's own files and the installed SDK versions, hashed once per process."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{platform.python_version()}\0".encode())
    for distribution in SDK_DISTRIBUTIONS:
        try:
            digest.update(f"{distribution}=={version(distribution)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{distribution} missing\0".encode())
    for package in TOOLKIT_PACKAGES:
        spec = importlib.util.find_spec(f"amsterdam_cloud.{package}")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            _hash_tree(digest, Path(folder), Path(folder))
            # the YAML of the toolkit's own nested projects: programs read each other's (the environments' east-west
            # sources come from the connectivity stack's file, which reads theirs and the landing zones' team files)
            for stack_file in sorted(Path(folder).glob("*/**/*.yaml")):
                _hash_file(digest, stack_file, Path(folder))
    return digest.hexdigest()


def project_fingerprint(project: PulumiProject) -> str:
    """`Pulumi.yaml`, the program's folder (without nested projects, outputs and stack files) and the project's
    `waivers.yaml`: everything of the project a plan can read besides its own stack file."""
    digest = hashlib.sha256()
    for path in (project.root / PROJECT_FILE, project.root / "waivers.yaml"):
        _hash_file(digest, path, project.root)
    stack_files = {path.resolve() for path in project.stack_config_dir.glob("Pulumi.*.yaml")}
    _hash_tree(digest, project.program_dir, project.root, skip=stack_files)
    return digest.hexdigest()


def _hash_tree(digest: "hashlib._Hash", folder: Path, relative_to: Path, skip: set[Path] = frozenset()) -> None:
    for current, subfolders, files in os.walk(folder):
        here = Path(current)
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(".") and name not in
                               SKIPPED_FOLDERS and not (here / name / PROJECT_FILE).is_file())
        for name in sorted(files):
            path = here / name
            if name.endswith((".pyc", ".tmp")) or path.resolve() in skip:
                continue
            _hash_file(digest, path, relative_to)


def _hash_file(digest: "hashlib._Hash", path: Path, relative_to: Path) -> None:
    try:
        content = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return
    digest.update(f"{path.relative_to(relative_to).as_posix()}\0{len(content)}\0".encode())
    digest.update(content)


def own_key(*, project_fingerprint: str, stack: StackId, stack_file: Path, environment: str | None) -> str:
    """Everything a stack's plan and policy result depend on except what it references (and the day, which the
    entry records when it matters)."""
    parts = [toolkit_fingerprint(), project_fingerprint, str(stack), environment or "no policy"]
    return sha256_text("\0".join(parts) + "\0" + read_text(stack_file, "stack file"))


def full_key(own: str, references: Iterable[tuple[StackId, str]]) -> str:
    """The own key plus the outputs digest of every referenced stack."""
    return sha256_text(own + "".join(f"\0{stack}\0{digest}" for stack, digest in sorted(references)))


class PlanCache:
    """The cache folder. `enabled=False` (`--no-cache`) reuses no plan but still writes, so the next run is warm; the
    references of earlier runs are still read, as they only order the work (a stale one costs a wait, never a plan)."""

    def __init__(self, folder: Path, *, enabled: bool = True, today: datetime.date) -> None:
        self.folder = folder
        self.enabled = enabled
        self.today = today.isoformat()
        """The day of this run: an entry that read another day from the clock is a miss."""

    def references(self, own: str) -> list[StackId] | None:
        """The stacks referenced when this own key was last planned; None when unknown."""
        pairs = (self._read(self.folder / "references" / f"{own}.json") or {}).get("references")
        if not isinstance(pairs, list) or not all(
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(name, str) for name in pair)
                for pair in pairs):
            return None
        return [StackId(*pair) for pair in pairs]

    def lookup(self, key: str) -> CachedPlan | None:
        """The entry of a full key, of today or of no day, whose plan object is whole; None (a miss) otherwise."""
        document = self._read(self.folder / "entries" / f"{key}.json") if self.enabled else None
        entry = _entry(document) if document is not None else None
        if entry is None or entry.day not in ("", self.today) or not self._intact(entry):
            return None
        return entry

    def _intact(self, entry: CachedPlan) -> bool:
        """Whether the entry's object still holds the plan it was stored with: its size (files are synced once at
        the end of a run, a crash may leave one empty) and its sha256 (a plan file edited in place edits the object
        it is linked to). A damaged object is dropped, so the re-plan's `store` links the new plan in its place."""
        if not _SHA256.fullmatch(entry.plan_sha256):
            return False  # (never a path: a damaged entry must not name a file outside the cache to drop)
        path = self._object(entry.plan_sha256)
        try:
            content = path.read_bytes()
        except OSError:
            return False
        if len(content) == entry.size and hashlib.sha256(content).hexdigest() == entry.plan_sha256:
            return True
        path.unlink(missing_ok=True)
        return False

    def store(self, *, own: str, references: list[StackId], key: str, plan_file: Path, entry: CachedPlan) -> None:
        """Remember a plan: its references under the own key, its plan file as an object, the entry."""
        write_atomically(self.folder / "references" / f"{own}.json",
                         json.dumps({"references": [[r.project, r.stack] for r in references]}), durable=False)
        target = self._object(entry.plan_sha256)
        if not target.is_file():
            _link_atomically(plan_file, target)
        write_atomically(self.folder / "entries" / f"{key}.json", json.dumps(asdict(entry), sort_keys=True),
                         durable=False)

    def restore(self, entry: CachedPlan, plan_file: Path) -> None:
        """Put a cached plan at `plan_file` (a hard link to the object; nothing to do when it already is one)."""
        source = self._object(entry.plan_sha256)
        try:
            if plan_file.exists() and os.path.samefile(source, plan_file):
                return
        except OSError:
            pass
        _link_atomically(source, plan_file)

    def _object(self, sha: str) -> Path:
        return self.folder / "objects" / f"{sha}.json"

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        """A cache file, or None when it is missing or unreadable (a damaged cache costs a re-plan, never a run)."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return document if isinstance(document, dict) else None


def _entry(document: dict[str, Any]) -> CachedPlan | None:
    """An entry file's fields as a CachedPlan; None when one is missing, extra or of another JSON type."""
    if set(document) != set(ENTRY_FIELDS):
        return None
    values: dict[str, Any] = {}
    for name, kind in ENTRY_FIELDS.items():
        value = document[name]
        if kind == tuple[str, ...]:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                return None
            value = tuple(value)
        elif type(value) is not kind:  # exact: JSON's true is no resource count
            return None
        values[name] = value
    return CachedPlan(**values)


def _link_atomically(source: Path, target: Path) -> None:
    """`target` becomes the same file as `source` in one rename: a hard link, or a copy across file systems.
    Plans are only ever replaced by a rename (`write_atomically`), so a link never changes under the cache."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mktemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        try:
            os.link(source, temporary)
        except OSError:
            write_atomically(temporary, source.read_text(encoding="utf-8"))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
