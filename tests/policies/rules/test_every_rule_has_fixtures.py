"""Every rule has a compliant fixture and at least one violating fixture in a table of this package (Checkov's
layout: a rule without pass/fail fixtures is impossible to miss)."""

import importlib
import pkgutil
from pathlib import Path

from amsterdam_cloud.policies.engine import Rule, StackRule
from amsterdam_cloud.policies.rules import ALL_RULES

LEGACY_WITHOUT_TABLE = frozenset({
    # Older rules whose fixtures live in behaviour tests, not yet in a CASES/FIXTURES table: may only shrink.
    "algorithm-register-id", "algorithm-register-id-registered", "database-secure-transport",
    "monitoring-diagnostic-settings", "monitoring-log-retention", "network-nic-no-public-ip",
    "network-no-ip-forwarding", "network-nsg-no-admin-ports-from-internet", "network-nsg-no-all-ports-from-internet",
    "network-public-ip-only-in-connectivity", "network-subnet-has-nsg", "residency-ai-deployment-data-zone",
    "residency-allowed-location", "residency-avd-metadata-location", "residency-communication-data-location",
    "residency-cosmosdb-replica-locations", "residency-storage-no-cross-tenant-replication",
    "stateful-locked-in-prod", "stateful-protected-in-prod", "tags-data-classification-valid",
    "tags-environment-matches", "tags-required",
})


def _rules_in_tables() -> set[str]:
    found: set[str] = set()
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if not info.name.startswith("test_") or info.name == Path(__file__).stem:
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for case in getattr(module, "CASES", ()):
            found.update(item.id for item in case if isinstance(item, (Rule, StackRule)))
    return found


def test_every_rule_has_a_compliant_and_a_violating_fixture_in_a_table():
    missing = {rule.id for rule in ALL_RULES} - _rules_in_tables()
    assert missing <= LEGACY_WITHOUT_TABLE, sorted(missing - LEGACY_WITHOUT_TABLE)


def test_the_legacy_list_names_only_rules_still_without_a_table():
    assert LEGACY_WITHOUT_TABLE & _rules_in_tables() == set()
