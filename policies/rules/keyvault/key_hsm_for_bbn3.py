"""Keys protecting BBN3 data live in an HSM (RSA-HSM or EC-HSM)."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe, equals_ci


def check(resource: Resource, report: Report, settings: Any) -> None:
    level = resource.tag("data-classification")
    if level is UNKNOWN:
        report.unknown("tag data-classification", "the key type cannot be judged")
        return
    if not equals_ci(level, "BBN3"):
        report.skip("software keys are allowed below BBN3")
        return
    kty = resource.get("properties.kty")
    if kty is UNKNOWN:
        report.unknown("properties.kty", "set kty='RSA-HSM' or 'EC-HSM'")
    elif not equals_ci(kty, "RSA-HSM", "EC-HSM"):
        report(f"a BBN3 key has properties.kty {describe(kty)}; set kty='RSA-HSM' or 'EC-HSM' (Premium vault or "
               "Managed HSM)")


RULE = Rule(
    id="keyvault-key-hsm-for-bbn3",
    title="Keys protecting BBN3 data are HSM-backed",
    severity=Severity.HIGH,
    controls=("BIO 10.1.2", "BIO 10.1.1"),
    remediation="Create BBN3 keys with kty='RSA-HSM' or 'EC-HSM' in a Premium vault or Managed HSM.",
    check=check,
    applies_to=("azure-native:keyvault:Key",),
    settings=("environment",),
    defaults_source="keyvault KeyProperties, API 2024-11-01: kty has no default (RSA, RSA-HSM, EC, EC-HSM)",
)
