"""Cosmos DB geo-replicas are data too: every replica location is an allowed EU region."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get
from amsterdam_cloud.policies.rules.residency.allowed_locations import judge_location


def check(resource: Resource, report: Report, settings: Any) -> None:
    locations = as_list(resource.get("locations"))
    if locations is UNKNOWN:
        report.unknown("locations (the replica list)", "list the replica regions explicitly")
        return
    for index, replica in enumerate(locations):
        judge_location(get(replica, "locationName", UNKNOWN) if isinstance(replica, dict) else replica,
                       f"locations[{index}].locationName", settings, report, global_ok=False)


RULE = Rule(
    id="residency-cosmosdb-replica-locations",
    title="Cosmos DB replicas stay in allowed EU regions",
    severity=Severity.CRITICAL,
    controls=("BIO 18.1.1", "BIO 18.1.4"),
    remediation="Keep every entry of DatabaseAccount.locations in an allowed EU region.",
    check=check,
    applies_to=("azure-native:cosmosdb:DatabaseAccount",),
    settings=("environment", "allowedRegions"),
)
