"""Every rule has a compliant fixture and at least one violating fixture in a table of this package (Checkov's
layout: a rule without pass/fail fixtures is impossible to miss)."""

import importlib
import pkgutil
from pathlib import Path

from amsterdam_cloud.policies.rule_model import Rule, StackRule
from amsterdam_cloud.policies.rules import ALL_RULES

LEGACY_WITHOUT_TABLE: frozenset[str] = frozenset()
"""Rules whose fixtures live only in behaviour tests, not in a table: none left, and none may be added."""


def _rules_in_tables() -> set[str]:
    found: set[str] = set()
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if not info.name.startswith("test_") or info.name == Path(__file__).stem:
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for case in (*getattr(module, "CASES", ()), *getattr(module, "CONTEXT_CASES", ())):
            found.update(item.id for item in case if isinstance(item, (Rule, StackRule)))
    return found


def test_every_rule_has_a_compliant_and_a_violating_fixture_in_a_table():
    missing = {rule.id for rule in ALL_RULES} - _rules_in_tables()
    assert missing <= LEGACY_WITHOUT_TABLE, sorted(missing - LEGACY_WITHOUT_TABLE)


def test_the_legacy_list_names_only_rules_still_without_a_table():
    assert LEGACY_WITHOUT_TABLE & _rules_in_tables() == set()
