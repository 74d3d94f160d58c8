"""Every rule of the pack, one per file (value checks as data, several to a file), grouped by domain; `ALL_RULES`
is the list packs and the checker use."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from amsterdam_cloud.policies.rule_model import AnyRule


def _discover() -> tuple[tuple[AnyRule, ...], dict[str, str]]:
    found: list[AnyRule] = []
    domains: dict[str, str] = {}
    root = Path(__file__).resolve().parent
    for domain in sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists()):
        package = f"{__name__}.{domain}"
        for info in sorted(pkgutil.iter_modules([str(root / domain)]), key=lambda m: m.name):
            module = importlib.import_module(f"{package}.{info.name}")
            declared = ([module.RULE] if hasattr(module, "RULE") else []) + list(getattr(module, "RULES", ()))
            found.extend(declared)  # RULES: value checks declared as data (rules/values.py)
            domains.update((rule.id, domain) for rule in declared)
    ids = [rule.id for rule in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuntimeError(f"duplicate rule ids: {', '.join(duplicates)}")
    return tuple(found), domains


ALL_RULES, DOMAIN_OF = _discover()
"""Every rule, and the domain (folder under rules/) each rule id lives in."""
RULE_IDS: frozenset[str] = frozenset(rule.id for rule in ALL_RULES)
RULES_BY_ID: dict[str, AnyRule] = {rule.id: rule for rule in ALL_RULES}
