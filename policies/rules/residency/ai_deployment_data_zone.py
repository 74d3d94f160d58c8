"""AI model deployments keep processing in the EU: Standard, Provisioned or DataZone types, never Global*."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe
from amsterdam_cloud.core.regions import AI_EU_DEPLOYMENT_SKUS


def check(resource: Resource, report: Report, settings: Any) -> None:
    sku = resource.get("sku.name")
    if sku is None:
        report("sku.name is not set and Azure documents no default deployment type; "
               "set it to DataZoneStandard, Standard or a Provisioned type")
    elif sku is UNKNOWN:
        report.unknown("sku.name", "set the deployment type explicitly")
    elif not isinstance(sku, str):
        report(f"sku.name is {describe(sku)}, not a deployment type")
    elif sku.lower() not in AI_EU_DEPLOYMENT_SKUS:
        report(f"sku.name is {sku!r}: Global* deployment types may process prompts outside the EU; "
               "use DataZoneStandard (EU data zone), Standard or a Provisioned type")


RULE = Rule(
    id="residency-ai-deployment-data-zone",
    title="AI model deployments process data inside the EU",
    severity=Severity.CRITICAL,
    controls=("BIO 18.1.1", "BIO 18.1.4"),
    remediation="Deploy models with sku.name DataZoneStandard, Standard or (DataZone)ProvisionedManaged.",
    check=check,
    applies_to=("azure-native:cognitiveservices:Deployment",),
    settings=("environment",),
    defaults_source="cognitiveservices Deployment, API 2025-06-01: sku has no documented default",
)
