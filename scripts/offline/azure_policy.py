"""A small offline evaluator of Azure Policy's rule language, on the ARM shape of a resource.

It covers what the city's own definitions use (components/governance/definitions.py): allOf/anyOf/not, `field`
and `value` conditions with equals, notEquals, in, notIn, exists, like, notLike, contains, notContains and the
number comparisons, `count` over `[*]` aliases with `where`, and `[parameters('x')]`. Semantics follow Azure's
documentation: string comparisons ignore case, a missing field is never equal, in, like or contained (so the
negated operators hold), and a condition on an `[*]` alias outside `count` holds only when it holds for every member.
The `location` field is normalised as Azure does ("West Europe" is westeurope), and an Indexed definition skips
what Azure does not index: shapes without a location (a peering) and resource groups.
Anything else raises `PolicyLanguageError`: an operator this evaluator does not know is never guessed.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Any, Mapping

from amsterdam_cloud.core.regions import normalize_location
from amsterdam_cloud.scripts.offline.arm_types import ARM_ID_TEMPLATES
from amsterdam_cloud.scripts.offline.azure_mocks import _arm_type

_MISSING = object()
_PARAMETER = re.compile(r"^\[parameters\('([A-Za-z0-9_]+)'\)\]$")
_TAG = re.compile(r"^tags(?:\['([^']+)'\]|\.(.+))$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_ENVELOPE = frozenset({"location", "tags", "identity", "sku", "kind", "zones", "resourceGroupName", "properties",
                       "extendedLocation", "plan"})
_OPERATORS = frozenset({"equals", "notEquals", "in", "notIn", "exists", "like", "notLike", "contains", "notContains",
                        "greater", "greaterOrEquals", "less", "lessOrEquals"})


class PolicyLanguageError(Exception):
    """The rule uses a part of the policy language this evaluator does not implement."""


def arm_type(token: str) -> str:
    """The ARM resource type Azure Policy's `type` field sees for an azure-native token (from the id template)."""
    if "/providers/" not in ARM_ID_TEMPLATES[token]:
        return _RESOURCE_GROUP  # Policy's name for a resource group's type
    return _arm_type(ARM_ID_TEMPLATES[token])


def arm_shape(token: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The request body Azure Policy evaluates for these azure-native inputs: envelope fields at the top, the rest
    (flattened by azure-native, or under `properties` where the SDK keeps it) under `properties`."""
    path_keys = set(_PLACEHOLDER.findall(ARM_ID_TEMPLATES[token]))
    properties = {key: value for key, value in inputs.items() if key not in _ENVELOPE and key not in path_keys}
    if isinstance(inputs.get("properties"), Mapping):
        properties.update(inputs["properties"])
    shape = {key: inputs[key] for key in _ENVELOPE - {"properties", "resourceGroupName"} if key in inputs}
    name_key = _PLACEHOLDER.findall(ARM_ID_TEMPLATES[token])[-1] if path_keys else ""
    shape.update(type=arm_type(token), name=inputs.get(name_key, "r1"), properties=properties)
    return shape


_RESOURCE_GROUP = "Microsoft.Resources/subscriptions/resourceGroups"
MODES = ("All", "Indexed")
"""The definition modes of the resource manager: All evaluates everything, Indexed only types with tags and a
location (never resource groups or subscriptions)."""


def evaluate(rule: Mapping[str, Any], resource: Mapping[str, Any], parameters: Mapping[str, Any], *,
             mode: str = "All") -> bool:
    """Whether a definition of this `mode` evaluates the resource and its rule's `if` matches (so its effect
    applies)."""
    if mode not in MODES:
        raise PolicyLanguageError(f"mode {mode!r}: expected one of {', '.join(MODES)}")
    if mode == "Indexed" and ("location" not in resource or resource.get("type") == _RESOURCE_GROUP):
        return False
    return _condition(rule["if"], resource, parameters, None)


def _condition(cond: Any, resource: Mapping[str, Any], params: Mapping[str, Any],
               current: tuple[str, Any] | None) -> bool:
    if not isinstance(cond, Mapping):
        raise PolicyLanguageError(f"a condition must be an object, got {cond!r}")
    if "allOf" in cond:
        return all(_condition(c, resource, params, current) for c in cond["allOf"])
    if "anyOf" in cond:
        return any(_condition(c, resource, params, current) for c in cond["anyOf"])
    if "not" in cond:
        return not _condition(cond["not"], resource, params, current)
    operators = [key for key in cond if key in _OPERATORS]
    if len(operators) != 1:
        raise PolicyLanguageError(f"condition {dict(cond)!r}: expected exactly one known operator")
    operator = operators[0]
    expected = _resolve(cond[operator], params)
    if "count" in cond:
        return _compare(operator, _count(cond["count"], resource, params), expected)
    if "value" in cond:
        return _compare(operator, _resolve(cond["value"], params), expected)
    if "field" not in cond:
        raise PolicyLanguageError(f"condition {dict(cond)!r}: expected field, value or count")
    path = _resolve(cond["field"], params)
    if current is not None and path.lower().startswith(current[0].lower()):
        return _compare(operator, _walk(current[1], _segments(path[len(current[0]):])), expected)
    values = _field(path, resource)
    if isinstance(values, _Members):
        return all(_compare(operator, value, expected) for value in values.items)
    return _compare(operator, values, expected)


class _Members:
    """The values an `[*]` alias selects: a condition on them holds when it holds for each."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items


def _count(spec: Mapping[str, Any], resource: Mapping[str, Any], params: Mapping[str, Any]) -> int:
    path = _resolve(spec.get("field", ""), params)
    if not path.endswith("[*]"):
        raise PolicyLanguageError(f"count.field {path!r}: only counts over an [*] alias are implemented")
    members = _field(path, resource)
    items = members.items if isinstance(members, _Members) else []
    where = spec.get("where")
    if where is None:
        return len(items)
    return sum(1 for item in items if _condition(where, resource, params, (path, item)))


def _resolve(value: Any, params: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        match = _PARAMETER.match(value)
        if match:
            if match.group(1) not in params:
                raise PolicyLanguageError(f"parameter {match.group(1)!r} has no value and no default")
            return params[match.group(1)]
        if value.startswith("[") and not value.startswith("[["):
            raise PolicyLanguageError(f"template expression {value!r}: only [parameters('x')] is implemented")
    return value


def _field(path: str, resource: Mapping[str, Any]) -> Any:
    lower = path.lower()
    if lower == "location" and isinstance(resource.get("location"), str):
        return normalize_location(resource["location"])
    if lower in ("type", "name", "location", "kind", "id", "tags"):
        return resource.get(lower, _MISSING)
    tag = _TAG.match(path)
    if tag:
        return (resource.get("tags") or {}).get(tag.group(1) or tag.group(2), _MISSING)
    resource_type = str(resource.get("type", ""))
    if not lower.startswith(resource_type.lower() + "/"):
        # An alias of another type does not exist on this resource.
        return _MISSING
    # Every alias the city's definitions use maps to properties.<rest of the alias> (see definitions.py).
    return _walk(resource.get("properties") or {}, _segments(path[len(resource_type) + 1:]))


def _segments(path: str) -> list[str]:
    return [part for part in re.split(r"\.|(?=\[\*\])", path.strip(".")) if part]


def _walk(value: Any, segments: list[str]) -> Any:
    for index, segment in enumerate(segments):
        if segment == "[*]":
            if not isinstance(value, list):
                return _Members([])
            items: list[Any] = []
            for member in value:
                found = _walk(member, segments[index + 1:])
                items.extend(found.items if isinstance(found, _Members) else
                             [] if found is _MISSING else [found])
            return _Members(items)
        if segment.endswith("[*]"):
            return _walk(value, [segment[:-3], "[*]", *segments[index + 1:]])
        if not isinstance(value, Mapping):
            return _MISSING
        match = next((key for key in value if str(key).lower() == segment.lower()), None)
        if match is None:
            return _MISSING
        value = value[match]
    return value


def _text(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _compare(operator: str, actual: Any, expected: Any) -> bool:
    if operator == "exists":
        want = expected if isinstance(expected, bool) else str(expected).lower() == "true"
        return (actual is not _MISSING) is want
    negated = {"notEquals": "equals", "notIn": "in", "notLike": "like", "notContains": "contains"}
    if operator in negated:
        return not _compare(negated[operator], actual, expected)
    if actual is _MISSING:
        return False
    if operator == "equals":
        return _text(actual) == _text(expected)
    if operator == "in":
        if not isinstance(expected, (list, tuple)):
            raise PolicyLanguageError(f"`in` needs a list, got {expected!r}")
        return _text(actual) in {_text(item) for item in expected}
    if operator == "like":
        return isinstance(actual, str) and fnmatchcase(actual.lower(), str(expected).lower())
    if operator == "contains":
        if isinstance(actual, str):
            return str(expected).lower() in actual.lower()
        return isinstance(actual, list) and _text(expected) in [_text(item) for item in actual]
    if not isinstance(actual, (int, float)) or isinstance(actual, bool):
        return False
    return {"greater": actual > expected, "greaterOrEquals": actual >= expected, "less": actual < expected,
            "lessOrEquals": actual <= expected}[operator]
