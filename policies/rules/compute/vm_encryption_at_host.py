"""Virtual machines encrypt at host."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import check_bool


def check(resource: Resource, report: Report, settings: Any) -> None:
    path = "securityProfile.encryptionAtHost" if resource.type.endswith(":VirtualMachine") else "virtualMachineProfile.securityProfile.encryptionAtHost"
    check_bool(resource, report, settings, path=path, want=True, default=False, fix=f"set {path}=True")


RULE = Rule(
    id="vm-encryption-at-host",
    title="Virtual machines encrypt at host",
    severity=Severity.MEDIUM,
    controls=("BIO 10.1.1",),
    remediation='Set securityProfile.encryptionAtHost=True.',
    check=check,
    applies_to=("azure-native:compute:VirtualMachine", "azure-native:compute:VirtualMachineScaleSet"),
    settings=("environment",),
    defaults_source='compute VirtualMachine, API 2024-11-01: encryptionAtHost is off unless set',
)
