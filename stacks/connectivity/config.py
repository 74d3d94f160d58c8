"""The connectivity stack's typed config, read and validated once; errors name the file, the key and the fix.

One stack (`prod`) for the city: every environment's hub attaches to the same connectivity hub, zones, resolver and
gateways, so there is one set of private-link zones for on-premises DNS to forward to.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.app_config import NAME as APP_NAME
from amsterdam_cloud.core.environments import ENVIRONMENTS, app_insights_id, central_workspace_id, \
    collection_endpoint_id
from amsterdam_cloud.core.ids import GUID, LOG_ANALYTICS_WORKSPACE_ID
from amsterdam_cloud.components.governance.vending import TEAM_NAME
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlanError, carve, refuse_overlap
from amsterdam_cloud.components.landing_zone.connectivity import (AGENTS_SUBNET, CONNECTIVITY_SUBNETS, CiAgents,
                                                                  ConnectivityRef, ExpressRoute, ForwardedZone,
                                                                  PointToSite, SiteToSite)
from amsterdam_cloud.core.program_config import ConfigError, given_config, read_stack_file, SecretValue, structured
from amsterdam_cloud.core.config_readers import (boolean, cidr, integer, list_of, matching, one_of, read_project_keys,
                                                 region, secret, section, show, string)
from amsterdam_cloud.stacks import config as platform_config
from amsterdam_cloud.stacks.config import RESOURCE_GROUP_NAME, VIRTUAL_NETWORK_NAME, Tags, read_tags
from amsterdam_cloud.stacks.landing_zones.team_files import Team, load_teams

PROJECT = "amsterdam-connectivity"
STACKS_DIR = Path(__file__).resolve().parent
CONNECTIVITY_STACK = "prod"

_WORKSPACE = LOG_ANALYTICS_WORKSPACE_ID
_CIRCUIT = re.compile(r"^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/"
                      r"Microsoft.Network/expressRouteCircuits/[^/]+$", re.IGNORECASE)
_ORGANIZATION = re.compile(r"^https://dev\.azure\.com/[A-Za-z0-9][A-Za-z0-9-]{0,48}$")


@dataclass(frozen=True, kw_only=True)
class Features:
    """Switches; each default is the cheaper behaviour."""

    zone_redundancy: bool = False
    """Off: the firewall in one zone; on: across zones 1-3."""
    resource_locks: bool = False
    """Off: no CanNotDelete locks; on: the firewall and its policy are locked (never the hub network, whose children
    are every environment's peerings: it is protected instead)."""
    firewall_premium: bool = False
    """Off: Azure Firewall Standard; on: Premium with IDPS in deny mode."""


@dataclass(frozen=True, kw_only=True)
class Environment:
    """What this stack reads of an environment's validated stack file (`stacks/Pulumi.<env>.yaml`)."""

    block: str
    """The environment's address block: this hub's ranges stay outside it."""
    subscription_id: str
    """Its platform subscription: where its workspace and data collection endpoint are."""
    connectivity: ConnectivityRef | None
    """The connectivity hub it attaches to (None: a stand-alone environment with its own scope)."""


@dataclass(frozen=True, kw_only=True)
class MonitoredEnvironment:
    """An environment whose workspace and data collection endpoint the city's Azure Monitor scope holds."""

    environment: str
    workspace_id: str
    """Derived: `core.environments.central_workspace_id`."""
    endpoint_id: str
    """Derived: `core.environments.collection_endpoint_id`."""


@dataclass(frozen=True, kw_only=True)
class ScopedApp:
    """An app's Application Insights component the city's Azure Monitor scope holds in one environment."""

    app: str
    environment: str
    component_id: str
    """Derived: `core.environments.app_insights_id` in the subscription the app runs in (the environment's platform
    subscription, or its team's vended one as the team file records it)."""


@dataclass(frozen=True, kw_only=True)
class ConnectivityConfig:
    source: str
    ref: ConnectivityRef
    tenant_id: str
    location: str
    address_space: str
    tags: Tags
    workspace_id: str | None
    """The central workspace the hub's logs go to; None on the green-field first run (prod's platform stack, which
    creates it, needs this stack first): no diagnostic settings, and the plan warns."""
    forwarded_zones: tuple[ForwardedZone, ...]
    site_to_site: SiteToSite | None
    point_to_site: PointToSite | None
    express_route: ExpressRoute | None
    ci_agents: CiAgents | None
    features: Features
    monitored_environments: tuple[MonitoredEnvironment, ...] = ()
    """Whose entries the city's scope holds; every other attached environment is listed in `pendingEnvironments`
    (the green-field first run: their resources do not exist yet)."""
    apps: tuple[ScopedApp, ...] = ()
    """The apps' components the scope holds (`apps`); an app's environment still listed under `pending` has none."""

    @property
    def azure_tags(self) -> dict[str, str]:
        return self.tags.as_azure_tags(CONNECTIVITY_STACK)


def _ipv4(source: str, key: str, value: Any) -> str:
    text = string(source, key, value)
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        raise ConfigError(source, key, f"expected an IPv4 address such as 172.16.0.10, got {show(value)}") from None


def _cidrs(source: str, key: str, value: Any) -> tuple[str, ...]:
    return tuple(str(network) for network in list_of(cidr)(source, key, value))


def _forwarded_zones(source: str, key: str, value: Any) -> tuple[ForwardedZone, ...]:
    value = structured(value)
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(source, key, f"expected a mapping of zone to DNS servers such as {{amsterdam.local: "
                                       f"[172.16.0.10]}}, got {show(value)}")
    return tuple(ForwardedZone(domain=str(domain), dns_servers=list_of(_ipv4)(source, f"{key}.{domain}", servers))
                 for domain, servers in value.items())


def _site_to_site(source: str, key: str, value: Any) -> dict[str, Any]:
    return section(source, key, value, {"gatewayIp": _ipv4_public, "addressSpaces": _cidrs},
                    frozenset({"gatewayIp", "addressSpaces"}))


def _ipv4_public(source: str, key: str, value: Any) -> str:
    address = _ipv4(source, key, value)
    if ipaddress.IPv4Address(address).is_private:
        raise ConfigError(source, key, f"{address} is a private address; expected the on-premises device's public "
                                       "IPv4 address")
    return address


def _point_to_site(source: str, key: str, value: Any) -> dict[str, Any]:
    return section(source, key, value, {"clientAddressPool": cidr, "routes": _cidrs},
                    frozenset({"clientAddressPool"}))


def _express_route(source: str, key: str, value: Any) -> dict[str, Any]:
    return section(source, key, value, {"circuitId": matching(_CIRCUIT, "an ExpressRoute circuit's resource id")},
                    frozenset({"circuitId"}))


def _ci_agents(source: str, key: str, value: Any) -> CiAgents:
    read = section(source, key, value, {
        "organizationUrl": matching(_ORGANIZATION, "an Azure DevOps organisation URL such as "
                                                    "https://dev.azure.com/gemeente-amsterdam"),
        "devOpsInfrastructurePrincipalId": matching(GUID, "the object id of the tenant's DevOpsInfrastructure "
                                                            "service principal (a GUID)"),
        "maximumConcurrency": integer(1, 1000)}, frozenset({"organizationUrl", "devOpsInfrastructurePrincipalId"}))
    return CiAgents(organization_url=read["organizationUrl"],
                    devops_infrastructure_principal_id=read["devOpsInfrastructurePrincipalId"],
                    maximum_concurrency=read.get("maximumConcurrency", 4))


def _features(source: str, key: str, value: Any) -> Features:
    read = section(source, key, value, {"zoneRedundancy": boolean, "resourceLocks": boolean,
                                         "firewallPremium": boolean}, frozenset())
    return Features(zone_redundancy=read.get("zoneRedundancy", False),
                    resource_locks=read.get("resourceLocks", False),
                    firewall_premium=read.get("firewallPremium", False))


def _app_mapping(source: str, key: str, value: Any) -> Mapping[str, Any]:
    value = structured(value)
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, f"expected a mapping of app name to {{team, environments, pending}}, such as "
                                       f"{{parkeer: {{environments: [dev]}}}}, got {show(value)}")
    return value


_FIELDS = {
    "subscriptionId": matching(GUID, "the connectivity subscription's id (a GUID)"),
    "tenantId": matching(GUID, "the Entra tenant id (a GUID)"),
    "location": region,
    "resourceGroupName": matching(RESOURCE_GROUP_NAME, "a resource group name such as rg-connectivity-prod"),
    "virtualNetworkName": matching(VIRTUAL_NETWORK_NAME, "a virtual network name such as vnet-hub-prod"),
    "addressSpace": cidr,
    "tags": read_tags,
    "workspaceId": matching(_WORKSPACE, "the central Log Analytics workspace's resource id"),
    "forwardedZones": _forwarded_zones,
    "siteToSite": _site_to_site,
    "vpnSharedKey": secret,
    "pointToSite": _point_to_site,
    "expressRoute": _express_route,
    "expressRouteAuthorizationKey": secret,
    "ciAgents": _ci_agents,
    "features": _features,
    "onPremisesAddressSpaces": _cidrs,
    "monitoredEnvironments": list_of(one_of(ENVIRONMENTS)),
    "pendingEnvironments": list_of(one_of(ENVIRONMENTS)),
    "apps": _app_mapping,
}
_REQUIRED = frozenset({"subscriptionId", "tenantId", "location", "resourceGroupName", "virtualNetworkName",
                       "addressSpace", "tags"})


def environments(stacks_dir: Path = platform_config.STACKS_DIR) -> dict[str, Environment]:
    """Each environment's block, subscription and connectivity hub, from its validated stack file."""
    read = {environment: platform_config.load(environment, stacks_dir) for environment in ENVIRONMENTS}
    return {environment: Environment(block=config.network.address_space, subscription_id=config.subscription_id,
                                     connectivity=config.connectivity.ref if config.connectivity else None)
            for environment, config in read.items()}


def _monitored(source: str, names: tuple[str, ...], pending: tuple[str, ...], ref: ConnectivityRef,
               known: Mapping[str, Environment]) -> tuple[MonitoredEnvironment, ...]:
    """The environments to scope, each attached to this hub (a stand-alone one has its own scope), ids derived;
    every attached environment is either scoped or explicitly pending (its platform stack not deployed yet), so
    none silently loses private ingestion."""
    key = f"{PROJECT}:monitoredEnvironments"
    if len(set(names)) != len(names):
        raise ConfigError(source, key, f"lists an environment twice ({', '.join(names)}); name each once")
    if both := sorted(set(names) & set(pending)):
        raise ConfigError(source, f"{PROJECT}:pendingEnvironments", f"{both[0]} is also in monitoredEnvironments; "
                                                                    "name it in one of them")
    for index, name in enumerate(names):
        if name not in known or known[name].connectivity != ref:
            raise ConfigError(source, f"{key}[{index}]", f"environment {name} does not attach to this hub "
                                                         f"(amsterdam-platform:connectivity in stacks/Pulumi.{name}.yaml "
                                                         "names other names, or none); attach it there or remove it here")
    for name, environment in known.items():
        if environment.connectivity == ref and name not in names and name not in pending:
            raise ConfigError(source, key, f"environment {name} attaches to this hub (stacks/Pulumi.{name}.yaml) "
                                           "but is not listed, so its workspace and DCE would receive nothing "
                                           "privately; add it here, or to pendingEnvironments until its platform "
                                           "stack is deployed")
    return tuple(MonitoredEnvironment(
        environment=name, workspace_id=central_workspace_id(known[name].subscription_id, name),
        endpoint_id=collection_endpoint_id(known[name].subscription_id, name)) for name in names)


def _apps(source: str, value: Mapping[str, Any], monitored: tuple[MonitoredEnvironment, ...], ref: ConnectivityRef,
          known: Mapping[str, Environment], teams: Mapping[str, Team]) -> tuple[ScopedApp, ...]:
    """The apps' components to scope: each app by name, in the environments it is deployed in (`environments`),
    with those declared but not deployed yet under `pending` (an entry needs its component). With `team`, in each
    environment where that team has a landing zone it runs there (subscription: the team file's record), elsewhere on
    the platform, as `cityctl vend --app-dir` points its stacks; without, on the environment's platform
    subscription."""
    scoped: list[ScopedApp] = []
    monitored_names = {environment.environment for environment in monitored}
    for name, spec in value.items():
        key = f"{PROJECT}:apps.{name}"
        if not isinstance(name, str) or not APP_NAME.match(name):
            raise ConfigError(source, key, "not an app name; expected the app's app:app.name (2-24 lower-case "
                                           "letters, digits and hyphens, starting with a letter)")
        read = section(source, key, spec, {
            "team": matching(TEAM_NAME, "a vended team's name (stacks/landing_zones/teams/<team>.yaml)"),
            "environments": list_of(one_of(ENVIRONMENTS), empty=True, distinct=True),
            "pending": list_of(one_of(ENVIRONMENTS), distinct=True)}, frozenset({"environments"}))
        deployed, waiting = read["environments"], read.get("pending", ())
        if both := sorted(set(deployed) & set(waiting)):
            raise ConfigError(source, f"{key}.pending", f"{both[0]} is also in environments; name it in one of them")
        team = teams.get(read["team"]) if "team" in read else None
        if "team" in read and team is None:
            raise ConfigError(source, f"{key}.team", f"no team {read['team']!r} in stacks/landing_zones/teams/; "
                                                     f"expected one of {', '.join(sorted(teams)) or 'none'}")
        for env in (*deployed, *waiting):
            where = f"{key}.{'environments' if env in deployed else 'pending'}"
            if known[env].connectivity != ref:
                raise ConfigError(source, where, f"environment {env} does not attach to this hub "
                                                 f"(stacks/Pulumi.{env}.yaml); its apps are not scoped here")
        for env in deployed:
            if env not in monitored_names:
                raise ConfigError(source, f"{key}.environments", f"environment {env} is not monitored yet "
                                                                 "(pendingEnvironments), so the app cannot be "
                                                                 "deployed there; list it under pending")
            zone = team if team is not None and env in team.ranges else None  # else on the platform
            if zone is not None and env not in zone.subscriptions:
                raise ConfigError(source, f"{key}.environments", f"{zone.source}: environments.{env}.subscriptionId "
                                                                 f"is not recorded, so {name}'s component id is "
                                                                 "unknown; record it (`pulumi stack output "
                                                                 "landingZones` of the landing zones stack) or list "
                                                                 f"{env} under pending")
            subscription = zone.subscriptions[env] if zone is not None else known[env].subscription_id
            scoped.append(ScopedApp(app=name, environment=env,
                                    component_id=app_insights_id(subscription, name, env)))
    return tuple(scoped)


def _refuse_environment_overlaps(source: str, read: Mapping[str, Any], blocks: Mapping[str, str]) -> None:
    """Refuse a hub range, VPN client pool or on-premises range inside an environment's block (or the pool in
    the hub): Azure accepts it, then the gateway-transit routes and the `rt-gateway` block routes collide."""
    taken = {f"environment {environment}'s block (stacks/Pulumi.{environment}.yaml)": block
             for environment, block in blocks.items()}
    ranges = [("addressSpace", str(read["addressSpace"]))]
    taken_with_hub = {**taken, "addressSpace": str(read["addressSpace"])}
    if (p2s := read.get("pointToSite")) is not None:
        ranges.append(("pointToSite.clientAddressPool", str(p2s["clientAddressPool"])))
    if (site := read.get("siteToSite")) is not None:
        ranges += [(f"siteToSite.addressSpaces[{index}]", space) for index, space in enumerate(site["addressSpaces"])]
    ranges += [(f"onPremisesAddressSpaces[{index}]", space)
               for index, space in enumerate(read.get("onPremisesAddressSpaces", ()))]
    for key, network in ranges:
        try:
            refuse_overlap(network, key, taken if key == "addressSpace" else taken_with_hub,
                           "a range outside every environment and the hub")
        except AddressPlanError as error:
            raise ConfigError(source, f"{PROJECT}:{key}", error.problem) from None


def parse(raw: Mapping[str, Any], source: str, stack: str, known: Mapping[str, Environment] | None = None,
          teams: tuple[Team, ...] | None = None) -> ConnectivityConfig:
    """Validate the stack's config (keys as `project:key`, values as in the stack file or as the CLI passes them);
    `known` are the environments, read from their stack files unless given, `teams` the vended teams' files."""
    if stack != CONNECTIVITY_STACK:
        raise ConfigError(source, "stack", f"the connectivity project has one stack for the city, "
                                           f"{CONNECTIVITY_STACK!r}")
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=_REQUIRED, source=source, stack=None)
    site = read.get("siteToSite")
    if site is not None and "vpnSharedKey" not in read:
        raise ConfigError(source, f"{PROJECT}:vpnSharedKey", "required with siteToSite; set it with `pulumi config "
                                                             f"set --secret {PROJECT}:vpnSharedKey <key>`")
    if site is None and "vpnSharedKey" in read:
        raise ConfigError(source, f"{PROJECT}:vpnSharedKey", "set without siteToSite; remove it or add siteToSite")
    p2s, er = read.get("pointToSite"), read.get("expressRoute")
    authorization: SecretValue | None = read.get("expressRouteAuthorizationKey")
    if authorization is not None and er is None:
        raise ConfigError(source, f"{PROJECT}:expressRouteAuthorizationKey", "set without expressRoute; remove it "
                                                                             "or add expressRoute")
    if er is not None and not _on_premises(read):
        raise ConfigError(source, f"{PROJECT}:onPremisesAddressSpaces", "required with expressRoute (the city's "
                                                                       "ranges, which environments admit as "
                                                                       "connectivity.on-premises), e.g. "
                                                                       "[172.16.0.0/16]")
    if site is not None and "onPremisesAddressSpaces" in read and \
            set(read["onPremisesAddressSpaces"]) != set(site["addressSpaces"]):
        raise ConfigError(source, f"{PROJECT}:onPremisesAddressSpaces", "differs from siteToSite.addressSpaces; "
                                                                       "the city network is one set of ranges")
    address_space = str(read["addressSpace"])
    try:
        carve(address_space, CONNECTIVITY_SUBNETS, "addressSpace")
    except AddressPlanError as error:
        raise ConfigError(source, f"{PROJECT}:addressSpace", error.problem) from None
    known = environments() if known is None else known
    _refuse_environment_overlaps(source, read, {name: environment.block for name, environment in known.items()})
    ref = ConnectivityRef(subscription_id=read["subscriptionId"], resource_group_name=read["resourceGroupName"],
                          virtual_network_name=read["virtualNetworkName"])
    monitored = _monitored(source, read.get("monitoredEnvironments", ()), read.get("pendingEnvironments", ()), ref,
                           known)
    teams = load_teams() if teams is None else teams
    return ConnectivityConfig(
        source=source, tenant_id=read["tenantId"], location=read["location"], address_space=address_space,
        ref=ref, monitored_environments=monitored,
        apps=_apps(source, read.get("apps", {}), monitored, ref, known, {team.name: team for team in teams}),
        tags=read["tags"], workspace_id=read.get("workspaceId"), forwarded_zones=read.get("forwardedZones", ()),
        site_to_site=SiteToSite(gateway_ip=site["gatewayIp"], address_spaces=site["addressSpaces"],
                                shared_key=read["vpnSharedKey"].value) if site else None,
        point_to_site=PointToSite(client_address_pool=str(p2s["clientAddressPool"]), tenant_id=read["tenantId"],
                                  routes=p2s.get("routes", ())) if p2s else None,
        express_route=ExpressRoute(circuit_id=er["circuitId"],
                                   authorization_key=authorization.value if authorization else None) if er else None,
        ci_agents=read.get("ciAgents"), features=read.get("features", Features()))


def _on_premises(read: Mapping[str, Any]) -> tuple[str, ...]:
    """The city network's ranges: `onPremisesAddressSpaces` (the one key for ExpressRoute, whose prefixes arrive by
    BGP), else the site-to-site tunnel's `addressSpaces`; empty without either."""
    if "onPremisesAddressSpaces" in read:
        return tuple(read["onPremisesAddressSpaces"])
    site = read.get("siteToSite")
    return tuple(site["addressSpaces"]) if site is not None else ()


def named_sources() -> dict[str, tuple[str, ...]]:
    """The ranges environments name in their east-west flows as `connectivity.<name>`, as CIDRs: `on-premises`
    (the city network: `onPremisesAddressSpaces`, else `siteToSite.addressSpaces`), `vpn-clients` (`pointToSite.clientAddressPool`), `ci-agents` (the
    agents' subnet carved from `addressSpace`); those the committed config has. Read from the stack file at call time
    (so every environment follows a change), checked like the stack's own config but without the environments'
    blocks (which would read the environments again: `parse` checks those)."""
    path = STACKS_DIR / f"Pulumi.{CONNECTIVITY_STACK}.yaml"
    read = read_project_keys(read_stack_file(path), project=PROJECT, fields=_FIELDS, required=_REQUIRED,
                             source=f"stacks/connectivity/Pulumi.{CONNECTIVITY_STACK}.yaml", stack=None)
    try:
        placed = carve(str(read["addressSpace"]), CONNECTIVITY_SUBNETS, "addressSpace")
    except AddressPlanError as error:
        raise ConfigError(f"stacks/connectivity/Pulumi.{CONNECTIVITY_STACK}.yaml", f"{PROJECT}:addressSpace",
                          error.problem) from None
    sources = {"ci-agents": tuple(subnet.cidr for subnet in placed if subnet.name == AGENTS_SUBNET)}
    if (on_premises := _on_premises(read)):
        sources["on-premises"] = on_premises
    if (p2s := read.get("pointToSite")) is not None:
        sources["vpn-clients"] = (str(p2s["clientAddressPool"]),)
    return sources


def load(stack: str = CONNECTIVITY_STACK, stacks_dir: Path = STACKS_DIR) -> ConnectivityConfig:
    """Read and validate `stacks/connectivity/Pulumi.<stack>.yaml` (tests, offline tools)."""
    return parse(read_stack_file(stacks_dir / f"Pulumi.{stack}.yaml"), f"stacks/connectivity/Pulumi.{stack}.yaml",
                 stack)


def from_pulumi() -> ConnectivityConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike)."""
    stack, raw = given_config()
    return parse(raw, f"stacks/connectivity/Pulumi.{stack}.yaml", stack)
