"""The overrides file: what people know about a workload that the estate's tags do not say.

`migration/overrides.yaml` in the working folder (or `--overrides FILE`), `schema: amsterdam.migrate.overrides/v1`:

    schema: amsterdam.migrate.overrides/v1
    owners:                       # owner tag as teams write it -> the team's mailbox
      Team Parkeren: parkeren@amsterdam.nl
    classifications:              # classification word -> BIO level (added to the built-in Dutch/English words)
      zeer geheim: BBN3
    environments:                 # environment tag -> dev, test, acc or prod (added to the built-in aliases)
      productie-2: prod
    databaseAdminGroups:          # owner mailbox or team name -> the team's Entra group, its databases' administrator
      parkeren@amsterdam.nl: {displayName: team-parkeren-dba, objectId: 5f0c1e2d-0000-4000-8000-00000000d0ba}
    workloads:                    # per workload id (<application>/<environment>), every key optional
      parking/prod: {owner: parkeren@amsterdam.nl, costCenter: CC-5120, dataClassification: BBN2,
                     strategy: rehost, wave: 2, exclude: false, dataTransferApproved: true, retireApproved: true,
                     databaseAdminGroup: {displayName: team-parkeren-dba, objectId: 5f0c1e2d-...}}

Every step reads it (discover, import-cmdb, map, waves, generate) and none writes it, so nothing reverts it: the
inventory keeps the tags as found, and the overrides are applied again each time a workload is put together.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Mapping, TypeVar

from amsterdam_cloud.core.app_config import DATABASE_ADMIN_GROUP
from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.core.config_readers import json_schema, matching
from amsterdam_cloud.core.ids import EMAIL_ANY_CASE
from amsterdam_cloud.core.environments import ENVIRONMENTS, ENVIRONMENTS_IN_WORDS
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.scripts.migrate.yaml_documents import display, read_yaml

SCHEMA = "amsterdam.migrate.overrides/v1"
DEFAULT_PATH = Path("migration") / "overrides.yaml"
"""Where the overrides live in the migration lead's working folder; read when present, `--overrides` otherwise."""

NOT_BIO = "not-bio"
"""The level of words for state secrets (`geheim`, `secret`): beyond the BIO, governed by the VIR-BI, so they
never map to a BBN level and never move to a public cloud without a decision by hand."""

CLASSIFICATION_WORDS: dict[str, str] = {
    **dict.fromkeys(("bbn1", "openbaar", "public"), "BBN1"),
    **dict.fromkeys(("bbn2", "intern", "internal", "bedrijfsvertrouwelijk"), "BBN2"),
    **dict.fromkeys(("bbn3", "vertrouwelijk", "confidential", "departementaal vertrouwelijk"), "BBN3"),
    **dict.fromkeys(("geheim", "secret", "staatsgeheim", "zeer geheim", "top secret", "stg geheim"), NOT_BIO),
}
"""Built-in classification words (Dutch and English, matched without case) to BIO levels."""

ENVIRONMENT_ALIASES: dict[str, str] = {
    **dict.fromkeys(("dev", "development", "develop", "ontwikkel", "ontwikkeling", "o"), "dev"),
    **dict.fromkeys(("test", "tst", "testing", "qa", "t"), "test"),
    **dict.fromkeys(("acc", "acceptance", "acceptatie", "staging", "stage", "uat", "preprod", "a"), "acc"),
    **dict.fromkeys(("prod", "production", "productie", "prd", "live", "p"), "prod"),
}
"""Built-in environment names to the platform's four environments (DTAP)."""

_STRATEGIES = ["retire", "retain", "rehost", "relocate", "replatform", "refactor", "repurchase"]
_MAILBOX = json_schema(matching(EMAIL_ANY_CASE, "a mailbox such as parkeren@amsterdam.nl"))


JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schema"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": SCHEMA},
        "owners": {"type": "object", "additionalProperties": _MAILBOX},
        "classifications": {"type": "object", "additionalProperties": {"enum": [*DATA_CLASSIFICATIONS, NOT_BIO]}},
        "environments": {"type": "object", "additionalProperties": {"enum": list(ENVIRONMENTS)}},
        "databaseAdminGroups": {"type": "object", "additionalProperties": DATABASE_ADMIN_GROUP},
        "workloads": {"type": "object", "additionalProperties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "owner": _MAILBOX,
                "costCenter": {"type": "string", "pattern": "^(CC-?)?[0-9]{4,6}$"},
                "dataClassification": {"type": "string", "minLength": 1},
                "personalData": {"type": "boolean"},
                "environment": {"type": "string", "minLength": 1},
                "strategy": {"enum": _STRATEGIES},
                "wave": {"type": "integer", "minimum": 1},
                "exclude": {"type": "boolean"},
                "dataTransferApproved": {"type": "boolean"},
                "retireApproved": {"type": "boolean"},
                "databaseAdminGroup": DATABASE_ADMIN_GROUP,
            },
        }},
    },
}


@dataclass(frozen=True, kw_only=True)
class Overrides:
    """The overrides in force (empty when there is no file): mapping tables and per-workload metadata."""

    source: str | None = None
    """The file they came from, or None: only the built-in tables."""
    owners: Mapping[str, str] = field(default_factory=dict)
    classifications: Mapping[str, str] = field(default_factory=dict)
    environments: Mapping[str, str] = field(default_factory=dict)
    database_admin_groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Owner mailbox or team name -> `{displayName, objectId}` of the team's Entra group."""
    workloads: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def environment(self, value: str | None) -> str | None:
        """dev, test, acc or prod for an environment tag (overrides first, then the built-in aliases), or None."""
        key = _word(value)
        return _table(self.environments).get(key) or ENVIRONMENT_ALIASES.get(key)

    def classification(self, value: str | None) -> str | None:
        """BBN1-3 (or `not-bio`) for a classification word, or None when the word is unknown."""
        key = _word(value)
        return _table(self.classifications).get(key) or CLASSIFICATION_WORDS.get(key)

    def owner(self, value: str | None) -> str | None:
        """The mailbox for an owner tag: itself when it is one, the `owners:` entry for a team name, else None."""
        if value is None:
            return None
        if EMAIL_ANY_CASE.fullmatch(value.strip()):
            return value.strip()
        return _table(self.owners).get(_word(value))

    def database_admin_group(self, *owners: str | None) -> Mapping[str, str] | None:
        """The `databaseAdminGroups:` entry of the first owner (mailbox or team name) that has one, else None."""
        table = _table(self.database_admin_groups)
        return next((table[_word(o)] for o in owners if o and _word(o) in table), None)

    def workload(self, workload_id: str) -> Mapping[str, Any]:
        """The overrides of a workload: its own entry, merged over any entry whose `environment:` moved it here
        (`legacy/uat2: {environment: acc, costCenter: ...}` applies to legacy/acc)."""
        merged: dict[str, Any] = {}
        for key, entry in self.workloads.items():
            if key != workload_id and self._applies_to(key, entry) == workload_id:
                merged.update(entry)
        merged.update(self.workloads.get(workload_id, {}))
        return merged

    def _applies_to(self, key: str, entry: Mapping[str, Any]) -> str:
        """The workload id a `workloads:` entry applies to: its key, or the one its `environment:` moves it to."""
        moved = entry.get("environment")
        if not moved:
            return key
        return f"{key.split('/', 1)[0]}/{self.environment(moved) or re.sub(r'[^a-z0-9]+', '-', moved.lower()).strip('-')}"

    def unknown_workloads(self, workload_ids: Collection[str]) -> list[str]:
        """One line per `workloads:` entry that applies to no workload (a typo such as `permits/prd` would
        otherwise be ignored without a word), naming the nearest workload id."""
        lines = []
        for key in sorted(k for k, entry in self.workloads.items()
                          if k not in workload_ids and self._applies_to(k, entry) not in workload_ids):
            nearest = difflib.get_close_matches(key, list(workload_ids), n=1)
            lines.append(f"{self.file}: workloads.{key}: no such workload"
                         + (f"; did you mean {nearest[0]}?" if nearest else "; `cityctl migrate map` lists the ids"))
        return lines

    @property
    def file(self) -> str:
        """The file people edit, as the `needs` lines name it."""
        return self.source or str(DEFAULT_PATH)


_V = TypeVar("_V")


def _word(value: str | None) -> str:
    return re.sub(r"[\s_-]+", " ", str(value or "").strip().lower())


def _table(entries: Mapping[str, _V]) -> dict[str, _V]:
    return {_word(key): value for key, value in entries.items()}


NONE = Overrides()


def load(path: str | Path | None) -> Overrides:
    """The overrides from `path`; without one, `migration/overrides.yaml` when it exists, else only the built-ins."""
    if path is None:
        if not DEFAULT_PATH.is_file():
            return NONE
        path = DEFAULT_PATH
    source = display(path)
    document = read_yaml(path, SCHEMA, "overrides file (docs/migration.md, 'The overrides file')")
    check_schema(document, JSON_SCHEMA, source)
    workloads = document.get("workloads") or {}
    for key, entry in workloads.items():
        if not re.match(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$", key):
            raise UserError(f"{source}: workloads.{key}: not a workload id; expected <application>/<environment> "
                            "as `cityctl migrate map` prints it (permits/prod)")
        if "environment" in entry and _word(entry["environment"]) not in (
                *ENVIRONMENTS, *_table(document.get("environments") or {}), *ENVIRONMENT_ALIASES):
            raise UserError(f"{source}: workloads.{key}.environment: {entry['environment']!r} is no known environment; "
                            f"expected {ENVIRONMENTS_IN_WORDS}")
    return Overrides(source=source, owners=document.get("owners") or {},
                     classifications=document.get("classifications") or {},
                     environments=document.get("environments") or {},
                     database_admin_groups=document.get("databaseAdminGroups") or {}, workloads=workloads)


def need(overrides: Overrides, section: str, line: str) -> dict[str, str]:
    """What to add to the overrides file to lift a blocker: the file, the section (`workloads: permits/prod`,
    `owners`) and the exact line to add under it."""
    return {"file": overrides.file, "under": section, "line": line}


def workload_need(overrides: Overrides, workload_id: str, key: str, value: str) -> dict[str, str]:
    return need(overrides, f"workloads: {workload_id}", f"{key}: {value}")
