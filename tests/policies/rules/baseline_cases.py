"""Per rule: a compliant fixture and one mutation per way to break it (compliance-policies' "one mutation per violation")."""

from tests.policies.rule_fixtures import UNKNOWN_VALUE

U = UNKNOWN_VALUE
DROP = object()
"""A mutation value that removes the property (the Azure default then applies)."""


def mutate(props: dict, path: str, value) -> dict:
    """A deep copy of props with `path` (dotted) set to value, or removed for DROP."""
    import copy

    out = copy.deepcopy(props)
    node = out
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is DROP:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    return out


def case_id(value) -> str:
    """A readable test id for a case's rule, path or value (`unset` for DROP)."""
    return getattr(value, "id", repr(value) if value is not DROP else "unset")


def assert_one_violation_naming(rule, props: dict, path: str, value) -> None:
    """The mutation of `props` at `path` is exactly one violation of `rule`, and its message names the property."""
    from tests.policies.rule_fixtures import violations

    found = violations(rule, mutate(props, path, value))
    assert len(found) == 1 and path in found[0], found
