"""`cityctl policy waivers`: every waiver with its days left and what it waives in the given plans.

A waiver is `in use` when it waives a finding of a plan of a stack it names, `stale` when it names such a stack but
waives nothing there (the resource is gone or complies: remove the waiver), `expired` past its date, `too long`
when it expires further ahead than the environment allows (without a plan: the environment its `stack` names), and
`not checked` when no plan of its stack was given (the deploy gate's `plan-data-loss` and `deploy-override` waivers
are judged by the gate, never by a plan).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Sequence

from amsterdam_cloud.policies.waivers import DATA_LOSS_RULE, GATE_OVERRIDE_RULE, Waiver

STATUSES = ("expired", "too long", "stale", "in use", "not checked")


@dataclass(frozen=True, kw_only=True)
class WaiverStatus:
    """One waiver as the listing shows it."""

    waiver: Waiver
    status: str
    """One of STATUSES."""
    days_left: int
    waived: int
    """Findings it waives in the plans given."""
    stacks: tuple[str, ...]
    """The stacks of the plans given that it names."""

    def as_dict(self) -> dict[str, Any]:
        return {**self.waiver.as_dict(), "file": self.waiver.source, "index": self.waiver.index,
                "status": self.status, "daysLeft": self.days_left, "waived": self.waived, "stacks": list(self.stacks)}


def _too_long_by_its_stack(waiver: Waiver, today: dt.date) -> bool:
    """Without a plan: a waiver whose `stack` names an environment is held to that environment's maximum."""
    from amsterdam_cloud.core.environments import environment_of_stack
    from amsterdam_cloud.policies.settings import WAIVERS_EXPIRED, load_pack_config
    from amsterdam_cloud.policies.waivers import WaiverBook

    environment = None if any(c in waiver.stack for c in "*?[") else environment_of_stack(waiver.stack)
    if environment is None:
        return False
    limits = load_pack_config(environment).settings(WAIVERS_EXPIRED).max_waiver_days
    return bool(WaiverBook([waiver], waiver.stack, today).too_long(limits))


def waiver_statuses(waivers: Sequence[Waiver], results: Sequence[Any], today: dt.date) -> list[WaiverStatus]:
    """The status of each waiver against the check results of the plans given (`checker.CheckResult`)."""
    statuses = []
    for waiver in waivers:
        stacks = tuple(r.stack for r in results if fnmatchcase(r.stack, waiver.stack))
        waived = sum(1 for r in results for f in (*r.waived, *r.findings) if f.waiver is waiver)
        too_long = (any(w is waiver for r in results for w, _ in r.too_long_waivers) if stacks
                    else _too_long_by_its_stack(waiver, today))
        if waiver.expired(today):
            status = "expired"
        elif too_long:
            status = "too long"
        elif not stacks or waiver.rule in (DATA_LOSS_RULE, GATE_OVERRIDE_RULE):
            status = "not checked"
        else:
            status = "in use" if waived else "stale"
        statuses.append(WaiverStatus(waiver=waiver, status=status, days_left=waiver.days_left(today),
                                     waived=waived, stacks=stacks))
    return statuses


def render_waivers_text(statuses: Sequence[WaiverStatus], plans: int) -> str:
    lines = []
    for s in statuses:
        w = s.waiver
        lines.append(f"{s.status.upper():<11} {w.source}: waivers[{w.index}] {w.rule} on {w.resource} (stack {w.stack})")
        approved = f" on {w.approved.isoformat()}" if w.approved else ""
        lines.append(f"            {s.days_left} day(s) left (until {w.expires.isoformat()}), owner {w.owner}, approver "
                     f"{w.approver or '-'}{approved}, ticket {w.ticket}; waives {s.waived} finding(s) in "
                     f"{len(s.stacks)} plan(s)")
    counts = {status: sum(1 for s in statuses if s.status == status) for status in STATUSES}
    lines.append(f"{len(statuses)} waiver(s) against {plans} plan(s)"
                 + "".join(f", {n} {status}" for status, n in counts.items() if n))
    return "\n".join(lines) + "\n"


def render_waivers_json(statuses: Sequence[WaiverStatus]) -> str:
    return json.dumps([s.as_dict() for s in statuses], indent=2, ensure_ascii=False) + "\n"
