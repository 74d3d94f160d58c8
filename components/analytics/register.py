"""The algorithm register check the analytics components make before they build anything.

The city publishes every algorithm it uses in the public algorithm register (core/algorithm_register.yaml is the
repo's snapshot). A workspace that runs an algorithm carries its register id in the `algorithm-register-id` tag;
where `RegisterPolicy.require_entry` is on (acc and prod set it), an algorithm without an id, with an id the snapshot
does not hold, with a status the environment does not accept, or an impactful algorithm without its impact
assessments (DPIA, IAMA) is refused before a single resource is declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from amsterdam_cloud.core.algorithm_register import REGISTER_FILE, TAG, load_register
from amsterdam_cloud.core.errors import UserError

STATUSES = ("In ontwikkeling", "In gebruik", "Buiten gebruik")
"""The register standard's status values: in development, in use, out of use."""
IMPACTFUL = "Impactvolle algoritmes"
"""The publication category of algorithms with legal or significant effects on residents."""

_REGISTER_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{2,63}$")


class RegisterError(UserError):
    """An algorithm cannot be built: its register entry is missing or does not allow it here."""


@dataclass(frozen=True, kw_only=True)
class RegisterPolicy:
    """What an algorithm's register entry must satisfy before its resources are built."""

    require_entry: bool = True
    """On: every algorithm needs a register id that is in the snapshot; off (dev, test): a missing or unpublished id
    is allowed and only the policy pack's advisory finding shows it."""
    allowed_statuses: tuple[str, ...] = ("In gebruik",)
    """Register statuses an algorithm may have here; the default accepts only algorithms in use."""
    impactful_requires: tuple[str, ...] = ("DPIA", "IAMA")
    """Impact assessments an impactful algorithm's entry must record (DPIA: privacy, IAMA: human rights)."""
    register: Mapping[str, Mapping[str, Any]] | None = None
    """Register entries by id; unset: the repo's snapshot (core/algorithm_register.yaml)."""

    def __post_init__(self) -> None:
        unknown = [status for status in self.allowed_statuses if status not in STATUSES]
        if unknown or not self.allowed_statuses:
            raise RegisterError(f"RegisterPolicy.allowed_statuses: {list(self.allowed_statuses)!r}; expected one or "
                                f"more of {', '.join(STATUSES)}")

    def entries(self) -> Mapping[str, Mapping[str, Any]]:
        return self.register if self.register is not None else load_register()


def check_register_entry(algorithm: str, register_id: str | None, policy: RegisterPolicy) -> Mapping[str, Any] | None:
    """The algorithm's register entry, or None where the policy allows building without one; raises RegisterError
    with a message that names the algorithm, what is wrong and the fix (callers add where it was declared)."""
    if register_id is not None and not _REGISTER_ID.match(register_id):
        raise RegisterError(f"algorithm {algorithm!r}: register id {register_id!r} is not a register id; use the "
                            "algorithm's `lars` id from the public algorithm register, e.g. \"90127502\"")
    if not policy.require_entry:
        return policy.entries().get(register_id) if register_id else None
    if register_id is None:
        raise RegisterError(f"algorithm {algorithm!r} has no register id, and this environment builds only "
                            "registered algorithms; publish it in the algorithm register, add the entry to "
                            f"{_snapshot()} and set its registerId")
    entry = policy.entries().get(register_id)
    if entry is None:
        raise RegisterError(f"algorithm {algorithm!r}: register id {register_id} is not in the register snapshot "
                            f"({_snapshot()}); publish the algorithm in the register and refresh the snapshot, "
                            "or correct the id")
    status = str(entry.get("status", ""))
    if status not in policy.allowed_statuses:
        raise RegisterError(f"algorithm {algorithm!r}: register entry {register_id} has status {status!r}; this "
                            f"environment builds only {', '.join(repr(s) for s in policy.allowed_statuses)}; update "
                            "the register entry's status when the algorithm is ready (or stop deploying it)")
    if entry.get("publication_category") == IMPACTFUL:
        done = {str(item.get("name", "")).upper() for item in entry.get("impacttoetsen") or []
                if isinstance(item, Mapping)}
        missing = [name for name in policy.impactful_requires if name.upper() not in done]
        if missing:
            raise RegisterError(f"algorithm {algorithm!r}: register entry {register_id} is impactful but records no "
                                f"{' or '.join(missing)} in impacttoetsen; carry out the assessment and publish it "
                                "in the register before the algorithm is built here")
    return entry


def register_tags(tags: Mapping[str, str], register_id: str | None) -> dict[str, str]:
    """The tags of an algorithm's resources: the given tags plus `algorithm-register-id` when there is an id."""
    return {**tags, TAG: register_id} if register_id else dict(tags)


def _snapshot() -> str:
    return f"{REGISTER_FILE.parent.name}/{REGISTER_FILE.name}"


__all__ = ["IMPACTFUL", "STATUSES", "TAG", "RegisterError", "RegisterPolicy", "check_register_entry",
           "register_tags"]
