"""Which outputs of each referenced stack a program read, so the estate cache keys a stack on those outputs only (a
platform release that adds an output re-plans no app that does not read it).

Inside `recording()` the SDK's `StackReference` notes the name given to `get_output`, `require_output` and
`get_output_details`, and `ALL` when a program reads `outputs` itself (every output is then in its key) or names an
output by an `Output`. The SDK's own use of `outputs` behind those methods is not a program's read. The plan is the
same as without it: only the notes are added.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator

ALL = "*"
"""Noted when a program may have seen every output of a reference: its key then hashes them all."""
_reads: dict[str, set[str]] | None = None
"""Inside `recording()`: reference name -> output names read; None outside it."""
_NAMED_READS = ("get_output", "require_output", "get_output_details")


def _note(reference: Any, name: Any) -> None:
    if _reads is not None:
        _reads.setdefault(reference.__dict__.get("_cityctl_name", ""), set()).add(
            name if isinstance(name, str) else ALL)


def _install() -> None:
    """Note reads on the SDK's StackReference (once a process: an estate worker plans only estate stacks)."""
    import pulumi
    import pulumi.stack_reference

    cls = pulumi.StackReference
    if isinstance(cls.__dict__.get("outputs"), property):
        return
    sdk_file = pulumi.stack_reference.__file__
    original_init = cls.__init__

    def __init__(self: Any, name: str, stack_name: str | None = None, opts: Any = None) -> None:
        self.__dict__["_cityctl_name"] = stack_name if stack_name is not None else name
        original_init(self, name, stack_name, opts)

    def outputs(self: Any) -> Any:
        if sys._getframe(1).f_code.co_filename != sdk_file:  # the program's own read, not a method's behind it
            _note(self, ALL)
        try:
            return self.__dict__["outputs"]  # where the SDK puts it (this property shadows it)
        except KeyError:
            raise AttributeError("outputs") from None

    def set_outputs(self: Any, value: Any) -> None:
        self.__dict__["outputs"] = value

    for method in _NAMED_READS:
        def noting(self: Any, name: Any, _original: Any = getattr(cls, method)) -> Any:
            _note(self, name)
            return _original(self, name)
        noting.__name__ = method
        setattr(cls, method, noting)
    cls.__init__ = __init__  # type: ignore[method-assign]  # the SDK's class, patched in an estate worker only
    cls.outputs = property(outputs, set_outputs)  # type: ignore[assignment]  # its attribute, now noting reads


@contextmanager
def recording() -> Iterator[dict[str, set[str]]]:
    """Note the outputs read of each StackReference in the block, by its name (a set holding ALL: every one)."""
    global _reads
    _install()
    outer, _reads = _reads, {}
    try:
        yield _reads
    finally:
        _reads = outer
