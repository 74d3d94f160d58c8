"""Private DNS zones for the private-link services the city uses, linked to the hub network.

Spokes resolve through the hub firewall's DNS proxy, which asks Azure DNS in the hub, where these zones are
linked: one set of zones per environment serves every spoke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import privatedns

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, InterfaceError, WithInterfaces, supports

_ZONE = re.compile(r"^privatelink\.[a-z0-9.-]+\.[a-z]{2,}$")


@dataclass(frozen=True, kw_only=True)
class PrivateDnsZonesArgs(CommonArgs):
    SUPPORTS = supports("role_assignments",
                        reason="zones have no diagnostic settings, private endpoints, identity or state",
                        lock="a CanNotDelete lock on a zone blocks the record clean-up Azure does when a private "
                             "endpoint is removed")
    resource_group_name: pulumi.Input[str]
    """The resource group of the zones."""
    zones: tuple[str, ...]
    """The zone names (`privatelink.*`)."""
    virtual_network_ids: tuple[pulumi.Input[str], ...]
    """Networks every zone is linked to (the hub); resolution only, no auto-registration."""

    def __post_init__(self) -> None:
        super().__post_init__()
        for zone in self.zones:
            if not _ZONE.match(zone):
                raise InterfaceError(f"PrivateDnsZonesArgs.zones: {zone!r} is not a private-link zone name; "
                                     "expected e.g. privatelink.vaultcore.azure.net")
        if len(set(self.zones)) != len(self.zones):
            raise InterfaceError("PrivateDnsZonesArgs.zones: a zone is listed twice")


class PrivateDnsZones(WithInterfaces, pulumi.ComponentResource):
    """The zones and their links; `zone_ids` maps each zone name to its id (what private endpoints point at)."""

    def __init__(self, name: str, args: PrivateDnsZonesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:PrivateDnsZones", name, None, opts)
        tags = dict(args.tags)
        self.zone_ids: dict[str, pulumi.Output[str]] = {}
        for zone_name in args.zones:
            role = _role(zone_name)
            zone = privatedns.PrivateZone(
                f"{name}-{role}", resource_group_name=args.resource_group_name, private_zone_name=zone_name,
                location="global", tags=tags, opts=pulumi.ResourceOptions(parent=self))
            for index, network_id in enumerate(args.virtual_network_ids):
                privatedns.VirtualNetworkLink(
                    f"{name}-{role}-link-{index}", resource_group_name=args.resource_group_name,
                    private_zone_name=zone.name, location="global", registration_enabled=False,
                    virtual_network=privatedns.SubResourceArgs(id=network_id), tags=tags,
                    opts=pulumi.ResourceOptions(parent=zone))
            self.add_interfaces(f"{name}-{role}", scope_id=zone.id,
                                args=CommonArgs(tags=args.tags, role_assignments=args.role_assignments),
                                diagnostics=NO_DIAGNOSTICS)
            self.zone_ids[zone_name] = zone.id
        first = next(iter(self.zone_ids.values()), None)
        self.resource_id = first if first is not None else pulumi.Output.from_input("")
        """The first zone's id (a set of zones has no one id; use `zone_ids`)."""
        self.name = pulumi.Output.from_input(name)
        self.register_outputs({"zone_ids": self.zone_ids})


def _role(zone_name: str) -> str:
    """`privatelink.blob.core.windows.net` is named `blob-core-windows-net` in logical names."""
    return zone_name.removeprefix("privatelink.").replace(".", "-")
