"""Front Door routes serve HTTPS only (or redirect HTTP) and forward HTTPS to the origin."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, equals_ci
from amsterdam_cloud.policies.rules.common import check_choice


def check(resource: Resource, report: Report, settings: Any) -> None:
    check_choice(resource, report, settings, path="forwardingProtocol", allowed=("HttpsOnly",),
                 default="MatchRequest", fix="set forwardingProtocol='HttpsOnly'")
    protocols = as_list(resource.get("supportedProtocols", ["Http", "Https"]))
    if protocols is UNKNOWN or any(p is UNKNOWN for p in protocols):
        report.unknown("supportedProtocols", "set supportedProtocols=['Https']")
        return
    if not any(equals_ci(p, "Http") for p in protocols):
        return
    redirect = resource.get("httpsRedirect", "Disabled")
    if redirect is UNKNOWN:
        report.unknown("httpsRedirect", "set httpsRedirect='Enabled'")
    elif not equals_ci(redirect, "Enabled"):
        report(f"the route accepts HTTP and httpsRedirect is {redirect!r}; set httpsRedirect='Enabled' or "
               "supportedProtocols=['Https']")


RULE = Rule(
    id="frontdoor-route-https-only",
    title="Front Door routes serve HTTPS only",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation="Set forwardingProtocol='HttpsOnly' and httpsRedirect='Enabled' (or supportedProtocols=['Https']).",
    check=check,
    applies_to=("azure-native:cdn:Route",),
    settings=("environment",),
    defaults_source="cdn Route, API 2025-04-15: supportedProtocols unset is [Http, Https], httpsRedirect Disabled, "
                    "forwardingProtocol MatchRequest",
)
