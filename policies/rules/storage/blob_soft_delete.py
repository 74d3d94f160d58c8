"""Blob services keep deleted blobs at least the city's minimum (CIS 3.11).

Judged on the BlobServiceProperties; `storage-account-has-blob-service` fails the account that has none.
"""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

MIN_DAYS = 7
"""The city's least blob soft-delete retention: the portal's default and the least CIS 3.11 accepts (7 to 365)."""
FIX = f"set deleteRetentionPolicy=DeleteRetentionPolicyArgs(enabled=True, days=>={MIN_DAYS})"


def check(resource: Resource, report: Report, settings: Any) -> None:
    enabled = resource.get("deleteRetentionPolicy.enabled", False)
    if enabled is UNKNOWN:
        report.unknown("deleteRetentionPolicy.enabled", FIX)
    elif enabled is not True:
        report(f"deleteRetentionPolicy.enabled is {describe(enabled)}, so a deleted blob is gone at once; {FIX}")
        return
    days = resource.get("deleteRetentionPolicy.days")
    if days is UNKNOWN:
        report.unknown("deleteRetentionPolicy.days", FIX)
    elif days is None:
        report(f"deleteRetentionPolicy.days is not set and Azure documents no default; {FIX}")
    elif isinstance(days, bool) or not isinstance(days, (int, float)):
        report(f"deleteRetentionPolicy.days is {describe(days)}, not a number of days; {FIX}")
    elif days < MIN_DAYS:
        report(f"deleteRetentionPolicy.days is {days:g}, below the city's {MIN_DAYS}; {FIX}")


RULE = Rule(
    id="storage-blob-soft-delete",
    title=f"Blob services keep deleted blobs (soft delete, at least {MIN_DAYS} days)",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.2", "CIS 3.11"),
    remediation=f"Set deleteRetentionPolicy={{enabled: True, days: {MIN_DAYS}}} or more on the blob service.",
    check=check,
    applies_to=("azure-native:storage:BlobServiceProperties",),
    settings=("environment",),
    defaults_source="storage BlobServiceProperties, API 2024-01-01: blob soft delete is off unless "
                    "deleteRetentionPolicy.enabled is true; days (1-365) has no documented default",
)
