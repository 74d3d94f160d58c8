"""The one toolkit every config model is read with: typed field readers and combinators for stack files.

A reader takes `(source, key, value)` and returns the typed value or raises `ConfigError` in the form
`<file>: <key>: <problem>; expected <form>`, so every stack (platform, connectivity, governance, landing zones,
workplace, analytics, state backend) and the app template reject a value the same way. Values come as the stack
file holds them (YAML) or as the Pulumi CLI hands them over (every scalar a string, structured values as JSON text).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any, Callable, Generic, Mapping, TypeVar

from amsterdam_cloud.core.ids import EMAIL
from amsterdam_cloud.core.program_config import ConfigError, SecretValue, structured
from amsterdam_cloud.core.regions import EU_REGIONS, KNOWN_REGIONS, normalize_location

T = TypeVar("T")
Reader = Callable[[str, str, Any], T]
"""A field reader: (source file, key as the file spells it, value) -> the typed value, or ConfigError."""

PROVIDER_KEYS = frozenset({"azure-native:location", "azure-native:subscriptionId", "azure-native:tenantId",
                           "azure-native:useOidc", "azure-native:clientId"})
"""Provider settings a project accepts beside its own keys; anything else under `azure-native:` is a typo."""


@dataclass(frozen=True)
class Described(Generic[T]):
    """A reader that also says, as JSON Schema, what it accepts: a document another tool validates with a schema
    (the migration's overrides file) embeds the generated schema, so a limit is never written twice."""

    read: Reader[T]
    """The reader itself."""
    schema: Mapping[str, Any] | None
    """What it accepts as a JSON Schema (2020-12); None where its checks have no schema form."""

    def __call__(self, source: str, key: str, value: Any) -> T:
        return self.read(source, key, value)


def json_schema(reader: Reader[Any]) -> dict[str, Any]:
    """The JSON Schema of a described reader; an error for one that has none (never a schema that accepts more)."""
    schema = reader.schema if isinstance(reader, Described) else _PLAIN_SCHEMAS.get(reader)
    if schema is None:
        raise TypeError(f"{reader!r} has no JSON Schema form")
    return dict(schema)


def _schema_pattern(pattern: re.Pattern[str]) -> str:
    """A pattern as JSON Schema spells it (no flags there: a case-blind pattern lists both cases)."""
    if pattern.flags & re.IGNORECASE:
        return pattern.pattern.replace("a-f", "a-fA-F").replace("a-z", "a-zA-Z")
    return pattern.pattern


def show(value: Any) -> str:
    """A value as a message shows it: its type and repr, a secret never more than "a secret"."""
    return f"{type(value).__name__} {value!r}" if not isinstance(value, SecretValue) else "a secret"


def string(source: str, key: str, value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(source, key, f"expected a non-empty string, got {show(value)}")
    return value


def text(max_length: int) -> Reader[str]:
    """Any string up to `max_length` characters, the empty one too (a setting's value)."""
    def read(source: str, key: str, value: Any) -> str:
        if not isinstance(value, str) or len(value) > max_length:
            raise ConfigError(source, key, f"expected text of at most {max_length} characters, got {show(value)}")
        return value
    return Described(read, {"type": "string", "maxLength": max_length})


def matching(pattern: re.Pattern[str], form: str) -> Reader[str]:
    """A string the pattern matches; `form` says what is expected (e.g. "a cost centre such as CC-1234")."""
    def read(source: str, key: str, value: Any) -> str:
        text = string(source, key, value)
        if not pattern.match(text) or text.endswith("\n"):  # `$` also matches before a final newline
            raise ConfigError(source, key, f"expected {form}, got {show(value)}")
        return text
    return Described(read, {"type": "string", "pattern": _schema_pattern(pattern), "allOf": [{"pattern": "\\S"},
                                                                                      {"not": {"pattern": "\\n$"}}]})


def one_of(choices: tuple[str, ...]) -> Reader[str]:
    """One of a fixed set of values (an enum)."""
    def read(source: str, key: str, value: Any) -> str:
        if value not in choices:
            raise ConfigError(source, key, f"expected one of {', '.join(choices)}, got {show(value)}")
        return str(value)
    return Described(read, {"enum": list(choices)})


def number_of(choices: tuple[float, ...]) -> Reader[float]:
    """One of a fixed set of numbers (a size Azure offers), given as a number (never a boolean)."""
    def read(source: str, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in choices:
            raise ConfigError(source, key, f"expected one of {', '.join(f'{c:g}' for c in choices)}, "
                                           f"got {show(value)}")
        return value
    return Described(read, {"enum": list(choices)})


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
    return Described(read, {"type": "integer", "minimum": low, "maximum": high})


def region(source: str, key: str, value: Any) -> str:
    """An Azure region, normalised (`West Europe` -> westeurope)."""
    text = string(source, key, value)
    name = normalize_location(text)
    if name not in KNOWN_REGIONS:
        raise ConfigError(source, key, f"unknown Azure region {text!r}; expected a region name such as westeurope")
    return name


def eu_region(source: str, key: str, value: Any) -> str:
    """An Azure region inside the EU (core/regions.py `EU_REGIONS`), normalised like `region`."""
    name = region(source, key, value)
    if name not in EU_REGIONS:
        raise ConfigError(source, key, f"{name!r} is outside the EU; expected one of {', '.join(sorted(EU_REGIONS))}")
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


def list_of(item: Reader[T], *, empty: bool = False, distinct: bool = False,
            most: int | None = None) -> Reader[tuple[T, ...]]:
    """A list read item by item (`key[i]` in messages); non-empty unless `empty`, no repeats when `distinct`, at most
    `most` items when given."""
    def read(source: str, key: str, value: Any) -> tuple[T, ...]:
        value = structured(value)
        if not isinstance(value, list) or (not empty and not value):
            raise ConfigError(source, key, f"expected a {'non-empty ' if not empty else ''}list, got {show(value)}")
        if most is not None and len(value) > most:
            raise ConfigError(source, key, f"{len(value)} entries; expected at most {most}")
        items = tuple(item(source, f"{key}[{index}]", entry) for index, entry in enumerate(value))
        if distinct and len(set(items)) != len(items):
            raise ConfigError(source, key, f"{list(items)} names an entry twice")
        return items
    item_schema = item.schema if isinstance(item, Described) else _PLAIN_SCHEMAS.get(item)
    return Described(read, None if item_schema is None or distinct else
                     {"type": "array", "items": dict(item_schema), **({} if empty else {"minItems": 1}),
                      **({} if most is None else {"maxItems": most})})


def mapping_of(name: Reader[str], item: Reader[T]) -> Reader[dict[str, T]]:
    """A mapping whose keys `name` reads (`key.<name>` in messages) and whose values `item` reads."""
    def read(source: str, key: str, value: Any) -> dict[str, T]:
        value = structured(value)
        if not isinstance(value, Mapping):
            raise ConfigError(source, key, f"expected a mapping, got {show(value)}")
        return {name(source, f"{key}.{entry}", entry): item(source, f"{key}.{entry}", value[entry])
                for entry in value}
    return Described(read, None)


def optional(reader: Reader[T]) -> Reader[T | None]:
    """`reader`'s value, or None where the file says null (`mysql: null`: none)."""
    def read(source: str, key: str, value: Any) -> T | None:
        return None if value is None else reader(source, key, value)
    return Described(read, None)


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


def record(fields: Mapping[str, Reader[Any]], required: frozenset[str], *,
           form: str | None = None) -> Reader[dict[str, Any]]:
    """`section` as a reader of its own, for a structured value inside another; with `form`, a value that is no
    mapping or misses a key is refused at the record's own key, saying the whole form."""
    def read(source: str, key: str, value: Any) -> dict[str, Any]:
        value = structured(value)
        if form is not None and (not isinstance(value, Mapping) or not required <= set(value)):
            raise ConfigError(source, key, f"{value!r}; expected {form}")
        return section(source, key, value, fields, required)
    schemas = {name: reader.schema if isinstance(reader, Described) else _PLAIN_SCHEMAS.get(reader)
               for name, reader in fields.items()}
    complete = all(schema is not None for schema in schemas.values())
    return Described(read, {"type": "object", "required": sorted(required), "additionalProperties": False,
                            "properties": {name: dict(schema or {}) for name, schema in schemas.items()}}
                     if complete else None)


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


_PLAIN_SCHEMAS: dict[Callable[..., Any], Mapping[str, Any]] = {
    string: {"type": "string", "pattern": "\\S"}, boolean: {"type": "boolean"},
}
"""The JSON Schema of the readers that are plain functions."""
