"""Subscription vending: an app team's landing zone in one environment. A new subscription (an alias on the city's
billing scope) placed in the corp or online management group, its monthly budget, its activity log in the
environment's workspace, its spoke peered to the environment's hub with the hub firewall's rules for its range, an
identity that pulls from the environment's registry (AcrPull granted here, by the platform), the team's Container
Apps environment (its zone linked to the hubs here), an action group for its apps' alerts, and the app team
deployer role for the team's Entra group and its CI identity on that subscription (plus the monitoring role on the
environment's workspace, where Azure checks a link; nothing on the city's private link scope, where the connectivity
stack scopes the team's apps itself).
Private DNS records come from the landing zones' DINE policy, so the team needs no rights on the hub's zones; the
platform's resources stay the platform's.

The range comes from the environment's address plan (`next_free_range`, checked by the address plan's own overlap
and containment checks before anything is written: `stacks/landing_zones/team_files.py`).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Iterable

import pulumi
import pulumi_azure_native as azure_native
from pulumi_azure_native import authorization, managedidentity, monitor, network, resources, subscription

from amsterdam_cloud.core.environments import ENVIRONMENTS, container_apps_infrastructure_group
from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.app_hosting.container_apps_environment import ContainerAppsEnvironment, \
    ContainerAppsEnvironmentArgs
from amsterdam_cloud.components.governance.budget import monthly_budget
from amsterdam_cloud.components.governance.definitions import ROLE_DEFINITIONS
from amsterdam_cloud.components.governance.roles import APP_TEAM_MONITORING, deployer_condition
from amsterdam_cloud.components.interfaces import BUILTIN_ROLES, CommonArgs, InterfaceError, supports
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlanError, NetworkPlan, SubnetRequest
from amsterdam_cloud.components.landing_zone.east_west import EastWestFlow
from amsterdam_cloud.components.landing_zone.egress_profiles import EgressGrant
from amsterdam_cloud.components.landing_zone.firewall import rule_collections
from amsterdam_cloud.components.landing_zone.hub import HubRef
from amsterdam_cloud.components.landing_zone.management import ACTIVITY_LOG_CATEGORIES
from amsterdam_cloud.components.landing_zone.spoke import Spoke, SpokeArgs

TEAM_NAME = re.compile(r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$")
"""2-20 lower-case letters, digits and hyphens: `sub-<team>-<env>` and `rg-<team>-network-<env>` stay short."""
ARCHETYPES = ("corp", "online")
"""The landing zone management groups a team's subscription can be placed in."""
WORKLOADS = (subscription.Workload.PRODUCTION.value, subscription.Workload.DEV_TEST.value)
"""The subscription offers Azure knows (an alias's `workload`): Production, or DevTest at Dev/Test prices."""
BILLING_SCOPE = re.compile(r"^/providers/Microsoft\.Billing/billingAccounts/[^/]+"
                            r"(/enrollmentAccounts/[^/]+|/billingProfiles/[^/]+/invoiceSections/[^/]+"
                            r"|/customers/[^/]+)$")
"""The alias API's three billing scope forms: EA enrollment account, MCA invoice section, partner customer."""


def vended_subnets(cidr: str) -> tuple[SubnetRequest, ...]:
    """A vended spoke's subnets, the names the app template uses: half for Container Apps, a quarter each for App
    Service integration and private endpoints (a /24 gives /25, /26, /26)."""
    prefix = ipaddress.IPv4Network(cidr).prefixlen
    return (SubnetRequest(name="containers", prefix_length=prefix + 1, delegation="Microsoft.App/environments"),
            SubnetRequest(name="appservice", prefix_length=prefix + 2, delegation="Microsoft.Web/serverFarms"),
            SubnetRequest(name="endpoints", prefix_length=prefix + 2))


VENDED_EGRESS = {"containers": "container-apps", "appservice": "app-service-build"}
"""The egress profile each vended subnet gets through the hub firewall, as the platform's own app spoke's do."""
FIREWALL_PRIORITY_BASE = 1000
"""A vended range's rule collection group priority is this plus its /24's offset in the environment's block:
after the platform's groups (200-300), unique per range, stable when other teams come or go."""


def vended_flows(team: NetworkPlan, hosting: NetworkPlan, flows: Iterable[EastWestFlow]) -> tuple[EastWestFlow, ...]:
    """The platform's east-west flows into its app spoke (`hosting`), with the team's subnets of the same names as
    destinations: whoever reaches the platform's apps (AVD desktops, the pipelines' agents) reaches the team's."""
    by_range = {subnet.cidr: subnet.name for subnet in hosting.subnets}
    mine = {subnet.name: subnet.cidr for subnet in team.subnets}
    vended = []
    for flow in flows:
        targets = tuple(mine[by_range[cidr]] for cidr in flow.destination_ranges
                        if cidr in by_range and by_range[cidr] in mine)
        if targets:
            vended.append(EastWestFlow(name=flow.name, description=flow.description,
                                       source_ranges=flow.source_ranges, destination_ranges=targets,
                                       ports=flow.ports))
    return tuple(vended)


def firewall_priority(block: str, cidr: str) -> int:
    """The rule collection group priority of the vended range `cidr` inside the environment's `block`."""
    start, first = ipaddress.IPv4Network(cidr).network_address, ipaddress.IPv4Network(block).network_address
    offset = (int(start) - int(first)) >> 8
    priority = FIREWALL_PRIORITY_BASE + offset
    if not 0 <= offset or priority > 65000:
        raise AddressPlanError("addressSpace", f"{cidr} is not inside {block}; expected a range of the environment")
    return priority


def next_free_range(block: str, taken: Iterable[str], prefix_length: int) -> str:
    """The first range of `prefix_length` inside `block` that overlaps none of `taken` (aligned on its size)."""
    network = ipaddress.IPv4Network(block)
    if not network.prefixlen <= prefix_length <= 28:
        raise AddressPlanError("prefixLength", f"/{prefix_length} does not fit {block}; expected {network.prefixlen}"
                                               "-28")
    used = [ipaddress.IPv4Network(cidr) for cidr in taken]
    for candidate in network.subnets(new_prefix=prefix_length):
        if not any(candidate.overlaps(other) for other in used):
            return str(candidate)
    raise AddressPlanError("addressSpace", f"exhausted: no free /{prefix_length} left in {block}; expected a "
                                           "smaller range or a larger environment block")


@dataclass(frozen=True, kw_only=True)
class LandingZoneArgs(CommonArgs):
    SUPPORTS = supports("diagnostic_settings",
                        reason="a landing zone is a subscription, not a resource: it takes no lock, role "
                               "assignments, private endpoints or identity (the team's access is the deployer role) "
                               "and is always protected")
    team: str
    """The team's short name (`parkeren`): in the alias, the display name and every resource name."""
    environment: str
    """dev, test, acc or prod: the hub it peers with and the names and tags of its resources."""
    workload: str
    """The subscription's offer (WORKLOADS): the environment's config says which (`subscriptionWorkload` of the
    landing zones stack: DevTest for dev and test, Production for acc and prod)."""
    management_group_id: pulumi.Input[str]
    """The corp or online management group's resource id: where the new subscription is placed at creation."""
    billing_scope: str
    """The city's billing scope the subscription is created under (EA enrollment account or MCA invoice section)."""
    location: str
    """The spoke's region (the hub's)."""
    network: NetworkPlan
    """The spoke's range and subnets (`vended_subnets`), checked against the environment's address plan."""
    hub: HubRef
    """The environment's hub (from the platform stack's outputs) to peer with and route through."""
    hub_subscription_id: pulumi.Input[str]
    """The hub's subscription: the hub side of the peering is created there, by the platform's identity."""
    budget_monthly_eur: int
    """The subscription's monthly budget; the owner and the platform are told at 80% and 100% and on a forecast."""
    alert_emails: tuple[str, ...]
    """Who hears about the budget: the team's mailbox first, then the platform's."""
    entra_group_id: str
    """The team's Entra group (object id): app team deployer on this subscription, nothing elsewhere."""
    ci_principal_id: str
    """The team's CI identity (a service principal's object id, workload identity federation): the same role."""
    deployer_role_id: pulumi.Input[str]
    """The app team deployer custom role's id (components/governance/roles.py Rbac.role_definition_ids)."""
    registry_id: pulumi.Input[str]
    """The environment's container registry: the landing zone's pull identity gets AcrPull on it here, so the
    team's apps pull with that identity and the team grants nothing outside its subscription."""
    workspace_id: pulumi.Input[str]
    """The environment's Log Analytics workspace: the subscription's activity log goes there, and the team's
    principals get the monitoring role on it (its apps' diagnostic settings and Application Insights link to it)."""
    firewall_policy_name: pulumi.Input[str]
    """The hub firewall's policy (in `hub.resource_group_name`): it gets one rule collection group for this range."""
    firewall_priority: int
    """That group's priority (`firewall_priority`: unique per range in the environment)."""
    east_west: tuple[EastWestFlow, ...] = ()
    """Flows into the team's subnets (`vended_flows`); empty: nothing reaches them through the firewall."""
    dns_network_ids: tuple[pulumi.Input[str], ...] = ()
    """The networks whose DNS answers for the city (the environment hub, the connectivity hub): the team's Container
    Apps environment's zone is linked to them here (the team cannot join a hub network); empty: no links."""
    peer_after: tuple[pulumi.Resource, ...] = ()
    """Hub peerings of other landing zones to finish first (Azure rejects concurrent changes to the hub network);
    empty: no ordering."""
    policy_after: tuple[pulumi.Resource, ...] = ()
    """Other landing zones' rule collection groups to finish first (Azure rejects concurrent changes to one
    firewall policy); empty: no ordering."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.environment not in ENVIRONMENTS:
            raise InterfaceError(f"LandingZoneArgs.environment: {self.environment!r}; expected one of "
                                 f"{', '.join(ENVIRONMENTS)}")
        if self.workload not in WORKLOADS:
            raise InterfaceError(f"LandingZoneArgs.workload: {self.workload!r}; expected one of {', '.join(WORKLOADS)}")
        if not BILLING_SCOPE.match(self.billing_scope):
            raise InterfaceError(f"LandingZoneArgs.billing_scope: {self.billing_scope!r} is not a billing scope; "
                                 "expected /providers/Microsoft.Billing/billingAccounts/<account>/"
                                 "enrollmentAccounts/<id> or .../billingProfiles/<p>/invoiceSections/<s>")
        for key in ("entra_group_id", "ci_principal_id"):
            if not GUID.match(getattr(self, key)):
                raise InterfaceError(f"LandingZoneArgs.{key}: {getattr(self, key)!r} is not an object id (GUID)")
        if self.budget_monthly_eur < 1:
            raise InterfaceError("LandingZoneArgs.budget_monthly_eur: expected a positive amount in euros")
        if not self.alert_emails:
            raise InterfaceError("LandingZoneArgs.alert_emails: empty; expected the team's mailbox first")
        if not FIREWALL_PRIORITY_BASE <= self.firewall_priority <= 65000:
            raise InterfaceError(f"LandingZoneArgs.firewall_priority: {self.firewall_priority}; expected "
                                 f"{FIREWALL_PRIORITY_BASE}-65000 (firewall_priority of the range)")


class LandingZone(pulumi.ComponentResource):
    """`subscription_id`, `spoke` (its `resource_id` and `subnet_ids`), `resource_group_name`,
    `registry_pull_identity_id`, `action_group_id`, `container_apps_environment` and `firewall_rules` of the team's
    landing zone in one environment."""

    def __init__(self, name: str, args: LandingZoneArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:governance:LandingZone", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        alias = subscription.Alias(
            f"{name}-subscription", alias_name=f"sub-{args.team}-{args.environment}",
            properties=subscription.PutAliasRequestPropertiesArgs(
                display_name=f"sub-{args.team}-{args.environment}", billing_scope=args.billing_scope,
                workload=args.workload,
                additional_properties=subscription.PutAliasRequestAdditionalPropertiesArgs(
                    management_group_id=args.management_group_id, tags=tags)),
            opts=pulumi.ResourceOptions(parent=self, protect=True))  # the team's subscription: removed only on purpose
        self.subscription_id = alias.properties.apply(lambda properties: properties.subscription_id)
        scope = self.subscription_id.apply(lambda sid: f"/subscriptions/{sid}")

        # The team's subscription and the hub's each through their own provider (azure-native takes the
        # subscription from the provider).
        team = azure_native.Provider(f"{name}-provider", subscription_id=self.subscription_id, opts=child)
        hub = azure_native.Provider(f"{name}-hub-provider", subscription_id=args.hub_subscription_id, opts=child)
        in_team = pulumi.ResourceOptions(parent=self, provider=team)

        monthly_budget(f"{name}-budget", scope=scope, amount=args.budget_monthly_eur, emails=args.alert_emails,
                       parent=self)
        group = resources.ResourceGroup(
            f"{name}-network", resource_group_name=f"rg-{args.team}-network-{args.environment}",
            location=args.location, tags=tags, opts=in_team)
        self.spoke = Spoke(f"{name}-spoke", SpokeArgs(
            resource_group_name=group.name, location=args.location, network=args.network, hub=args.hub,
            hub_provider=hub, peer_after=args.peer_after, tags=args.tags,
            diagnostic_settings=args.diagnostic_settings),
            opts=pulumi.ResourceOptions(parent=self, providers={"azure-native": team}))
        self.resource_group_name = group.name

        # The activity log of the whole subscription to the environment's workspace (every category).
        monitor.SubscriptionDiagnosticSetting(
            f"{name}-activity-log", name="activity-log-to-central-workspace", workspace_id=args.workspace_id,
            logs=[monitor.SubscriptionLogSettingsArgs(category=category, enabled=True)
                  for category in ACTIVITY_LOG_CATEGORIES], opts=in_team)

        # The apps pull their images with this identity; AcrPull on the platform's registry is granted here.
        pull = managedidentity.UserAssignedIdentity(
            f"{name}-acrpull", resource_group_name=group.name, location=args.location,
            resource_name_=f"id-{args.team}-acrpull-{args.environment}", tags=tags, opts=in_team)
        authorization.RoleAssignment(
            f"{name}-acrpull-role", scope=args.registry_id, principal_id=pull.principal_id,
            principal_type="ServicePrincipal",
            role_definition_id=ROLE_DEFINITIONS + BUILTIN_ROLES["AcrPull"],
            description=f"{args.team}'s apps pull their images from the {args.environment} registry",
            opts=pulumi.ResourceOptions(parent=self, provider=hub))
        self.registry_pull_identity_id = pull.id

        # The team's Container Apps environment: internal in the `containers` subnet, its zone linked to the hubs
        # by the platform (a team able to join a hub network could shadow any name the city resolves).
        hosting = resources.ResourceGroup(
            f"{name}-hosting", resource_group_name=f"rg-{args.team}-hosting-{args.environment}",
            location=args.location, tags=tags, opts=in_team)
        self.container_apps_environment = ContainerAppsEnvironment(f"{name}-cae", ContainerAppsEnvironmentArgs(
            tags=args.tags, diagnostic_settings=args.diagnostic_settings, resource_group_name=hosting.name,
            location=args.location, environment_name=f"cae-{args.team}-{args.environment}",
            infrastructure_resource_group=container_apps_infrastructure_group(args.environment, args.team),
            infrastructure_subnet_id=self.spoke.subnet_ids["containers"],
            dns_virtual_network_ids=args.dns_network_ids),
            opts=pulumi.ResourceOptions(parent=self, providers={"azure-native": team}))

        # The apps' alerts go to the team (an action group in its own subscription).
        alerts = monitor.ActionGroup(
            f"{name}-alerts", resource_group_name=group.name, location="global", enabled=True,
            group_short_name=f"ag-{args.team}"[:12],
            email_receivers=[monitor.MicrosoftCommonEmailReceiverArgs(
                name=f"{args.team}-owner", email_address=args.alert_emails[0], use_common_alert_schema=True)],
            tags=tags, opts=in_team)
        self.action_group_id = alerts.id

        # The hub firewall's rules for this range: the platform's flows into its app spoke and the vended subnets'
        # egress profiles, in one rule collection group of its own.
        sources = {subnet.name: subnet.cidr for subnet in args.network.subnets}
        self.firewall_rules = network.FirewallPolicyRuleCollectionGroup(
            f"{name}-firewall", resource_group_name=args.hub.resource_group_name,
            firewall_policy_name=args.firewall_policy_name, rule_collection_group_name=f"lz-{args.team}",
            priority=args.firewall_priority,
            rule_collections=rule_collections(flows=args.east_west, grants=tuple(
                EgressGrant(profile=profile, source_ranges=(sources[subnet],))
                for subnet, profile in VENDED_EGRESS.items() if subnet in sources)),
            opts=pulumi.ResourceOptions(parent=self, provider=hub, depends_on=list(args.policy_after)))

        # The deployer role only on this subscription; its condition lets the team grant only its apps' data roles.
        # The monitoring role on the environment's workspace, where Azure checks a link from the team's resources;
        # nothing on the city's Azure Monitor scope (the connectivity stack scopes the team's apps itself).
        for key, principal, kind in (("team", args.entra_group_id, "Group"),
                                     ("ci", args.ci_principal_id, "ServicePrincipal")):
            authorization.RoleAssignment(
                f"{name}-{key}-deployer", scope=scope, principal_id=principal, principal_type=kind,
                role_definition_id=args.deployer_role_id,
                condition=deployer_condition(), condition_version="2.0",
                description=f"{args.team} deploys its apps in its own {args.environment} subscription",
                opts=child)
            authorization.RoleAssignment(
                f"{name}-{key}-monitoring-workspace", scope=args.workspace_id, principal_id=principal,
                principal_type=kind, role_definition_id=APP_TEAM_MONITORING.definition_id,
                description=f"{args.team}'s apps link their logs and telemetry to the {args.environment} workspace",
                opts=child)
        self.resource_id = alias.id
        self.register_outputs({"subscription_id": self.subscription_id, "resource_id": self.resource_id,
                               "spoke_id": self.spoke.resource_id,
                               "registry_pull_identity_id": self.registry_pull_identity_id,
                               "action_group_id": self.action_group_id,
                               "container_apps_environment_id": self.container_apps_environment.resource_id})
