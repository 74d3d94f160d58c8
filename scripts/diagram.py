"""Draw a stack's network from its plan (`pulumi stack export` shape): hub, spokes, subnets with their ranges,
peerings, firewall and bastion, gateways, the DNS resolver's endpoints, the CI agents, the private-link zones and
forwarding ruleset linked to each network, the connectivity hub an environment peers with (another stack's, drawn
from the peering), and the east-west flows the firewall allows; all read from the recorded resources, never drawn
by hand.

`network_svg(export)` returns the SVG text; `cityctl plan <stack> --diagram FILE.svg` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import drawsvg

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.export_format import ROOT_STACK_TYPE

VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
PEERING = "azure-native:network:VirtualNetworkPeering"
FIREWALL = "azure-native:network:AzureFirewall"
BASTION = "azure-native:network:BastionHost"
STACK = ROOT_STACK_TYPE
GATEWAY = "azure-native:network:VirtualNetworkGateway"
CONNECTION = "azure-native:network:VirtualNetworkGatewayConnection"
RESOLVER_IN = "azure-native:dnsresolver:InboundEndpoint"
RESOLVER_OUT = "azure-native:dnsresolver:OutboundEndpoint"
POOL = "azure-native:devopsinfrastructure:Pool"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
RULESET_LINK = "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink"
RULE_GROUP = "azure-native:network:FirewallPolicyRuleCollectionGroup"
EAST_WEST_GROUP = "east-west"

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
           "muted": "#6b7280", "gateway": "#ede9fe", "dns": "#e0f2fe", "agents": "#fce7f3", "external": "#f1f5f9",
           "east-west": "#b45309"}
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
    notes: list[str] = field(default_factory=list)
    """What is attached to the network as a whole: linked private-link zones, the forwarding ruleset."""
    external: bool = False
    """Another stack's network (the connectivity hub), known here only from a peering."""


def network_svg(export: dict, referenced: tuple[dict, ...] = ()) -> str:
    """The network of one plan or stack export as SVG text; `referenced`: the plans of stacks it references (the
    platform's, whose hub a vended landing zone's spoke peers with), drawn with it."""
    resources = _resources(export) + [r for other in referenced for r in _resources(other)]
    networks = _networks(resources)
    if not networks:
        raise UserError("diagram: the plan has no azure-native:network:VirtualNetwork; nothing to draw")
    peerings = _peerings(resources, networks)
    _place_appliances(resources, networks)
    _place_endpoints(resources, networks)
    _notes(resources, networks)
    for net in networks.values():
        net.is_hub = net.external or any(subnet.appliances and subnet.name == "AzureFirewallSubnet"
                                         for subnet in net.subnets)
    return _draw(_title(resources), networks, peerings, _east_west(resources, networks))


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
    for resource in resources:  # first every network of another stack that a peering names
        if resource["type"] == PEERING and _network_by_id(_value(resource, "remoteVirtualNetwork"), networks) is None \
                and _owner(resource, networks, "virtualNetworkName") is not None:
            _external(_value(resource, "remoteVirtualNetwork"), networks)
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
        note = "gateway transit: its VPN/ExpressRoute gateway"
        if remote.external and _value(resource, "useRemoteGateways") and note not in remote.notes:
            remote.notes.append(note)
        first, second = sorted((local.urn, remote.urn))
        pairs[first, second] = pairs.get((first, second), 0) + 1
    return [(a, b, count) for (a, b), count in pairs.items()]


def _external(value: Any, networks: dict[str, _Network]) -> _Network | None:
    """A peered network of another stack, by its ARM id: drawn with what this plan says about it."""
    remote_id = str(value.get("id") if isinstance(value, dict) else value or "")
    if "/virtualnetworks/" not in remote_id.lower():
        return None
    key = f"external:{remote_id.lower()}"
    if key not in networks:
        name = remote_id.rstrip("/").rsplit("/", 1)[-1]
        networks[key] = _Network(urn=key, label=name, cidrs=[], id=remote_id, physical=name, external=True)
    return networks[key]


def _subnet_ids(value: Any) -> list[str]:
    """Every `subnet.id` / `subnetId` found in a value (ip configurations, a network profile)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "subnet" and isinstance(item, dict) and isinstance(item.get("id"), str):
                found.append(item["id"])
            elif key == "subnetId" and isinstance(item, str):
                found.append(item)
            else:
                found.extend(_subnet_ids(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_subnet_ids(item))
    return found


def _place_endpoints(resources: list[dict[str, Any]], networks: dict[str, _Network]) -> None:
    """Gateways, the resolver's endpoints, the agent pool and the AMPLS endpoint, each in the subnet its inputs
    name."""
    subnets_by_id = {s.id.lower(): s for net in networks.values() for s in net.subnets if s.id}
    tunnels = {str((_value(c, "virtualNetworkGateway1") or {}).get("id")) for c in resources
               if c["type"] == CONNECTION and _value(c, "connectionType") == "IPsec"}
    for resource in resources:
        kind = resource["type"]
        if kind == GATEWAY:
            gateway_type = _value(resource, "gatewayType")
            label = "ExpressRoute gateway" if gateway_type == "ExpressRoute" else "VPN gateway"
            modes = [mode for mode, on in (
                ("site-to-site", str(resource.get("id") or "-") in tunnels),
                ("point-to-site", bool((_value(resource, "vpnClientConfiguration") or {}).get("vpnClientAddressPool"))))
                if on]
            label += f" ({', '.join(modes)})" if modes else ""
            where = _value(resource, "ipConfigurations")
        elif kind == RESOLVER_IN:
            where = _value(resource, "ipConfigurations")
            addresses = [c.get("privateIpAddress") for c in where or [] if isinstance(c, dict)]
            label = "DNS resolver inbound " + " ".join(a for a in addresses if isinstance(a, str))
        elif kind == RESOLVER_OUT:
            where, label = {"subnet": _value(resource, "subnet")}, "DNS resolver outbound (forwarding)"
        elif kind == POOL:
            where = _value(resource, "fabricProfile")
            label = f"CI agents: pool {_value(resource, 'poolName') or _logical_name(resource)}"
        elif kind == PRIVATE_ENDPOINT and any(
                "azuremonitor" in (connection.get("groupIds") or [])
                for connection in _value(resource, "privateLinkServiceConnections") or [] if isinstance(connection, dict)):
            # the one Azure Monitor Private Link Scope endpoint of its DNS namespace (other endpoints are not drawn)
            where, label = {"subnet": _value(resource, "subnet")}, "Azure Monitor private link (AMPLS) endpoint"
        else:
            continue
        for subnet_id in _subnet_ids(where):
            subnet = subnets_by_id.get(subnet_id.lower())
            if subnet is not None:
                subnet.appliances.append(label.strip())
                break


def _notes(resources: list[dict[str, Any]], networks: dict[str, _Network]) -> None:
    """Per network: how many private-link zones and forwarding rulesets are linked to it."""
    zones: dict[str, int] = {}
    rulesets: dict[str, int] = {}
    for resource in resources:
        if resource["type"] not in (ZONE_LINK, RULESET_LINK):
            continue
        zone = _value(resource, "privateZoneName")
        if resource["type"] == ZONE_LINK and not (isinstance(zone, str) and zone.startswith("privatelink.")):
            continue  # a service's own zone (an internal Container Apps environment's domain), not private link
        net = _network_by_id(_value(resource, "virtualNetwork"), networks)
        if net is None:
            continue
        counts = zones if resource["type"] == ZONE_LINK else rulesets
        counts[net.urn] = counts.get(net.urn, 0) + 1
    for net in networks.values():
        if zones.get(net.urn):
            net.notes.append(f"{zones[net.urn]} private-link DNS zones linked")
        if rulesets.get(net.urn):
            net.notes.append("DNS forwarding ruleset linked (on-premises zones)")


def _east_west(resources: list[dict[str, Any]], networks: dict[str, _Network]) -> list[str]:
    """The firewall's east-west rules as `name: source -> destinations :ports`, subnets by their names."""
    by_cidr = {subnet.cidr: f"{net.label.removesuffix('-vnet')}/{subnet.name}"
               for net in networks.values() for subnet in net.subnets}
    lines = []
    for resource in resources:
        if resource["type"] != RULE_GROUP or _value(resource, "ruleCollectionGroupName") != EAST_WEST_GROUP:
            continue
        for collection in _value(resource, "ruleCollections") or []:
            for rule in (collection.get("rules") or []) if isinstance(collection, dict) else []:
                def names(cidrs: Any) -> str:
                    return ", ".join(by_cidr.get(str(c), f"{c} (outside)") for c in cidrs or [])
                lines.append(f"{rule.get('name')}: {names(rule.get('sourceAddresses'))} -> "
                             f"{names(rule.get('destinationAddresses'))} :{','.join(rule.get('destinationPorts') or [])}")
    return lines


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
    rows = sum(1 + len(subnet.appliances) for subnet in net.subnets) + len(net.notes)
    return HEADER_HEIGHT + max(rows, 1) * ROW_HEIGHT + 10


def _draw(title: str, networks: dict[str, _Network], peerings: list[tuple[str, str, int]],
          east_west: list[str]) -> str:
    external = [net for net in networks.values() if net.external]
    hubs = [net for net in networks.values() if net.is_hub and not net.external]
    others = sorted((net for net in networks.values() if not net.is_hub),
                    key=lambda net: _sort_key(",".join(net.cidrs)))
    rows: list[list[_Network]] = [external, hubs, others]
    rows = [row for row in rows if row]
    widest = max(len(row) for row in rows)
    longest = max((len(line) for line in east_west), default=0)
    width = max(2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X, int(2 * MARGIN + 10 + 6.7 * longest))
    heights = [max(_box_height(net) for net in row) for row in rows]
    flows_height = (ROW_HEIGHT + len(east_west) * 16 + 10) if east_west else 0
    height = 2 * MARGIN + TITLE_HEIGHT + sum(heights) + GAP_Y * (len(rows) - 1) + 30 + flows_height

    drawing = drawsvg.Drawing(width, height, font_family=FONT)
    drawing.append(drawsvg.Rectangle(0, 0, width, height, fill="#ffffff"))
    drawing.append(drawsvg.Text(title, 18, MARGIN, MARGIN + 14, font_weight="bold", fill=COLOURS["border"]))

    positions: dict[str, tuple[float, float, float]] = {}  # urn -> (x, y, height)
    y: float = MARGIN + TITLE_HEIGHT
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

    if east_west:
        flows_y = height - MARGIN - flows_height
        drawing.append(drawsvg.Text("East-west flows the firewall allows (TCP)", 13, MARGIN, flows_y + 14,
                                    font_weight="bold", fill=COLOURS["east-west"]))
        for index, line in enumerate(east_west):
            drawing.append(drawsvg.Text(line, 11, MARGIN + 10, flows_y + ROW_HEIGHT + 12 + index * 16,
                                        fill=COLOURS["east-west"], font_family="monospace"))

    legend_y = height - MARGIN + 6
    drawing.append(drawsvg.Text(f"{len(networks)} networks, {sum(len(n.subnets) for n in networks.values())} "
                                f"subnets, {len(peerings)} peered pairs; generated from the plan's recorded resources",
                                11, MARGIN, legend_y, fill=COLOURS["muted"]))
    return drawing.as_svg()


def _draw_network(drawing: drawsvg.Drawing, net: _Network, x: float, y: float, box_height: float) -> None:
    fill = COLOURS["external" if net.external else "hub" if net.is_hub else "spoke"]
    drawing.append(drawsvg.Rectangle(x, y, BOX_WIDTH, box_height, rx=8, ry=8, fill=fill, stroke=COLOURS["border"],
                                     stroke_dasharray="6,4" if net.external else None))
    kind = "connectivity hub (another stack)" if net.external else "hub" if net.is_hub else "virtual network"
    drawing.append(drawsvg.Text(net.label, 14, x + 12, y + 20, font_weight="bold", fill=COLOURS["border"]))
    drawing.append(drawsvg.Text(f"{kind} · {', '.join(net.cidrs) or 'range in its own plan'}", 12, x + 12, y + 37,
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
            colour = COLOURS[_appliance_colour(appliance)]
            drawing.append(drawsvg.Rectangle(x + 30, row_y, BOX_WIDTH - 60, ROW_HEIGHT - 4, rx=10, ry=10,
                                             fill=colour, stroke=COLOURS["border"], stroke_width=0.8))
            drawing.append(drawsvg.Text(appliance, 12, x + BOX_WIDTH / 2, row_y + 15, text_anchor="middle",
                                        fill=COLOURS["border"]))
            row_y += ROW_HEIGHT
    for note in net.notes:
        drawing.append(drawsvg.Text(note, 11, x + 14, row_y + 14, fill=COLOURS["muted"], font_style="italic"))
        row_y += ROW_HEIGHT


def _appliance_colour(label: str) -> str:
    for prefix, colour in (("Azure Firewall", "firewall"), ("Azure Bastion", "bastion"), ("VPN", "gateway"),
                           ("ExpressRoute", "gateway"), ("DNS", "dns"), ("CI agents", "agents")):
        if label.startswith(prefix):
            return colour
    return "special"
