"""Where the program declared each resource: `sourcePosition` in the state (`project:///<path under the project
root>#<line>`), which code-scanning reports point at. Unlike the real engine, which records the SDK's immediate
caller (for a resource a toolkit component creates in an app: the component's file in site-packages), this records
the program's own frame, the line an app team can act on (policies/reports/sarif.py maps the real form).

The SDK captures a stack trace per resource for this; the offline speedups replace that capture with
`stack_trace` here, which walks the frames once and keeps only the one frame that matters: the first frame of
the program (under the project root, not an installed package) outside the resource constructors. The recorder
reads it back from the registration (`position`), in the fast and the plain run alike, so both record the same.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlparse

from amsterdam_cloud.core.source_positions import PROJECT_SCHEME
from amsterdam_cloud.scripts.offline.project_file import find_root

_ROOT: str | None = None
"""The project root of the run being planned (with a trailing separator), or None outside a run."""


@contextmanager
def recording(program_dir: Path) -> Iterator[None]:
    """For one run: positions are taken relative to the project root (the folder of `Pulumi.yaml` at or above
    the program's folder); without one, nothing is recorded."""
    global _ROOT
    root = find_root(program_dir)
    previous, _ROOT = _ROOT, (str(root.resolve()) + os.sep if root is not None else None)
    try:
        yield
    finally:
        _ROOT = previous


_ENGINE_DIR = str(Path(__file__).resolve().parent) + os.sep
"""The offline engine: the program runs inside it, so no frame beyond it is the program's (the root stack, which
the engine registers, has no position)."""


def _in_program(filename: str) -> bool | None:
    """True for the program's own code, None at the engine (stop looking), False otherwise (SDK, packages)."""
    if filename.startswith(_ENGINE_DIR):
        return None
    return _ROOT is not None and filename.startswith(_ROOT) and "site-packages" not in filename


def stack_trace() -> Any:
    """The SDK's `_get_stack_trace`, reduced to the program's frame that declared the resource (or none)."""
    from pulumi.runtime.proto import source_pb2  # here: the policy reports parse positions without pulumi

    frame = sys._getframe(1)
    inits = 0
    while frame is not None and inits < 3:  # Resource, Custom/ComponentResource, the concrete class (as the SDK)
        if frame.f_code.co_name == "__init__":
            inits += 1
        frame = frame.f_back
    while frame is not None and (found := _in_program(frame.f_code.co_filename)) is False:
        frame = frame.f_back
    if frame is None or found is None:
        return source_pb2.StackTrace()
    position = source_pb2.SourcePosition(uri=Path(frame.f_code.co_filename).as_uri(), line=frame.f_lineno)
    return source_pb2.StackTrace(frames=[source_pb2.StackFrame(pc=position)])


def position(request: Any) -> str:
    """The engine's `sourcePosition` of a registration: its first program frame, relative to the project root."""
    for frame in request.stackTrace.frames:
        path = unquote(urlparse(frame.pc.uri).path) if frame.pc.uri.startswith("file:") else ""
        found = _in_program(path)
        if found is None:
            break
        if found:
            return f"{PROJECT_SCHEME}{Path(path[len(_ROOT):]).as_posix()}#{frame.pc.line}"
    return ""
