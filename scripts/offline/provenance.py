"""Where a saved plan came from: a small JSON sidecar beside it (`<project>.<stack>.json.provenance`) with the commit
of the project's checkout, whether it had uncommitted changes or untracked files, the toolkit version and the plan's SHA-256. Its name
does not end in `.json`, so globs over plans (`out/plans/*.json`) never take it for a plan.

It lives beside the plan, not in it: plans stay byte-identical whatever the commit (the estate cache reuses their
bytes across commits). The evidence report trusts the record only while its SHA-256 is the plan's own, so a plan
re-made or edited since says "commit not recorded at plan time", never the checker's HEAD as if it were the plan's.
"""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT = "cityctl-plan-provenance/1"
"""The record's `format`, so a reader refuses any other JSON that happens to sit there."""
SUFFIX = ".provenance"
NOT_RECORDED = "commit not recorded at plan time"
"""What the evidence says when no record matches the checked plan (a `pulumi stack export`, a re-made plan)."""


def provenance_path(plan_path: Path) -> Path:
    """The sidecar of a plan: `out/plans/amsterdam-platform.dev.json` -> `...amsterdam-platform.dev.json.provenance`."""
    return plan_path.with_name(plan_path.name + SUFFIX)


def _git_dir(start: Path) -> Path | None:
    """The checkout `start` is in (the folder holding `.git`), found without running git; None outside one."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


@lru_cache(maxsize=64)
def _checkout_state(checkout: Path) -> tuple[str | None, bool | None]:
    """(HEAD commit, uncommitted changes) of a checkout, asked of git once per process. A new file git does not
    ignore counts too: a plan made with an untracked stack file or module is not the commit's."""
    try:
        head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=False)
        status = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=normal"],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None, None
    if head.returncode != 0 or not head.stdout.strip():
        return None, None
    return head.stdout.strip(), (bool(status.stdout.strip()) if status.returncode == 0 else None)


def record(plan_sha256: str, project_root: Path) -> dict[str, Any]:
    """The provenance of a plan made from the project at `project_root` (commit null outside a git checkout)."""
    commit, dirty, toolkit = _project_state(project_root)
    return {"format": FORMAT, "planSha256": plan_sha256, "commit": commit, "dirty": dirty, "toolkitVersion": toolkit}


@lru_cache(maxsize=64)
def _project_state(project_root: Path) -> tuple[str | None, bool | None, str]:
    """(commit, uncommitted changes, toolkit version) of a project, found once per process: an estate run records
    hundreds of plans of the same few projects (the installed version's metadata parse alone is ~2.5 ms a call)."""
    from amsterdam_cloud.scripts.cli import package_version

    checkout = _git_dir(project_root.resolve())
    commit, dirty = _checkout_state(checkout) if checkout is not None else (None, None)
    return commit, dirty, package_version()


def write_provenance(plan_path: Path, plan_sha256: str, project_root: Path, *, durable: bool = True) -> None:
    """Write the sidecar of the plan at `plan_path` (SHA-256 `plan_sha256`), atomically as the plan: after planning,
    and after the estate cache restores a plan, whose bytes this commit's program makes (the cache key says so)."""
    from amsterdam_cloud.scripts.files import write_atomically

    text = json.dumps(record(plan_sha256, project_root), indent=2, sort_keys=True) + "\n"
    sidecar = provenance_path(plan_path)
    try:
        if sidecar.read_text(encoding="utf-8") == text:
            return  # already this record (a reused plan of the same checkout): no temporary file, no rename
    except (OSError, ValueError):
        pass
    write_atomically(sidecar, text, durable=durable)


def plan_commit(plan_path: Path, plan_sha256: str) -> str:
    """The evidence's commit line for a checked plan: the recorded commit when the sidecar's SHA-256 is the plan's,
    else NOT_RECORDED (with why)."""
    sidecar = provenance_path(plan_path)
    try:
        document = json.loads(sidecar.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{NOT_RECORDED} (no {sidecar.name} beside the plan)"
    except (OSError, ValueError):
        return f"{NOT_RECORDED} ({sidecar.name} is not readable JSON)"
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return f"{NOT_RECORDED} ({sidecar.name} is not a {FORMAT} record)"
    if document.get("planSha256") != plan_sha256:
        return f"{NOT_RECORDED} ({sidecar.name} is of another plan: the plan changed since)"
    commit = document.get("commit")
    if not isinstance(commit, str) or not commit:
        return f"{NOT_RECORDED} (the project was not in a git checkout)"
    dirty = {True: ", with uncommitted changes", False: "", None: ", changes not known"}.get(document.get("dirty"), "")
    return (f"{commit} (the project's checkout when the plan was made{dirty}; toolkit "
            f"{document.get('toolkitVersion') or 'unknown'})")
