"""`VirtualMachine`: one or more like VMs for a rehosted workload, secure by default.

Trusted Launch (secure boot, vTPM, guest attestation), encryption at host (temp disk and caches encrypted too), no
public IP (a private NIC in the app's spoke subnet; egress through the hub firewall), the Azure Monitor Agent
associated with the platform's data collection rule (and its private endpoint), each VM protected by the platform
vault's enhanced backup policy (`operations.py`), a system identity plus the app's identity, and an OS
disk type that can be an OS disk (Premium SSD v2 and Ultra Disk cannot). The local administrator exists only
because the OS demands one (break-glass): on Windows its password is generated here, never in config, and kept as a
Key Vault secret per VM; on Linux it signs in with the SSH public key the caller gives (`ssh_public_key`) and
password sign-in is off. Sign-in for people with Entra ID (the login extension and the team's VM login role) is not
built yet.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import compute, monitor, network, recoveryservices

from amsterdam_cloud.components.compute.baseline import RESERVED_ADMIN_USERNAMES, VaultRef, keep_admin_password, \
    trusted_launch_profile
from amsterdam_cloud.components.compute.operations import VmBackupRef
from amsterdam_cloud.components.credentials import generate_password
from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces, \
    supports, system_principal_id

__all__ = ["VaultRef", "VmBackupRef", "VirtualMachine", "VirtualMachineArgs"]

OS_DISK_TYPES = ("Premium_LRS", "Premium_ZRS", "StandardSSD_LRS", "StandardSSD_ZRS")
"""Disk types Azure accepts for an OS disk: Premium SSD v2 (PremiumV2_LRS) and Ultra Disk are data disks only."""
DATA_DISK_TYPES = OS_DISK_TYPES + ("PremiumV2_LRS", "Standard_LRS")
IMAGES = {
    "linux": ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "latest"),
    "windows": ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition", "latest"),
}
"""The city's default generation-2 images (Trusted Launch needs generation 2) per operating system."""
AGENTS = {
    "linux": (("attestation", "Microsoft.Azure.Security.LinuxAttestation", "GuestAttestation", "1.0"),
              ("monitor-agent", "Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent", "1.0")),
    "windows": (("attestation", "Microsoft.Azure.Security.WindowsAttestation", "GuestAttestation", "1.0"),
                ("monitor-agent", "Microsoft.Azure.Monitor", "AzureMonitorWindowsAgent", "1.0")),
}
"""The extensions every VM runs, in order: guest attestation (Trusted Launch), then the Azure Monitor Agent."""
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,11}$")
SSH_KEY_TYPES = ("ssh-ed25519", "ssh-rsa")
"""OpenSSH public key types Azure accepts for a Linux VM (RSA of at least 2048 bits, or Ed25519)."""
MIN_RSA_BITS = 2048


def ssh_key_problem(key: str) -> str | None:
    """Why `key` is no OpenSSH public key Azure accepts for a Linux VM (`ssh-ed25519 AAAA... comment`), or None."""
    parts = key.split()
    if len(parts) < 2 or parts[0] not in SSH_KEY_TYPES:
        return f"expected an OpenSSH public key line starting with {' or '.join(SSH_KEY_TYPES)}"
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return "its key part is not base64"
    fields: list[bytes] = []
    at = 0
    while at + 4 <= len(blob) and len(fields) < 3:  # the wire format: length-prefixed type, then the key's numbers
        size = int.from_bytes(blob[at:at + 4], "big")
        fields.append(blob[at + 4:at + 4 + size])
        at += 4 + size
    if not fields or fields[0] != parts[0].encode():
        return f"its key part does not hold a {parts[0]} key"
    if parts[0] == "ssh-rsa" and (len(fields) < 3 or len(fields[2].lstrip(b"\0")) * 8 < MIN_RSA_BITS):
        return f"an RSA key shorter than {MIN_RSA_BITS} bits; Azure refuses it (use ssh-ed25519 or RSA 4096)"
    return None


@dataclass(frozen=True, kw_only=True)
class VirtualMachineArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="its user-assigned identities are identity_ids (the system-assigned one is always on, "
                               "for Entra ID login), and its disks are replaced with the VMs")
    resource_group_name: pulumi.Input[str]
    """The VMs' resource group; the component never creates it."""
    location: str
    """The VMs' region (the spoke's)."""
    name_prefix: str
    """Computer name prefix, 1-12 lower-case letters, digits and hyphens: VMs are `<prefix>-01`, `<prefix>-02`."""
    size: str
    """The VM size, e.g. Standard_E16s_v5 (the migration's sizing)."""
    subnet_id: pulumi.Input[str]
    """The app's spoke subnet; its NSG and route table (egress via the firewall) are the platform's."""
    password_vault: VaultRef
    """Where each Windows VM's generated local administrator password is kept as a secret (Linux VMs have none)."""
    os: str = "linux"
    """linux or windows: decides the default image, the agents and the OS profile."""
    ssh_public_key: str | None = None
    """Linux (required there): the break-glass administrator's OpenSSH public key, `ssh-ed25519 ...` or `ssh-rsa
    ...` of at least 2048 bits; password sign-in is off. Fixed at creation (Azure does not change a VM's keys
    through its model: `az vm user update --ssh-key-value` replaces it). Windows: unset (it has the vault password)."""
    count: int = 1
    """How many like VMs (a rehosted server group); each gets its own NIC and disks (and, on Windows, password)."""
    image: tuple[str, str, str, str] | None = None
    """(publisher, offer, sku, version) of a generation-2 marketplace image; unset: the city's default for `os`."""
    os_disk_gb: int = 128
    """OS disk size in GiB."""
    os_disk_type: str = "Premium_LRS"
    """Premium SSD: an OS disk type (see OS_DISK_TYPES)."""
    data_disks_gb: tuple[int, ...] = ()
    """Empty data disks to attach, by size in GiB (the source server's volumes); none: only the OS disk."""
    data_disk_type: str = "Premium_LRS"
    """The data disks' type; PremiumV2_LRS is allowed here (not for the OS disk)."""
    zones: tuple[str, ...] = ()
    """Availability zones to spread the VMs over, round robin; empty: no zone pinning."""
    identity_ids: tuple[pulumi.Input[str], ...] = ()
    """User-assigned identities the VMs run as besides their own (the app's identity: vault, database access)."""
    backup: VmBackupRef | None
    """The platform's vault and enhanced policy each VM is protected with; None (an explicit opt-out): no backup."""
    data_collection_rule_id: pulumi.Input[str] | None
    """The platform's rule the Azure Monitor Agent reports through; None (an explicit opt-out): the agent runs and
    collects nothing."""
    data_collection_endpoint_id: pulumi.Input[str] | None = None
    """The platform's data collection endpoint (in its AMPLS), associated as the agent's configuration endpoint so it
    talks to Azure Monitor privately; None: the agent uses the public endpoints."""
    admin_username: str = "breakglass"
    """The local administrator's name (break-glass only)."""
    extra_tags: dict[str, str] = field(default_factory=dict)
    """Tags on the VMs only (e.g. the source server they replace)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        problems = {
            "name_prefix": (_NAME.match(self.name_prefix) is None,
                            "expected 1-12 lower-case letters, digits and hyphens starting with a letter"),
            "size": (not re.match(r"^Standard_[A-Za-z0-9_]+$", self.size), "expected an Azure size such as "
                                                                            "Standard_D4s_v5"),
            "os": (self.os not in IMAGES, f"expected one of {', '.join(IMAGES)}"),
            "count": (not 1 <= self.count <= 99, "expected 1 to 99"),
            "os_disk_gb": (not 30 <= self.os_disk_gb <= 4095, "expected 30 to 4095 GiB"),
            "os_disk_type": (self.os_disk_type not in OS_DISK_TYPES,
                             f"cannot be an OS disk; expected one of {', '.join(OS_DISK_TYPES)}"),
            "data_disk_type": (self.data_disk_type not in DATA_DISK_TYPES,
                               f"expected one of {', '.join(DATA_DISK_TYPES)}"),
            "data_disks_gb": (len(self.data_disks_gb) > 16 or any(not 4 <= s <= 32767 for s in self.data_disks_gb),
                              "expected at most 16 sizes of 4 to 32767 GiB"),
            "zones": (any(z not in ("1", "2", "3") for z in self.zones), "expected zones 1, 2 or 3"),
            "admin_username": (self.admin_username.lower() in RESERVED_ADMIN_USERNAMES,
                               "a name Azure rejects or attackers try first; choose another"),
        }
        for key, (wrong, expected) in problems.items():
            if wrong:
                raise InterfaceError(f"VirtualMachineArgs.{key}: {getattr(self, key)!r}; {expected}")
        if self.os == "linux":
            problem = ("unset; a Linux VM signs in with an SSH key only (password sign-in is off): give the "
                       "break-glass key's public half" if not self.ssh_public_key
                       else ssh_key_problem(self.ssh_public_key))
            if problem:
                raise InterfaceError(f"VirtualMachineArgs.ssh_public_key: {problem}")
        elif self.ssh_public_key is not None:
            raise InterfaceError("VirtualMachineArgs.ssh_public_key: a Windows VM signs in with its Key Vault "
                                 "password; leave it unset")
        if self.image is not None and (len(self.image) != 4 or not all(self.image)):
            raise InterfaceError(f"VirtualMachineArgs.image: {self.image!r}; expected (publisher, offer, sku, version)")


class VirtualMachine(WithInterfaces, pulumi.ComponentResource):
    """The VMs; `vm_ids` and `computer_names` in creation order, `principal_ids` their system identities. The
    interfaces (lock, role assignments, metrics) apply to every VM."""

    def __init__(self, name: str, args: VirtualMachineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:compute:VirtualMachine", name, None, opts)
        self.vm_ids: list[pulumi.Output[str]] = []
        self.computer_names: list[str] = []
        self.principal_ids: list[pulumi.Output[str]] = []
        for index in range(1, args.count + 1):
            computer = f"{args.name_prefix}-{index:02d}"
            vm = self._vm(f"{name}-{index:02d}", computer, index, args)
            self.vm_ids.append(vm.id)
            self.computer_names.append(computer)
            self.principal_ids.append(system_principal_id("VirtualMachine", vm.identity))
        self.resource_id = self.vm_ids[0]
        self.register_outputs({"vm_ids": self.vm_ids, "computer_names": self.computer_names})

    def _vm(self, role: str, computer: str, index: int, args: VirtualMachineArgs) -> compute.VirtualMachine:
        tags = {**args.tags, **args.extra_tags}
        child = pulumi.ResourceOptions(parent=self)
        nic = network.NetworkInterface(
            f"{role}-nic", resource_group_name=args.resource_group_name, location=args.location,
            network_interface_name=f"{computer}-nic", enable_accelerated_networking=True, enable_ip_forwarding=False,
            ip_configurations=[network.NetworkInterfaceIPConfigurationArgs(
                name="ipconfig1", primary=True, private_ip_allocation_method="Dynamic",
                subnet=network.SubnetArgs(id=args.subnet_id))],  # no public IP: egress through the hub firewall
            tags=tags, opts=child)
        publisher, offer, sku, version = args.image or IMAGES[args.os]
        password: pulumi.Output[str] | None = None
        if args.os == "windows":
            password = pulumi.Output.secret(generate_password(24))
            os_profile = compute.OSProfileArgs(
                computer_name=computer, admin_username=args.admin_username, admin_password=password,
                windows_configuration=compute.WindowsConfigurationArgs(
                    enable_automatic_updates=True, provision_vm_agent=True, time_zone="W. Europe Standard Time",
                    patch_settings=compute.PatchSettingsArgs(patch_mode="AutomaticByOS")))
            fixed = ["osProfile.adminPassword"]  # a later run's new password is ignored (it is in the vault already)
        else:
            os_profile = compute.OSProfileArgs(
                computer_name=computer, admin_username=args.admin_username,
                linux_configuration=compute.LinuxConfigurationArgs(
                    disable_password_authentication=True, provision_vm_agent=True,
                    ssh=compute.SshConfigurationArgs(public_keys=[compute.SshPublicKeyArgs(
                        path=f"/home/{args.admin_username}/.ssh/authorized_keys", key_data=args.ssh_public_key)]),
                    patch_settings=compute.LinuxPatchSettingsArgs(patch_mode="ImageDefault")))
            fixed = ["osProfile.linuxConfiguration.ssh"]  # a new key goes in with `az vm user update`
        vm = compute.VirtualMachine(
            f"{role}-vm", resource_group_name=args.resource_group_name, location=args.location, vm_name=computer,
            hardware_profile=compute.HardwareProfileArgs(vm_size=args.size),
            identity=compute.VirtualMachineIdentityArgs(
                type=compute.ResourceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED if args.identity_ids
                else compute.ResourceIdentityType.SYSTEM_ASSIGNED,
                user_assigned_identities=list(args.identity_ids) or None),  # azure-native 3.x: a list of ids
            zones=[args.zones[(index - 1) % len(args.zones)]] if args.zones else None,
            network_profile=compute.NetworkProfileArgs(network_interfaces=[compute.NetworkInterfaceReferenceArgs(
                id=nic.id, primary=True, delete_option="Delete")]),
            os_profile=os_profile,
            security_profile=trusted_launch_profile(),
            storage_profile=compute.StorageProfileArgs(
                image_reference=compute.ImageReferenceArgs(publisher=publisher, offer=offer, sku=sku, version=version),
                os_disk=compute.OSDiskArgs(
                    name=f"{computer}-osdisk", create_option="FromImage",
                    caching=compute.CachingTypes.READ_WRITE, delete_option="Delete",
                    disk_size_gb=args.os_disk_gb,
                    managed_disk=compute.ManagedDiskParametersArgs(storage_account_type=args.os_disk_type)),
                data_disks=[compute.DataDiskArgs(
                    lun=lun, name=f"{computer}-data{lun}", create_option="Empty", disk_size_gb=size,
                    caching=compute.CachingTypes.NONE if args.data_disk_type == "PremiumV2_LRS"
                    else compute.CachingTypes.READ_ONLY, delete_option="Detach",
                    managed_disk=compute.ManagedDiskParametersArgs(storage_account_type=args.data_disk_type))
                    for lun, size in enumerate(args.data_disks_gb)] or None),
            diagnostics_profile=compute.DiagnosticsProfileArgs(
                boot_diagnostics=compute.BootDiagnosticsArgs(enabled=True)),  # managed storage, no account
            tags=tags, opts=pulumi.ResourceOptions(parent=self, ignore_changes=fixed))
        self.add_interfaces(role, scope_id=vm.id, args=args, diagnostics=DiagnosticSupport(logs=False))
        if password is not None:
            keep_admin_password(role, computer, args.admin_username, password, args.password_vault, tags, self)
        previous: list[pulumi.Resource] = []
        for kind, publisher_name, extension_type, handler in AGENTS[args.os]:
            # One after the other: Azure refuses a change to a VM while another extension is in progress.
            extension = compute.VirtualMachineExtension(
                f"{role}-{kind}", resource_group_name=args.resource_group_name, location=args.location,
                vm_name=vm.name, vm_extension_name=kind, publisher=publisher_name, type=extension_type,
                type_handler_version=handler, auto_upgrade_minor_version=True, enable_automatic_upgrade=True,
                tags=tags, opts=pulumi.ResourceOptions(parent=vm, depends_on=previous))
            previous = [extension]
        if args.data_collection_endpoint_id is not None:  # Azure Monitor's fixed name for the agent's endpoint
            monitor.DataCollectionRuleAssociation(
                f"{role}-dce", resource_uri=vm.id, association_name="configurationAccessEndpoint",
                data_collection_endpoint_id=args.data_collection_endpoint_id,
                description="Azure Monitor Agent: configuration and ingestion through the platform's private endpoint",
                opts=pulumi.ResourceOptions(parent=vm, depends_on=previous))
        if args.data_collection_rule_id is not None:
            monitor.DataCollectionRuleAssociation(
                f"{role}-dcr", resource_uri=vm.id, association_name=f"{computer}-monitoring",
                data_collection_rule_id=args.data_collection_rule_id,
                description="Azure Monitor Agent: the platform's VM counters and logs",
                opts=pulumi.ResourceOptions(parent=vm, depends_on=previous))
        if args.backup is not None:
            # Azure Backup's names for an Azure VM: container `iaasvmcontainer;iaasvmcontainerv2;<group>;<vm>`, item
            # `vm;iaasvmcontainerv2;<group>;<vm>` (group and VM as Azure has them)
            path = pulumi.Output.concat("iaasvmcontainerv2;", args.resource_group_name, ";", computer)
            recoveryservices.ProtectedItem(
                f"{role}-backup", vault_name=args.backup.vault_name,
                resource_group_name=args.backup.resource_group_name, fabric_name="Azure",
                container_name=pulumi.Output.concat("iaasvmcontainer;", path),
                protected_item_name=pulumi.Output.concat("vm;", path),
                properties=recoveryservices.AzureIaaSComputeVMProtectedItemArgs(
                    protected_item_type="Microsoft.Compute/virtualMachines", source_resource_id=vm.id,
                    policy_id=args.backup.policy_id),
                tags=tags, opts=pulumi.ResourceOptions(parent=vm, provider=args.backup.provider))
        return vm
