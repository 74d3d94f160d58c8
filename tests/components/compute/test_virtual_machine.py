"""The VM component under mocks: Trusted Launch, encryption at host, no public IP, the Azure Monitor Agent, SSH
keys only on Linux and a vaulted password on Windows, OS-disk-capable disks, and args that refuse what Azure or the
city would refuse."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.compute.virtual_machine import VaultRef, VirtualMachine, VirtualMachineArgs, \
    VmBackupRef
from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.scripts.offline.values import is_secret_somewhere

from .ssh_keys import BREAK_GLASS_KEY, ed25519_key, rsa_key

SUBNET = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-spoke/providers/"
          "Microsoft.Network/virtualNetworks/apps/subnets/vms")
DCR = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-management/providers/"
       "Microsoft.Insights/dataCollectionRules/vm-insights")
DCE = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-management/providers/"
       "Microsoft.Insights/dataCollectionEndpoints/dce-amsterdam")
POLICY = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-management/providers/"
          "Microsoft.RecoveryServices/vaults/rsv-vms/backupPolicies/vms-daily-enhanced")
BACKUP = VmBackupRef(vault_name="rsv-vms", resource_group_name="rg-management", policy_id=POLICY)


@pytest.fixture
def args(tags):
    def make(**overrides) -> VirtualMachineArgs:
        values = dict(tags=tags, resource_group_name="rg-reports", location="westeurope", name_prefix="reports",
                      size="Standard_E16s_v5", subnet_id=SUBNET,
                      password_vault=VaultRef(name="reports-kv", resource_group_name="rg-reports"),
                      backup=BACKUP, data_collection_rule_id=DCR, data_collection_endpoint_id=DCE,
                      ssh_public_key=None if overrides.get("os") == "windows" else BREAK_GLASS_KEY)
        values.update(overrides)
        return VirtualMachineArgs(**values)
    return make


def test_a_vm_uses_trusted_launch_with_secure_boot_vtpm_and_encryption_at_host(plan_inline, args):
    vm = plan_inline(lambda: VirtualMachine("vm", args())).named("vm-01-vm").inputs
    assert vm["securityProfile"] == {"securityType": "TrustedLaunch", "encryptionAtHost": True,
                                     "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}}
    assert vm["hardwareProfile"] == {"vmSize": "Standard_E16s_v5"}


def test_the_nic_is_private_in_the_spoke_subnet_without_a_public_ip(plan_inline, args):
    nic = plan_inline(lambda: VirtualMachine("vm", args())).named("vm-01-nic").inputs
    (config,) = nic["ipConfigurations"]
    assert config["subnet"]["id"] == SUBNET and "publicIPAddress" not in config


def test_every_vm_runs_guest_attestation_then_the_azure_monitor_agent(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args()))
    agent = plan.named("vm-01-monitor-agent")
    assert (agent.inputs["publisher"], agent.inputs["type"]) == ("Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent")
    assert plan.named("vm-01-attestation").urn in agent.dependencies


def test_the_agent_reports_through_the_platforms_rule_and_private_endpoint(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args()))
    vm_id = plan.named("vm-01-vm").outputs["id"]
    rule, endpoint = plan.named("vm-01-dcr").inputs, plan.named("vm-01-dce").inputs
    assert (rule["dataCollectionRuleId"], rule["resourceUri"]) == (DCR, vm_id)
    assert (endpoint["dataCollectionEndpointId"], endpoint["associationName"]) == (DCE, "configurationAccessEndpoint")


def test_every_vm_is_protected_by_the_platform_vaults_policy(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args(count=2)))
    items = plan.of_type("azure-native:recoveryservices:ProtectedItem")
    assert [(i.inputs["containerName"], i.inputs["protectedItemName"]) for i in items] == [
        ("iaasvmcontainer;iaasvmcontainerv2;rg-reports;reports-01", "vm;iaasvmcontainerv2;rg-reports;reports-01"),
        ("iaasvmcontainer;iaasvmcontainerv2;rg-reports;reports-02", "vm;iaasvmcontainerv2;rg-reports;reports-02")]
    first = items[0].inputs
    assert (first["vaultName"], first["resourceGroupName"], first["fabricName"]) == ("rsv-vms", "rg-management", "Azure")
    assert first["properties"] == {"protectedItemType": "Microsoft.Compute/virtualMachines", "policyId": POLICY,
                                   "sourceResourceId": plan.named("vm-01-vm").outputs["id"]}


def test_without_backup_and_rule_only_the_agent_runs_as_an_explicit_opt_out(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args(backup=None, data_collection_rule_id=None,
                                                         data_collection_endpoint_id=None)))
    assert plan.of_type("azure-native:recoveryservices:ProtectedItem") == []
    assert plan.of_type("azure-native:monitor:DataCollectionRuleAssociation") == []


def test_a_windows_vm_gets_the_windows_agent_and_image(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args(os="windows")))
    assert plan.named("vm-01-monitor-agent").inputs["type"] == "AzureMonitorWindowsAgent"
    assert plan.named("vm-01-vm").inputs["storageProfile"]["imageReference"]["offer"] == "WindowsServer"


def test_count_gives_like_windows_vms_with_their_own_vaulted_passwords(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args(os="windows", count=2)))
    assert [vm.inputs["osProfile"]["computerName"] for vm in plan.of_type("azure-native:compute:VirtualMachine")] == [
        "reports-01", "reports-02"]
    secrets = plan.of_type("azure-native:keyvault:Secret")
    assert [s.inputs["secretName"] for s in secrets] == ["reports-01-local-admin", "reports-02-local-admin"]
    assert all(is_secret_somewhere(s.inputs["properties"]["value"]) for s in secrets)


def test_a_linux_vm_signs_in_with_the_given_ssh_key_only_and_has_no_password(plan_inline, args):
    plan = plan_inline(lambda: VirtualMachine("vm", args(count=2)))
    for vm in plan.of_type("azure-native:compute:VirtualMachine"):
        profile = vm.inputs["osProfile"]
        assert "adminPassword" not in profile
        assert profile["linuxConfiguration"]["disablePasswordAuthentication"] is True
        assert profile["linuxConfiguration"]["ssh"]["publicKeys"] == [
            {"path": "/home/breakglass/.ssh/authorized_keys", "keyData": BREAK_GLASS_KEY}]
    assert plan.of_type("azure-native:keyvault:Secret") == []


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_linux_and_windows_vms_pass_the_ssh_key_rules(plan_inline, args, stack):
    def program():
        VirtualMachine("lin", args())
        VirtualMachine("win", args(os="windows", name_prefix="winrep"))

    result = check_export(plan_inline(program, stack=stack).to_export(), environment=stack, stack=stack)
    assert [f for f in result.findings if "ssh" in f.policy] == []


def test_data_disks_follow_the_source_volumes(plan_inline, args):
    vm = plan_inline(lambda: VirtualMachine("vm", args(data_disks_gb=(500, 100), data_disk_type="PremiumV2_LRS")))
    disks = vm.named("vm-01-vm").inputs["storageProfile"]["dataDisks"]
    assert [(d["lun"], d["diskSizeGB"], d["managedDisk"]["storageAccountType"]) for d in disks] == [
        (0, 500, "PremiumV2_LRS"), (1, 100, "PremiumV2_LRS")]


@pytest.mark.parametrize(("overrides", "key"), [
    ({"os_disk_type": "PremiumV2_LRS"}, "os_disk_type"),
    ({"size": "m5.large"}, "size"),
    ({"name_prefix": "Reports_Server"}, "name_prefix"),
    ({"os": "solaris"}, "os"),
    ({"count": 0}, "count"),
    ({"admin_username": "admin"}, "admin_username"),
    ({"data_disks_gb": (2,)}, "data_disks_gb"),
    ({"ssh_public_key": None}, "ssh_public_key"),
    ({"ssh_public_key": "AAAAC3NzaC1lZDI1NTE5"}, "ssh_public_key"),
    ({"ssh_public_key": "ssh-ed25519 not-base64!"}, "ssh_public_key"),
    ({"ssh_public_key": rsa_key(1024)}, "ssh_public_key"),
    ({"ssh_public_key": ed25519_key().replace("ssh-ed25519", "ssh-rsa", 1)}, "ssh_public_key"),
    ({"os": "windows", "ssh_public_key": BREAK_GLASS_KEY}, "ssh_public_key"),
])
def test_args_azure_would_refuse_fail_naming_the_field(args, overrides, key):
    with pytest.raises(InterfaceError, match=f"VirtualMachineArgs.{key}"):
        args(**overrides)


IDENTITY = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-reports/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/id-reports")


def test_an_rsa_key_of_2048_bits_or_more_is_accepted(args):
    assert args(ssh_public_key=rsa_key(4096)).ssh_public_key.startswith("ssh-rsa ")


def test_the_vms_run_as_the_apps_identity_besides_their_own(plan_inline, args):
    # azure-native 3.x takes the user-assigned identities as a list of ids (the provider builds ARM's map)
    vm = plan_inline(lambda: VirtualMachine("vm", args(identity_ids=(IDENTITY,)))).named("vm-01-vm").inputs
    assert vm["identity"] == {"type": "SystemAssigned, UserAssigned", "userAssignedIdentities": [IDENTITY]}


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(VirtualMachine, args)
