"""The machine report: a JSON list of findings (violations first, then waived ones, then the values unknown until
deployment that dev and test pass over, each with its status)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from amsterdam_cloud.policies.checker import CheckResult, Finding

_ENCODE: Callable[[object], str] = json.JSONEncoder(ensure_ascii=False).encode
"""The one encoding of the report: compact lines, text as written (no \\u escapes for é)."""

_SLOTS = ("\x00urn\x00", "\x00message\x00", "\x00type\x00")
"""Stand-ins for the three fields that differ between findings of one rule (see `_pieces`)."""


def findings_with_status(result: "CheckResult") -> Iterator[tuple["Finding", str]]:
    """Every finding of the report in its order, with its status."""
    yield from ((f, "expired-waiver" if f.waiver is not None else "violation") for f in result.findings)
    yield from ((f, "waived") for f in result.waived)
    yield from ((f, "unknown") for f in result.notes)  # dev and test: passed over, not judged


def findings_as_dicts(result: "CheckResult") -> list[dict[str, Any]]:
    return [finding.as_dict(status) for finding, status in findings_with_status(result)]


def _pieces(result: "CheckResult") -> list[str]:
    """The report's text in pieces, joined once: byte for byte what encoding each `Finding.as_dict` gives, but ~5x
    faster on 100,000 findings. The fields a rule and its level fix (policy, severity, controls, title, remediation)
    are encoded once per rule, from `as_dict` itself with stand-ins in the three slots that differ (urn, message,
    type); each finding adds only its own three encoded texts (each distinct message and type encoded once) between
    the shared template pieces, so no line is built on its own. A finding with a waiver is encoded whole."""
    templates: dict[tuple[Any, ...], tuple[str, str, str, str]] = {}
    encoded: dict[str, str] = {}  # messages and types, encoded once: most findings of a rule say the same
    pieces: list[str] = []
    add = pieces.extend
    separator = "[\n"
    for finding, status in findings_with_status(result):
        if finding.waiver is not None:
            add((separator, _ENCODE(finding.as_dict(status))))
            separator = ",\n"
            continue
        key = (finding.policy, finding.severity, finding.enforcement, finding.controls, finding.title,
               finding.remediation, status)
        template = templates.get(key)
        if template is None:
            template = templates[key] = _template(finding, status)
        head, after_urn, after_message, tail = template
        message, resource_type = encoded.get(finding.message), encoded.get(finding.resource_type)
        if message is None:
            message = encoded[finding.message] = encode_basestring(finding.message)
        if resource_type is None:
            resource_type = encoded[finding.resource_type] = encode_basestring(finding.resource_type)
        add((separator, head, encode_basestring(finding.urn), after_urn, message, after_message, resource_type,
             tail))
        separator = ",\n"
    return pieces


def _template(finding: "Finding", status: str) -> tuple[str, str, str, str]:
    """A finding's JSON line cut around its urn, message and type (encoded from `as_dict` with stand-ins)."""
    stand_in = type(finding)(**{**finding.__dict__, "urn": _SLOTS[0], "message": _SLOTS[1],
                                "resource_type": _SLOTS[2]})
    text = _ENCODE(stand_in.as_dict(status))
    slots = [encode_basestring(slot) for slot in _SLOTS]
    at = [text.find(slot) for slot in slots]
    if -1 in at or at != sorted(at) or any(text.count(slot) != 1 for slot in slots):
        raise RuntimeError("Finding.as_dict no longer has urn, message and type in that order; update "
                           "policies/reports/json_report.py")
    for slot in slots:
        text = text.replace(slot, "\x00")
    head, after_urn, after_message, tail = text.split("\x00")
    return head, after_urn, after_message, tail


def render_json(result: "CheckResult") -> str:
    """One finding per line: readable in a diff and fast (the C encoder runs only without indent)."""
    pieces = _pieces(result)
    if not pieces:
        return "[]\n"
    pieces.append("\n]\n")
    return "".join(pieces)
