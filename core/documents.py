"""Strict readers for every document `cityctl` reads: UTF-8 text, YAML and JSON with bounded nesting.

One place decides how a file becomes data, so every reader (stack and app config, waivers, pack config, exports,
the migration documents) refuses the same things with the same one-line message: a file that is not UTF-8, a
duplicate or non-text YAML key (last-wins would silently change meaning), YAML aliases that expand the document
(a 1 KB alias bomb becomes gigabytes), nesting deeper than `MAX_DEPTH`, `NaN`/`Infinity` and numbers over
Python's digit limit.
"""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from amsterdam_cloud.core.errors import UserError

MAX_DEPTH = 100
"""The deepest nesting of mappings and lists a document may have; the dev platform plan nests 11 levels."""

MAX_ALIAS_GROWTH = 10
"""How many times its written size a YAML document may grow when its aliases are expanded."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_OS_PROBLEMS: dict[int, str] = {
    errno.EACCES: "permission denied; check the file's permissions or run as a user who may access it",
    errno.EPERM: "permission denied; check the file's permissions or run as a user who may access it",
    errno.EISDIR: "is a folder; name a file",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENOTDIR: "a part of the path is not a folder; check the path",
    errno.ENOSPC: "no space left on the device; free space or choose another path",
    errno.EROFS: "the file system is read-only; choose a writable path",
    errno.ENAMETOOLONG: "the path is too long; choose a shorter path",
}


def os_problem(error: OSError) -> str:
    """What went wrong with a file, as people say it, and what to do about it."""
    return _OS_PROBLEMS.get(error.errno or 0, f"{error.strerror or type(error).__name__}; check the path and the disk")


def _shown(path: Path | str) -> str:
    from amsterdam_cloud.core.errors import display

    return display(path)


def read_text(path: Path | str, what: str) -> str:
    """A text file decoded as UTF-8 (with or without a byte-order mark); anything else is one clear error."""
    return decode(read_bytes(path, what), _shown(path))


def read_bytes(path: Path | str, what: str) -> bytes:
    """A file's bytes; a missing file, a folder or an unreadable one is one clear error."""
    path = Path(path)
    source = _shown(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{source}: no such file; expected the {what}") from None
    except IsADirectoryError:
        raise UserError(f"{source}: is a folder; expected the {what} (a file)") from None
    except OSError as error:
        raise UserError(f"{source}: cannot read the {what}: {os_problem(error)}") from None
    return data


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped); other encodings name the byte and the fix."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{source}: byte {error.start} is not UTF-8; save the file as UTF-8") from None


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, refusing keys that are not text, duplicate keys (PyYAML keeps the last one
    silently), NaN and infinity, and the tags none of our documents use."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):  # `null:`, `1:`, `yes:` or `[a]:` as a key is a typo, not a name
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key_node.value!r} is not text; quote it or name it", key_node.start_mark)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}; keep one (YAML would silently use the last)",
                    key_node.start_mark)
            try:
                mapping[key] = self.construct_object(value_node, deep=deep)
            except _InvalidDate as error:  # name the key: "expires: 2099-02-30 is not a valid date"
                error.problem = f"{key}: {error.problem}"
                raise
        return mapping


class _InvalidDate(yaml.constructor.ConstructorError):
    """A value written like a date (YYYY-MM-DD) that is no day of the calendar."""


def _valid_timestamp(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as error:  # `2099-02-30`: PyYAML's own message would be "day is out of range for month"
        raise _InvalidDate(None, None, f"{node.value} is not a valid date ({error}); write a date of the calendar "
                                       "as YYYY-MM-DD", node.start_mark) from None


def _refuse_tag(loader: yaml.BaseLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(None, None, f"the tag {node.tag} is not allowed; write plain YAML",
                                            node.start_mark)


def _finite_float(loader: yaml.BaseLoader, node: yaml.Node) -> float:
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if value != value or value in (float("inf"), float("-inf")):
        raise yaml.constructor.ConstructorError(None, None, f"{node.value} is not a number our documents hold",
                                                node.start_mark)
    return value


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _finite_float)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _valid_timestamp)
for _tag in ("binary", "set", "omap", "pairs"):  # values none of our documents hold, and JSON cannot carry
    _StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def _line(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return f"line {mark.line + 1}: " if mark is not None else ""


def load_yaml(text: str, source: str, what: str) -> Any:
    """YAML as data, strictly: no duplicate keys, safe tags only, nesting at most MAX_DEPTH, and aliases only
    where they do not blow the document up (at most MAX_ALIAS_GROWTH times its written size)."""
    try:
        _check_shape(text, source, what)
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise UserError(f"{source}: is not valid YAML ({_line(error)}{problem}); expected the {what}") from None
    except ValueError as error:  # an integer longer than Python's digit limit
        raise UserError(f"{source}: a number is too long ({str(error).split(';')[0]}); expected the {what}") \
            from None


def _check_shape(text: str, source: str, what: str) -> None:
    """Walk the parser's events once: the nesting and the size with every alias expanded, both bounded, so a
    1 KB alias bomb or a 10,000-deep list is refused before anything is built from it."""
    open_nodes: list[list[Any]] = []  # [anchor, expanded size, deepest level below] per open collection
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (expanded size, levels)
    events = total = 0

    def close(size: int, levels: int) -> None:
        nonlocal total
        if open_nodes:
            open_nodes[-1][1] += size
            open_nodes[-1][2] = max(open_nodes[-1][2], levels)
        else:
            total += size

    for event in yaml.parse(text, Loader=_BaseLoader):
        events += 1
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_nodes.append([event.anchor, 1, 0])
            if len(open_nodes) > MAX_DEPTH:
                raise UserError(f"{source}: {_line_of(event)}nested deeper than {MAX_DEPTH} levels; "
                                f"expected the {what}")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, size, levels = open_nodes.pop()
            if anchor:
                anchored[anchor] = (size, levels + 1)
            close(size, levels + 1)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                anchored[event.anchor] = (1, 0)
            close(1, 0)
        elif isinstance(event, yaml.AliasEvent):
            size, levels = anchored.get(event.anchor, (1, 0))
            if len(open_nodes) + levels > MAX_DEPTH:
                raise UserError(f"{source}: {_line_of(event)}alias *{event.anchor} nests the document deeper "
                                f"than {MAX_DEPTH} levels; write the value out")
            close(size, levels)
            if sum(node[1] for node in open_nodes) + total > MAX_ALIAS_GROWTH * events + 10_000:
                raise UserError(f"{source}: {_line_of(event)}YAML aliases expand the document more than "
                                f"{MAX_ALIAS_GROWTH} times its size; write the values out instead of aliasing them")


def _line_of(event: yaml.Event) -> str:
    return f"line {event.start_mark.line + 1}: " if event.start_mark is not None else ""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


class _DuplicateKey(ValueError):
    """A JSON object names a key twice (json.loads would silently keep the last)."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)  # in C; only a shorter dict means a key came twice, and only then are they looked at
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(f"duplicate key {key!r}; keep one (JSON readers would silently use the last)")
            seen.add(key)
    return document


def load_json(text: str, source: str, what: str, *, data: bytes | None = None) -> Any:
    """JSON as data, strictly: no duplicate keys, no NaN or Infinity, numbers within the digit limit, nesting at
    most MAX_DEPTH. `data` is the UTF-8 file `text` was decoded from, when the caller has it (the nesting is told
    from the bytes: encoding a 100 MB text again costs a tenth of a second)."""
    try:
        document = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as error:
        raise UserError(f"{source}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno}); "
                        f"expected the {what}") from None
    except RecursionError:
        raise UserError(f"{source}: nested deeper than {MAX_DEPTH} levels; expected the {what}") from None
    except _DuplicateKey as error:
        raise UserError(f"{source}: not valid JSON ({error}); expected the {what}") from None
    except ValueError as error:
        raise UserError(f"{source}: not valid JSON ({str(error).split(';')[0]}); expected the {what}") from None
    if not _brackets_within_depth(text.encode("utf-8", "surrogatepass") if data is None else data):
        raise UserError(f"{source}: nested deeper than {MAX_DEPTH} levels; expected the {what}")
    return document


_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_ONE_BRACKET_KIND = bytes.maketrans(b"{}", b"[]")
_STRING = re.compile(rb'"[^"]*"')


def _brackets_within_depth(data: bytes) -> bool:
    """Whether JSON `data` (UTF-8, a byte-order mark or not) that parsed nests at most MAX_DEPTH levels, told from its brackets with whole-string
    operations in C: for a 100 MB export a tenth of a second, where a walk over its millions of objects took
    seconds. Escapes go first (every `"` left delimits a string), then everything but quotes and brackets; the
    strings are then empty `""` unless one holds a bracket (then a regex drops them). Each round of removing
    adjacent `[]` pairs peels one level, so more than MAX_DEPTH rounds means too deep."""
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    data = data.translate(None, _NOT_STRUCTURE)
    without_strings = data.replace(b'""', b"")
    if b'"' in without_strings:  # a string holds a bracket: pair the quotes exactly
        without_strings = _STRING.sub(b"", data)
    data = without_strings.translate(_ONE_BRACKET_KIND)
    for _ in range(MAX_DEPTH):
        if not data:
            return True
        data = data.replace(b"[]", b"")
    return not data


def read_yaml(path: Path | str, what: str) -> Any:
    """A YAML file read strictly (see `load_yaml`)."""
    return load_yaml(read_text(path, what), _shown(path), what)


def read_json(path: Path | str, what: str) -> Any:
    """A JSON file read strictly (see `load_json`)."""
    source = _shown(path)
    data = read_bytes(path, what)
    return load_json(decode(data, source), source, what, data=data)


def check_schema(document: Mapping[str, Any], schema: Mapping[str, Any], source: str) -> None:
    """Validate against a JSON schema; the first error becomes a UserError naming the file and the key path."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = errors[0]
        raise UserError(f"{source}: {key_path(error.absolute_path) or '(document)'}: {error.message}")


def key_path(parts: Iterable[Any]) -> str:
    """`["rules", 2, "when"]` becomes `rules[2].when`, the way the messages name a key."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
