"""In prod, PostgreSQL and MySQL servers back up to the paired region (dev, test and acc hold no data that needs it)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    if settings.environment != "prod":
        report.skip("judged in prod only")
    else:
        check_choice(resource, report, settings, path="backup.geoRedundantBackup", allowed=("Enabled",),
                     default="Disabled", fix="set backup.geoRedundantBackup='Enabled' (the pair of an EU region is "
                                             "in the EU)")


RULE = Rule(
    id="database-geo-redundant-backup-in-prod",
    title="Production PostgreSQL and MySQL servers back up to the paired region",
    severity=Severity.MEDIUM,
    controls=("BIO 12.3.1",),
    remediation="Set backup.geoRedundantBackup='Enabled' on prod servers (components/app_hosting sets it for prod).",
    check=check,
    applies_to=("azure-native:dbforpostgresql:Server", "azure-native:dbformysql:Server"),
    settings=("environment",),
    defaults_source="dbforpostgresql/dbformysql flexible Server, API 2024-08-01/2023-12-30: geoRedundantBackup unset "
                    "is Disabled",
)
