"""How the NSG rules read a security rule (inline in an NSG or standalone): internet sources and port sets.

`internet_rules` is the one reading of "an inbound Allow rule from the internet" the four NSG rules share; a value
unknown until deployment that decides it goes through `report.unknown` (a violation in acc and prod, a note in
dev and test), so no NSG rule passes an unknown in prod or flags one in dev.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, as_list, get, unwrap

INTERNET_SOURCES = frozenset({"*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0"})
ALL_PORTS = (0, 65535)


def security_rules(resource: Resource, report: Report, fix: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, rule properties) for an NSG's inline rules or a standalone SecurityRule."""
    if resource.type.endswith(":SecurityRule"):
        yield "", resource.props
        return
    rules = as_list(resource.get("securityRules"))
    if rules is UNKNOWN:
        report.unknown("securityRules", fix)
        return
    for index, rule in enumerate(rules):
        if isinstance(rule, Mapping):
            properties = rule.get("properties")
            props = properties if isinstance(properties, Mapping) else rule
            yield f"securityRules[{index}] ({get(rule, 'name') or 'unnamed'}): ", props


def _is(rule: Mapping[str, Any], key: str, want: str) -> Any:
    """True when `key` is `want` or unset (we cannot prove otherwise), False when it is known otherwise, or UNKNOWN."""
    value = get(rule, key)
    if value is None or value is UNKNOWN:
        return True if value is None else UNKNOWN
    return isinstance(value, str) and value.lower() == want


def internet_rules(resource: Resource, report: Report, fix: str) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(where, rule, source) of each inbound Allow rule whose source is the whole internet; unknown source,
    direction or access are reported through `report.unknown` with `fix`."""
    for where, rule in security_rules(resource, report, fix):
        source = internet_source(rule)
        if source is None:
            continue
        if source is UNKNOWN:
            report.unknown(f"{where}the source address prefix", fix)
            continue
        inbound, allow = _is(rule, "direction", "inbound"), _is(rule, "access", "allow")
        if inbound is False or allow is False:
            continue
        if inbound is UNKNOWN or allow is UNKNOWN:
            report.unknown(f"{where}the direction or access of a rule from {source}", fix)
            continue
        yield where, rule, source


def internet_source(rule: Mapping[str, Any]) -> Any:
    """The internet-wide source the rule admits (as a message shows it), UNKNOWN, or None."""
    sources = [get(rule, "sourceAddressPrefix")]
    listed = as_list(get(rule, "sourceAddressPrefixes"))
    if listed is UNKNOWN:
        return UNKNOWN
    sources += listed
    unknown = False
    for source in sources:
        if source is UNKNOWN:
            unknown = True
        elif isinstance(source, str) and source.strip().lower() in INTERNET_SOURCES:
            return repr(source)
    return UNKNOWN if unknown else None


def port_ranges(rule: Mapping[str, Any]) -> Any:
    """The destination port ranges; UNKNOWN when not known until deployment, None when malformed."""
    values = [get(rule, "destinationPortRange")]
    listed = as_list(get(rule, "destinationPortRanges"))
    if listed is UNKNOWN:
        return UNKNOWN
    values += listed
    ranges: list[tuple[int, int]] = []
    for value in values:
        value = unwrap(value)
        if value is None:
            continue
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, int) and not isinstance(value, bool):
            ranges.append((value, value))
            continue
        if not isinstance(value, str):
            return None
        text = value.strip()
        if text in ("*", "any", "Any"):
            ranges.append(ALL_PORTS)
            continue
        low, _, high = text.partition("-")
        try:
            ranges.append((int(low), int(high or low)))
        except ValueError:
            return None
    return ranges


def opened(ranges: list[tuple[int, int]], ports: Mapping[int, str]) -> list[str]:
    """The named ports (`SSH (22)`) that the ranges open."""
    return [f"{name} ({port})" for port, name in ports.items() if any(lo <= port <= hi for lo, hi in ranges)]
