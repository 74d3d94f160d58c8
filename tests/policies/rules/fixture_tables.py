"""The fixture tables of this package read as one: every rule's fixtures from the `CASES` of each test module
(a case names its rule and holds its inputs, the name of one in the module's `FIXTURES`, or mutates the module's
`COMPLIANT`)."""

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from amsterdam_cloud.policies.rule_model import Rule, StackRule
from tests.policies.rule_fixtures import violations


@lru_cache(maxsize=1)
def fixtures_by_rule() -> dict[str, list[tuple[dict, str | None]]]:
    """Rule id to every (input, type token or None) a case of a table gives it (compliant and violating alike)."""
    found: dict[str, list[tuple[dict, str | None]]] = {}
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        named = getattr(module, "FIXTURES", {})
        for case in getattr(module, "CASES", ()):
            rules = [item for item in case if isinstance(item, (Rule, StackRule))]
            inputs = [item for item in case if isinstance(item, dict)]
            inputs += [named[item] for item in case if isinstance(item, str) and item in named
                       and isinstance(named[item], dict)]
            inputs += [named[item][0] for item in case if isinstance(item, str) and item in named
                       and isinstance(named[item], tuple)]
            if isinstance(getattr(module, "COMPLIANT", None), dict):  # the module's one compliant resource
                inputs.append(module.COMPLIANT)
            token = next((item for item in case if isinstance(item, str) and item.startswith("azure-native:")), None)
            for rule in rules:
                found.setdefault(rule.id, []).extend((props, token) for props in inputs)
    return found


def compliant_fixtures(rule: Rule) -> list[tuple[dict, str | None]]:
    """The table inputs of a resource rule that pass it in prod, with the type they are judged as."""
    seen, out = set(), []
    for props, token in fixtures_by_rule().get(rule.id, ()):
        if id(props) not in seen and violations(rule, props, token=token) == []:
            seen.add(id(props))
            out.append((props, token))
    return out
