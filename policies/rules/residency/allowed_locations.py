"""Every resource with a location is in an allowed (EU) region; `global` only for types that exist only globally."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe
from amsterdam_cloud.core.regions import (GLOBAL_LOCATIONS, GLOBAL_ONLY_TYPES, KNOWN_REGIONS, NON_EU_EUROPE,
                                              normalize_location)


def judge_location(value: Any, what: str, settings: Any, report: Report, *, global_ok: bool) -> None:
    """Report the problem with one location value, if any (an unknown one through `report.unknown`)."""
    if value is UNKNOWN:
        report.unknown(what, "every location must be known at plan time: take it from the stack config, not from "
                             "another resource's output")
        return
    problem = _problem(value, what, settings, global_ok=global_ok)
    if problem:
        report(problem)


def _problem(value: Any, what: str, settings: Any, *, global_ok: bool) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{what} is {describe(value)}, not an Azure region name"
    region = normalize_location(value)
    if region in GLOBAL_LOCATIONS:
        if global_ok:
            return None
        return (f"{what} is {value!r}, but this type has regional instances; "
                "put it in an allowed EU region (westeurope, northeurope, ...)")
    if region in settings.allowed_regions:
        return None
    if region in NON_EU_EUROPE:
        return (f"{what} is {value!r} ({region}), outside the EU (the UK, Switzerland and Norway are not EU); "
                "use an allowed EU region")
    if region not in KNOWN_REGIONS:
        return f"{what} is {value!r}, not a known Azure region; use an allowed EU region"
    return f"{what} is {value!r} ({region}), not an allowed region; use one of {', '.join(sorted(settings.allowed_regions))}"


def check(resource: Resource, report: Report, settings: Any) -> None:
    if resource.props.get("location") is None:
        return  # unset: the resource inherits its resource group's location, which is checked where it is declared
    judge_location(resource.get("location"), "location", settings, report,
                   global_ok=resource.type in GLOBAL_ONLY_TYPES)


RULE = Rule(
    id="residency-allowed-location",
    title="Resources live in an allowed EU region",
    severity=Severity.CRITICAL,
    controls=("BIO 18.1.1", "BIO 18.1.4"),
    remediation="Set location to an allowed EU region from the stack config (amsterdam-platform:location).",
    check=check,
    settings=("environment", "allowedRegions"),
)
