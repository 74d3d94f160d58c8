"""Waivers as code: an accepted, owned and dated exception to one rule for one resource (or a URN pattern).

`policies/waivers.yaml` holds them; the offline checker and the CrossGuard pack read the same file. A waiver
without a reason, an owner or an expiry date is a config error. After its expiry date a waiver no longer
applies: the finding is a violation again, and the waiver is reported as expired until someone removes or renews it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from amsterdam_cloud.scripts.errors import UserError

DATA_LOSS_RULE = "plan-data-loss"
"""Not a pack rule: the deploy gate's check that a plan deletes or replaces no stateful resource. Its waivers live
in the same file, so the policy checker must accept them too."""

DEFAULT_WAIVERS_FILE = Path(__file__).resolve().parent / "waivers.yaml"
REQUIRED = ("rule", "resource", "stack", "reason", "owner", "expires")
OPTIONAL = ("ticket",)


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
    index: int = 0
    """Position in the file, for messages."""

    def matches(self, rule_id: str, urn: str, stack: str) -> bool:
        return (self.rule == rule_id and fnmatchcase(stack, self.stack)
                and (urn == self.resource or fnmatchcase(urn, self.resource)))

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "resource": self.resource, "stack": self.stack, "reason": self.reason,
                "owner": self.owner, "ticket": self.ticket, "expires": self.expires.isoformat()}


def parse_waivers(document: Any, source: str, rule_ids: Iterable[str] | None = None) -> tuple[Waiver, ...]:
    """Validate a waivers document (`{"waivers": [...]}`; an empty file has none)."""
    if document is None:
        return ()
    entries = document.get("waivers") if isinstance(document, dict) else None
    if entries is None and isinstance(document, dict) and not document:
        return ()
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise WaiverError(f"{source}: waivers: must be a list of waivers")
    known = set(rule_ids) if rule_ids is not None else None
    waivers: list[Waiver] = []
    for index, entry in enumerate(entries):
        where = f"{source}: waivers[{index}]"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where}: must be a mapping with {', '.join(REQUIRED)}")
        unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            raise WaiverError(f"{where}: unknown field(s) {', '.join(unknown)}; "
                              f"a waiver has {', '.join(REQUIRED + OPTIONAL)}")
        for field in REQUIRED:
            value = entry.get(field)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise WaiverError(f"{where}.{field}: required; every waiver needs a rule, resource, stack, "
                                  "reason, owner and expiry date")
        expires = entry["expires"]
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise WaiverError(f"{where}.expires: {entry['expires']!r} is not a date (YYYY-MM-DD)") from None
        if isinstance(expires, dt.datetime):
            expires = expires.date()
        if not isinstance(expires, dt.date):
            raise WaiverError(f"{where}.expires: {entry['expires']!r} is not a date (YYYY-MM-DD)")
        for field in ("rule", "resource", "stack", "reason", "owner"):
            if not isinstance(entry[field], str):
                raise WaiverError(f"{where}.{field}: must be text, got {type(entry[field]).__name__}")
        if known is not None and entry["rule"] not in known:
            raise WaiverError(f"{where}.rule: {entry['rule']!r} is not a rule of the pack; use a rule id from "
                              "`cityctl policy rules`")
        waivers.append(Waiver(rule=entry["rule"], resource=entry["resource"], stack=entry["stack"],
                              reason=entry["reason"].strip(), owner=entry["owner"].strip(), expires=expires,
                              ticket=str(entry.get("ticket") or ""), index=index))
    return tuple(waivers)


def load_waivers(path: Path | None = None) -> tuple[Waiver, ...]:
    """The waivers in `path` (default `policies/waivers.yaml`), validated against the pack's rule ids."""
    return _load(str(path or DEFAULT_WAIVERS_FILE))


@lru_cache(maxsize=8)
def _load(path_text: str) -> tuple[Waiver, ...]:
    import yaml

    from amsterdam_cloud.policies.rules import RULE_IDS

    path = Path(path_text)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WaiverError(f"{path}: waivers file not found; pass an existing file or leave the option out") from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise WaiverError(f"{path}: not valid YAML ({error})") from None
    return parse_waivers(document, str(path), RULE_IDS | {DATA_LOSS_RULE})


class WaiverBook:
    """The waivers of one stack, looked up by rule and URN; remembers which ones were used."""

    def __init__(self, waivers: Iterable[Waiver], stack: str, today: dt.date) -> None:
        self.stack, self.today = stack, today
        self._by_rule: dict[str, list[Waiver]] = {}
        for waiver in waivers:
            if fnmatchcase(stack, waiver.stack):
                self._by_rule.setdefault(waiver.rule, []).append(waiver)

    def __bool__(self) -> bool:
        return bool(self._by_rule)

    def lookup(self, rule_id: str, urn: str) -> Waiver | None:
        """The waiver for this finding, preferring one still in force over an expired one."""
        candidates = [w for w in self._by_rule.get(rule_id, ()) if w.matches(rule_id, urn, self.stack)]
        if not candidates:
            return None
        active = [w for w in candidates if not w.expired(self.today)]
        return (active or candidates)[0]

    def expired(self) -> list[Waiver]:
        """Every expired waiver that applies to this stack (used or not): each must be removed or renewed."""
        return [w for waivers in self._by_rule.values() for w in waivers if w.expired(self.today)]
