"""Web and function apps do not allow every origin (CORS `*`)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list


def check(resource: Resource, report: Report, settings: Any) -> None:
    origins = as_list(resource.get("siteConfig.cors.allowedOrigins", []))
    if origins is UNKNOWN:
        report.unknown("siteConfig.cors.allowedOrigins", "list the origins")
        return
    for origin in origins:
        if origin is UNKNOWN:
            report.unknown("an origin in siteConfig.cors.allowedOrigins", "list the origins")
        elif isinstance(origin, str) and origin.strip() == "*":
            report("siteConfig.cors.allowedOrigins contains '*'; list the origins that may call the app")


RULE = Rule(
    id="webapp-cors-no-wildcard",
    title="Web and function apps do not allow every CORS origin",
    severity=Severity.MEDIUM,
    controls=("BIO 14.1.2", "BIO 13.1.3"),
    remediation="List the allowed origins in siteConfig.cors.allowedOrigins; never '*'.",
    check=check,
    applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
    settings=("environment",),
    defaults_source="web SiteConfig, API 2024-04-01: cors unset allows no cross-origin calls",
)
