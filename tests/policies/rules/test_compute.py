"""Virtual machine, disk and AVD host pool rules; AI services account rules."""

import pytest

from amsterdam_cloud.policies.rules import RULES_BY_ID
from tests.policies.rule_fixtures import violations
from amsterdam_cloud.policies.rules.compute import disk_public_network_access, vm_encryption_at_host, vm_trusted_launch

from .baseline_cases import DROP, case_id, mutate

VM = {"securityProfile": {"securityType": "TrustedLaunch", "encryptionAtHost": True,
                          "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}}}
DISK = {"networkAccessPolicy": "DenyAll", "publicNetworkAccess": "Disabled"}
POOL = {"location": "westeurope", "publicNetworkAccess": "EnabledForClientsOnly"}
AI = {"properties": {"disableLocalAuth": True, "publicNetworkAccess": "Disabled"}}
FIXTURES = {"vm": VM, "disk": DISK, "pool": POOL, "ai": AI}
CASES = [
    ("vm", vm_trusted_launch.RULE, "securityProfile.securityType", "Standard"),
    ("vm", vm_trusted_launch.RULE, "securityProfile", DROP),
    ("vm", vm_trusted_launch.RULE, "securityProfile.uefiSettings.secureBootEnabled", False),
    ("vm", vm_trusted_launch.RULE, "securityProfile.uefiSettings.vTpmEnabled", DROP),
    ("vm", vm_encryption_at_host.RULE, "securityProfile.encryptionAtHost", False),
    ("vm", vm_encryption_at_host.RULE, "securityProfile.encryptionAtHost", DROP),
    ("disk", disk_public_network_access.RULE, "networkAccessPolicy", "AllowAll"),
    ("disk", disk_public_network_access.RULE, "publicNetworkAccess", "Enabled"),
    ("pool", RULES_BY_ID["avd-host-pool-public-network-access"], "publicNetworkAccess", "Enabled"),
    ("pool", RULES_BY_ID["avd-host-pool-public-network-access"], "publicNetworkAccess", DROP),
    ("ai", RULES_BY_ID["ai-services-local-auth-disabled"], "properties.disableLocalAuth", False),
    ("ai", RULES_BY_ID["ai-services-local-auth-disabled"], "properties.disableLocalAuth", DROP),
    ("ai", RULES_BY_ID["ai-services-public-network-access-disabled"], "properties.publicNetworkAccess", "Enabled"),
]
RULES = sorted({(c[0], c[1]) for c in CASES}, key=lambda c: c[1].id)


@pytest.mark.parametrize("fixture,rule", RULES, ids=lambda v: getattr(v, "id", v))
def test_compliant_resource_passes(fixture, rule):
    assert violations(rule, FIXTURES[fixture]) == []


@pytest.mark.parametrize("fixture,rule,path,value", CASES,
                         ids=case_id)
def test_each_mutation_is_a_violation(fixture, rule, path, value):
    assert len(violations(rule, mutate(FIXTURES[fixture], path, value))) == 1


def test_unset_disk_network_policies_report_both_azure_defaults():
    assert len(violations(disk_public_network_access.RULE, {})) == 2


def test_scale_set_without_encryption_at_host_is_a_violation():
    found = violations(vm_encryption_at_host.RULE, {"virtualMachineProfile": {}},
                       token="azure-native:compute:VirtualMachineScaleSet")
    assert len(found) == 1 and "virtualMachineProfile.securityProfile.encryptionAtHost" in found[0]


def test_confidential_vm_counts_as_trusted():
    props = mutate(VM, "securityProfile.securityType", "ConfidentialVM")
    assert violations(vm_trusted_launch.RULE, props) == []
