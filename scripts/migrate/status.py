"""Where each workload stands in the move: planned, copying, cut over or rolled back, with the history of changes.

`migration/status.yaml` (`schema: amsterdam.migrate.status/v1`), written by `cityctl migrate status --set`:

    workloads:
      permits/prod: {state: copying, wave: 1, history: [{state: planned, at: ...}, {state: copying, at: ..., note: ...}]}

Only moves that make sense are allowed (`TRANSITIONS`): a workload is planned, then copying, then cut over; a
copying or cut-over workload can be rolled back, and a rolled-back one copied again. The wave plan's order holds
too (`gate`): a provisional (blocked) or not-ready workload does not start, and a workload is not cut over before
its earlier environment (dev -> test -> acc -> prod) and every started workload of an earlier wave are cut over;
`--force` passes the gate only with a `--note` saying why, recorded in the history.
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
            known.pop("provisional", None)
            if entry.get("provisional"):  # shown as `1?`, as the wave table does: not to start
                known["provisional"] = True
    return {"schema": SCHEMA, "workloads": dict(sorted(workloads.items()))}


STARTING = ("copying", "cut-over")
"""The states that start (or finish) a move: the wave plan's gate applies to them."""


def gate(document: Mapping[str, Any], waves: Mapping[str, Any], workload: str, state: str) -> list[str]:
    """Why the wave plan says `workload` may not move to `state` (empty: it may): provisional or not ready (not
    generated) for any start; for cut-over also its earlier environment and the earlier waves' workloads that
    are not cut over yet (provisional ones excepted: they wait, and so does everything after them)."""
    if state not in STARTING:
        return []
    entries = {e["id"]: (wave["wave"], e) for wave in waves["waves"] for e in wave["workloads"]}
    if workload not in entries:
        return ["it is in no wave of this wave plan (held back or excluded): see the plan's heldBack and excluded"]
    number, entry = entries[workload]
    reasons = []
    if entry.get("provisional"):
        reasons.append(f"it is provisional in the wave plan ({'; '.join(entry.get('reasons', [])) or 'blocked'}): lift "
                       "the blockers with the override lines `cityctl migrate map` prints, then map and waves again")
    elif entry.get("status", "ready") != "ready":
        reasons.append(f"its mapping status is {entry['status']}, so `generate` wrote nothing for it: add the override lines "
                       "`cityctl migrate map` prints, then map, waves and generate again")
    if state == "cut-over":
        def behind(wid: str) -> bool:
            return document["workloads"].get(wid, {}).get("state") != "cut-over"
        earlier = entry.get("after")
        if earlier and earlier in entries and behind(earlier):
            reasons.append(f"its earlier environment {earlier} is not cut over: cut it over first")
        waiting = sorted(wid for wid, (n, e) in entries.items()
                         if n < number and not e.get("provisional") and wid != earlier and behind(wid))
        if waiting:
            reasons.append(f"wave {number} cuts over after the earlier waves, and {', '.join(waiting[:5])}"
                           f"{' ...' if len(waiting) > 5 else ''} are not cut over: cut them over first")
    return reasons


def change(document: Mapping[str, Any], workload: str, state: str, *, waves: Mapping[str, Any] | None = None,
           force: bool = False, note: str | None = None, now: str | None = None) -> dict[str, Any]:
    """The status after one workload moves to `state`; a move `TRANSITIONS` does not allow is refused, and so is
    one the wave plan's `gate` refuses, unless `force` with a `note` (the reason, recorded with the move)."""
    note = (note or "").strip() or None  # a blank note is no reason
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
    refused = gate(document, waves, workload, state) if waves is not None else []
    if refused and not (force and note):
        fix = ("--force needs --note with the reason (who decided, the ticket)" if force
               else "or pass --force with --note giving the reason, which is recorded")
        raise UserError(f"--set {workload}={state}: refused, {'; '.join(refused)} ({fix})")
    entry = {"state": state, "at": now or _now(), **({"note": note} if note else {}),
             **({"forced": refused} if refused else {})}
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
        wave = f"{entry.get('wave') or '-'}{'?' if entry.get('provisional') else ''}"
        lines.append(f"  {wid}: {entry['state']} (wave {wave}, since {entry['history'][-1]['at']})")
    return "\n".join(lines) + "\n"


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
