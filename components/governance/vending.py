"""Subscription vending: an app team's landing zone in one environment. A new subscription (an alias on the city's
billing scope) placed in the corp or online management group, its monthly budget, its spoke peered to the
environment's hub, and the app team deployer role for the team's Entra group and its CI identity on that
subscription only. Private DNS records come from the landing zones' DINE policy, so the team needs no rights on the
hub's zones; the platform's resources stay the platform's.

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
from pulumi_azure_native import authorization, resources, subscription

from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.components.governance.budget import monthly_budget
from amsterdam_cloud.components.governance.roles import deployer_condition
from amsterdam_cloud.components.interfaces import CommonArgs, InterfaceError, supports
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlanError, NetworkPlan, SubnetRequest
from amsterdam_cloud.components.landing_zone.hub import HubRef
from amsterdam_cloud.components.landing_zone.spoke import Spoke, SpokeArgs

ARCHETYPES = ("corp", "online")
"""The landing zone management groups a team's subscription can be placed in."""
WORKLOADS = {"dev": "DevTest", "test": "DevTest", "acc": "Production", "prod": "Production"}
"""Each environment's subscription offer: dev and test at Dev/Test prices, acc and prod as production."""
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
    """dev, test, acc or prod: the hub it peers with and the subscription's offer (WORKLOADS)."""
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
    peer_after: tuple[pulumi.Resource, ...] = ()
    """Hub peerings of other landing zones to finish first (Azure rejects concurrent changes to the hub network);
    empty: no ordering."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.environment not in WORKLOADS:
            raise InterfaceError(f"LandingZoneArgs.environment: {self.environment!r}; expected one of "
                                 f"{', '.join(WORKLOADS)}")
        if not BILLING_SCOPE.match(self.billing_scope):
            raise InterfaceError(f"LandingZoneArgs.billing_scope: {self.billing_scope!r} is not a billing scope; "
                                 "expected /providers/Microsoft.Billing/billingAccounts/<account>/"
                                 "enrollmentAccounts/<id> or .../billingProfiles/<p>/invoiceSections/<s>")
        for key in ("entra_group_id", "ci_principal_id"):
            if not GUID.match(getattr(self, key)):
                raise InterfaceError(f"LandingZoneArgs.{key}: {getattr(self, key)!r} is not an object id (GUID)")
        if self.budget_monthly_eur < 1:
            raise InterfaceError("LandingZoneArgs.budget_monthly_eur: expected a positive amount in euros")


class LandingZone(pulumi.ComponentResource):
    """`subscription_id`, `spoke` (its `resource_id` and `subnet_ids`) and `resource_group_name` of the team's
    landing zone in one environment."""

    def __init__(self, name: str, args: LandingZoneArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:governance:LandingZone", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        alias = subscription.Alias(
            f"{name}-subscription", alias_name=f"sub-{args.team}-{args.environment}",
            properties=subscription.PutAliasRequestPropertiesArgs(
                display_name=f"sub-{args.team}-{args.environment}", billing_scope=args.billing_scope,
                workload=WORKLOADS[args.environment],
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

        # The deployer role only on this subscription; its condition lets the team grant only its apps' data roles.
        for key, principal, kind in (("team", args.entra_group_id, "Group"),
                                     ("ci", args.ci_principal_id, "ServicePrincipal")):
            authorization.RoleAssignment(
                f"{name}-{key}-deployer", scope=scope, principal_id=principal, principal_type=kind,
                role_definition_id=args.deployer_role_id,
                condition=deployer_condition(), condition_version="2.0",
                description=f"{args.team} deploys its apps in its own {args.environment} subscription",
                opts=child)
        self.resource_id = alias.id
        self.register_outputs({"subscription_id": self.subscription_id, "resource_id": self.resource_id,
                               "spoke_id": self.spoke.resource_id})
