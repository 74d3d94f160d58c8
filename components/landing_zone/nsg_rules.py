"""Network security rule sets the landing zone uses: the default for workload subnets and Azure Bastion's own."""

from __future__ import annotations

from pulumi_azure_native import network


def _rule(name: str, priority: int, direction: str, access: str, protocol: str, source: str, destination: str,
          ports: list[str], description: str) -> network.SecurityRuleArgs:
    return network.SecurityRuleArgs(
        name=name, priority=priority, direction=direction, access=access, protocol=protocol,
        source_address_prefix=source, source_port_range="*", destination_address_prefix=destination,
        destination_port_ranges=ports if len(ports) > 1 else None,
        destination_port_range=ports[0] if len(ports) == 1 else None, description=description)


def deny_internet_inbound() -> list[network.SecurityRuleArgs]:
    """Workload subnets: nothing comes in from the internet (Azure's defaults still allow the virtual network and
    the load balancer's probes; app teams add narrower allow rules above priority 4096)."""
    return [_rule("deny-internet-inbound", 4096, "Inbound", "Deny", "*", "Internet", "*", ["*"],
                  "No inbound traffic from the internet; publish through the hub, never directly")]


def bastion() -> list[network.SecurityRuleArgs]:
    """The rules Azure Bastion requires on AzureBastionSubnet (Microsoft Learn: "Working with NSG access and
    Azure Bastion"); anything else is denied."""
    return [
        _rule("allow-https-inbound", 120, "Inbound", "Allow", "Tcp", "Internet", "*", ["443"],
              "Administrators reach Bastion over TLS"),
        _rule("allow-gateway-manager-inbound", 130, "Inbound", "Allow", "Tcp", "GatewayManager", "*", ["443"],
              "Azure's control plane manages Bastion"),
        _rule("allow-load-balancer-inbound", 140, "Inbound", "Allow", "Tcp", "AzureLoadBalancer", "*", ["443"],
              "Health probes"),
        _rule("allow-bastion-host-communication", 150, "Inbound", "Allow", "*", "VirtualNetwork",
              "VirtualNetwork", ["8080", "5701"], "Bastion's data plane between its instances"),
        _rule("deny-all-inbound", 4096, "Inbound", "Deny", "*", "*", "*", ["*"], "Anything else"),
        _rule("allow-ssh-rdp-outbound", 100, "Outbound", "Allow", "*", "*", "VirtualNetwork", ["22", "3389"],
              "Sessions to machines in the networks"),
        _rule("allow-azure-cloud-outbound", 110, "Outbound", "Allow", "Tcp", "*", "AzureCloud", ["443"],
              "Diagnostics and metering"),
        _rule("allow-bastion-communication-outbound", 120, "Outbound", "Allow", "*", "VirtualNetwork",
              "VirtualNetwork", ["8080", "5701"], "Bastion's data plane between its instances"),
        _rule("allow-session-information-outbound", 130, "Outbound", "Allow", "*", "*", "Internet", ["80"],
              "Session and certificate validation"),
        _rule("deny-all-outbound", 4096, "Outbound", "Deny", "*", "*", "*", ["*"], "Anything else"),
    ]
