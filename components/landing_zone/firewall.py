"""The hub's Azure Firewall: its policy (threat intelligence in deny mode, DNS proxy, IDPS on Premium), a baseline
rule collection group, its public IP, and the firewall itself; and `FirewallEgress`, the rule collection groups that
allow subnets to reach each other (`east_west.py`) and grant spoke subnets their egress profiles
(`egress_profiles.py`). Everything not allowed here is denied."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces,
                                                   create_diagnostic_settings, create_lock, supports)
from amsterdam_cloud.components.landing_zone.east_west import EastWestFlow
from amsterdam_cloud.components.landing_zone.egress_profiles import (EGRESS_PROFILES, EgressGrant, FqdnPortRule,
                                                                     ServiceTagRule, WebRule)

ZONES = ("1", "2", "3")


@dataclass(frozen=True, kw_only=True)
class FirewallArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="a firewall has no private endpoint, needs no identity and holds no state")
    resource_group_name: pulumi.Input[str]
    """The resource group of the firewall, its policy and public IP."""
    location: str
    """The firewall's region."""
    subnet_id: pulumi.Input[str]
    """The hub's AzureFirewallSubnet; the component never creates it."""
    source_ranges: tuple[str, ...]
    """The private ranges whose egress the baseline rules allow (the environment's block)."""
    premium: bool = False
    """Off: Standard tier; on: Premium, with intrusion detection (IDPS) in deny mode."""
    zone_redundant: bool = False
    """Off: the firewall and its IP live in one zone; on: spread over zones 1-3."""
    allowed_fqdn_tags: tuple[str, ...] = ("WindowsUpdate", "WindowsDiagnostics", "MicrosoftActiveProtectionService")
    """Microsoft FQDN tags reachable over HTTP(S) from the source ranges; empty: no application rules. Workload
    specific endpoints (AVD's) are egress profiles, granted to their subnets only (`FirewallEgress`)."""
    allowed_service_tags: tuple[str, ...] = ("AzureMonitor", "AzureActiveDirectory")
    """Azure service tags reachable on 443 from the source ranges; empty: none."""
    snat_private_traffic: bool = False
    """Off: traffic to private ranges keeps its source address (Azure's default); on: the firewall translates the
    source of every flow it allows, so the answer of a private endpoint (which ignores route tables) comes back
    through the firewall (Microsoft: "Azure Firewall scenarios to inspect traffic destined to a private endpoint")."""
    private_link_fqdns: tuple[str, ...] = ()
    """Names the source ranges reach on 443 through private endpoints beyond this hub (the city's Azure Monitor
    scope endpoint in the connectivity hub, which the spokes are not peered with); empty: none. An application rule:
    it always translates the source, so the endpoint's answer comes back through this firewall."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.source_ranges:
            raise InterfaceError("FirewallArgs.source_ranges: empty; expected the environment's address block")


class Firewall(WithInterfaces, pulumi.ComponentResource):
    """Azure Firewall with its policy; exposes `private_ip` (the next hop of every spoke's default route)."""

    def __init__(self, name: str, args: FirewallArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:Firewall", name, None, opts)
        tags = dict(args.tags)
        tier = "Premium" if args.premium else "Standard"
        zones = list(ZONES) if args.zone_redundant else None
        workspace_id = args.diagnostic_settings[0].workspace_id if args.diagnostic_settings else None

        policy = network.FirewallPolicy(
            f"{name}-policy", resource_group_name=args.resource_group_name, location=args.location,
            sku=network.FirewallPolicySkuArgs(tier=tier), threat_intel_mode="Deny",
            dns_settings=network.DnsSettingsArgs(enable_proxy=True),
            # 255.255.255.255/32 as the only private range: Azure's documented way to translate every flow.
            snat=network.FirewallPolicySNATArgs(private_ranges=["255.255.255.255/32"])
            if args.snat_private_traffic else None,
            intrusion_detection=network.FirewallPolicyIntrusionDetectionArgs(mode="Deny") if args.premium else None,
            insights=network.FirewallPolicyInsightsArgs(
                is_enabled=True, retention_days=30,
                log_analytics_resources=network.FirewallPolicyLogAnalyticsResourcesArgs(
                    default_workspace_id=network.SubResourceArgs(id=workspace_id))) if workspace_id else None,
            tags=tags, opts=pulumi.ResourceOptions(parent=self))
        rules = network.FirewallPolicyRuleCollectionGroup(
            f"{name}-baseline", resource_group_name=args.resource_group_name, firewall_policy_name=policy.name,
            rule_collection_group_name="platform-baseline", priority=200,
            rule_collections=_baseline_rules(args), opts=pulumi.ResourceOptions(parent=self))
        public_ip = network.PublicIPAddress(
            f"{name}-pip", resource_group_name=args.resource_group_name, location=args.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static", public_ip_address_version="IPv4", zones=zones,
            ddos_settings=network.DdosSettingsArgs(protection_mode="VirtualNetworkInherited"),
            tags=tags, opts=pulumi.ResourceOptions(parent=self))
        firewall = network.AzureFirewall(
            f"{name}-firewall", resource_group_name=args.resource_group_name, location=args.location,
            sku=network.AzureFirewallSkuArgs(name="AZFW_VNet", tier=tier),
            firewall_policy=network.SubResourceArgs(id=policy.id),
            ip_configurations=[network.AzureFirewallIPConfigurationArgs(
                name="ipconfig", subnet=network.SubResourceArgs(id=args.subnet_id),
                public_ip_address=network.SubResourceArgs(id=public_ip.id))],
            zones=zones, tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[rules]))

        self.add_interfaces(name, scope_id=firewall.id, args=args, diagnostics=DiagnosticSupport())
        if args.lock:
            create_lock(f"{name}-policy", scope_id=policy.id, lock=args.lock, parent=self)
        create_diagnostic_settings(f"{name}-pip", resource_uri=public_ip.id, settings=args.diagnostic_settings,
                                   support=DiagnosticSupport(), parent=self)

        self.resource_id, self.name = firewall.id, firewall.name
        self.policy_id = policy.id
        self.policy_name: pulumi.Output[str] = policy.name
        self.resource_group_name = args.resource_group_name
        self.settled: tuple[pulumi.Resource, ...] = (rules, firewall)
        """The last changes to the policy (baseline group, firewall): further rule groups wait for them."""
        self.public_ip_id = public_ip.id
        self.private_ip: pulumi.Output[str] = firewall.ip_configurations.apply(_private_ip)
        """The firewall's private IP in AzureFirewallSubnet: next hop for spoke egress and the spokes' DNS server."""
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "private_ip": self.private_ip,
                               "policy_id": self.policy_id})


def _private_ip(configurations) -> str:
    for configuration in configurations or []:
        if configuration.private_ip_address:
            return configuration.private_ip_address
    raise ValueError("the firewall has no private IP in its ip configurations")


def _baseline_rules(args: FirewallArgs) -> list:
    """What every environment may reach: Azure's control plane and monitoring, OS updates, time and activation."""
    sources = list(args.source_ranges)
    network_rules = [network.NetworkRuleArgs(
        rule_type="NetworkRule", name="ntp", description="Windows time service",
        source_addresses=sources, destination_fqdns=["time.windows.com"], destination_ports=["123"],
        ip_protocols=["UDP"]),
        network.NetworkRuleArgs(
        rule_type="NetworkRule", name="windows-activation", description="Azure KMS for Windows activation",
        source_addresses=sources, destination_fqdns=["azkms.core.windows.net", "kms.core.windows.net"],
        destination_ports=["1688"], ip_protocols=["TCP"])]
    if args.allowed_service_tags:
        network_rules.append(network.NetworkRuleArgs(
            rule_type="NetworkRule", name="azure-services", description="Entra ID and Azure Monitor",
            source_addresses=sources, destination_addresses=list(args.allowed_service_tags),
            destination_ports=["443"], ip_protocols=["TCP"]))
    collections = [network.FirewallPolicyFilterRuleCollectionArgs(
        rule_collection_type="FirewallPolicyFilterRuleCollection", name="platform-network", priority=100,
        action=network.FirewallPolicyFilterRuleCollectionActionArgs(type="Allow"), rules=network_rules)]
    application_rules = []
    if args.allowed_fqdn_tags:
        application_rules.append(network.ApplicationRuleArgs(
            rule_type="ApplicationRule", name="microsoft-updates", description="Updates and Defender",
            source_addresses=sources, fqdn_tags=list(args.allowed_fqdn_tags),
            protocols=[network.FirewallPolicyRuleApplicationProtocolArgs(protocol_type="Https", port=443),
                       network.FirewallPolicyRuleApplicationProtocolArgs(protocol_type="Http", port=80)]))
    if args.private_link_fqdns:
        application_rules.append(network.ApplicationRuleArgs(
            rule_type="ApplicationRule", name="private-link-beyond-hub",
            description="Private endpoints in the connectivity hub (the city's Azure Monitor scope)",
            source_addresses=sources, target_fqdns=list(args.private_link_fqdns),
            protocols=[network.FirewallPolicyRuleApplicationProtocolArgs(protocol_type="Https", port=443)]))
    if application_rules:
        collections.append(network.FirewallPolicyFilterRuleCollectionArgs(
            rule_collection_type="FirewallPolicyFilterRuleCollection", name="platform-application", priority=200,
            action=network.FirewallPolicyFilterRuleCollectionActionArgs(type="Allow"), rules=application_rules))
    return collections


EAST_WEST_GROUP_PRIORITY = 250
"""After the baseline group (200), before the egress profiles (300)."""
EGRESS_GROUP_PRIORITY = 300
"""After the baseline group (200): the baseline is read first, the profiles add to it."""


@dataclass(frozen=True, kw_only=True)
class FirewallEgressArgs(CommonArgs):
    SUPPORTS = supports(
                        reason="rule collection groups live in the firewall's policy: the policy's lock covers them, "
                               "and they have no roles, logs, endpoints or identity of their own")
    firewall: Firewall
    """The firewall whose policy gets the rules; they are written after its baseline group and the firewall itself
    (Azure rejects concurrent changes to one firewall policy)."""
    grants: tuple[EgressGrant, ...] = ()
    """Each profile once, with the ranges of the subnets that enable it: the only sources of the profile's rules;
    empty: no egress beyond the baseline."""
    flows: tuple[EastWestFlow, ...] = ()
    """East-west flows between subnets (network rules, TCP); empty: no subnet reaches another through the firewall."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.grants and not self.flows:
            raise InterfaceError("FirewallEgressArgs: no grants and no flows; expected at least one of them")
        names = [flow.name for flow in self.flows]
        if len(set(names)) != len(names):
            raise InterfaceError("FirewallEgressArgs.flows: a flow name is used twice; expected unique names")
        seen: set[str] = set()
        for grant in self.grants:
            if grant.profile not in EGRESS_PROFILES:
                raise InterfaceError(f"FirewallEgressArgs.grants: unknown egress profile {grant.profile!r}; "
                                     f"expected one of {', '.join(sorted(EGRESS_PROFILES))}")
            if grant.profile in seen:
                raise InterfaceError(f"FirewallEgressArgs.grants: {grant.profile!r} granted twice; expected one "
                                     "grant per profile with all its source ranges")
            if not grant.source_ranges:
                raise InterfaceError(f"FirewallEgressArgs.grants: {grant.profile!r} has no source ranges; expected "
                                     "the CIDRs of the subnets that enable it")
            seen.add(grant.profile)


class FirewallEgress(pulumi.ComponentResource):
    """Rule collection groups in the firewall's policy: `east-west` (one Allow network collection, a rule per flow)
    and `egress-profiles` (per granted profile one network and one application collection, each rule sourced only
    from the ranges the profile is granted to), written one after the other. A rule collection group has no tags and
    no diagnostics of its own; the policy's lock covers it."""

    def __init__(self, name: str, args: FirewallEgressArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:landingzone:FirewallEgress", name, None, opts)
        after: list[pulumi.Resource] = list(args.firewall.settled)
        east_west = None
        if args.flows:
            east_west = network.FirewallPolicyRuleCollectionGroup(
                f"{name}-east-west", resource_group_name=args.firewall.resource_group_name,
                firewall_policy_name=args.firewall.policy_name, rule_collection_group_name="east-west",
                priority=EAST_WEST_GROUP_PRIORITY, rule_collections=[_east_west_rules(args.flows)],
                opts=pulumi.ResourceOptions(parent=self, depends_on=after))
            after = [east_west]  # one change to the policy at a time
        group = network.FirewallPolicyRuleCollectionGroup(
            f"{name}-rules", resource_group_name=args.firewall.resource_group_name,
            firewall_policy_name=args.firewall.policy_name, rule_collection_group_name="egress-profiles",
            priority=EGRESS_GROUP_PRIORITY, rule_collections=_egress_rules(args.grants),
            opts=pulumi.ResourceOptions(parent=self, depends_on=after)) if args.grants else None
        last = group or east_west
        assert last is not None  # FirewallEgressArgs refuses neither grants nor flows
        self.resource_id, self.name = last.id, last.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})


def _east_west_rules(flows: tuple[EastWestFlow, ...]) -> network.FirewallPolicyFilterRuleCollectionArgs:
    """Every flow as one TCP network rule, in one Allow collection."""
    return network.FirewallPolicyFilterRuleCollectionArgs(
        rule_collection_type="FirewallPolicyFilterRuleCollection", name="east-west", priority=100,
        action=network.FirewallPolicyFilterRuleCollectionActionArgs(type="Allow"),
        rules=[network.NetworkRuleArgs(
            rule_type="NetworkRule", name=flow.name, description=flow.description,
            source_addresses=list(flow.source_ranges), destination_addresses=list(flow.destination_ranges),
            destination_ports=[str(port) for port in flow.ports], ip_protocols=["TCP"]) for flow in flows])


def rule_collections(*, flows: tuple[EastWestFlow, ...], grants: tuple[EgressGrant, ...]) -> list:
    """The flows' east-west collection and the grants' egress collections for one rule collection group (a vended
    landing zone's own), with distinct priorities."""
    collections = [_east_west_rules(flows)] if flows else []
    return collections + _egress_rules(grants, first_priority=100 + 10 * len(collections))


def _egress_rules(grants: tuple[EgressGrant, ...], first_priority: int = 100) -> list:
    """Per grant, its profile's network rules then its application rules, as two Allow collections."""
    collections: list = []
    for grant in grants:
        profile = EGRESS_PROFILES[grant.profile]
        sources = list(grant.source_ranges)
        network_rules = [_network_rule(rule, sources) for rule in profile.network_rules]
        application_rules = [_application_rule(rule, sources) for rule in profile.application_rules]
        for kind, rules in (("network", network_rules), ("application", application_rules)):
            if rules:
                collections.append(network.FirewallPolicyFilterRuleCollectionArgs(
                    rule_collection_type="FirewallPolicyFilterRuleCollection", name=f"{profile.name}-{kind}",
                    priority=first_priority + 10 * len(collections),
                    action=network.FirewallPolicyFilterRuleCollectionActionArgs(type="Allow"), rules=rules))
    return collections


def _network_rule(rule: ServiceTagRule | FqdnPortRule, sources: list[str]) -> network.NetworkRuleArgs:
    ports = [str(port) for port in rule.ports]
    if isinstance(rule, ServiceTagRule):
        return network.NetworkRuleArgs(
            rule_type="NetworkRule", name=rule.name, description=rule.description, source_addresses=sources,
            destination_addresses=list(rule.service_tags), destination_ports=ports, ip_protocols=[rule.protocol])
    return network.NetworkRuleArgs(
        rule_type="NetworkRule", name=rule.name, description=rule.description, source_addresses=sources,
        destination_fqdns=list(rule.fqdns), destination_ports=ports, ip_protocols=["TCP"])


def _application_rule(rule: WebRule, sources: list[str]) -> network.ApplicationRuleArgs:
    return network.ApplicationRuleArgs(
        rule_type="ApplicationRule", name=rule.name, description=rule.description, source_addresses=sources,
        target_fqdns=list(rule.fqdns) or None, fqdn_tags=list(rule.fqdn_tags) or None,
        protocols=[network.FirewallPolicyRuleApplicationProtocolArgs(protocol_type=protocol, port=port)
                   for protocol, port in rule.protocols])
