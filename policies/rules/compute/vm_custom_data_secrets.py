"""No credentials in a VM's or scale set's custom data (Checkov CKV_AZURE_45): anyone who can read the VM model or
the instance metadata reads it in the clear (it is only base64)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, describe

PATHS = {"azure-native:compute:VirtualMachine": "osProfile.customData",
         "azure-native:compute:VirtualMachineScaleSet": "virtualMachineProfile.osProfile.customData"}
CREDENTIAL = re.compile(r"(password|passwd|pwd|secret|accountkey|sharedaccesssignature|client_secret|"
                        r"-----begin [a-z ]*private key-----|\bsig=)\s*[:=]?", re.IGNORECASE)
FIX = "pass credentials through Key Vault (a managed identity reads them at boot), never in customData"


def _text(value: str) -> str:
    """customData as the VM sees it: base64 decoded where it is base64 (as Azure requires), else as given."""
    try:
        return base64.b64decode(value, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return value


def check(resource: Resource, report: Report, settings: Any) -> None:
    path = PATHS.get(resource.type, "osProfile.customData")
    value = resource.get(path)
    if value is None:
        return
    if value is UNKNOWN:
        report.unknown(path, FIX)
    elif not isinstance(value, str):
        report(f"{path} is {describe(value)}, which cannot be shown to hold no credential; {FIX}")
    elif CREDENTIAL.search(_text(value)):
        report(f"{path} holds what looks like a credential; {FIX}")


RULE = Rule(
    id="vm-custom-data-no-credentials",
    title="No credentials in VM or scale set custom data",
    severity=Severity.HIGH,
    controls=("BIO 9.2.4", "BIO 9.4.3"),
    remediation="Remove credentials from customData; read them from Key Vault with the VM's managed identity.",
    check=check,
    applies_to=tuple(PATHS),
)
