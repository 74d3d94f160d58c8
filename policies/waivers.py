"""Waivers as code: an accepted, owned, approved and dated exception to one rule for one resource (or a URN pattern).

`policies/waivers.yaml` holds them; the offline checker and the CrossGuard pack read the same file. A waiver
without a reason, a ticket, an owner's and an approver's e-mail or an expiry date is a config error; a critical
rule is waived per resource and stack, never by pattern; how far ahead a waiver may expire is set per severity in
each environment's pack config (`waivers-expired.maxWaiverDays`). After its expiry date a waiver no longer
applies: the finding is a violation again, and the waiver is reported as expired until someone removes or renews it.
"""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from amsterdam_cloud.core import waivers as waiver_format
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.waivers import Waiver, WaiverError
from amsterdam_cloud.policies.rule_model import project_of

DATA_LOSS_RULE = "plan-data-loss"
"""Not a pack rule: the deploy gate's check that a plan deletes or replaces no stateful resource. Its waivers live
in the same file, so the policy checker must accept them too."""
GATE_OVERRIDE_RULE = "deploy-override"
"""Not a pack rule either: lets `cityctl deploy` accept an option that weakens the gate in acc or prod (`resource`
names the option, e.g. `--today`)."""

DEFAULT_WAIVERS_FILE = Path(__file__).resolve().parent / "waivers.yaml"
# The file's format (`Waiver`, `WaiverError`) is core/waivers.py's; the pack's knowledge of its rules is here.
__all__ = ["DATA_LOSS_RULE", "DEFAULT_WAIVERS_FILE", "GATE_OVERRIDE_RULE", "Waiver", "WaiverBook", "WaiverError",
           "load_waivers", "parse_waivers", "severity_of"]


def parse_waivers(document: Any, source: str, rule_ids: Iterable[str] | None = None, *,
                  approval: bool = False) -> tuple[Waiver, ...]:
    """A waivers document in the file format (core/waivers.py), with the pack's critical rules (and the gate's own)
    waived per resource and stack only."""
    return waiver_format.parse_waivers(document, source, rule_ids, approval=approval, critical=_critical)


def names_project(waiver: Waiver, project: str) -> bool:
    """Whether the waiver's resource can be one of the project's: a URN or pattern naming another project
    (`urn:pulumi:<stack>::<other>::...`) never is, so neither its use nor its expiry concerns that project."""
    named = project_of(waiver.resource)
    return not named or fnmatchcase(project, named)


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


class WaiverBook:
    """The waivers of one stack, looked up by rule and URN; remembers which ones were used."""

    def __init__(self, waivers: Iterable[Waiver], stack: str, today: dt.date, project: str | None = None) -> None:
        """`project`: the stack's project, when known (a waiver naming another project's resources is left out)."""
        self.stack, self.today = stack, today
        self._by_rule: dict[str, list[Waiver]] = {}
        for waiver in waivers:
            if fnmatchcase(stack, waiver.stack) and (project is None or names_project(waiver, project)):
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
