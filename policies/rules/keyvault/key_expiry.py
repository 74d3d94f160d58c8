"""Key Vault keys expire (Checkov CKV_AZURE_40, CIS 8.1): a key that never expires gives whoever once obtained a
way to use it unlimited time; an expiry forces the deliberate move to a new key that a cryptoperiod asks for."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

PATH = "properties.attributes.expires"
FIX = "set properties.attributes.expires to a fixed day (seconds since 1970-01-01 UTC, from config, so no run moves it)"


def check(resource: Resource, report: Report, settings: Any) -> None:
    expires = resource.get(PATH)
    if expires is UNKNOWN:
        report.unknown(PATH, FIX)
    elif expires is None:
        report(f"{PATH} is unset, so the key never expires; {FIX}")
    elif isinstance(expires, bool) or not isinstance(expires, (int, float)) or expires <= 0:
        report(f"{PATH} is {describe(expires)}, not a point in time; {FIX}")


RULE = Rule(
    id="keyvault-key-expiry",
    title="Key Vault keys expire",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.2", "CIS 8.1"),
    remediation="Give every key an expiry (properties.attributes.expires) from config, and move to a new key before "
                "it (the state backend's keys: keyExpiresOn).",
    check=check,
    applies_to=("azure-native:keyvault:Key",),
    settings=("environment",),
    defaults_source="keyvault KeyAttributes, API 2024-11-01: expires has no default (the key never expires)",
)
