"""Every rule of the pack, one per file (value checks as data, several to a file), grouped by domain; `ALL_RULES`
is the list packs and the checker use."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from amsterdam_cloud.policies.engine import AnyRule


def _discover() -> tuple[AnyRule, ...]:
    found: list[AnyRule] = []
    root = Path(__file__).resolve().parent
    for domain in sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists()):
        package = f"{__name__}.{domain}"
        for info in sorted(pkgutil.iter_modules([str(root / domain)]), key=lambda m: m.name):
            module = importlib.import_module(f"{package}.{info.name}")
            rule = getattr(module, "RULE", None)
            if rule is not None:
                found.append(rule)
            found.extend(getattr(module, "RULES", ()))  # value checks declared as data (rules/values.py)
    ids = [rule.id for rule in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {', '.join(duplicates)}")
    return tuple(found)


ALL_RULES: tuple[AnyRule, ...] = _discover()
RULE_IDS: frozenset[str] = frozenset(rule.id for rule in ALL_RULES)
RULES_BY_ID: dict[str, AnyRule] = {rule.id: rule for rule in ALL_RULES}
