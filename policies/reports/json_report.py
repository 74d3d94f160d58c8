"""The machine report: a JSON list of findings (violations first, then waived ones, then the values unknown until
deployment that dev and test pass over, each with its status)."""

from __future__ import annotations

import json


def findings_as_dicts(result) -> list[dict]:
    items = [f.as_dict("expired-waiver" if f.waiver is not None else "violation") for f in result.findings]
    items += [f.as_dict("waived") for f in result.waived]
    items += [f.as_dict("unknown") for f in result.notes]  # dev and test: passed over, not judged
    return items


def render_json(result) -> str:
    """One finding per line: readable in a diff and fast (the C encoder runs only without indent)."""
    items = findings_as_dicts(result)
    if not items:
        return "[]\n"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(item) for item in items) + "\n]\n"
