"""Azure SQL audit logs kept in storage are retained at least 90 days (CIS 4.1.6; Checkov CKV_AZURE_24)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.values import check_retention_days

MIN_DAYS = 90


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_retention_days(resource, report, settings, path="retentionDays", minimum=MIN_DAYS)


RULE = Rule(
    id="sql-auditing-retention",
    title="Azure SQL audit logs are kept at least 90 days",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.2", "CIS 4.1.6"),
    remediation="Set retentionDays to 0 (keep forever) or 90 or more.",
    check=check,
    applies_to=("azure-native:sql:ServerBlobAuditingPolicy",),
    settings=("environment",),
    defaults_source="sql ServerBlobAuditingPolicy, API 2023-08-01: retentionDays unset is 0 (kept forever)",
)
