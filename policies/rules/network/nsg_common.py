"""How the NSG rules read a security rule (inline in an NSG or standalone): internet sources and port sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator

from amsterdam_cloud.policies.engine import UNKNOWN, Resource, as_list, get, unwrap

INTERNET_SOURCES = frozenset({"*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0"})
ALL_PORTS = (0, 65535)


def security_rules(resource: Resource) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, rule properties) for an NSG's inline rules or a standalone SecurityRule."""
    if resource.type.endswith(":SecurityRule"):
        yield "", resource.props
        return
    rules = as_list(resource.get("securityRules"))
    if rules is UNKNOWN:
        return
    for index, rule in enumerate(rules):
        if isinstance(rule, Mapping):
            props = rule.get("properties") if isinstance(rule.get("properties"), Mapping) else rule
            yield f"securityRules[{index}] ({get(rule, 'name') or 'unnamed'}): ", props


def is_inbound_allow(rule: Mapping[str, Any]) -> bool:
    """Inbound and Allow (unknown counts as yes: we cannot prove it closed)."""
    direction, access = get(rule, "direction", UNKNOWN), get(rule, "access", UNKNOWN)
    inbound = direction is UNKNOWN or (isinstance(direction, str) and direction.lower() == "inbound")
    allow = access is UNKNOWN or (isinstance(access, str) and access.lower() == "allow")
    return inbound and allow


def internet_source(rule: Mapping[str, Any]) -> str | None:
    """The internet-wide source the rule admits, if any."""
    sources = [get(rule, "sourceAddressPrefix")]
    listed = as_list(get(rule, "sourceAddressPrefixes"))
    sources += [] if listed is UNKNOWN else listed
    for source in sources:
        if source is UNKNOWN:
            return "an unknown source"
        if isinstance(source, str) and source.strip().lower() in INTERNET_SOURCES:
            return repr(source)
    return None


def port_ranges(rule: Mapping[str, Any]) -> list[tuple[int, int]] | None:
    """The destination port ranges; None when they cannot be read (unknown or junk: treated as all ports)."""
    values = [get(rule, "destinationPortRange")]
    listed = as_list(get(rule, "destinationPortRanges"))
    if listed is UNKNOWN:
        return None
    values += listed
    ranges: list[tuple[int, int]] = []
    for value in values:
        value = unwrap(value)
        if value is None:
            continue
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
