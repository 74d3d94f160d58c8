"""Azure Virtual Desktop keeps its management-plane metadata where the object lives: an EU metadata region."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe
from amsterdam_cloud.core.regions import AVD_EU_METADATA_REGIONS, normalize_location


def check(resource: Resource, report: Report, settings: Any) -> None:
    allowed = AVD_EU_METADATA_REGIONS & settings.allowed_regions
    where = resource.get("location")
    if where is None:
        report("location (the AVD metadata location) is not set; set it to " + " or ".join(sorted(allowed)))
    elif where is UNKNOWN:
        report.unknown("location (the AVD metadata location)", "set it from config")
    elif not isinstance(where, str):
        report(f"location is {describe(where)}, not a region name")
    elif normalize_location(where) not in allowed:
        report(f"location is {where!r}: AVD stores this object's metadata there, outside the EU metadata "
               f"regions; use {' or '.join(sorted(allowed))}")


RULE = Rule(
    id="residency-avd-metadata-location",
    title="Azure Virtual Desktop metadata stays in the EU",
    severity=Severity.HIGH,
    controls=("BIO 18.1.1", "BIO 18.1.4"),
    remediation="Create host pools, application groups, workspaces and scaling plans in westeurope or northeurope.",
    check=check,
    applies_to=("azure-native:desktopvirtualization:HostPool", "azure-native:desktopvirtualization:ApplicationGroup",
                "azure-native:desktopvirtualization:Workspace", "azure-native:desktopvirtualization:ScalingPlan"),
    settings=("environment", "allowedRegions"),
)
