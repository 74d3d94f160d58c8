"""AVD host pools holding BBN2 or BBN3 data switch off clipboard, drive and USB redirection."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

REQUIRED = {"redirectclipboard": "i:0", "drivestoredirect": "s:", "usbdevicestoredirect": "s:"}
"""Each RDP property and the value that switches the redirection off."""
PROTECTED_LEVELS = ("BBN2", "BBN3")


def check(resource: Resource, report: Report, settings: Any) -> None:
    level = resource.tag("data-classification")
    if level is UNKNOWN:
        report.unknown("tag data-classification", "redirection cannot be judged")
        return
    if not (isinstance(level, str) and level.upper() in PROTECTED_LEVELS):
        report.skip("redirection is allowed below BBN2")
        return
    text = resource.get("customRdpProperty", "")
    if text is UNKNOWN:
        report.unknown("customRdpProperty", f"set {fix()}")
        return
    if not isinstance(text, str):
        report(f"customRdpProperty is {describe(text)}, not RDP properties; set {fix()}")
        return
    found = {}
    for item in text.split(";"):
        key, _, value = item.strip().partition(":")
        if key:
            found[key.lower()] = value.strip().lower()
    open_ = [key for key, value in REQUIRED.items() if found.get(key) != value]
    if open_:
        report(f"a {level.upper()} host pool leaves {', '.join(open_)} on (Azure's default allows it); set {fix()}")


def fix() -> str:
    return ";".join(f"{key}:{value}" for key, value in REQUIRED.items())


RULE = Rule(
    id="avd-no-device-redirection",
    title="AVD host pools with BBN2+ data allow no clipboard, drive or USB redirection",
    severity=Severity.HIGH,
    controls=("BIO 13.2.1", "BIO 8.3.1"),
    remediation=f"Add {fix()} to customRdpProperty (components/workplace: SECURE_RDP_PROPERTIES).",
    check=check,
    applies_to=("azure-native:desktopvirtualization:HostPool",),
    settings=("environment",),
    defaults_source="desktopvirtualization HostPool, API 2024-04-03: customRdpProperty unset uses RDP defaults, "
                    "which redirect clipboard, drives and USB devices",
)
