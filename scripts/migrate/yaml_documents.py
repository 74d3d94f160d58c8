"""Reading and writing the migration's YAML documents: versioned, validated, and never half-written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from amsterdam_cloud.core.errors import UserError, display
from amsterdam_cloud.scripts.files import write_atomically

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(document: Any, header: str | None = None) -> str:
    """YAML text with keys in the order the document gives them, optionally after a comment header."""
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=120)
    if header:
        comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
        return comment + body
    return body


def write_yaml(path: Path | str, document: Any, header: str | None = None) -> None:
    write_atomically(path, dump_yaml(document, header))


def read_yaml(path: Path | str, schema_id: str, what: str) -> dict[str, Any]:
    """Read one of our documents and check its `schema:` line before anything else looks at it.

    `schema_id` is the document kind with its version (`amsterdam.migrate.inventory/v1`); a document of
    another kind or version is refused with a message naming the file and the command that writes it.
    """
    path = Path(path)
    source = display(path)
    if not path.is_file():
        raise UserError(f"{source}: no such file; expected the {what}")
    from amsterdam_cloud.core.documents import read_yaml as read_strictly

    document = read_strictly(path, what)
    if not isinstance(document, dict):
        raise UserError(f"{source}: expected a mapping with `schema: {schema_id}`, the {what}")
    found = document.get("schema")
    if found != schema_id:
        kind = schema_id.rsplit("/", 1)[0]
        if isinstance(found, str) and found.startswith(kind + "/"):
            raise UserError(f"{source}: schema: {found} is not supported by this cityctl (it reads {schema_id}); "
                            "regenerate the file with this version")
        raise UserError(f"{source}: schema: expected {schema_id!r}, got {found!r}; is this the {what}?")
    return document
