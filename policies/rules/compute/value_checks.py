"""Scale set and VM value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="vmss-trusted-launch", title="VM scale sets use Trusted Launch", severity=Severity.HIGH,
               controls=("BIO 12.2.1", "BIO 14.2.5"), applies_to=("azure-native:compute:VirtualMachineScaleSet",),
               path="virtualMachineProfile.securityProfile.securityType", allowed=("TrustedLaunch", "ConfidentialVM"),
               default=UNSET, fix="set virtualMachineProfile.securityProfile.securityType='TrustedLaunch'",
               defaults_source="compute VirtualMachineScaleSet, API 2024-11-01: securityType documents no default "
                               "(as for virtual machines), so unset is a violation"),
    value_rule(id="vmss-automatic-os-upgrade", title="VM scale sets upgrade their OS image automatically",
               severity=Severity.MEDIUM, controls=("BIO 12.6.1",),
               applies_to=("azure-native:compute:VirtualMachineScaleSet",),
               path="upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade", want=True, default=False,
               fix="set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=True",
               defaults_source="compute AutomaticOSUpgradePolicy, API 2024-11-01: enableAutomaticOSUpgrade unset is "
                               "false"),
    value_rule(id="vm-windows-automatic-updates", title="Windows VMs install updates automatically",
               severity=Severity.MEDIUM, controls=("BIO 12.6.1",), applies_to=("azure-native:compute:VirtualMachine",),
               path="osProfile.windowsConfiguration.enableAutomaticUpdates", want=True, default=True,
               fix="leave osProfile.windowsConfiguration.enableAutomaticUpdates unset or True",
               defaults_source="compute WindowsConfiguration, API 2024-11-01: enableAutomaticUpdates 'Default value is "
                               "true' (a Linux VM has no windowsConfiguration, so the default applies and it passes)"),
    value_rule(id="avd-host-pool-public-network-access",
               title="AVD host pools keep session hosts off the public network", severity=Severity.HIGH,
               controls=("BIO 13.1.1", "BIO 13.1.3"), applies_to=("azure-native:desktopvirtualization:HostPool",),
               path="publicNetworkAccess", allowed=("Disabled", "EnabledForClientsOnly"), default="Enabled",
               fix="set publicNetworkAccess='EnabledForClientsOnly' or 'Disabled'",
               remediation="Set publicNetworkAccess='Disabled' or 'EnabledForClientsOnly' (session hosts then talk to AVD over a private endpoint).",
               defaults_source='desktopvirtualization HostPool, API 2024-04-03: publicNetworkAccess unset is Enabled'),
)
