"""The typed stack configuration: read once, validated once, with errors that name the file, the key and the fix.

Every environment differs only through these values (`features`, `logRetentionDays`, the address plan), never
through a comparison with an environment's name in a component.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping


from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.core.ids import COST_CENTER, EMAIL, GUID, SIGN_IN_PRINCIPAL_TYPES
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core import budgets
from amsterdam_cloud.components.landing_zone.address_plan import (DELEGATIONS, AddressPlan, AddressPlanError,
                                                                  SubnetRequest, default_spoke_subnets)
from amsterdam_cloud.components.landing_zone.address_plan import plan as plan_addresses
from amsterdam_cloud.components.landing_zone.connectivity import ConnectivityRef
from amsterdam_cloud.components.landing_zone.east_west import EastWestFlow
from amsterdam_cloud.components.app_hosting.container_apps_environment import WORKLOAD_PROFILE_TYPES, WorkloadProfile
from amsterdam_cloud.components.landing_zone.egress_profiles import EGRESS_PROFILES, EgressGrant
from amsterdam_cloud.core.regions import normalize_location
from amsterdam_cloud.core.errors import display
from amsterdam_cloud.core.config_readers import (Reader, boolean, cidr, emails, integer, matching, one_of,
                                                 read_project_keys, region, secret, section, show, snake, string)
from amsterdam_cloud.core.program_config import (PLATFORM_PROJECT as PROJECT, ConfigError, SecretValue, given_config,
                                                 read_stack_file, structured)

STACKS_DIR = Path(__file__).resolve().parent
"""The platform's stack files (`Pulumi.<env>.yaml`); every config key of ours is `amsterdam-platform:<key>`."""

_NAME = re.compile(r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$")


@dataclass(frozen=True, kw_only=True)
class Tags:
    """The city's mandatory tags; every resource carries them (policy `tags-required`)."""

    owner: str
    """Mailbox of the team that answers for the resources."""
    cost_center: str
    """Cost centre in the city's ledger, `CC-` and 4 to 6 digits."""
    data_classification: str
    """Highest BIO level of the data the stack holds: BBN1, BBN2 or BBN3."""
    application: str
    """Short name of the application or platform part."""

    def as_azure_tags(self, environment: str) -> dict[str, str]:
        """The tags as Azure resources carry them, with the environment added."""
        return {"owner": self.owner, "cost-center": self.cost_center, "environment": environment,
                "data-classification": self.data_classification, "application": self.application}


@dataclass(frozen=True, kw_only=True)
class Network:
    """The environment's address plan, declared once: the block and the hub and spoke ranges carved from it."""

    address_space: str
    """The environment's whole block; every range below lies inside it."""
    hub: str
    """The hub network range (firewall, bastion, gateway subnets)."""
    spokes: Mapping[str, str]
    """Spoke name to range; ranges never overlap the hub or each other."""
    plan: AddressPlan
    """The checked plan: every hub and spoke subnet placed inside its range (components take their CIDRs from it)."""
    egress: tuple[EgressGrant, ...] = ()
    """The egress profiles spoke subnets enable (`egressProfiles`), each once with the CIDRs of those subnets;
    empty: spokes reach only the firewall's baseline."""
    east_west: tuple[EastWestFlow, ...] = ()
    """The flows between subnets the hub firewall allows (`eastWest`), subnet names resolved to their CIDRs; empty:
    no subnet reaches another spoke."""


@dataclass(frozen=True, kw_only=True)
class Features:
    """Switches that make environments differ; each default is the cheaper, dev-like behaviour."""

    zone_redundancy: bool = False
    """Off: resources are placed in one zone; on: zone-redundant where Azure supports it."""
    resource_locks: bool = False
    """Off: no CanNotDelete locks; on: shared and stateful resources get a CanNotDelete lock."""
    protect_stateful: bool = False
    """Off: stateful resources may be deleted by `pulumi destroy`; on: they are `protect`ed."""
    defender_plans: bool = True
    """On: Defender for Cloud plans are enabled for the subscription."""
    firewall_premium: bool = False
    """Off: Azure Firewall Standard (threat intelligence, DNS proxy); on: Premium, adding IDPS in deny mode."""


@dataclass(frozen=True, kw_only=True)
class Connectivity:
    """Where the city's connectivity hub is (stacks/connectivity) and how the environment uses it."""

    ref: ConnectivityRef
    """The connectivity subscription, resource group and hub network (the names of stacks/connectivity's config)."""
    use_gateway: bool = False
    """Off: the environment peers with the connectivity hub without gateway transit (CI agents and DNS only); on:
    on-premises and VPN clients reach it through the connectivity gateway and its firewall."""


@dataclass(frozen=True, kw_only=True)
class SharedHosting:
    """The environment's shared Container Apps environment: where it sits and its dedicated workload profiles."""

    spoke: str = "apps"
    """The spoke whose delegated subnet holds the environment."""
    subnet: str = "containers"
    """That subnet (delegated to Microsoft.App/environments, /27 or larger); one environment per subnet."""
    workload_profiles: tuple[WorkloadProfile, ...] = ()
    """Only the serverless Consumption profile; entries add dedicated profiles apps can name."""


@dataclass(frozen=True, kw_only=True)
class StackConfig:
    """Everything one environment's stack program needs, validated."""

    source: str
    """The stack file this came from, for messages."""
    environment: str
    subscription_id: str
    tenant_id: str
    location: str
    tags: Tags
    network: Network
    features: Features
    log_retention_days: int
    budget_monthly_eur: int
    alert_emails: tuple[str, ...]
    alert_webhook_url: SecretValue | None = None
    budget_alert_thresholds: tuple[int, ...] = (80, 100)
    """Percentages of the monthly budget at which the alert e-mails and action group are told."""
    budget_start_date: str | None = None
    """Unset: the budget starts the month it is first deployed; set: that month (the first of a month)."""
    connectivity: Connectivity | None = None
    """Set: the environment hub attaches to the connectivity hub and uses its private-link zones; unset: the hub
    keeps its own copy of the zones (a stand-alone environment)."""
    shared_hosting: SharedHosting = SharedHosting()
    """The shared Container Apps environment in the apps spoke's containers subnet, Consumption only."""
    deployer_principal_type: str | None = None
    """Who runs the deployment, for the role assignments it gets (ARM refuses a wrong one: UnmatchedPrincipalType).
    Unset: omitted from the request, which ARM accepts for a person after `az login` and for CI's workload identity
    alike; acc and prod, deployed only by the pipeline, set ServicePrincipal."""

    @property
    def azure_tags(self) -> dict[str, str]:
        return self.tags.as_azure_tags(self.environment)


# ---------------------------------------------------------------------------------------------------------------
# Sections (the generic readers are core/config_readers.py's)

def read_tags(source: str, key: str, value: Any) -> Tags:
    fields = {"owner": matching(EMAIL, "an e-mail address such as cloud@amsterdam.nl"),
              "cost-center": matching(COST_CENTER, "a cost centre such as CC-1234"),
              "data-classification": one_of(DATA_CLASSIFICATIONS),
              "application": matching(_NAME, "a short lower-case name such as landing-zone")}
    read = section(source, key, value, fields, frozenset(fields))
    return Tags(owner=read["owner"], cost_center=read["cost-center"],
                data_classification=read["data-classification"], application=read["application"])


def _subnets(source: str, key: str, value: Any) -> tuple[tuple[SubnetRequest, ...], dict[str, tuple[str, ...]]]:
    """The subnets as requests for the address plan, and the egress profiles each subnet enables."""
    value = structured(value)
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(source, key, f"expected a mapping of subnet name to prefix length such as "
                                       f"{{workload: 22, endpoints: 26}}, got {show(value)}")
    requests, profiles = [], {}
    for name, size in value.items():
        where = f"{key}.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConfigError(source, where, "subnet names are short lower-case names such as workload")
        delegation = None
        if isinstance(size, Mapping):
            read = section(source, where, size, {"size": _prefix_length, "delegation": _delegation,
                                                  "egressProfiles": _egress_profiles}, frozenset({"size"}))
            size, delegation = read["size"], read.get("delegation")
            if read.get("egressProfiles"):
                profiles[name] = read["egressProfiles"]
        else:
            size = _prefix_length(source, where, size)
        requests.append(SubnetRequest(name=name, prefix_length=size, delegation=delegation))
    return tuple(requests), profiles


def _egress_profiles(source: str, key: str, value: Any) -> tuple[str, ...]:
    """Names of egress profiles (`components/landing_zone/egress_profiles.py`) the subnet's egress may use."""
    value = structured(value)
    known = ", ".join(sorted(EGRESS_PROFILES))
    if not isinstance(value, list):
        raise ConfigError(source, key, f"expected a list of egress profile names such as [{known}], got "
                                       f"{show(value)}")
    for index, name in enumerate(value):
        if not isinstance(name, str) or name not in EGRESS_PROFILES:
            raise ConfigError(source, f"{key}[{index}]", f"unknown egress profile {name!r}; expected one of "
                                                         f"{known} (components/landing_zone/egress_profiles.py)")
        if name in value[:index]:
            raise ConfigError(source, f"{key}[{index}]", f"{name!r} is listed twice; expected each profile once")
    return tuple(value)


def _prefix_length(source: str, key: str, value: Any) -> int:
    return integer(8, 29)(source, key, value)


def _delegation(source: str, key: str, value: Any) -> str:
    return one_of(tuple(sorted(DELEGATIONS)))(source, key, value)


def _spoke(source: str, key: str, value: Any) -> tuple[ipaddress.IPv4Network, Any]:
    """A spoke is its range (`10.10.16.0/20`, default subnets) or `{addressSpace: ..., subnets: {name: size}}`;
    returns the range and the subnets as `_subnets` reads them (None: the default subnets, no egress profiles)."""
    value = structured(value)
    if isinstance(value, Mapping):
        read = section(source, key, value, {"addressSpace": cidr, "subnets": _subnets},
                        frozenset({"addressSpace"}))
        return read["addressSpace"], read.get("subnets")
    return cidr(source, key, value), None


def _spokes(source: str, key: str, value: Any) -> dict[str, tuple[ipaddress.IPv4Network, Any]]:
    value = structured(value)
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(source, key, f"expected a mapping of spoke name to CIDR, got {show(value)}")
    spokes = {}
    for name, spoke in value.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConfigError(source, f"{key}.{name}", "spoke names are short lower-case names such as apps")
        spokes[name] = _spoke(source, f"{key}.{name}", spoke)
    return spokes


def _east_west(source: str, key: str, value: Any) -> dict[str, dict[str, Any]]:
    """`{name: {from: [...], to: [...], ports: [...], description: ...}}`, shapes checked; the subnet names are
    resolved against the address plan by `_resolve_flows`."""
    value = structured(value)
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(source, key, "expected a mapping of flow name to {from: [spoke.subnet], to: [spoke.subnet], "
                                       f"ports: [443]}}, got {show(value)}")
    flows = {}
    for name, flow in value.items():
        where = f"{key}.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise ConfigError(source, where, "flow names are short lower-case names such as avd-to-internal-apps")
        flows[name] = section(source, where, flow, {"from": _endpoints, "to": _endpoints, "ports": _ports,
                                                     "description": string}, frozenset({"from", "to", "ports"}))
    return flows


def _endpoints(source: str, key: str, value: Any) -> tuple[str, ...]:
    value = structured(value)
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
        raise ConfigError(source, key, "expected a non-empty list of subnets as <spoke>.<subnet> or hub.<subnet>, "
                                       "connectivity.<range>, or CIDRs outside the environment, got "
                                       f"{show(value)}")
    return tuple(value)


def _ports(source: str, key: str, value: Any) -> tuple[int, ...]:
    value = structured(value)
    if not isinstance(value, list) or not value:
        raise ConfigError(source, key, f"expected a non-empty list of TCP ports such as [443], got {show(value)}")
    return tuple(integer(1, 65535)(source, f"{key}[{index}]", port) for index, port in enumerate(value))


def _connectivity_sources() -> Mapping[str, tuple[str, ...]]:
    """The connectivity stack's named ranges (`connectivity.<name>`), from its stack file (imported here: that
    module reads the environments' stack files through this one)."""
    from amsterdam_cloud.stacks.connectivity.config import named_sources
    return named_sources()


def _resolve_flows(source: str, key: str, flows: Mapping[str, Mapping[str, Any]], plan: AddressPlan,
                   block: ipaddress.IPv4Network) -> tuple[EastWestFlow, ...]:
    """Each flow with its subnets as CIDRs: `<spoke>.<subnet>` and `hub.<subnet>` from the address plan, the
    connectivity stack's ranges by name (`connectivity.on-premises`, `connectivity.vpn-clients`,
    `connectivity.ci-agents`), a CIDR only for any other range outside the environment's block."""
    named: dict[str, tuple[str, ...]] = {}

    def connectivity() -> Mapping[str, tuple[str, ...]]:
        if not named:
            named.update(_connectivity_sources())
        return named

    def cidrs(where: str, endpoint: str) -> tuple[str, ...]:
        range_name, _, name = endpoint.partition(".")
        if range_name == "connectivity" and "/" not in endpoint:
            if name not in connectivity():
                raise ConfigError(source, where, f"{endpoint!r}: stacks/connectivity/Pulumi.prod.yaml has no such "
                                                 "range (on-premises: set amsterdam-connectivity:"
                                                 "onPremisesAddressSpaces or siteToSite; vpn-clients: pointToSite); "
                                                 "expected one of "
                                                 f"{', '.join(f'connectivity.{n}' for n in connectivity())}")
            return connectivity()[name]
        return (subnet_cidr(where, endpoint),)

    def subnet_cidr(where: str, endpoint: str) -> str:
        range_name, dot, subnet = endpoint.partition(".")
        if "/" in endpoint:
            network = cidr(source, where, endpoint)
            if network.overlaps(block):
                raise ConfigError(source, where, f"{endpoint} lies in the environment's block; name the subnet as "
                                                 "<spoke>.<subnet> or hub.<subnet> instead")
            for name, named_ranges in connectivity().items():
                if any(network.overlaps(ipaddress.IPv4Network(other)) for other in named_ranges):
                    raise ConfigError(source, where, f"{endpoint} is the connectivity stack's {name} range; name it "
                                                     f"connectivity.{name} so it follows stacks/connectivity/"
                                                     "Pulumi.prod.yaml")
            return str(network)
        ranges = {"hub": plan.hub, **plan.spokes}
        if not dot or range_name not in ranges:
            raise ConfigError(source, where, f"{endpoint!r} names no subnet; expected <spoke>.<subnet> or "
                                             f"hub.<subnet> with a range of {', '.join(ranges)}")
        names = [item.name for item in ranges[range_name].subnets]
        if subnet not in names:
            raise ConfigError(source, where, f"{range_name} has no subnet {subnet!r}; expected one of "
                                             f"{', '.join(names)}")
        return ranges[range_name].subnet(subnet).cidr

    resolved = []
    for name, flow in flows.items():
        ends = {side: tuple(network for index, endpoint in enumerate(flow[side])
                            for network in cidrs(f"{key}.{name}.{side}[{index}]", endpoint))
                for side in ("from", "to")}
        resolved.append(EastWestFlow(
            name=name, description=flow.get("description", f"{', '.join(flow['from'])} to {', '.join(flow['to'])}"),
            source_ranges=ends["from"], destination_ranges=ends["to"], ports=flow["ports"]))
    return tuple(resolved)


def _network(source: str, key: str, value: Any) -> Network:
    """The address plan; overlap, outside the block and exhausted ranges are checked by the pure address plan."""
    fields = {"addressSpace": cidr, "hub": cidr, "spokes": _spokes, "eastWest": _east_west}
    read = section(source, key, value, fields, frozenset({"addressSpace", "hub", "spokes"}))
    block: ipaddress.IPv4Network = read["addressSpace"]
    spokes = {name: (str(cidr), subnets[0] if subnets else default_spoke_subnets(str(cidr)))
              for name, (cidr, subnets) in read["spokes"].items()}
    try:
        plan = plan_addresses(str(block), str(read["hub"]), spokes)
    except AddressPlanError as error:
        raise ConfigError(source, f"{key}.{error.where}", error.problem) from None
    granted: dict[str, list[str]] = {}  # profile -> CIDRs of the subnets that enable it, in declaration order
    for name, (_, subnets) in read["spokes"].items():
        for subnet, profiles in (subnets[1] if subnets else {}).items():
            for profile in profiles:
                granted.setdefault(profile, []).append(plan.spokes[name].subnet(subnet).cidr)
    return Network(address_space=str(block), hub=str(read["hub"]),
                   spokes={name: cidr for name, (cidr, _) in spokes.items()}, plan=plan,
                   egress=tuple(EgressGrant(profile=profile, source_ranges=tuple(ranges))
                                for profile, ranges in granted.items()),
                   east_west=_resolve_flows(source, f"{key}.eastWest", read.get("eastWest", {}), plan, block))


def _features(source: str, key: str, value: Any) -> Features:
    fields = {"zoneRedundancy": boolean, "resourceLocks": boolean, "protectStateful": boolean,
              "defenderPlans": boolean, "firewallPremium": boolean}
    read = section(source, key, value, fields, frozenset())
    return Features(**{snake(name): flag for name, flag in read.items()})


def _workload_profiles(source: str, key: str, value: Any) -> tuple[WorkloadProfile, ...]:
    value = structured(value)
    if not isinstance(value, list):
        raise ConfigError(source, key, "expected a list of profiles such as [{name: general, type: D4, "
                                       f"minimumCount: 1, maximumCount: 3}}], got {show(value)}")
    fields = {"name": matching(_NAME, "a short lower-case name such as general"),
              "type": one_of(WORKLOAD_PROFILE_TYPES), "minimumCount": integer(0, 100),
              "maximumCount": integer(1, 100)}
    profiles = []
    for index, item in enumerate(value):
        read = section(source, f"{key}[{index}]", item, fields, frozenset({"name", "type"}))
        minimum, maximum = read.get("minimumCount", 1), read.get("maximumCount", 3)
        if minimum > maximum:
            raise ConfigError(source, f"{key}[{index}].minimumCount", f"{minimum} exceeds maximumCount {maximum}")
        profiles.append(WorkloadProfile(name=read["name"], profile_type=read["type"], minimum_count=minimum,
                                        maximum_count=maximum))
    if len({p.name for p in profiles}) != len(profiles):
        raise ConfigError(source, key, "a profile name appears twice; each profile needs its own name")
    return tuple(profiles)


def _shared_hosting(source: str, key: str, value: Any) -> SharedHosting:
    fields = {"spoke": matching(_NAME, "a spoke name such as apps"),
              "subnet": matching(_NAME, "a subnet name such as containers"), "workloadProfiles": _workload_profiles}
    read = section(source, key, value, fields, frozenset())
    return SharedHosting(**{snake(name): item for name, item in read.items()})


def _thresholds(source: str, key: str, value: Any) -> tuple[int, ...]:
    value = structured(value)
    if not isinstance(value, list) or not value:
        raise ConfigError(source, key, f"expected a non-empty list of percentages such as [80, 100], got "
                                       f"{show(value)}")
    read = integer(1, 1000)
    thresholds = tuple(read(source, f"{key}[{index}]", item) for index, item in enumerate(value))
    if list(thresholds) != sorted(set(thresholds)):
        raise ConfigError(source, key, f"{list(thresholds)} is not strictly ascending; expected e.g. [50, 80, 100]")
    if len(thresholds) > 5:
        raise ConfigError(source, key, f"{len(thresholds)} thresholds; Azure budgets allow at most 5")
    return thresholds


RESOURCE_GROUP_NAME = re.compile(r"^[a-zA-Z0-9_.()-]{1,89}[a-zA-Z0-9_()-]$")
VIRTUAL_NETWORK_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$")


def _connectivity(source: str, key: str, value: Any) -> Connectivity:
    read = section(source, key, value, {
        "subscriptionId": matching(GUID, "the connectivity subscription's id (a GUID)"),
        "resourceGroupName": matching(RESOURCE_GROUP_NAME,
                                      "the connectivity resource group such as rg-connectivity-prod"),
        "virtualNetworkName": matching(VIRTUAL_NETWORK_NAME, "the connectivity hub network such as vnet-hub-prod"),
        "useGateway": boolean}, frozenset({"subscriptionId", "resourceGroupName", "virtualNetworkName"}))
    return Connectivity(ref=ConnectivityRef(subscription_id=read["subscriptionId"],
                                            resource_group_name=read["resourceGroupName"],
                                            virtual_network_name=read["virtualNetworkName"]),
                        use_gateway=read.get("useGateway", False))


DEPLOYER_PRINCIPAL_TYPES = SIGN_IN_PRINCIPAL_TYPES
"""What `deployerPrincipalType` may say; ARM answers UnmatchedPrincipalType when it does not match the principal."""


def _budget_start(source: str, key: str, value: Any) -> str:
    wrong = budgets.start_date_problem(value, budgets.this_month()) if isinstance(value, str) else "is not a string"
    if wrong is not None:
        raise ConfigError(source, key, f"{value!r} {wrong}; expected the first of a month from the current one to "
                                       "12 months ahead such as 2026-12-01T00:00:00Z, or leave it unset")
    return value


_FIELDS: dict[str, Reader[Any]] = {
    "environment": one_of(ENVIRONMENTS),
    "subscriptionId": matching(GUID, "a subscription GUID such as 00000000-0000-0000-0000-000000000000"),
    "tenantId": matching(GUID, "a tenant GUID such as 00000000-0000-0000-0000-000000000000"),
    "location": region,
    "tags": read_tags,
    "network": _network,
    "features": _features,
    "logRetentionDays": integer(30, 730),
    "budgetMonthlyEur": integer(1, 10_000_000),
    "alertEmails": emails,
    "alertWebhookUrl": secret,
    "budgetAlertThresholds": _thresholds,
    "budgetStartDate": _budget_start,
    "deployerPrincipalType": one_of(DEPLOYER_PRINCIPAL_TYPES),
    "connectivity": _connectivity,
    "sharedHosting": _shared_hosting,
}
_REQUIRED = frozenset({"environment", "subscriptionId", "tenantId", "location", "tags", "network",
                       "logRetentionDays", "budgetMonthlyEur", "alertEmails"})


def parse(raw: Mapping[str, Any], source: str, stack: str | None = None) -> StackConfig:
    """Validate a stack's config (keys as `project:key`, values as in the stack file or as the CLI passes them)."""
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=_REQUIRED, source=source, stack=stack)
    provider_location = raw.get("azure-native:location")
    if provider_location is not None and normalize_location(str(provider_location)) != read["location"]:
        raise ConfigError(source, "azure-native:location",
                          f"{provider_location!r} differs from {PROJECT}:location; expected {read['location']!r}")
    # The provider deploys into this subscription whatever the deployer's login says, and the pack's connectivity
    # exemption reads it to place a new public IP before Azure gives it an id.
    provider_subscription = raw.get("azure-native:subscriptionId")
    if provider_subscription is not None and str(provider_subscription).lower() != read["subscriptionId"].lower():
        raise ConfigError(source, "azure-native:subscriptionId", f"{provider_subscription!r} differs from "
                          f"{PROJECT}:subscriptionId; expected {read['subscriptionId']!r}")
    return StackConfig(
        source=source, environment=read["environment"], subscription_id=read["subscriptionId"],
        tenant_id=read["tenantId"], location=read["location"], tags=read["tags"], network=read["network"],
        features=read.get("features", Features()), log_retention_days=read["logRetentionDays"],
        budget_monthly_eur=read["budgetMonthlyEur"], alert_emails=read["alertEmails"],
        alert_webhook_url=read.get("alertWebhookUrl"),
        budget_alert_thresholds=read.get("budgetAlertThresholds", (80, 100)),
        budget_start_date=read.get("budgetStartDate"), deployer_principal_type=read.get("deployerPrincipalType"),
        connectivity=read.get("connectivity"),
        shared_hosting=_placed(source, read.get("sharedHosting", SharedHosting()), read["network"]))


def _placed(source: str, hosting: SharedHosting, network: Network) -> SharedHosting:
    """The shared environment's subnet must exist in the address plan (a typo would only fail at deploy)."""
    subnets = network.plan.spokes.get(hosting.spoke)
    if subnets is None or hosting.subnet not in {subnet.name for subnet in subnets.subnets}:
        raise ConfigError(source, f"{PROJECT}:sharedHosting", f"spoke {hosting.spoke!r} has no subnet "
                                                              f"{hosting.subnet!r}; name a delegated subnet of the "
                                                              "network's spokes")
    return hosting


# ---------------------------------------------------------------------------------------------------------------
# Where config comes from

def stack_file(stack: str, stacks_dir: Path = STACKS_DIR) -> Path:
    return stacks_dir / f"Pulumi.{stack}.yaml"


def load(stack: str, stacks_dir: Path = STACKS_DIR) -> StackConfig:
    """Read and validate `stacks/Pulumi.<stack>.yaml` (used by the offline tools)."""
    path = stack_file(stack, stacks_dir)
    return parse(read_stack_file(path), display(path), stack)


def from_pulumi() -> StackConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike)."""
    stack, raw = given_config()
    return parse(raw, f"stacks/Pulumi.{stack}.yaml", stack)
