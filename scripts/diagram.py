"""Draw a stack's network from its plan (`pulumi stack export` shape): hub, spokes, subnets with their ranges,
peerings, firewall and bastion, all read from the recorded resources, never drawn by hand.

`network_svg(export)` returns the SVG text; `cityctl plan <stack> --diagram FILE.svg` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import drawsvg

from amsterdam_cloud.core.errors import UserError

VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
PEERING = "azure-native:network:VirtualNetworkPeering"
FIREWALL = "azure-native:network:AzureFirewall"
BASTION = "azure-native:network:BastionHost"
STACK = "pulumi:pulumi:Stack"

BOX_WIDTH = 300
ROW_HEIGHT = 24
HEADER_HEIGHT = 46
GAP_X = 40
GAP_Y = 90
MARGIN = 30
TITLE_HEIGHT = 40
FONT = "Segoe UI, Helvetica, Arial, sans-serif"
COLOURS = {"hub": "#dbeafe", "spoke": "#ecfdf5", "border": "#1f2937", "subnet": "#ffffff",
           "special": "#f3f4f6", "firewall": "#fee2e2", "bastion": "#fef3c7", "peering": "#2563eb",
           "muted": "#6b7280"}
_APPLIANCE_SUBNETS = {FIREWALL: "AzureFirewallSubnet", BASTION: "AzureBastionSubnet"}
SPECIAL_SUBNETS = frozenset({"AzureFirewallSubnet", "AzureBastionSubnet", "GatewaySubnet",
                             "AzureFirewallManagementSubnet", "RouteServerSubnet"})


@dataclass
class _Subnet:
    urn: str
    name: str
    cidr: str
    id: str = ""
    appliances: list[str] = field(default_factory=list)


@dataclass
class _Network:
    urn: str
    label: str
    cidrs: list[str]
    id: str = ""
    physical: str = ""
    subnets: list[_Subnet] = field(default_factory=list)
    is_hub: bool = False


def network_svg(export: dict, referenced: tuple[dict, ...] = ()) -> str:
    """The network of one plan or stack export as SVG text; `referenced`: the plans of stacks it references (the
    platform's, whose hub a vended landing zone's spoke peers with), drawn with it."""
    resources = _resources(export) + [r for other in referenced for r in _resources(other)]
    networks = _networks(resources)
    if not networks:
        raise UserError("diagram: the plan has no azure-native:network:VirtualNetwork; nothing to draw")
    peerings = _peerings(resources, networks)
    _place_appliances(resources, networks)
    for net in networks.values():
        net.is_hub = any(subnet.appliances and subnet.name == "AzureFirewallSubnet" for subnet in net.subnets)
    return _draw(_title(resources), networks, peerings)


# ---------------------------------------------------------------------------------------------------------------
# Reading the plan


def _resources(export: dict) -> list[dict[str, Any]]:
    deployment = export.get("deployment") if isinstance(export, dict) else None
    listed = deployment.get("resources") if isinstance(deployment, dict) else None
    if not isinstance(listed, list):
        raise UserError("diagram: expected a `pulumi stack export` document with deployment.resources")
    return [r for r in listed if isinstance(r, dict) and isinstance(r.get("type"), str)]


def _logical_name(resource: dict[str, Any]) -> str:
    return str(resource.get("urn", "")).rsplit("::", 1)[-1]


def _value(resource: dict[str, Any], key: str) -> Any:
    """An input, or the output when the input is not given (a real export holds both)."""
    for part in ("inputs", "outputs"):
        value = (resource.get(part) or {}).get(key)
        if value is not None:
            return value
    return None


def _title(resources: list[dict[str, Any]]) -> str:
    for resource in resources:
        if resource["type"] == STACK:
            stack, project = str(resource["urn"]).split("::")[0:2]
            return f"Network of {project}/{stack.removeprefix('urn:pulumi:')}"
    return "Network"


def _networks(resources: list[dict[str, Any]]) -> dict[str, _Network]:
    networks: dict[str, _Network] = {}
    for resource in resources:
        if resource["type"] != VNET:
            continue
        space = _value(resource, "addressSpace") or {}
        cidrs = [str(c) for c in (space.get("addressPrefixes") or [])] if isinstance(space, dict) else []
        networks[resource["urn"]] = _Network(
            urn=resource["urn"], label=_logical_name(resource), cidrs=cidrs, id=str(resource.get("id") or ""),
            physical=str((resource.get("outputs") or {}).get("name") or _value(resource, "virtualNetworkName") or ""))
    for resource in resources:
        if resource["type"] != SUBNET:
            continue
        owner = _owner(resource, networks, "virtualNetworkName")
        if owner is None:
            continue
        prefixes = _value(resource, "addressPrefixes")
        cidr = _value(resource, "addressPrefix") or (", ".join(prefixes) if isinstance(prefixes, list) else "")
        name = _value(resource, "subnetName") or _value(resource, "name") or _logical_name(resource)
        owner.subnets.append(_Subnet(urn=resource["urn"], name=str(name), cidr=str(cidr),
                                     id=str(resource.get("id") or "")))
    for net in networks.values():
        net.subnets.sort(key=lambda s: _sort_key(s.cidr))
    return networks


def _owner(resource: dict[str, Any], networks: dict[str, _Network], key: str) -> _Network | None:
    """The network a child resource (subnet, peering) belongs to: by dependency, then by id, then by name."""
    for urn in (resource.get("propertyDependencies") or {}).get(key, []):
        if urn in networks:
            return networks[urn]
    own_id = str(resource.get("id") or "").lower()
    for net in networks.values():
        if net.id and own_id.startswith(net.id.lower() + "/"):
            return net
    name = _value(resource, key)
    matches = [net for net in networks.values() if name and net.physical == name]
    return matches[0] if len(matches) == 1 else None


def _network_by_id(value: Any, networks: dict[str, _Network]) -> _Network | None:
    target = str(value.get("id") if isinstance(value, dict) else value or "").lower()
    for net in networks.values():
        if net.id and net.id.lower() == target:
            return net
    return None


def _peerings(resources: list[dict[str, Any]], networks: dict[str, _Network]) -> list[tuple[str, str, int]]:
    """(network urn, network urn, how many directions are declared), one entry per peered pair."""
    pairs: dict[tuple[str, str], int] = {}
    for resource in resources:
        if resource["type"] != PEERING:
            continue
        local = _owner(resource, networks, "virtualNetworkName")
        remote = None
        for urn in (resource.get("propertyDependencies") or {}).get("remoteVirtualNetwork", []):
            remote = networks.get(urn) or remote
        remote = remote or _network_by_id(_value(resource, "remoteVirtualNetwork"), networks)
        if local is None or remote is None:
            continue
        key = tuple(sorted((local.urn, remote.urn)))
        pairs[key] = pairs.get(key, 0) + 1  # type: ignore[index]
    return [(a, b, count) for (a, b), count in pairs.items()]


def _place_appliances(resources: list[dict[str, Any]], networks: dict[str, _Network]) -> None:
    subnets_by_id = {s.id.lower(): s for net in networks.values() for s in net.subnets if s.id}
    subnets_by_urn = {s.urn: s for net in networks.values() for s in net.subnets}
    for resource in resources:
        if resource["type"] not in (FIREWALL, BASTION):
            continue
        kind = "Azure Firewall" if resource["type"] == FIREWALL else "Azure Bastion"
        configurations = (resource.get("outputs") or {}).get("ipConfigurations") or \
            _value(resource, "ipConfigurations") or []
        for configuration in configurations:
            if not isinstance(configuration, dict):
                continue
            subnet_ref = configuration.get("subnet") or {}
            subnet = subnets_by_id.get(str(subnet_ref.get("id", "")).lower()) if isinstance(subnet_ref, dict) \
                else None
            if subnet is None:  # ids unknown in a real preview: fall back on the dependencies
                candidates = [subnets_by_urn[urn] for urn in
                              (resource.get("propertyDependencies") or {}).get("ipConfigurations", [])
                              if urn in subnets_by_urn]
                named = [c for c in candidates if c.name == _APPLIANCE_SUBNETS[resource["type"]]]
                subnet = named[0] if named else (candidates[0] if len(candidates) == 1 else None)
            if subnet is None:
                continue
            address = configuration.get("privateIPAddress")
            label = f"{kind} {address}" if isinstance(address, str) and address.count(".") == 3 else kind
            subnet.appliances.append(label)
            break


def _sort_key(cidr: str) -> tuple[int, ...]:
    try:
        address, _, length = cidr.split(",")[0].strip().partition("/")
        return tuple(int(part) for part in address.split(".")) + (int(length or 0),)
    except ValueError:
        return (999,)


# ---------------------------------------------------------------------------------------------------------------
# Drawing


def _box_height(net: _Network) -> int:
    rows = sum(1 + bool(subnet.appliances) for subnet in net.subnets)
    return HEADER_HEIGHT + max(rows, 1) * ROW_HEIGHT + 10


def _draw(title: str, networks: dict[str, _Network], peerings: list[tuple[str, str, int]]) -> str:
    hubs = [net for net in networks.values() if net.is_hub]
    others = sorted((net for net in networks.values() if not net.is_hub),
                    key=lambda net: _sort_key(",".join(net.cidrs)))
    rows: list[list[_Network]] = [hubs, others] if hubs else [others]
    rows = [row for row in rows if row]
    widest = max(len(row) for row in rows)
    width = 2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X
    heights = [max(_box_height(net) for net in row) for row in rows]
    height = 2 * MARGIN + TITLE_HEIGHT + sum(heights) + GAP_Y * (len(rows) - 1) + 30

    drawing = drawsvg.Drawing(width, height, font_family=FONT)
    drawing.append(drawsvg.Rectangle(0, 0, width, height, fill="#ffffff"))
    drawing.append(drawsvg.Text(title, 18, MARGIN, MARGIN + 14, font_weight="bold", fill=COLOURS["border"]))

    positions: dict[str, tuple[float, float, float]] = {}  # urn -> (x, y, height)
    y = MARGIN + TITLE_HEIGHT
    for row, row_height in zip(rows, heights):
        row_width = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
        x = (width - row_width) / 2
        for net in row:
            positions[net.urn] = (x, y, _box_height(net))
            x += BOX_WIDTH + GAP_X
        y += row_height + GAP_Y

    for a, b, count in peerings:  # lines first, so boxes sit on top of them
        (ax, ay, ah), (bx, by, bh) = positions[a], positions[b]
        top, bottom = ((ax, ay, ah), (bx, by, bh)) if ay <= by else ((bx, by, bh), (ax, ay, ah))
        x1, y1 = top[0] + BOX_WIDTH / 2, top[1] + top[2]
        x2, y2 = bottom[0] + BOX_WIDTH / 2, bottom[1]
        if y1 >= y2:  # side by side
            x1, y1, x2, y2 = ax + BOX_WIDTH, ay + HEADER_HEIGHT / 2, bx, by + HEADER_HEIGHT / 2
        drawing.append(drawsvg.Line(x1, y1, x2, y2, stroke=COLOURS["peering"], stroke_width=2,
                                    stroke_dasharray=None if count >= 2 else "6,4"))
        label = "peering" if count >= 2 else "peering (one way)"
        drawing.append(drawsvg.Text(label, 11, (x1 + x2) / 2 + 6, (y1 + y2) / 2, fill=COLOURS["peering"]))

    for net in networks.values():
        x, y, box_height = positions[net.urn]
        _draw_network(drawing, net, x, y, box_height)

    legend_y = height - MARGIN + 6
    drawing.append(drawsvg.Text(f"{len(networks)} networks, {sum(len(n.subnets) for n in networks.values())} "
                                f"subnets, {len(peerings)} peered pairs; generated from the plan's recorded resources",
                                11, MARGIN, legend_y, fill=COLOURS["muted"]))
    return drawing.as_svg()


def _draw_network(drawing: drawsvg.Drawing, net: _Network, x: float, y: float, box_height: float) -> None:
    drawing.append(drawsvg.Rectangle(x, y, BOX_WIDTH, box_height, rx=8, ry=8,
                                     fill=COLOURS["hub" if net.is_hub else "spoke"], stroke=COLOURS["border"]))
    kind = "hub" if net.is_hub else "virtual network"
    drawing.append(drawsvg.Text(net.label, 14, x + 12, y + 20, font_weight="bold", fill=COLOURS["border"]))
    drawing.append(drawsvg.Text(f"{kind} · {', '.join(net.cidrs) or 'range unknown'}", 12, x + 12, y + 37,
                                fill=COLOURS["muted"]))
    row_y = y + HEADER_HEIGHT
    for subnet in net.subnets:
        fill = COLOURS["special"] if subnet.name in SPECIAL_SUBNETS else COLOURS["subnet"]
        drawing.append(drawsvg.Rectangle(x + 10, row_y, BOX_WIDTH - 20, ROW_HEIGHT - 4, rx=3, ry=3, fill=fill,
                                         stroke=COLOURS["muted"], stroke_width=0.8))
        drawing.append(drawsvg.Text(subnet.name, 12, x + 18, row_y + 15, fill=COLOURS["border"]))
        drawing.append(drawsvg.Text(subnet.cidr, 12, x + BOX_WIDTH - 18, row_y + 15, text_anchor="end",
                                    fill=COLOURS["border"], font_family="monospace"))
        row_y += ROW_HEIGHT
        for appliance in subnet.appliances:
            colour = COLOURS["firewall" if appliance.startswith("Azure Firewall") else "bastion"]
            drawing.append(drawsvg.Rectangle(x + 30, row_y, BOX_WIDTH - 60, ROW_HEIGHT - 4, rx=10, ry=10,
                                             fill=colour, stroke=COLOURS["border"], stroke_width=0.8))
            drawing.append(drawsvg.Text(appliance, 12, x + BOX_WIDTH / 2, row_y + 15, text_anchor="middle",
                                        fill=COLOURS["border"]))
            row_y += ROW_HEIGHT

