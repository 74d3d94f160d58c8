"""Where each workload stands in the move: planned, copying, cut over or rolled back, with the history of changes.

`migration/status.yaml` (`schema: amsterdam.migrate.status/v1`), written by `cityctl migrate status --set`:

    workloads:
      permits/prod: {state: copying, wave: 1, history: [{state: planned, at: ...}, {state: copying, at: ..., note: ...}]}

Only moves that make sense are allowed (`TRANSITIONS`): a workload is planned, then copying, then cut over; a
copying or cut-over workload can be rolled back, and a rolled-back one copied again.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.scripts.migrate.yaml_documents import display, read_yaml, write_yaml

SCHEMA = "amsterdam.migrate.status/v1"
DEFAULT_PATH = Path("migration") / "status.yaml"
STATES = ("planned", "copying", "cut-over", "rolled-back")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("copying",), "copying": ("cut-over", "rolled-back"), "cut-over": ("rolled-back",),
    "rolled-back": ("copying", "planned"),
}
"""From each state, the states a workload may move to."""

JSON_SCHEMA = {
    "type": "object", "required": ["schema", "workloads"],
    "properties": {
        "schema": {"const": SCHEMA},
        "workloads": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["state", "history"],
            "properties": {"state": {"enum": list(STATES)}, "wave": {"type": ["integer", "null"]},
                           "history": {"type": "array", "items": {"type": "object", "required": ["state", "at"]}}}}},
    },
}


def load(path: Path | str) -> dict[str, Any]:
    """The status file, or an empty one when it does not exist yet."""
    if not Path(path).is_file():
        return {"schema": SCHEMA, "workloads": {}}
    document = read_yaml(path, SCHEMA, "status file written by `cityctl migrate status --set`")
    check_schema(document, JSON_SCHEMA, display(path))
    return document


def save(path: Path | str, document: Mapping[str, Any]) -> None:
    write_yaml(path, dict(document), header="Migration status: written by `cityctl migrate status --set`; "
                                            "see docs/migration.md.")


def with_plan(document: Mapping[str, Any], waves: Mapping[str, Any], now: str | None = None) -> dict[str, Any]:
    """The status with every workload of the wave plan present (new ones `planned`) and its current wave."""
    workloads = {wid: dict(entry) for wid, entry in document["workloads"].items()}
    stamp = now or _now()
    for wave in waves["waves"]:
        for entry in wave["workloads"]:
            known = workloads.setdefault(entry["id"], {"state": "planned", "history": [{"state": "planned", "at": stamp}]})
            known["wave"] = wave["wave"]
    return {"schema": SCHEMA, "workloads": dict(sorted(workloads.items()))}


def change(document: Mapping[str, Any], workload: str, state: str, *, note: str | None = None,
           now: str | None = None) -> dict[str, Any]:
    """The status after one workload moves to `state`; a move `TRANSITIONS` does not allow is refused."""
    if state not in STATES:
        raise UserError(f"--set {workload}={state}: unknown state; expected one of {', '.join(STATES)}")
    workloads = {wid: dict(entry) for wid, entry in document["workloads"].items()}
    if workload not in workloads:
        raise UserError(f"--set {workload}: not in the wave plan; expected one of its workloads "
                        f"({', '.join(sorted(workloads)) or 'none'})")
    current = workloads[workload]["state"]
    if state not in TRANSITIONS[current]:
        raise UserError(f"--set {workload}={state}: {workload} is {current}; from {current} it can go to "
                        f"{', '.join(TRANSITIONS[current])}")
    entry = {"state": state, "at": now or _now(), **({"note": note} if note else {})}
    workloads[workload] = {**workloads[workload], "state": state,
                           "history": [*workloads[workload]["history"], entry]}
    return {"schema": SCHEMA, "workloads": workloads}


def table(document: Mapping[str, Any]) -> str:
    """Per wave, how many workloads are in each state, then every workload with its state."""
    by_wave: dict[Any, dict[str, int]] = {}
    for entry in document["workloads"].values():
        counts = by_wave.setdefault(entry.get("wave"), dict.fromkeys(STATES, 0))
        counts[entry["state"]] += 1
    lines = ["WAVE  " + "  ".join(f"{s:>11}" for s in STATES)]
    for wave in sorted(by_wave, key=lambda w: (w is None, w or 0)):
        lines.append(f"{str(wave or '-'):<4}  " + "  ".join(f"{by_wave[wave][s]:>11}" for s in STATES))
    for wid, entry in document["workloads"].items():
        lines.append(f"  {wid}: {entry['state']} (wave {entry.get('wave') or '-'}, since {entry['history'][-1]['at']})")
    return "\n".join(lines) + "\n"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
