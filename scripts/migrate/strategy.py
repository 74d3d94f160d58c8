"""The 7R strategy of each workload, decided by rules in a YAML data file the platform team edits.

The rules file (`strategy_rules.yaml` beside this module, or `--rules FILE`) is checked against `JSON_SCHEMA`
before use; a mistake is reported with the file and the key (`rules[3].when.engines`). Rules are tried in order;
the first whose conditions all hold decides; none: the file's `default`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Mapping, Sequence

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.documents import check_schema
from amsterdam_cloud.scripts.migrate.yaml_documents import display, read_yaml

SCHEMA = "amsterdam.migrate.strategy-rules/v1"
STRATEGIES = ("retire", "retain", "rehost", "relocate", "replatform", "refactor", "repurchase")
"""AWS's seven migration strategies (the 7Rs)."""
MOVING = frozenset({"rehost", "relocate", "replatform", "refactor", "repurchase"})
"""Strategies under which a workload leaves its current place (retire and retain do not move)."""
DEFAULT_RULES = Path(__file__).resolve().parent / "strategy_rules.yaml"

_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schema", "default", "rules"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": SCHEMA},
        "default": {"enum": list(STRATEGIES)},
        "honourStrategyTag": {"type": "boolean"},
        "rules": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "strategy", "when"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                "description": {"type": "string"},
                "strategy": {"enum": list(STRATEGIES)},
                "when": {
                    "type": "object", "minProperties": 1, "additionalProperties": False,
                    "properties": {
                        "environments": _LIST, "applications": _LIST, "sources": _LIST, "anyType": _LIST,
                        "allTypes": _LIST, "engines": _LIST, "allStopped": {"type": "boolean"},
                        "tags": {"type": "object", "minProperties": 1, "additionalProperties": _LIST},
                        "properties": {"type": "object", "minProperties": 1, "additionalProperties": _LIST},
                    },
                },
            },
        }},
    },
}

_COMPUTE = ("aws:ec2:instance", "onprem:server")
_STOPPED = frozenset({"stopped", "stopping", "terminated", "shutting-down", "retired", "decommissioned", "off"})


@dataclass(frozen=True, kw_only=True)
class Decision:
    strategy: str
    rule: str
    """The rule id that decided, `tag:migration-strategy` for a tag, or `default`."""


@dataclass(frozen=True, kw_only=True)
class Rules:
    source: str
    default: str
    honour_tag: bool
    rules: tuple[Mapping[str, Any], ...]

    def decide(self, workload: Mapping[str, Any], resources: Sequence[Mapping[str, Any]]) -> Decision:
        tagged = (workload.get("strategyTag") or "").strip().lower()
        if self.honour_tag and tagged in STRATEGIES:
            return Decision(strategy=tagged, rule="tag:migration-strategy")
        for rule in self.rules:
            if all(_holds(name, wanted, workload, resources) for name, wanted in rule["when"].items()):
                return Decision(strategy=rule["strategy"], rule=rule["id"])
        return Decision(strategy=self.default, rule="default")


def load(path: Path | str | None = None) -> Rules:
    """Read and check a rules file; the default is the one shipped beside this module."""
    path = Path(path) if path else DEFAULT_RULES
    document = read_yaml(path, SCHEMA, "7R strategy rules file")
    source = display(path)
    check_schema(document, JSON_SCHEMA, source)
    seen: set[str] = set()
    for index, rule in enumerate(document["rules"]):
        if rule["id"] in seen:
            raise UserError(f"{source}: rules[{index}].id: {rule['id']!r} is used twice; rule ids must be unique")
        seen.add(rule["id"])
    return Rules(source=source, default=document["default"], honour_tag=document.get("honourStrategyTag", True),
                 rules=tuple(document["rules"]))


def _matches(value: Any, patterns: Sequence[str]) -> bool:
    text = str(value).lower()
    return any(fnmatchcase(text, pattern.lower()) for pattern in patterns)


def _holds(name: str, wanted: Any, workload: Mapping[str, Any], resources: Sequence[Mapping[str, Any]]) -> bool:
    if name == "environments":
        return _matches(workload["environment"], wanted)
    if name == "applications":
        return _matches(workload["application"], wanted)
    if name == "sources":
        return any(_matches(source, wanted) for source in workload.get("sources", []))
    if name == "anyType":
        return any(_matches(r["type"], wanted) for r in resources)
    if name == "allTypes":
        return bool(resources) and all(_matches(r["type"], wanted) for r in resources)
    if name == "engines":
        return any(_matches(r["properties"].get("engine", ""), wanted) for r in resources
                   if r["properties"].get("engine"))
    if name == "allStopped":
        states = [str(r["properties"].get("state", "")).lower() for r in resources if r["type"] in _COMPUTE]
        return bool(states) and all(s in _STOPPED for s in states) is wanted
    if name == "tags":
        return all(any(k.lower() == key.lower() and _matches(v, values) for r in resources for k, v in r["tags"].items())
                   for key, values in wanted.items())
    if name == "properties":
        return all(any(key in r["properties"] and _matches(r["properties"][key], values) for r in resources)
                   for key, values in wanted.items())
    raise AssertionError(f"condition {name} passed the schema but has no evaluator")
