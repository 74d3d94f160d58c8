"""AKS clusters with the Key Vault Secrets Store CSI driver rotate the secrets they mount (Checkov CKV_AZURE_172):
without rotation a pod keeps a secret's old version after it is changed or revoked in Key Vault."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity

ADDON = "addonProfiles.azureKeyvaultSecretsProvider"
FIX = f"set {ADDON}.config.enableSecretRotation='true'"


def check(resource: Resource, report: Report, settings: Any) -> None:
    enabled = resource.get(f"{ADDON}.enabled", False)
    if enabled is UNKNOWN:
        report.unknown(f"{ADDON}.enabled", FIX)
        return
    if enabled is not True:
        report.skip("the Secrets Store CSI driver add-on is off")
        return
    rotation = resource.get(f"{ADDON}.config.enableSecretRotation")
    if rotation is UNKNOWN:
        report.unknown(f"{ADDON}.config.enableSecretRotation", FIX)
    elif not (isinstance(rotation, str) and rotation.strip().lower() == "true"):
        report(f"the Secrets Store CSI driver is on without secret rotation ({ADDON}.config.enableSecretRotation "
               f"is {rotation!r}); {FIX}")


RULE = Rule(
    id="aks-secrets-store-rotation",
    title="AKS rotates the Key Vault secrets its CSI driver mounts",
    severity=Severity.MEDIUM,
    controls=("BIO 9.2.4", "BIO 10.1.2"),
    remediation=f"{FIX[0].upper()}{FIX[1:]} (rotationPollInterval defaults to 2m).",
    check=check,
    applies_to=("azure-native:containerservice:ManagedCluster",),
    defaults_source="containerservice ManagedCluster, API 2025-09-01: the azureKeyvaultSecretsProvider add-on "
                    "rotates only with config enableSecretRotation 'true' (default 'false', AKS CSI driver docs)",
)
