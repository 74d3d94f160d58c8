"""Scale set value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.engine import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="vmss-trusted-launch", title="VM scale sets use Trusted Launch", severity=Severity.HIGH,
               controls=("BIO 12.2.1", "BIO 14.2.5"), applies_to=("azure-native:compute:VirtualMachineScaleSet",),
               path="virtualMachineProfile.securityProfile.securityType", allowed=("TrustedLaunch", "ConfidentialVM"),
               default=UNSET, fix="set virtualMachineProfile.securityProfile.securityType='TrustedLaunch'",
               defaults_source="compute VirtualMachineScaleSet, API 2024-11-01: securityType documents no default "
                               "(as for virtual machines), so unset is a violation"),
)
