"""Incremental estate plans: a content-addressed cache of plans and their policy results under `out/cache`.

A stack's plan is a function of its program's files, its stack file, the toolkit and SDK it runs on and the outputs
of the stacks it references. The *own key* hashes all but the last; it indexes the references the stack made last
time and the outputs it read of each (`reference_reads`). The *full key* adds the digests of those outputs (all of
them when the program read `outputs` whole) and names the entry: plan object, outputs digests, resources, policy
result. So a stack whose inputs did not change is reused, and a changed stack re-plans itself and exactly the stacks
that read outputs it changed. A plan records every output of a stack it references (as the engine's state does), so
a reused plan whose referenced stacks changed outputs it did not read is *relinked*: those records are rewritten from
the referenced plans, which gives the bytes a full re-plan gives. The date is no part of a key: an entry records what its plan
and policy check read of the clock (`core.clock`: a budget's month, a waiver's day, the instant a host pool's
registration window closes) and is reused only while that still holds (`clock.holds`). Everything is written
atomically; deleting the folder costs time only.

    out/cache/references/<own key>.json   the stacks referenced last time, and the outputs read of each
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
from typing import AbstractSet, Any, Iterable, get_type_hints

from amsterdam_cloud.core import clock
from amsterdam_cloud.core.documents import read_text
from amsterdam_cloud.scripts.files import write_atomically
from amsterdam_cloud.scripts.offline.estate import SKIPPED_FOLDERS, StackId
from amsterdam_cloud.scripts.offline.project import PROJECT_FILE, PulumiProject

CACHE_FORMAT = "cityctl-plan-cache/3"
"""Part of every key: a new format never reads an old entry."""
ENGINE_MODULE = "amsterdam_cloud.scripts.offline.estate_plan"
"""Where a worker starts: its toolkit imports (the engine, the mocks, the policy check) are in every key."""
WHOLE_PACKAGES = ("amsterdam_cloud.core", "amsterdam_cloud.policies")
"""Hashed whole into every key: the bottom layer, and the policy pack, whose rules are found by listing their folders
(`pkgutil`), not imported by name."""
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
    """Hash of the stack's outputs as its plan records them: the key of a stack that read them all."""
    output_digests: dict[str, str]
    """Hash of each output (`output_digests`): the key of a stack that read some by name."""
    linked: dict[str, str]
    """Each referenced stack (`project/stack`) and the outputs digest the plan's StackReference records hold."""
    relinkable: bool
    """Whether those records are exactly the referenced plans' outputs (none secret), so they can be rewritten."""
    resources: int
    summary: str
    """The plan's one-line count of resources by action."""
    warnings: tuple[str, ...]
    policy_text: str
    """The policy report; empty without a policy check."""
    policy_failed: bool
    date: str
    """What the plan or its check read of the date (`clock.Reads.date`): "" (reused on any day), the month or the day
    (reused in it only), or `clock.NOW` (the time of day: never reused)."""
    valid_until: str
    """The instant an answer of `clock.before` given to the plan changes (ISO 8601; reused before it only); ""."""


_SHA256 = re.compile(r"[0-9a-f]{64}")
ENTRY_FIELDS: dict[str, Any] = get_type_hints(CachedPlan)
"""Each field of an entry and its type: what an entry file must hold, exactly, to be read."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def root_outputs(export: dict[str, Any]) -> dict[str, Any]:
    """The root stack's outputs as a plan or export records them (what a StackReference to it records)."""
    from amsterdam_cloud.scripts.offline.recorder import ROOT_STACK_TYPE

    root: dict[str, Any] = next(
        (r for r in export["deployment"].get("resources") or [] if r.get("type") == ROOT_STACK_TYPE), {})
    return root.get("outputs") or {}


def outputs_digest(export: dict[str, Any]) -> str:
    """The root stack's outputs in a plan or export, hashed canonically (what a StackReference to it reads)."""
    return sha256_text(_canonical(root_outputs(export)))


def output_digests(export: dict[str, Any]) -> dict[str, str]:
    """Each root stack output of a plan or export, hashed canonically."""
    return {name: sha256_text(_canonical(value)) for name, value in root_outputs(export).items()}


def read_digest(names: tuple[str, ...], digests: dict[str, str]) -> str:
    """What a stack that read these outputs by name depends on: each one's digest, or that it is missing."""
    return sha256_text("".join(f"{name}\0{digests.get(name, 'missing')}\0" for name in sorted(names)))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """What every plan runs on: the cache format, Python and the SDK versions, the engine's toolkit files and the
    packages hashed whole (`WHOLE_PACKAGES`); hashed once per process."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{platform.python_version()}\0".encode())
    for distribution in SDK_DISTRIBUTIONS:
        try:
            digest.update(f"{distribution}=={version(distribution)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{distribution} missing\0".encode())
    for package in WHOLE_PACKAGES:
        folder = _package_folder(package.rpartition(".")[2])
        if folder is not None:
            _hash_tree(digest, folder, folder.parent)
    engine = _module_file(ENGINE_MODULE)
    _hash_toolkit_files(digest, _toolkit_imports([(engine, ENGINE_MODULE)] if engine else []))
    return digest.hexdigest()


def toolkit_fingerprint(program_dir: Path) -> str:
    """The engine's fingerprint and the toolkit files a program in `program_dir` imports, followed through the toolkit
    (`_toolkit_imports`), with the data files beside them: an edit to another project's program or to a command
    (`scripts/migrate`) re-plans none of its stacks. Beside a module are the stack files of the toolkit's own
    projects, which programs read across projects (the connectivity stack reads the environments' stack files, the
    platform the connectivity's): a toolkit project's key holds its siblings' stack files too."""
    digest = hashlib.sha256(engine_fingerprint().encode())
    _hash_toolkit_files(digest, _toolkit_imports([(path, "__main__") for path in sorted(program_dir.glob("*.py"))]))
    return digest.hexdigest()


def _hash_toolkit_files(digest: "hashlib._Hash", files: set[Path]) -> None:
    """Each module file, and the data files beside it (what a module reads from its own folder: a JSON table, a YAML
    register, the governance tenant stack's file), by their path in the toolkit."""
    root = _toolkit_root()
    folders = sorted({path.parent for path in files})
    for path in sorted(files | {data for folder in folders for data in _data_files(folder)}):
        _hash_file(digest, path, root)


def _data_files(folder: Path) -> set[Path]:
    """The data files in `folder` and in its subfolders that are not packages (a module reads its project's
    `teams/*.yaml` as well as its own stack files); a package below is hashed when a program imports it."""
    found: set[Path] = set()
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_dir():
            if not (entry / "__init__.py").exists():
                found |= _data_files(entry)
        elif not entry.name.endswith((".py", ".pyc", ".tmp")):
            found.add(entry)
    return found


@lru_cache(maxsize=1)
def _toolkit_root() -> Path:
    """The folder holding the toolkit's packages (`amsterdam_cloud.core` is `<root>/core`)."""
    core = _package_folder("core")
    return core.parent if core is not None else Path(__file__).resolve().parents[2]


def _toolkit_imports(sources: list[tuple[Path, str]]) -> set[Path]:
    """The toolkit module files `sources` (file, module name) import, followed through the toolkit: every
    `amsterdam_cloud.*` name an import statement anywhere in a file names (in a function too), its packages'
    `__init__` files, relative imports resolved. Static, so the same for every run; a module the toolkit imports by a
    computed name must be in `WHOLE_PACKAGES`."""
    seen: set[Path] = set()
    pending = list(sources)
    while pending:
        path, module = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imported_names(path, module):
            parts = name.split(".")
            for end in range(2, len(parts) + 1):  # a.b.c runs a/b/__init__ first
                found = _module_file(".".join(parts[:end]))
                if found is not None:
                    pending.append((found, ".".join(parts[:end])))
    return {path for path in seen if path.is_relative_to(_toolkit_root())}


@lru_cache(maxsize=None)
def _module_file(name: str) -> Path | None:
    """The file of toolkit module `amsterdam_cloud.<package>.<...>`, found by path (`find_spec` of a module would
    import its parent, and a component imports the SDK: seconds a run that plans nothing must not spend)."""
    _, package, *rest = name.split(".")
    folder = _package_folder(package)
    if folder is None:
        return None
    base = folder.joinpath(*rest)
    for candidate in ((base.with_suffix(".py"),) if rest else ()) + (base / "__init__.py",):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=None)
def _package_folder(package: str) -> Path | None:
    """The folder of the toolkit's sub-package `amsterdam_cloud.<package>` (found without running it)."""
    try:
        spec = importlib.util.find_spec(f"amsterdam_cloud.{package}")
    except (ImportError, ValueError):
        return None
    return Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations else None


_IMPORT = re.compile(r"(?:^|;)[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n;]*)|import[ \t]+([^\n;]*))",
                     re.MULTILINE)
"""An import statement (`from a import (b, c)` over lines too): scanned, not parsed, as a run hashes hundreds of
files before it knows whether it plans anything (an `ast` walk cost seconds). Text that only looks like one (in a
docstring) can only add a file to a key."""


@lru_cache(maxsize=None)
def _imported_names(path: Path, module: str) -> tuple[str, ...]:
    """The `amsterdam_cloud.*` names a module file's import statements name, anywhere in it (`from a import b` names
    `a` and `a.b`: b may be a module; relative ones resolved against `module`)."""
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    if "amsterdam_cloud" not in source and "from ." not in source:
        return ()  # most of a program's files import no toolkit module
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for match in _IMPORT.finditer(source.replace("\\\n", " ")):
        base, imported, plain = match.groups()
        if plain is not None:
            names += [_first_word(part) for part in _without_comments(plain).split(",")]
            continue
        level = len(base) - len(base.lstrip("."))
        base = base.lstrip(".")
        if level:
            parts = package.split(".")
            base = ".".join(parts[:len(parts) - level + 1] + ([base] if base else []))
        names += [base] + [f"{base}.{_first_word(part)}"
                           for part in _without_comments(imported).strip("() \n").split(",") if part.strip()]
    return tuple(name for name in names if name.startswith("amsterdam_cloud."))


def _without_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def _first_word(text: str) -> str:
    words = text.replace("(", " ").replace(")", " ").split()
    return words[0] if words else ""


def project_fingerprint(project: PulumiProject) -> str:
    """The toolkit files its program imports (`toolkit_fingerprint`), `Pulumi.yaml`, the program's folder (without
    nested projects, outputs and stack files) and the project's `waivers.yaml`: everything a plan of one of its
    stacks can read besides its own stack file."""
    stack_files = {path.resolve() for path in project.stack_config_dir.glob("Pulumi.*.yaml")}
    digest = hashlib.sha256(toolkit_fingerprint(project.program_dir).encode())
    for path in (project.root / PROJECT_FILE, project.root / "waivers.yaml"):
        _hash_file(digest, path, project.root)
    _hash_tree(digest, project.program_dir, project.root, skip=stack_files)
    return digest.hexdigest()


def _hash_tree(digest: "hashlib._Hash", folder: Path, relative_to: Path, skip: AbstractSet[Path] = frozenset()) -> None:
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
    """Everything a stack's plan and policy result depend on except what it references (and the date, which the
    entry records when it matters). `project_fingerprint`: `project_fingerprint()` of its project."""
    parts = [project_fingerprint, str(stack), environment or "no policy"]
    try:  # the common case without `read_text`'s path for messages (resolving it is most of a run that plans nothing)
        text = stack_file.read_bytes().decode("utf-8-sig")  # as `read_text` decodes it
    except (OSError, UnicodeDecodeError):
        text = read_text(stack_file, "stack file")  # its one-line error
    return sha256_text("\0".join(parts) + "\0" + text)


def full_key(own: str, references: Iterable[tuple[StackId, str]]) -> str:
    """The own key plus the outputs digest of every referenced stack."""
    return sha256_text(own + "".join(f"\0{stack}\0{digest}" for stack, digest in sorted(references)))


@dataclass(frozen=True, kw_only=True)
class Known:
    """What a stack's last plan with one own key referenced."""

    references: list[StackId]
    reads: dict[StackId, tuple[str, ...] | None]
    """The output names read of each referenced stack; None: all of them (`reference_reads.ALL`)."""


class PlanCache:
    """The cache folder. `enabled=False` (`--no-cache`) reuses no plan but still writes, so the next run is warm; the
    references of earlier runs are still read, as they only order the work (a stale one costs a wait, never a plan)."""

    def __init__(self, folder: Path, *, enabled: bool = True, now: datetime.datetime) -> None:
        self.folder = folder
        self.enabled = enabled
        self.now = now
        """The time of this run: an entry whose clock reads no longer hold then is a miss."""
        self.used: set[Path] = set()
        """The cache files this run read (with a use) or wrote: what `prune` keeps."""

    def references(self, own: str) -> Known | None:
        """The stacks referenced when this own key was last planned and the outputs read of each; None when
        unknown."""
        path = self.folder / "references" / f"{own}.json"
        self.used.add(path)
        document = self._read(path) or {}
        pairs, reads = document.get("references"), document.get("reads")
        if not isinstance(pairs, list) or not all(
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(name, str) for name in pair)
                for pair in pairs):
            return None
        if not isinstance(reads, list) or len(reads) != len(pairs) or not all(
                names is None or isinstance(names, list) and all(isinstance(name, str) for name in names)
                for names in reads):
            return None
        references = [StackId(*pair) for pair in pairs]
        return Known(references=references, reads={
            stack: None if names is None else tuple(names) for stack, names in zip(references, reads)})

    def lookup(self, key: str) -> CachedPlan | None:
        """The entry of a full key whose clock reads still hold and whose plan object is whole; None (a miss)."""
        document = self._read(self.folder / "entries" / f"{key}.json") if self.enabled else None
        entry = _entry(document) if document is not None else None
        if entry is None or not clock.holds(entry.date, entry.valid_until, self.now) or not self._intact(entry):
            return None
        self.used |= {self.folder / "entries" / f"{key}.json", self._object(entry.plan_sha256)}
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

    def store(self, *, own: str, known: Known, key: str, plan_file: Path, entry: CachedPlan) -> None:
        """Remember a plan: its references and reads under the own key, its plan file as an object, the entry."""
        write_atomically(self.folder / "references" / f"{own}.json", json.dumps({
            "references": [[r.project, r.stack] for r in known.references],
            "reads": [list(names) if (names := known.reads.get(r)) is not None else None for r in known.references]}),
            durable=False)
        target = self._object(entry.plan_sha256)
        if not target.is_file():
            _link_atomically(plan_file, target)
        write_atomically(self.folder / "entries" / f"{key}.json", json.dumps(asdict(entry), sort_keys=True),
                         durable=False)
        self.used |= {self.folder / "references" / f"{own}.json", target, self.folder / "entries" / f"{key}.json"}

    def prune(self) -> int:
        """Delete every cache file this run neither used nor wrote (call it after a whole run without failure): the
        entries of an older toolkit or config, the objects no entry kept names. The cache then holds one estate's
        worth, not one per commit ever planned; how many files were deleted."""
        deleted = 0
        for kind in ("references", "entries", "objects"):
            for path in (self.folder / kind).glob("*"):
                if path not in self.used and path.is_file():
                    path.unlink(missing_ok=True)
                    deleted += 1
        return deleted

    def restore(self, entry: CachedPlan, plan_file: Path) -> None:
        """Put a cached plan at `plan_file` (a hard link to the object; nothing to do when it already is one)."""
        source = self._object(entry.plan_sha256)
        try:
            if plan_file.exists() and os.path.samefile(source, plan_file):
                return
        except OSError:
            pass
        _link_atomically(source, plan_file)

    def object_path(self, entry: CachedPlan) -> Path:
        """The plan file an entry names (read it only after `lookup` returned the entry: then it is whole)."""
        return self._object(entry.plan_sha256)

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
        elif kind == dict[str, str]:
            if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
                return None
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
