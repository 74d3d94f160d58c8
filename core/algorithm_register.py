"""The city's algorithm register snapshot (`algorithm_register.yaml`): the ids prod resources may point at.

`load_register()` is also what the analytics component reads to tag what it deploys.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from amsterdam_cloud.core.errors import UserError

REGISTER_FILE = Path(__file__).resolve().parent / "algorithm_register.yaml"
TAG = "algorithm-register-id"
"""The tag every resource that runs an algorithm carries: the `lars` id of its register entry."""
RUNS_ALGORITHM_TAG = "runs-algorithm"
"""Set to "true" on any resource that runs an algorithm but is not an AI service or ML workspace."""
REQUIRED_FIELDS = ("lars", "name", "description_short", "organization", "status", "contact_email",
                   "publication_category", "lang")
"""Required by the Dutch algorithm register standard (plus `lars`, the id we key on)."""


def load_register(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The register entries by id (`lars`); raises UserError naming the entry and field when one is malformed."""
    path = path or REGISTER_FILE
    return dict(_load(str(path)))


@lru_cache(maxsize=8)
def _load(path_text: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    import yaml

    path = Path(path_text)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: missing; the algorithm register snapshot is required") from None
    except yaml.YAMLError as error:
        raise UserError(f"{path}: not valid YAML ({error})") from None
    entries = (document or {}).get("algorithms") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise UserError(f"{path}: algorithms: must be a list of register entries")
    register: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise UserError(f"{path}: algorithms[{index}]: must be a mapping of register fields")
        for field in REQUIRED_FIELDS:
            if not str(entry.get(field) or "").strip():
                raise UserError(f"{path}: algorithms[{index}].{field}: required by the register standard; fill it in")
        lars = str(entry["lars"])
        if lars in register:
            raise UserError(f"{path}: algorithms[{index}].lars: {lars} appears twice; ids are unique")
        register[lars] = dict(entry, lars=lars)
    return tuple(register.items())
