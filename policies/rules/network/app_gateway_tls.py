"""Application Gateways negotiate TLS 1.2 or later (a current predefined or custom SSL policy)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, equals_ci
from amsterdam_cloud.policies.rules.common import check_min_tls

TLS12_POLICIES = ("AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S")


def check(resource: Resource, report: Report, settings: Any) -> None:
    kind = resource.get("sslPolicy.policyType")
    if kind is UNKNOWN:
        report.unknown("sslPolicy.policyType", "set a TLS 1.2 SSL policy")
    elif equals_ci(kind, "Predefined"):
        name = resource.get("sslPolicy.policyName")
        if name is UNKNOWN:
            report.unknown("sslPolicy.policyName", "use AppGwSslPolicy20220101S")
        elif not equals_ci(name, *TLS12_POLICIES):
            report(f"sslPolicy.policyName is {name!r}, which allows TLS below 1.2; use AppGwSslPolicy20220101S")
    elif equals_ci(kind, "Custom", "CustomV2"):
        check_min_tls(resource, report, settings, path="sslPolicy.minProtocolVersion", default="TLSv1_0",
                      fix="set sslPolicy.minProtocolVersion='TLSv1_2'")
    else:
        report("sslPolicy is not set, so Azure's default policy applies (TLS 1.0 on older API versions); set "
               "sslPolicy={policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S'}")


RULE = Rule(
    id="app-gateway-min-tls12",
    title="Application Gateways require TLS 1.2",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2"),
    remediation="Set sslPolicy={policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S'}.",
    check=check,
    applies_to=("azure-native:network:ApplicationGateway",),
    settings=("environment",),
    defaults_source="network ApplicationGateway, API 2024-05-01: without sslPolicy the default predefined policy "
                    "depends on the API version; the rule requires an explicit TLS 1.2 policy",
)
