"""The waivers file format, shared by the pack's waivers files and the governance project's exemptions: an
accepted, owned and dated exception to one rule for one resource (or a pattern), read and validated as text only.

What a rule id means (which rules exist, which are critical) is the caller's knowledge: `policies/waivers.py` passes
it for the pack, the governance config reads exemptions of Azure Policy assignments with the same format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Callable, Iterable, Mapping

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.ids import EMAIL_ANY_CASE

REQUIRED = ("rule", "resource", "stack", "reason", "owner", "ticket", "expires")
APPROVAL = ("approver", "approved")
"""Required in the pack's waivers files (`approval`, policies/waivers.py `load_waivers`): who accepted the risk, beside who owns it, and the day
they did (a waiver's maximum duration runs from that day to its expiry, so it cannot grow valid by waiting)."""
OPTIONAL = ("scope",)
EMAIL = EMAIL_ANY_CASE
TICKET = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_]*-\d+|(?:AB)?#\d+)$")
"""A Jira-style key (`CLOUD-1432`) or an Azure Boards work item (`#1432`, `AB#1432`)."""


class WaiverError(UserError):
    """The waivers file is malformed: names the file, the waiver and the field."""


@dataclass(frozen=True, kw_only=True)
class Waiver:
    """One accepted exception."""

    rule: str
    """The rule id it waives."""
    resource: str
    """A URN, or a pattern over URNs (`*` and `?` as in shell globs)."""
    stack: str
    """The stack name (or pattern) it applies to, e.g. `prod` or `*`."""
    reason: str
    owner: str
    expires: dt.date
    """The last day the waiver applies."""
    ticket: str = ""
    approver: str = ""
    """Who accepted the risk (an e-mail address, not the owner's)."""
    approved: dt.date | None = None
    """The day the approver accepted it (required in the pack's files); the maximum duration is `expires - approved`."""
    index: int = 0
    """Position in the file, for messages."""
    source: str = ""
    """The file it was read from, for messages."""

    def matches(self, rule_id: str, urn: str, stack: str) -> bool:
        return (self.rule == rule_id and fnmatchcase(stack, self.stack)
                and (urn == self.resource or fnmatchcase(urn, self.resource)))

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "resource": self.resource, "stack": self.stack, "reason": self.reason,
                "owner": self.owner, "approver": self.approver, "ticket": self.ticket,
                **({"approved": self.approved.isoformat()} if self.approved else {}),
                "expires": self.expires.isoformat()}

    def days_left(self, today: dt.date) -> int:
        """Days it still applies after today (0 on its last day, negative once expired)."""
        return (self.expires - today).days

    def duration(self, today: dt.date) -> int:
        """Days from its approval (today where none is recorded) to its expiry: what the maximum bounds."""
        return (self.expires - (self.approved or today)).days


def parse_waivers(document: Any, source: str, rule_ids: Iterable[str] | None = None, *,
                  approval: bool = False, critical: Callable[[str], bool] | None = None) -> tuple[Waiver, ...]:
    """Validate a waivers document (`{"waivers": [...]}`; none is `waivers: []`). Anything else fails closed: an
    empty file, `waivers: null`, a list, a scalar or a misspelt top-level key would otherwise read as "no waivers"
    (an emptied or half-merged file would drop every waiver without a word). Every waiver has a ticket and an
    owner's e-mail; a rule `critical` says is critical is waived for one stack and one resource (no pattern); with
    `approval` (the pack's waivers files) an approver other than the owner is required too; with `rule_ids`, only
    those rules."""
    shape = "the file holds one key, `waivers:`, with a list of waivers (see policies/waivers.yaml)"
    if document is None:
        raise WaiverError(f"{source}: is empty; {shape}, `waivers: []` when there are none")
    if not isinstance(document, dict):
        raise WaiverError(f"{source}: is a {_kind(document)}, not a mapping; {shape}")
    unknown = sorted(str(key) for key in document if key != "waivers")
    if unknown:
        raise WaiverError(f"{source}: {unknown[0]}: unknown key; {shape}")
    entries = document.get("waivers")
    if entries is None:
        raise WaiverError(f"{source}: waivers: {'missing' if 'waivers' not in document else 'empty (null)'}; "
                          f"{shape}, `waivers: []` when there are none")
    if not isinstance(entries, list):
        raise WaiverError(f"{source}: waivers: must be a list of waivers, got a {_kind(entries)}")
    known = set(rule_ids) if rule_ids is not None else None
    required = REQUIRED + APPROVAL if approval else REQUIRED
    allowed = set(REQUIRED) | set(APPROVAL) | set(OPTIONAL)
    waivers: list[Waiver] = []
    for index, entry in enumerate(entries):
        where = f"{source}: waivers[{index}]"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where}: must be a mapping with {', '.join(required)}")
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise WaiverError(f"{where}: unknown field(s) {', '.join(unknown)}; "
                              f"a waiver has {', '.join(required + OPTIONAL)}")
        for field in required:
            value = entry.get(field)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise WaiverError(f"{where}.{field}: required; every waiver needs {', '.join(required)}")
        expires = _date(entry, "expires", where)
        approved = _date(entry, "approved", where) if entry.get("approved") is not None else None
        if approved is not None and approved > expires:
            raise WaiverError(f"{where}.approved: {approved.isoformat()} is after expires {expires.isoformat()}; "
                              "a waiver is approved before it ends")
        for field in ("rule", "resource", "stack", "reason", "owner", *(("approver",) if approval else ())):
            if not isinstance(entry[field], str):
                raise WaiverError(f"{where}.{field}: must be text, got {type(entry[field]).__name__}")
        ticket = str(entry["ticket"]).strip()
        if not TICKET.match(ticket):
            raise WaiverError(f"{where}.ticket: {ticket!r} is not a ticket id; name the change or risk ticket, "
                              "e.g. CLOUD-1432 or AB#1432")
        for field in ("owner", *(("approver",) if approval else ())):
            if not EMAIL.match(entry[field].strip()):
                raise WaiverError(f"{where}.{field}: {entry[field]!r} is not an e-mail address; name the "
                                  f"{'team mailbox that owns the risk' if field == 'owner' else 'person who approved it'}"
                                  ", e.g. cloud-platform@amsterdam.nl")
        if approval and entry["approver"].strip().lower() == entry["owner"].strip().lower():
            raise WaiverError(f"{where}.approver: the owner cannot approve their own waiver; name the approver "
                              "(the risk owner's manager or the CISO office)")
        if critical is not None and critical(entry["rule"]) and (_pattern(entry["resource"]) or _pattern(entry["stack"])):
            field = "resource" if _pattern(entry["resource"]) else "stack"
            raise WaiverError(f"{where}: {entry['rule']} is a critical rule, so its waiver names one stack and one "
                              f"resource URN, but its {field} holds {_pattern_text(entry[field])}; list each resource "
                              "as its own waiver")
        scope = entry.get("scope")
        if scope is not None and scope != "all":
            raise WaiverError(f"{where}.scope: {scope!r}; the only scope is `all` (a waiver for every resource in "
                              "every stack); leave it out otherwise")
        everywhere = _matches_all(entry["resource"]) and _matches_all(entry["stack"])
        if everywhere and scope != "all":
            raise WaiverError(f"{where}: resource and stack are both '*', which waives {entry['rule']} for every "
                              "resource in every stack; name the stack or the resource, or add `scope: all` to say "
                              "that is meant")
        if known is not None and entry["rule"] not in known:
            raise WaiverError(f"{where}.rule: {entry['rule']!r} is not a rule of the pack; use a rule id from "
                              "`cityctl policy rules`")
        waivers.append(Waiver(rule=entry["rule"], resource=entry["resource"], stack=entry["stack"],
                              reason=entry["reason"].strip(), owner=entry["owner"].strip(), expires=expires,
                              ticket=ticket, approver=str(entry.get("approver") or "").strip(), approved=approved,
                              index=index, source=source))
    return tuple(waivers)


def _pattern(text: str) -> bool:
    return any(char in text for char in "*?[")


_BRACKET_CLASS = re.compile(r"\[[^\]]*\]?")


def _pattern_text(text: str) -> str:
    """What makes `text` a glob, as a message names it: the bracket class (`[r]`), else the `*` or `?`."""
    bracket = _BRACKET_CLASS.search(text)
    if bracket:
        return f"the glob bracket class {bracket.group(0)!r} (it matches any one of the characters inside)"
    return "the glob " + " and ".join(repr(char) for char in "*?" if char in text)


def _date(entry: Mapping[str, Any], field: str, where: str) -> dt.date:
    """A waiver's date field (YAML reads `2027-03-31` as a date, a quoted one as text)."""
    value = entry[field]
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise WaiverError(f"{where}.{field}: {entry[field]!r} is not a date (YYYY-MM-DD)") from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise WaiverError(f"{where}.{field}: {entry[field]!r} is not a date (YYYY-MM-DD)")
    return value


def _matches_all(pattern: str) -> bool:
    """True for a pattern that matches every name (`*`, `**`)."""
    return bool(pattern) and set(pattern) == {"*"}


def _kind(value: Any) -> str:
    return {list: "list", dict: "mapping", str: "text", bool: "boolean"}.get(type(value), type(value).__name__)


