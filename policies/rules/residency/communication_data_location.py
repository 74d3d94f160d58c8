"""Azure Communication Services stores its data in `dataLocation`, which must be inside the EU."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe
from amsterdam_cloud.core.regions import COMMUNICATION_EU_DATA_LOCATIONS


def check(resource: Resource, report: Report, settings: Any) -> None:
    where = resource.get("dataLocation")
    allowed = ", ".join(sorted(loc.title() for loc in COMMUNICATION_EU_DATA_LOCATIONS))
    if where is None:
        report(f"dataLocation is not set (Azure requires it); set it to one of {allowed}")
    elif where is UNKNOWN:
        report.unknown("dataLocation", "set it from config")
    elif not isinstance(where, str):
        report(f"dataLocation is {describe(where)}, not a data location")
    elif where.replace(" ", "").lower() not in COMMUNICATION_EU_DATA_LOCATIONS:
        report(f"dataLocation is {where!r}, outside the EU; set it to one of {allowed}")


RULE = Rule(
    id="residency-communication-data-location",
    title="Communication Services keep their data in the EU",
    severity=Severity.CRITICAL,
    controls=("BIO 18.1.1", "BIO 18.1.4"),
    remediation="Set CommunicationService/EmailService dataLocation to Europe.",
    check=check,
    applies_to=("azure-native:communication:CommunicationService", "azure-native:communication:EmailService"),
    settings=("environment",),
)
