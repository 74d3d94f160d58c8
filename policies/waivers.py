"""Waivers as code: an accepted, owned, approved and dated exception to one rule for one resource (or a URN pattern).

`policies/waivers.yaml` holds them; the offline checker and the CrossGuard pack read the same file. A waiver
without a reason, a ticket, an owner's and an approver's e-mail or an expiry date is a config error; a critical
rule is waived per resource and stack, never by pattern; how far ahead a waiver may expire is set per severity in
each environment's pack config (`waivers-expired.maxWaiverDays`). After its expiry date a waiver no longer
applies: the finding is a violation again, and the waiver is reported as expired until someone removes or renews it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.ids import EMAIL_ANY_CASE
from amsterdam_cloud.policies.rule_model import project_of

DATA_LOSS_RULE = "plan-data-loss"
"""Not a pack rule: the deploy gate's check that a plan deletes or replaces no stateful resource. Its waivers live
in the same file, so the policy checker must accept them too."""
GATE_OVERRIDE_RULE = "deploy-override"
"""Not a pack rule either: lets `cityctl deploy` accept an option that weakens the gate in acc or prod (`resource`
names the option, e.g. `--today`)."""

DEFAULT_WAIVERS_FILE = Path(__file__).resolve().parent / "waivers.yaml"
REQUIRED = ("rule", "resource", "stack", "reason", "owner", "ticket", "expires")
APPROVAL = ("approver", "approved")
"""Required in the pack's waivers files (`load_waivers`): who accepted the risk, beside who owns it, and the day
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

    def names_project(self, project: str) -> bool:
        """Whether its resource can be one of the project's: a URN or pattern naming another project
        (`urn:pulumi:<stack>::<other>::...`) never is, so neither its use nor its expiry concerns that project."""
        named = project_of(self.resource)
        return not named or fnmatchcase(project, named)

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
                  approval: bool = False) -> tuple[Waiver, ...]:
    """Validate a waivers document (`{"waivers": [...]}`; none is `waivers: []`). Anything else fails closed: an
    empty file, `waivers: null`, a list, a scalar or a misspelt top-level key would otherwise read as "no waivers"
    (an emptied or half-merged file would drop every waiver without a word). Every waiver has a ticket and an
    owner's e-mail; a critical rule's waiver names one stack and one resource (no pattern); with `approval` (the
    pack's waivers files) an approver other than the owner is required too."""
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
        if _critical(entry["rule"]) and (_pattern(entry["resource"]) or _pattern(entry["stack"])):
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


def load_waivers(path: Path | None = None) -> tuple[Waiver, ...]:
    """The waivers in `path` (default `policies/waivers.yaml`), validated against the pack's rule ids."""
    return _load(str(path or DEFAULT_WAIVERS_FILE))


def _load(path_text: str) -> tuple[Waiver, ...]:
    from amsterdam_cloud.core.documents import read_text
    from amsterdam_cloud.core.errors import display

    path = Path(path_text)
    if not path.exists():
        raise WaiverError(f"{display(path)}: waivers file not found; pass an existing file or leave the option out")
    text = read_text(path, "waivers file")
    return _parse_text(text, display(path))


@lru_cache(maxsize=8)
def _parse_text(text: str, path_text: str) -> tuple[Waiver, ...]:
    """Parsed once per content: the CrossGuard pack asks for the waivers once per policy."""
    from amsterdam_cloud.policies.rules import RULE_IDS
    from amsterdam_cloud.core.documents import load_yaml

    try:
        document = load_yaml(text, path_text, "waivers file")
    except UserError as error:
        raise WaiverError(str(error)) from None
    return parse_waivers(document, path_text, RULE_IDS | {DATA_LOSS_RULE, GATE_OVERRIDE_RULE}, approval=True)


GATE_SEVERITY = {DATA_LOSS_RULE: "critical", GATE_OVERRIDE_RULE: "critical"}
"""The deploy gate's own rules are as grave as the pack's worst: waived per resource (or option) and stack only."""
LIMITED_GATE_RULES = (DATA_LOSS_RULE,)
"""Gate rules whose waivers the environment's maximum duration also bounds. A `deploy-override` waiver is judged
by the gate against the real date only (it exists to let a run use another `--today`), so it has no maximum."""


def severity_of(rule_id: str) -> str | None:
    """The severity of a waived rule (a pack rule's, or the gate's own); None for a rule neither knows."""
    from amsterdam_cloud.policies.rules import RULES_BY_ID

    rule = RULES_BY_ID.get(rule_id)
    return rule.severity.value if rule is not None else GATE_SEVERITY.get(rule_id)


def _critical(rule_id: str) -> bool:
    return severity_of(rule_id) == "critical"


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


class WaiverBook:
    """The waivers of one stack, looked up by rule and URN; remembers which ones were used."""

    def __init__(self, waivers: Iterable[Waiver], stack: str, today: dt.date, project: str | None = None) -> None:
        """`project`: the stack's project, when known (a waiver naming another project's resources is left out)."""
        self.stack, self.today = stack, today
        self._by_rule: dict[str, list[Waiver]] = {}
        for waiver in waivers:
            if fnmatchcase(stack, waiver.stack) and (project is None or waiver.names_project(project)):
                self._by_rule.setdefault(waiver.rule, []).append(waiver)

    def __bool__(self) -> bool:
        return bool(self._by_rule)

    def lookup(self, rule_id: str, urn: str) -> Waiver | None:
        """The waiver for this finding, preferring one still in force over an expired one; one approved after the
        day of the check is not in force yet (`describe_too_long` reports it)."""
        candidates = [w for w in self._by_rule.get(rule_id, ()) if w.matches(rule_id, urn, self.stack)
                      and not self._approved_later(w)]
        if not candidates:
            return None
        active = [w for w in candidates if not w.expired(self.today)]
        return (active or candidates)[0]

    def expired(self) -> list[Waiver]:
        """Every expired waiver that applies to this stack (used or not): each must be removed or renewed."""
        return [w for waivers in self._by_rule.values() for w in waivers if w.expired(self.today)]

    def too_long(self, max_days: Mapping[str, int]) -> list[tuple[Waiver, str, int]]:
        """(waiver, severity, maximum) of each waiver of this stack (a pack rule's or `plan-data-loss`) that runs
        longer, from its approval to its expiry, than its rule's severity allows (`max_days`: severity to days, from
        the pack config)."""
        found: list[tuple[Waiver, str, int]] = []
        for rule_id, waivers in self._by_rule.items():
            severity = severity_of(rule_id) if rule_id not in GATE_SEVERITY or rule_id in LIMITED_GATE_RULES else None
            limit = max_days.get(severity) if severity else None
            if severity and limit is not None:
                found += [(w, severity, limit) for w in waivers if w.duration(self.today) > limit]
        return found

    def _approved_later(self, waiver: Waiver) -> bool:
        return waiver.approved is not None and waiver.approved > self.today

    def describe_too_long(self, max_days: Mapping[str, int], environment: str) -> list[tuple[Waiver, str]]:
        """Each waiver the environment refuses, with the message that says so: one approved after the day of the
        check (judged by the same clock as its expiry: the check's day, `--today`), one that runs too long."""
        later = [(w, f"{w.source or 'waivers file'}: waivers[{w.index}] ({w.rule}) is approved on "
                     f"{w.approved.isoformat() if w.approved else ''}, after the day of the check "
                     f"({self.today.isoformat()}), so it is not in force; give the day the approver accepted it")
                 for waivers in self._by_rule.values() for w in waivers if self._approved_later(w)]
        too_long = [(w, f"{w.source or 'waivers file'}: waivers[{w.index}] ({w.rule}) runs {w.duration(self.today)} "
                        f"days from {(w.approved or self.today).isoformat()} to {w.expires.isoformat()}; a {severity} "
                        f"rule's waiver may run at most {limit} days in {environment} (pack config "
                        "waivers-expired.maxWaiverDays); set an earlier expiry and have it approved again then")
                    for w, severity, limit in self.too_long(max_days)]
        return later + too_long
