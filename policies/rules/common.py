"""The three checks most baseline rules are made of: a boolean, a choice, a minimum TLS version.

Each treats an unset property as its documented Azure default (passed in by the rule, with its source), an
unknown value as a violation in acc and prod (we cannot prove it compliant), and junk as a violation.
"""

from __future__ import annotations

from typing import Any, Iterable

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, describe

UNSET = object()
"""Pass as `default` when Azure documents no default: an unset property is then a violation."""


def _value(resource: Resource, path: str) -> Any:
    return resource.get(path, UNSET)


def check_bool(resource: Resource, report: Report, settings: Any, *, path: str, want: bool, default: Any,
               fix: str) -> None:
    """`path` must be `want`; unset means `default` (Azure's documented default for the API version in use)."""
    value = _value(resource, path)
    if value is UNSET:
        if default is UNSET:
            report(f"{path} is not set and Azure documents no default; {fix}")
        elif default is not want:
            report(f"{path} is not set, so Azure's default ({default}) applies; {fix}")
        return
    if value is UNKNOWN:
        report.unknown(path, fix)
        return
    if not isinstance(value, bool):
        report(f"{path} is {describe(value)}, not a boolean; {fix}")
    elif value is not want:
        report(f"{path} is {value}; {fix}")


def check_choice(resource: Resource, report: Report, settings: Any, *, path: str, allowed: Iterable[str],
                 default: Any, fix: str) -> None:
    """`path` must be one of `allowed` (case-insensitive); unset means `default`."""
    allowed_lower = {a.lower() for a in allowed}
    value = _value(resource, path)
    if value is UNSET:
        if default is UNSET:
            report(f"{path} is not set and Azure documents no default; {fix}")
        elif default.lower() not in allowed_lower:
            report(f"{path} is not set, so Azure's default ({default!r}) applies; {fix}")
        return
    if value is UNKNOWN:
        report.unknown(path, fix)
        return
    if not isinstance(value, str):
        report(f"{path} is {describe(value)}, not one of the allowed strings; {fix}")
    elif value.lower() not in allowed_lower:
        report(f"{path} is {value!r}; {fix}")


def tls_rank(value: str) -> float | None:
    """A TLS version string in any of Azure's spellings (`TLS1_2`, `1.2`, `Tls12`, `TLSv1.2`) as a number."""
    text = value.strip().lower().replace("tlsv", "").replace("tls", "").replace("_", ".").strip(". ")
    if text in ("12", "13", "11", "10"):
        text = f"{text[0]}.{text[1]}"
    try:
        return float(text)
    except ValueError:
        return None


def check_min_tls(resource: Resource, report: Report, settings: Any, *, path: str, default: Any, fix: str,
                  minimum: float = 1.2) -> None:
    """`path` must name TLS 1.2 or later; unset means `default` (`UNSET` when Azure documents none)."""
    value = _value(resource, path)
    if value is UNSET:
        if default is UNSET:
            report(f"{path} is not set and Azure documents no default; {fix}")
        elif (tls_rank(default) or 0) < minimum:
            report(f"{path} is not set, so Azure's default ({default}) applies; {fix}")
        return
    if value is UNKNOWN:
        report.unknown(path, fix)
        return
    rank = tls_rank(value) if isinstance(value, str) else None
    if rank is None:
        report(f"{path} is {describe(value)}, not a TLS version; {fix}")
    elif rank < minimum:
        report(f"{path} is {value!r}, below TLS {minimum}; {fix}")


def has_managed_identity(resource: Resource, report: Report, settings: Any, *, fix: str) -> None:
    """`identity.type` must name a system- or user-assigned identity (unset means none)."""
    value = resource.get("identity.type", UNSET)
    if value is UNSET:
        report(f"has no managed identity (identity.type is not set); {fix}")
    elif value is UNKNOWN:
        report.unknown("identity.type", fix)
    elif not isinstance(value, str):
        report(f"identity.type is {describe(value)}, not an identity type; {fix}")
    elif "assigned" not in value.lower():
        report(f"identity.type is {value!r}, not a managed identity; {fix}")


OFF = ("off", "0", "false", "no")
"""The words a database server parameter is switched off with (compared lowercased)."""


def server_parameter(resource: Resource, report: Report, *, names: Iterable[str], kind: str,
                     fix: str) -> tuple[str, str, Any] | None:
    """A database Configuration's (lowercased name, lowercased value text, value) when its name is one of `names`;
    otherwise None, having reported the name or value unknown (with `fix`) or the resource as not a `kind` parameter."""
    name = resource.get("configurationName")
    name = resource.get("name") if name is None else name
    value = resource.get("value")
    if name is UNKNOWN:
        report.unknown("the parameter name (configurationName)", "name the server parameter in the program")
        return None
    if not isinstance(name, str) or name.lower() not in tuple(names):
        report.skip(f"not a {kind} parameter")
        return None
    if value is UNKNOWN:
        report.unknown(f"{name} (value)", fix)
        return None
    return name.lower(), str(value).strip().lower() if value is not None else "", value
