"""Azure Bastion in the hub: administrators reach machines in the spokes without public IPs or open RDP/SSH."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   create_diagnostic_settings, supports)

SKUS = ("Basic", "Standard", "Premium")


@dataclass(frozen=True, kw_only=True)
class BastionArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="a bastion has no private endpoint, needs no identity and holds no state")
    resource_group_name: pulumi.Input[str]
    """The resource group of the bastion and its public IP."""
    location: str
    """The bastion's region."""
    subnet_id: pulumi.Input[str]
    """The hub's AzureBastionSubnet (with its documented NSG); the component never creates it."""
    sku: str = "Standard"
    """Standard: native-client support and scale units; Basic lacks both, Premium adds session recording."""
    scale_units: int = 2
    """Concurrent-session capacity (2 to 50 on Standard)."""
    zone_redundant: bool = False
    """Off: one zone; on: the bastion and its public IP span zones 1-3."""
    native_client: bool = False
    """Off: sessions only through the portal; on: `az network bastion ssh/rdp` from admins' machines (tunneling)."""
    file_copy: bool = False
    """Off: no file transfer through sessions (data stays inside); on: upload and download allowed."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.sku not in SKUS:
            raise InterfaceError(f"BastionArgs.sku: {self.sku!r}; expected one of {', '.join(SKUS)}")
        if not 2 <= self.scale_units <= 50:
            raise InterfaceError(f"BastionArgs.scale_units: {self.scale_units}; expected 2 to 50")


class Bastion(WithInterfaces, pulumi.ComponentResource):
    def __init__(self, name: str, args: BastionArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Bastion", name, None, opts)
        tags = dict(args.tags)
        zones = ["1", "2", "3"] if args.zone_redundant else None
        public_ip = network.PublicIPAddress(
            f"{name}-pip", resource_group_name=args.resource_group_name, location=args.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static", public_ip_address_version="IPv4", zones=zones,
            tags=tags, opts=pulumi.ResourceOptions(parent=self))
        bastion = network.BastionHost(
            f"{name}-host", resource_group_name=args.resource_group_name, location=args.location,
            sku=network.SkuArgs(name=args.sku), scale_units=args.scale_units if args.sku != "Basic" else None,
            ip_configurations=[network.BastionHostIPConfigurationArgs(
                name="ipconfig", subnet=network.SubResourceArgs(id=args.subnet_id),
                public_ip_address=network.SubResourceArgs(id=public_ip.id))],
            enable_tunneling=args.native_client, enable_file_copy=args.file_copy, enable_shareable_link=False,
            enable_ip_connect=False, disable_copy_paste=False, zones=zones, tags=tags,
            opts=pulumi.ResourceOptions(parent=self))
        self.add_interfaces(name, scope_id=bastion.id, args=args, diagnostics=DiagnosticSupport())
        create_diagnostic_settings(f"{name}-pip", resource_uri=public_ip.id, settings=args.diagnostic_settings,
                                   support=DiagnosticSupport(), parent=self)
        self.resource_id, self.name = bastion.id, bastion.name
        self.public_ip_id = public_ip.id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})
