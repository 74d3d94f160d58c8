"""East-west flows: which subnets may open which TCP ports on which other subnets, declared as data (pure).

Spokes are not peered with each other: a packet from one spoke to another follows the spoke's default route to the
hub firewall, which denies it unless a flow allows it. The stack config declares the flows by name, with subnets
named `<spoke>.<subnet>` or `hub.<subnet>` (a range outside the environment, such as the CI agents' subnet in the
connectivity hub, as a CIDR), and `FirewallEgress` writes them into the firewall's policy as the rule collection
group `east-west`:

```yaml
amsterdam-platform:network:
  eastWest:
    avd-to-internal-apps: {from: [workplace.hosts], to: [apps.containers, apps.endpoints], ports: [443]}
```
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class EastWestFlow:
    """One allowed flow: TCP from every source range to every destination range on the given ports."""

    name: str
    """Short lower-case name, the firewall rule's name (`avd-to-internal-apps`)."""
    description: str
    """What the flow is for, as the rule's description."""
    source_ranges: tuple[str, ...]
    """The CIDRs of the subnets that open connections."""
    destination_ranges: tuple[str, ...]
    """The CIDRs of the subnets that accept them."""
    ports: tuple[int, ...]
    """TCP destination ports."""

    def __post_init__(self) -> None:
        if not self.source_ranges or not self.destination_ranges or not self.ports:
            raise ValueError(f"EastWestFlow {self.name}: sources, destinations and ports must not be empty")
        if any(not 1 <= port <= 65535 for port in self.ports):
            raise ValueError(f"EastWestFlow {self.name}: ports are 1 to 65535")
