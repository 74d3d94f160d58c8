"""Application Gateway listeners accept HTTPS only (Checkov CKV_AZURE_217)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, equals_ci, get

FIX = "set protocol='Https' with an sslCertificate (redirect plain HTTP at Front Door, not on the gateway)"


def check(resource: Resource, report: Report, settings: Any) -> None:
    listeners = as_list(resource.get("httpListeners", []))
    if listeners is UNKNOWN:
        report.unknown("httpListeners", FIX)
        return
    for index, listener in enumerate(listeners):
        protocol = get(listener, "protocol") if listener is not UNKNOWN else UNKNOWN
        if protocol is UNKNOWN:
            report.unknown(f"httpListeners[{index}].protocol", FIX)
        elif protocol is None:
            report(f"httpListeners[{index}].protocol is not set and Azure documents no default; {FIX}")
        elif not equals_ci(protocol, "Https"):
            report(f"httpListeners[{index}].protocol is {protocol!r}, so the gateway accepts plain HTTP; {FIX}")


RULE = Rule(
    id="app-gateway-https-listeners",
    title="Application Gateway listeners accept HTTPS only",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation="Give every httpListener protocol='Https' and a certificate; redirect HTTP before the gateway.",
    check=check,
    applies_to=("azure-native:network:ApplicationGateway",),
    settings=("environment",),
    defaults_source="network ApplicationGatewayHttpListener, API 2024-05-01: protocol is Http or Https, with no "
                    "documented default (unset is a violation)",
)
