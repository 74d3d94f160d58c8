"""The environment's address plan, pure: the block, the hub and spoke ranges inside it, and the subnets carved from
each range. Every problem (overlap, a range outside the block, a block or range that is exhausted) is an
`AddressPlanError` before any resource exists; `stacks/config.py` turns it into a ConfigError naming file and key.

Subnets are carved largest first, each aligned on its own size, in declaration order among equals: the layout of
a range is a pure function of what is declared, so adding a subnet at the end never moves the existing ones
unless a larger one is added.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Mapping, Sequence

SMALLEST_SUBNET = 29
"""Azure's smallest subnet is a /29 (five addresses of every subnet are reserved)."""

HUB_SUBNETS: tuple[tuple[str, int], ...] = (
    ("AzureFirewallSubnet", 26),  # Azure requires exactly this name and at least a /26
    ("AzureBastionSubnet", 26),   # Azure requires this name and at least a /26
    ("GatewaySubnet", 27),        # VPN or ExpressRoute gateway; Microsoft recommends a /27 or larger
    ("shared", 27),               # the platform's own private endpoints (Key Vault) and shared services
)
"""The hub's subnets (name, prefix length): the names Azure requires for its appliances, and one shared subnet."""

DELEGATIONS = frozenset({
    "Microsoft.App/environments", "Microsoft.Web/serverFarms", "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers", "Microsoft.ContainerInstance/containerGroups",
    "Microsoft.Databricks/workspaces", "Microsoft.Netapp/volumes", "Microsoft.Network/dnsResolvers",
    "Microsoft.DevOpsInfrastructure/pools",
})
"""Services a spoke subnet may be delegated to (extend when a component needs another)."""


class AddressPlanError(ValueError):
    """A range or subnet that cannot be placed; `where` is the path under the network config (`spokes.apps`)."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


@dataclass(frozen=True, kw_only=True)
class SubnetRequest:
    """One subnet a range must hold: its name, size and optional delegation."""

    name: str
    prefix_length: int
    delegation: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubnetPlan:
    """A placed subnet."""

    name: str
    cidr: str
    delegation: str | None = None


@dataclass(frozen=True, kw_only=True)
class NetworkPlan:
    """A placed virtual network range and its subnets."""

    name: str
    cidr: str
    subnets: tuple[SubnetPlan, ...]

    def subnet(self, name: str) -> SubnetPlan:
        for subnet in self.subnets:
            if subnet.name == name:
                return subnet
        raise KeyError(f"{self.name} has no subnet {name!r}; it has {', '.join(s.name for s in self.subnets)}")


@dataclass(frozen=True, kw_only=True)
class AddressPlan:
    """The environment's whole plan."""

    address_space: str
    hub: NetworkPlan
    spokes: Mapping[str, NetworkPlan]

    def spoke_ranges(self) -> tuple[str, ...]:
        return tuple(spoke.cidr for spoke in self.spokes.values())


def default_spoke_subnets(cidr: str) -> tuple[SubnetRequest, ...]:
    """A spoke declared by its range alone: half of it for workloads and a small subnet for private endpoints."""
    prefix = ipaddress.IPv4Network(cidr).prefixlen
    return (SubnetRequest(name="workload", prefix_length=prefix + 1),
            SubnetRequest(name="endpoints", prefix_length=max(26, prefix + 2)))


def carve(cidr: str, requests: Sequence[SubnetRequest], where: str) -> tuple[SubnetPlan, ...]:
    """Place each requested subnet inside `cidr` (largest first, aligned), or say why they do not fit."""
    network = ipaddress.IPv4Network(cidr)
    names = [request.name for request in requests]
    for request in requests:
        if names.count(request.name) > 1:
            raise AddressPlanError(f"{where}.{request.name}", "declared twice; expected unique subnet names")
        if not network.prefixlen <= request.prefix_length <= SMALLEST_SUBNET:
            raise AddressPlanError(f"{where}.{request.name}",
                                   f"/{request.prefix_length} does not fit a subnet of {cidr}; expected a prefix "
                                   f"length from {network.prefixlen} to {SMALLEST_SUBNET}")
    need = sum(2 ** (32 - request.prefix_length) for request in requests)
    if need > network.num_addresses:
        raise AddressPlanError(where, f"exhausted: the subnets need {need} addresses but {cidr} holds "
                                      f"{network.num_addresses}; expected a larger range or fewer/smaller subnets")
    order = sorted(range(len(requests)), key=lambda index: (requests[index].prefix_length, index))
    placed: dict[int, SubnetPlan] = {}
    cursor = int(network.network_address)
    for index in order:
        request = requests[index]
        size = 2 ** (32 - request.prefix_length)
        cursor = (cursor + size - 1) // size * size  # align; largest-first keeps this a no-op, kept for safety
        subnet = ipaddress.IPv4Network((cursor, request.prefix_length))
        if not subnet.subnet_of(network):
            raise AddressPlanError(f"{where}.{request.name}", f"exhausted: no room left in {cidr} for a "
                                                              f"/{request.prefix_length}; expected a larger range")
        placed[index] = SubnetPlan(name=request.name, cidr=str(subnet), delegation=request.delegation)
        cursor += size
    return tuple(placed[index] for index in range(len(requests)))


def refuse_overlap(cidr: str, where: str, taken: Mapping[str, str], expected: str) -> None:
    """Refuse the range `cidr` (the key `where`) when it overlaps one of `taken` (a description: its range)."""
    network = ipaddress.IPv4Network(cidr)
    for name, other in taken.items():
        if network.overlaps(ipaddress.IPv4Network(other)):
            raise AddressPlanError(where, f"{network} overlaps {name} ({other}); expected {expected}")


def plan(address_space: str, hub: str, spokes: Mapping[str, tuple[str, Sequence[SubnetRequest]]]) -> AddressPlan:
    """Check and place the environment's ranges: sizes first (exhausted), then containment, then overlap."""
    block = ipaddress.IPv4Network(address_space)
    ranges: dict[str, ipaddress.IPv4Network] = {"hub": ipaddress.IPv4Network(hub)}
    ranges.update({f"spokes.{name}": ipaddress.IPv4Network(cidr) for name, (cidr, _) in spokes.items()})
    need = sum(cidr.num_addresses for cidr in ranges.values())
    if need > block.num_addresses:
        raise AddressPlanError("addressSpace", f"exhausted: the hub and spokes need {need} addresses but {block} "
                                               f"holds {block.num_addresses}; expected a larger block or smaller "
                                               "ranges")
    for where, cidr in ranges.items():
        if not cidr.subnet_of(block):
            raise AddressPlanError(where, f"{cidr} lies outside the environment's block {block}; "
                                          f"expected a range inside {block}")
    placed = list(ranges.items())
    for index, (where, cidr) in enumerate(placed[1:], start=1):
        refuse_overlap(str(cidr), where, {str(name): str(other) for name, other in placed[:index]}, "a free range")
    hub_requests = tuple(SubnetRequest(name=name, prefix_length=length) for name, length in HUB_SUBNETS)
    hub_plan = NetworkPlan(name="hub", cidr=str(ranges["hub"]), subnets=carve(hub, hub_requests, "hub"))
    spoke_plans = {name: NetworkPlan(name=name, cidr=str(ipaddress.IPv4Network(cidr)),
                                     subnets=carve(cidr, requests, f"spokes.{name}.subnets"))
                   for name, (cidr, requests) in spokes.items()}
    return AddressPlan(address_space=str(block), hub=hub_plan, spokes=spoke_plans)
