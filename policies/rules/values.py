"""Rules that are only a value check, declared as data: the path, the values that pass, Azure's default and where
it was looked up (Checkov's `BaseResourceValueCheck`, Prowler's metadata files). The fix text is written once."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe, get
from amsterdam_cloud.policies.rules.common import UNSET, check_bool, check_choice, check_min_tls


def value_rule(*, id: str, title: str, severity: Severity, controls: tuple[str, ...], applies_to: tuple[str, ...],
               path: str, fix: str, defaults_source: str, default: Any = UNSET, want: bool | None = None,
               allowed: tuple[str, ...] = (), min_tls: bool = False, remediation: str = "") -> Rule:
    """A rule that `path` holds `want` (a boolean), one of `allowed` (strings), or TLS 1.2+ (`min_tls`).

    `default` is Azure's documented default for an unset `path` (UNSET when Azure documents none: unset fails).
    `fix` ends every message; the remediation reports show is `fix` as a sentence, unless `remediation` gives
    broader advice than the one-line fix (kept for the rules that had it when they were code).
    """
    if sum((want is not None, bool(allowed), min_tls)) != 1:
        raise ValueError(f"{id}: declare exactly one of want=, allowed= or min_tls=")

    allowed_lower = frozenset(a.lower() for a in allowed)

    def check(resource: Resource, report: Report, settings: Any) -> None:
        value = get(resource.props, path, UNSET)  # a compliant value passes here: one read, no further call
        if want is not None:
            if value is not want:
                check_bool(resource, report, settings, path=path, want=want, default=default, fix=fix)
        elif allowed:
            if type(value) is not str or value.lower() not in allowed_lower:
                check_choice(resource, report, settings, path=path, allowed=allowed, default=default, fix=fix)
        else:
            check_min_tls(resource, report, settings, path=path, default=default, fix=fix)

    return Rule(id=id, title=title, severity=severity, controls=controls,
                remediation=remediation or f"{fix[0].upper()}{fix[1:]}.",
                check=check, applies_to=applies_to, settings=("environment",), defaults_source=defaults_source)


def check_retention_days(resource: Resource, report: Report, settings: Any, *, path: str, minimum: int) -> None:
    """`path` keeps logs at least `minimum` days; 0 (or unset, Azure's default) keeps them forever."""
    days = resource.get(path, 0)
    fix = f"set {path} to 0 (forever) or >= {minimum}"
    if days is UNKNOWN:
        report.unknown(path, fix)
    elif isinstance(days, bool) or not isinstance(days, (int, float)):
        report(f"{path} is {describe(days)}, not a number of days; {fix}")
    elif 0 < days < minimum:
        report(f"{path} is {days:g}, below {minimum}; {fix}")
