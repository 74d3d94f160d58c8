"""The one toolkit every config model is read with: typed field readers and combinators for stack files.

A reader takes `(source, key, value)` and returns the typed value or raises `ConfigError` in the form
`<file>: <key>: <problem>; expected <form>`, so every stack (platform, connectivity, governance, landing zones,
workplace, analytics, state backend) and the app template reject a value the same way. Values come as the stack
file holds them (YAML) or as the Pulumi CLI hands them over (every scalar a string, structured values as JSON text).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Callable, Mapping, TypeVar

from amsterdam_cloud.core.ids import EMAIL
from amsterdam_cloud.core.program_config import ConfigError, SecretValue, structured
from amsterdam_cloud.core.regions import KNOWN_REGIONS, normalize_location

T = TypeVar("T")
Reader = Callable[[str, str, Any], T]
"""A field reader: (source file, key as the file spells it, value) -> the typed value, or ConfigError."""

PROVIDER_KEYS = frozenset({"azure-native:location", "azure-native:subscriptionId", "azure-native:tenantId",
                           "azure-native:useOidc", "azure-native:clientId"})
"""Provider settings a project accepts beside its own keys; anything else under `azure-native:` is a typo."""


def show(value: Any) -> str:
    """A value as a message shows it: its type and repr, a secret never more than "a secret"."""
    return f"{type(value).__name__} {value!r}" if not isinstance(value, SecretValue) else "a secret"


def string(source: str, key: str, value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(source, key, f"expected a non-empty string, got {show(value)}")
    return value


def matching(pattern: re.Pattern[str], form: str) -> Reader[str]:
    """A string the pattern matches; `form` says what is expected (e.g. "a cost centre such as CC-1234")."""
    def read(source: str, key: str, value: Any) -> str:
        text = string(source, key, value)
        if not pattern.match(text):
            raise ConfigError(source, key, f"expected {form}, got {show(value)}")
        return text
    return read


def one_of(choices: tuple[str, ...]) -> Reader[str]:
    """One of a fixed set of values (an enum)."""
    def read(source: str, key: str, value: Any) -> str:
        if value not in choices:
            raise ConfigError(source, key, f"expected one of {', '.join(choices)}, got {show(value)}")
        return str(value)
    return read


def boolean(source: str, key: str, value: Any) -> bool:
    """true or false; the CLI's strings "true"/"false" too (it hands every scalar over as a string)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise ConfigError(source, key, f"expected true or false, got {show(value)}")


def integer(low: int, high: int) -> Reader[int]:
    """A whole number from `low` to `high` (a string of digits as the CLI gives it too; never a boolean)."""
    def read(source: str, key: str, value: Any) -> int:
        number = value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value)
        if isinstance(number, bool) or not isinstance(number, int):
            raise ConfigError(source, key, f"expected a whole number from {low} to {high}, got {show(value)}")
        if not low <= number <= high:
            raise ConfigError(source, key, f"expected a whole number from {low} to {high}, got {number}")
        return number
    return read


def region(source: str, key: str, value: Any) -> str:
    """An Azure region, normalised (`West Europe` -> westeurope)."""
    text = string(source, key, value)
    name = normalize_location(text)
    if name not in KNOWN_REGIONS:
        raise ConfigError(source, key, f"unknown Azure region {text!r}; expected a region name such as westeurope")
    return name


def cidr(source: str, key: str, value: Any) -> ipaddress.IPv4Network:
    """A private IPv4 network (10/8, 172.16/12 or 192.168/16), host bits clear."""
    text = string(source, key, value)
    try:
        network = ipaddress.IPv4Network(text, strict=True)
    except ValueError as error:
        raise ConfigError(source, key, f"malformed CIDR {text!r} ({error}); expected a network such as 10.10.0.0/16")
    if not network.is_private:
        raise ConfigError(source, key, f"{text} is not a private range; expected a range inside 10.0.0.0/8, "
                                       "172.16.0.0/12 or 192.168.0.0/16")
    return network


def secret(source: str, key: str, value: Any) -> SecretValue:
    """A `secure:` value; a plain one is refused, so a secret is never stored in clear text."""
    if not isinstance(value, SecretValue):
        raise ConfigError(source, key, "must be a secret; set it with `pulumi config set --secret "
                                       f"{key} <value>` so it is stored encrypted")
    return value


def list_of(item: Reader[T], *, empty: bool = False, distinct: bool = False) -> Reader[tuple[T, ...]]:
    """A list read item by item (`key[i]` in messages); non-empty unless `empty`, no repeats when `distinct`."""
    def read(source: str, key: str, value: Any) -> tuple[T, ...]:
        value = structured(value)
        if not isinstance(value, list) or (not empty and not value):
            raise ConfigError(source, key, f"expected a {'non-empty ' if not empty else ''}list, got {show(value)}")
        items = tuple(item(source, f"{key}[{index}]", entry) for index, entry in enumerate(value))
        if distinct and len(set(items)) != len(items):
            raise ConfigError(source, key, f"{list(items)} names an entry twice")
        return items
    return read


def emails(source: str, key: str, value: Any) -> tuple[str, ...]:
    """A non-empty list of e-mail addresses (alert recipients)."""
    value = structured(value)
    if not isinstance(value, list) or not value:
        raise ConfigError(source, key, f"expected a non-empty list of e-mail addresses, got {show(value)}")
    read = matching(EMAIL, "an e-mail address such as cloud@amsterdam.nl")
    return tuple(read(source, f"{key}[{index}]", item) for index, item in enumerate(value))


def section(source: str, key: str, value: Any, fields: Mapping[str, Reader[Any]],
            required: frozenset[str]) -> dict[str, Any]:
    """A structured value read field by field: every field known, every required field present."""
    value = structured(value)
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, f"expected a mapping with keys {', '.join(sorted(fields))}, got {show(value)}")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ConfigError(source, f"{key}.{unknown[0]}",
                          f"unknown key; expected one of {', '.join(sorted(fields))}")
    missing = sorted(required - set(value))
    if missing:
        raise ConfigError(source, f"{key}.{missing[0]}", "required key is missing")
    return {name: fields[name](source, f"{key}.{name}", item) for name, item in value.items()}


def snake(name: str) -> str:
    """A camelCase config key as the snake_case field of its dataclass (`zoneRedundancy` -> zone_redundancy)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def read_project_keys(raw: Mapping[str, Any], *, project: str, fields: Mapping[str, Reader[Any]],
                      required: frozenset[str], source: str, stack: str | None) -> dict[str, Any]:
    """A project's own keys, each read by its field reader: an unknown key (a typo), a key of another namespace
    than ours or the provider's, and a missing required key are errors; `environment` must name the stack."""
    ours: dict[str, Any] = {}
    for full_key, value in raw.items():
        namespace, _, key = full_key.partition(":")
        if namespace == project and key in fields:
            ours[key] = value
        elif namespace == project:
            raise ConfigError(source, full_key, f"unknown key; expected one of "
                                                f"{', '.join(f'{project}:{k}' for k in sorted(fields))}")
        elif full_key not in PROVIDER_KEYS:
            raise ConfigError(source, full_key, f"unknown key; keys are {project}:<key> or one of "
                                                f"{', '.join(sorted(PROVIDER_KEYS))}")
    missing = sorted(required - set(ours))
    if missing:
        raise ConfigError(source, f"{project}:{missing[0]}", "required key is missing")
    read = {key: fields[key](source, f"{project}:{key}", value) for key, value in ours.items()}
    if stack is not None and "environment" in read and read["environment"] != stack:
        raise ConfigError(source, f"{project}:environment",
                          f"says {read['environment']!r} but the stack is {stack!r}; expected {stack!r}")
    return read
