"""Session hosts: Windows VMs that join Entra ID, mount FSLogix profiles and register with a host pool.

Secure by default: Trusted Launch (secure boot, vTPM, guest attestation), encryption at host, no public IP (one
private NIC in the workplace subnet, egress through the hub firewall), Entra ID join (no domain, no line of sight to
domain controllers), Intune enrolment. The local administrator exists only because Windows demands one: its
password is generated here, never in config or in a pipeline variable, and kept as a Key Vault secret per host
(break-glass; Windows LAPS through Intune rotates it after enrolment). The password is fixed at a host's creation:
later deployments neither change it on the VM nor in the vault.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

import pulumi
from pulumi_azure_native import compute, monitor, network

from amsterdam_cloud.components.compute.baseline import RESERVED_ADMIN_USERNAMES, VaultRef, keep_admin_password, \
    trusted_launch_profile
from amsterdam_cloud.components.credentials import generate_password
from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, ManagedIdentities, \
    WithInterfaces, supports, system_principal_id
from amsterdam_cloud.core import naming

IMAGE_VERSION_TAG = "avd-image-version"
"""The tag on every host naming the image version its set was built from."""
AVD_AGENT_CONFIGURATION_URL = ("https://wvdportalstorageblob.blob.core.windows.net/galleryartifacts/"
                               "Configuration_1.0.02990.697.zip")
"""Microsoft's DSC package that installs the AVD agent and boot loader and registers the host (as the portal and
the AVD landing zone accelerator use it); bump it when Microsoft publishes a new one."""
INTUNE_MDM_ID = "0000000a-0000-0000-c000-000000000000"
"""The Entra ID application id of Microsoft Intune: Entra join enrols the host in Intune with it."""
HOST_SET_TAG_LENGTH = 3
"""Characters of a computer name that name the host set (`host_set_tag`)."""
MAX_NAME_PREFIX = 15 - 1 - HOST_SET_TAG_LENGTH - 3
"""Windows computer names have at most 15 characters: the prefix, a hyphen, the host set's tag and three digits."""
IMAGE_VERSION = re.compile(r"^[0-9]{1,10}\.[0-9]{1,10}\.[0-9]{1,10}$")
"""A gallery image version (and a pinned marketplace one): Major.Minor.Patch, each a 32-bit integer."""
_GALLERY_IMAGE = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Compute/galleries/"
                            r"[^/]+/images/[^/]+$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class SessionHostImage:
    """The image a host set is built from: a version of an Azure Compute Gallery image definition (the city's
    golden image), or a marketplace image (dev's documented default). Its version names the host set."""

    version: str = "latest"
    """The image version, `Major.Minor.Patch` (a gallery's, or a pinned marketplace version); `latest` only for a
    marketplace image (what Azure has when a host is created; pin one to roll hosts to a new image)."""
    gallery_image_definition_id: pulumi.Input[str] | None = None
    """The gallery image definition (`ImageGallery`); hosts use `<definition>/versions/<version>`. Unset: the
    marketplace image."""
    publisher: str | None = None
    """Marketplace publisher, e.g. MicrosoftWindowsDesktop; unset with a gallery definition."""
    offer: str | None = None
    """Marketplace offer, e.g. office-365 (Windows 11 multi-session with Microsoft 365 Apps)."""
    sku: str | None = None
    """Marketplace SKU, e.g. win11-24h2-avd-m365; must be a generation 2 image (Trusted Launch)."""

    def __post_init__(self) -> None:
        marketplace = (self.publisher, self.offer, self.sku)
        if self.gallery_image_definition_id is not None:
            if any(marketplace):
                raise InterfaceError("SessionHostImage: set gallery_image_definition_id or publisher/offer/sku, "
                                     "not both")
            definition = self.gallery_image_definition_id
            if isinstance(definition, str) and not _GALLERY_IMAGE.match(definition):
                raise InterfaceError(f"SessionHostImage.gallery_image_definition_id: {definition!r} is not an Azure "
                                     "Compute Gallery image definition id (.../galleries/<gallery>/images/<image>)")
            if not IMAGE_VERSION.fullmatch(self.version):
                raise InterfaceError(f"SessionHostImage.version: {self.version!r}; a gallery image version is "
                                     "Major.Minor.Patch such as 2026.11.0")
        elif not all(marketplace):
            raise InterfaceError("SessionHostImage: publisher, offer and sku are all needed for a marketplace image "
                                 "(or set gallery_image_definition_id)")
        elif self.version != "latest" and not IMAGE_VERSION.fullmatch(self.version):
            raise InterfaceError(f"SessionHostImage.version: {self.version!r}; expected latest or a marketplace "
                                 "version such as 26100.2894.241201")

    def as_reference(self) -> compute.ImageReferenceArgs:
        if self.gallery_image_definition_id is not None:
            return compute.ImageReferenceArgs(id=pulumi.Output.concat(self.gallery_image_definition_id,
                                                                      "/versions/", self.version))
        return compute.ImageReferenceArgs(publisher=self.publisher, offer=self.offer, sku=self.sku,
                                          version=self.version)


def host_sets_clash(current: str, previous: str) -> str | None:
    """Why host sets of these two image versions cannot stand side by side; None: they can."""
    if current == previous:
        return f"version {current} is the current version; a rolling replacement needs a new version"
    if host_set_tag(current) == host_set_tag(previous):
        return (f"versions {current} and {previous} give the same host name tag {host_set_tag(current)!r}; publish "
                "the new image under another version")
    return None


def host_set_tag(version: str) -> str:
    """Three letters and digits that stand for an image version in computer names (15 characters leave no room
    for the version itself): hosts of a set built from another version never reuse a name."""
    number = int.from_bytes(hashlib.sha256(version.encode()).digest()[:8], "big")
    tag = ""
    for _ in range(HOST_SET_TAG_LENGTH):
        number, digit = divmod(number, 36)
        tag += "0123456789abcdefghijklmnopqrstuvwxyz"[digit]
    return tag


@dataclass(frozen=True, kw_only=True)
class SessionHostsArgs(CommonArgs):
    SUPPORTS = supports("role_assignments", "diagnostic_settings", "managed_identities",
                        reason="hosts are cattle, replaced by an image update: never locked, and their disks are not "
                               "state to protect")
    """`managed_identities`: the user-assigned ones are added; the system-assigned identity is always on (Entra ID
    join and login need it)."""
    resource_group_name: pulumi.Input[str]
    """The hosts' resource group; the component never creates it."""
    location: str
    """The hosts' region (the workplace spoke's)."""
    count: int
    """How many hosts (from the sizing formula); 0: the pool has no hosts yet."""
    vm_size: str
    """The VM size (from the sizing formula), e.g. Standard_D8s_v5."""
    subnet_id: pulumi.Input[str]
    """The workplace spoke's host subnet; its NSG and route table (egress via the firewall) are the platform's."""
    image: SessionHostImage
    """The image the hosts are built from; its version names the set."""
    name_prefix: str
    """Computer name prefix, at most 8 characters: hosts are `<prefix>-<tag>001`, `<prefix>-<tag>002`, ... where
    `<tag>` stands for the image version (`host_set_tag`)."""
    host_pool_name: pulumi.Input[str]
    """The host pool the hosts register with."""
    registration_token: pulumi.Input[str] | None
    """The pool's registration token (secret); None: hosts are built but do not register. A host uses it once,
    when it is created: its AVD agent extension ignores later changes (`ignoreChanges: protectedSettings`), so a
    renewed token never reruns the agent on hosts already registered."""
    password_vault: VaultRef
    """Where each host's generated local administrator password is kept as a secret."""
    profile_unc_path: pulumi.Input[str] | None = None
    """FSLogix VHDLocations (\\\\account.file.core.windows.net\\profiles); None: FSLogix stays unconfigured."""
    zones: tuple[str, ...] = ()
    """Availability zones to spread the hosts over, round robin; empty: no zone pinning."""
    admin_username: str = "avd-breakglass"
    """The local administrator's name (break-glass only; users sign in with Entra ID)."""
    os_disk_type: str = "Premium_LRS"
    """Premium SSD: profile attach and sign-in are disk bound."""
    intune_enrollment: bool = True
    """On: Entra join enrols the hosts in Intune (the city manages Windows through Intune); off: Entra join only."""
    license_type: str = "Windows_Client"
    """Windows_Client: the city's Microsoft 365 E3/E5 licences cover Windows on AVD (no Windows licence charge)."""
    agent_configuration_url: str = AVD_AGENT_CONFIGURATION_URL
    """Microsoft's DSC package that installs the AVD agent and registers the host."""
    profile_size_gib: int = 30
    """The largest an FSLogix profile container may grow, per user."""
    data_collection_rule_id: pulumi.Input[str] | None = None
    """The AVD Insights data collection rule (`HostInsights`): each host runs the Azure Monitor Agent and reports
    to it; None: the hosts report nothing beyond platform metrics."""
    data_collection_endpoint_id: pulumi.Input[str] | None = None
    """None: the agents fetch their rules publicly; the platform's data collection endpoint (in its AMPLS): each host
    is associated with it (`configurationAccessEndpoint`), so rules arrive privately too."""

    def __post_init__(self) -> None:
        super().__post_init__()
        prefix = self.name_prefix
        if not prefix[:1].isalpha() or len(prefix) > MAX_NAME_PREFIX \
                or naming.WINDOWS_COMPUTER_NAME.problem(f"{prefix}-{host_set_tag(self.image.version)}999") is not None:
            raise InterfaceError(f"SessionHostsArgs.name_prefix: {prefix!r}; expected 1-{MAX_NAME_PREFIX} letters, "
                                 "digits and hyphens starting with a letter: computer names are `<prefix>-<tag>001` "
                                 f"and Windows allows {naming.WINDOWS_COMPUTER_NAME.describe()}")
        if not 0 <= self.count <= 999:
            raise InterfaceError(f"SessionHostsArgs.count: {self.count}; expected 0 to 999")
        if not self.vm_size.startswith("Standard_"):
            raise InterfaceError(f"SessionHostsArgs.vm_size: {self.vm_size!r}; expected an Azure size such as "
                                 "Standard_D8s_v5")
        for zone in self.zones:
            if zone not in ("1", "2", "3"):
                raise InterfaceError(f"SessionHostsArgs.zones: {zone!r}; expected 1, 2 or 3")
        if self.admin_username.lower() in RESERVED_ADMIN_USERNAMES:
            raise InterfaceError(f"SessionHostsArgs.admin_username: {self.admin_username!r} is a name Azure rejects "
                                 "or attackers try first; choose another")
        if self.os_disk_type not in ("Premium_LRS", "Premium_ZRS", "StandardSSD_LRS", "StandardSSD_ZRS"):
            raise InterfaceError(f"SessionHostsArgs.os_disk_type: {self.os_disk_type!r}; expected a Premium or "
                                 "StandardSSD type")


def fslogix_command(unc_path: str, profile_size_gib: int) -> str:
    """The PowerShell that points FSLogix at the share and lets Entra-joined hosts fetch Kerberos tickets for it."""
    settings = [
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "Enabled", "DWord", "1"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "VHDLocations", "MultiString", f"'{unc_path}'"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "VolumeType", "String", "'VHDX'"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "SizeInMBs", "DWord", str(profile_size_gib * 1024)),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "IsDynamic", "DWord", "1"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "FlipFlopProfileDirectoryName", "DWord", "1"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "DeleteLocalProfileWhenVHDShouldApply", "DWord", "1"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "PreventLoginWithFailure", "DWord", "1"),
        ("HKLM:\\SOFTWARE\\FSLogix\\Profiles", "PreventLoginWithTempProfile", "DWord", "1"),
        ("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\Kerberos\\Parameters",
         "CloudKerberosTicketRetrievalEnabled", "DWord", "1"),
        ("HKLM:\\SOFTWARE\\Policies\\Microsoft\\AzureADAccount", "LoadCredKeyFromProfile", "DWord", "1"),
    ]
    lines = [f"New-Item -Path '{path}' -Force | Out-Null; "
             f"New-ItemProperty -Path '{path}' -Name {name} -PropertyType {kind} -Value {value} -Force | Out-Null"
             for path, name, kind, value in settings]
    return "powershell -ExecutionPolicy Bypass -NoProfile -Command \"" + "; ".join(lines) + "\""


class SessionHosts(WithInterfaces, pulumi.ComponentResource):
    """The hosts; `vm_ids` and `computer_names` in creation order, `principal_ids` their system identities. A set of
    hosts has no one main resource: the interfaces (lock, role assignments, metrics) apply to every host."""

    def __init__(self, name: str, args: SessionHostsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:SessionHosts", name, None, opts)
        tags = dict(args.tags)
        self.vm_ids: list[pulumi.Output[str]] = []
        self.computer_names: list[str] = []
        self.principal_ids: list[pulumi.Output[str]] = []
        self.image_version = args.image.version
        tag = host_set_tag(args.image.version)
        for index in range(1, args.count + 1):
            computer = f"{args.name_prefix}-{tag}{index:03d}"
            vm = self._host(name, computer, index, args, tags)
            self.vm_ids.append(vm.id)
            self.computer_names.append(computer)
            self.principal_ids.append(system_principal_id("SessionHosts", vm.identity))
        self.register_outputs({"vm_ids": self.vm_ids, "computer_names": self.computer_names,
                               "image_version": self.image_version})

    def _host(self, name: str, computer: str, index: int, args: SessionHostsArgs,
              tags: dict[str, str]) -> compute.VirtualMachine:
        role = f"{name}-{index:03d}"
        nic = network.NetworkInterface(
            f"{role}-nic", resource_group_name=args.resource_group_name, location=args.location,
            network_interface_name=f"{computer}-nic", enable_accelerated_networking=True,
            enable_ip_forwarding=False,
            ip_configurations=[network.NetworkInterfaceIPConfigurationArgs(
                name="ipconfig1", primary=True, private_ip_allocation_method="Dynamic",
                subnet=network.SubnetArgs(id=args.subnet_id))],
            tags=tags, opts=pulumi.ResourceOptions(parent=self))
        password = pulumi.Output.secret(generate_password(24))
        # always system-assigned (Entra ID join and login need it), plus the user-assigned ones given
        identities = replace(args.managed_identities or ManagedIdentities(), system_assigned=True)
        vm = compute.VirtualMachine(
            f"{role}-vm", resource_group_name=args.resource_group_name, location=args.location, vm_name=computer,
            hardware_profile=compute.HardwareProfileArgs(vm_size=args.vm_size),
            identity=compute.VirtualMachineIdentityArgs(
                type=compute.ResourceIdentityType(identities.type), user_assigned_identities=list(identities.user_assigned_resource_ids) or None),
            license_type=args.license_type,
            zones=[args.zones[(index - 1) % len(args.zones)]] if args.zones else None,
            network_profile=compute.NetworkProfileArgs(network_interfaces=[compute.NetworkInterfaceReferenceArgs(
                id=nic.id, primary=True, delete_option="Delete")]),
            os_profile=compute.OSProfileArgs(
                computer_name=computer, admin_username=args.admin_username, admin_password=password,
                windows_configuration=compute.WindowsConfigurationArgs(
                    enable_automatic_updates=True, provision_vm_agent=True, time_zone="W. Europe Standard Time",
                    patch_settings=compute.PatchSettingsArgs(patch_mode="AutomaticByOS"))),
            security_profile=trusted_launch_profile(),
            storage_profile=compute.StorageProfileArgs(
                image_reference=args.image.as_reference(),
                os_disk=compute.OSDiskArgs(
                    name=f"{computer}-osdisk", create_option="FromImage", caching=compute.CachingTypes.READ_WRITE,
                    delete_option="Delete",
                    managed_disk=compute.ManagedDiskParametersArgs(storage_account_type=args.os_disk_type))),
            diagnostics_profile=compute.DiagnosticsProfileArgs(
                boot_diagnostics=compute.BootDiagnosticsArgs(enabled=True)),  # managed storage, no account
            tags={**tags, IMAGE_VERSION_TAG: args.image.version},
            # The password is fixed at creation; a later run's new one is ignored (it is in the vault already).
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["osProfile.adminPassword"]))
        self.add_interfaces(role, scope_id=vm.id, args=args, diagnostics=DiagnosticSupport(logs=False))
        # Kept in the vault when the host is retired (an image update deletes hosts routinely): Pulumi forgets it
        # rather than deleting a secret, and the deploy gate sees no data loss in the retirement.
        keep_admin_password(role, computer, args.admin_username, password, args.password_vault, tags, self,
                            retain_on_delete=True)

        vm_child = pulumi.ResourceOptions(parent=vm)
        extension = self._extension
        attestation = extension(role, "attestation", vm, args, tags, vm_child,
                                publisher="Microsoft.Azure.Security.WindowsAttestation", type="GuestAttestation",
                                type_handler_version="1.0", enable_automatic_upgrade=True)
        entra = extension(role, "entra-join", vm, args, tags, vm_child.merge(pulumi.ResourceOptions(
            depends_on=[attestation])), publisher="Microsoft.Azure.ActiveDirectory", type="AADLoginForWindows",
            type_handler_version="2.0", settings={"mdmId": INTUNE_MDM_ID} if args.intune_enrollment else None)
        previous: pulumi.Resource = entra
        if args.data_collection_rule_id is not None:
            # Extensions one after the other: Azure refuses a change to a VM while another is in progress.
            agent = extension(role, "monitor-agent", vm, args, tags, vm_child.merge(pulumi.ResourceOptions(
                depends_on=[previous])), publisher="Microsoft.Azure.Monitor", type="AzureMonitorWindowsAgent",
                type_handler_version="1.0", enable_automatic_upgrade=True)
            monitor.DataCollectionRuleAssociation(
                f"{role}-insights", resource_uri=vm.id, association_name=f"{computer}-avd-insights",
                data_collection_rule_id=args.data_collection_rule_id,
                description="AVD Insights: counters and events to the central workspace",
                opts=pulumi.ResourceOptions(parent=vm, depends_on=[agent]))
            if args.data_collection_endpoint_id is not None:
                monitor.DataCollectionRuleAssociation(
                    f"{role}-insights-endpoint", resource_uri=vm.id, association_name="configurationAccessEndpoint",
                    data_collection_endpoint_id=args.data_collection_endpoint_id,
                    description="The agent fetches its rules through the platform's AMPLS",
                    opts=pulumi.ResourceOptions(parent=vm, depends_on=[agent]))
            previous = agent
        if args.profile_unc_path is not None:
            command = pulumi.Output.from_input(args.profile_unc_path).apply(
                lambda unc: fslogix_command(unc, args.profile_size_gib))
            previous = extension(role, "fslogix", vm, args, tags, vm_child.merge(pulumi.ResourceOptions(
                depends_on=[previous])), publisher="Microsoft.Compute", type="CustomScriptExtension",
                type_handler_version="1.10", settings={"commandToExecute": command})
        if args.registration_token is not None:
            extension(role, "avd-agent", vm, args, tags, vm_child.merge(pulumi.ResourceOptions(
                depends_on=[previous])), publisher="Microsoft.Powershell", type="DSC", type_handler_version="2.83",
                settings={
                    "modulesUrl": args.agent_configuration_url,
                    "configurationFunction": "Configuration.ps1\\AddSessionHost",
                    "properties": {
                        "hostPoolName": args.host_pool_name,
                        "registrationInfoTokenCredential": {
                            "UserName": "PLACEHOLDER_DO_NOT_USE",
                            "Password": "PrivateSettingsRef:RegistrationInfoToken"},
                        "aadJoin": True,
                        "UseAgentDownloadEndpoint": True,
                        "mdmId": INTUNE_MDM_ID if args.intune_enrollment else "",
                    }},
                protected_settings=pulumi.Output.secret({"Items": {"RegistrationInfoToken":
                                                                   args.registration_token}}),
                ignore_changes=["protectedSettings"])
        return vm

    @staticmethod
    def _extension(role: str, kind: str, vm: compute.VirtualMachine, args: SessionHostsArgs, tags: dict[str, str],
                   opts: pulumi.ResourceOptions, ignore_changes: list[str] | None = None,
                   **properties) -> compute.VirtualMachineExtension:
        return compute.VirtualMachineExtension(
            f"{role}-{kind}", resource_group_name=args.resource_group_name, location=args.location,
            vm_name=vm.name, vm_extension_name=kind, auto_upgrade_minor_version=True, tags=tags,
            opts=opts.merge(pulumi.ResourceOptions(ignore_changes=ignore_changes)) if ignore_changes else opts,
            **properties)
