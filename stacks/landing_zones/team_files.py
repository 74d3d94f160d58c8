"""App teams' landing zones as files: `stacks/landing_zones/teams/<team>.yaml`, one per team, written by
`cityctl vend <team>` and read by the governance program. Validated once; every mistake names the file, the key
and the fix.

Each team's spoke range per environment lies in that environment's block (`stacks/Pulumi.<env>.yaml`, the one
address plan) and is checked with the platform's hub and spokes and every other team's spokes by the address
plan's own overlap and containment checks.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.ids import COST_CENTER, GUID
from amsterdam_cloud.components.app_hosting.config import CITY_MAIL_DOMAIN
from amsterdam_cloud.components.governance.vending import ARCHETYPES, TEAM_NAME, next_free_range, vended_subnets
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlanError, NetworkPlan, SubnetRequest, carve
from amsterdam_cloud.components.landing_zone.address_plan import plan as plan_addresses
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.core.program_config import ConfigError
from amsterdam_cloud.core.config_readers import matching, show
from amsterdam_cloud.stacks.config import load as load_platform, Network

TEAMS_DIR = Path(__file__).resolve().parent / "teams"
_MAILBOX = re.compile(r"^[a-z0-9][a-z0-9._-]*" + re.escape(CITY_MAIL_DOMAIN) + "$")
PREFIX_LENGTHS = (22, 23, 24)
"""A vended spoke is a /24 by default (Container Apps /25, App Service /26, endpoints /26); /23 or /22 on request."""
_FIELDS = ("team", "owner", "costCenter", "dataClassification", "archetype", "entraGroupId", "ciPrincipalId",
           "budgetMonthlyEur", "environments")


@dataclass(frozen=True, kw_only=True)
class Team:
    """One team's landing zones: who, what it costs, and its spoke range per environment."""

    name: str
    owner: str
    """The team's @amsterdam.nl mailbox: the owner tag and the budget's first recipient."""
    cost_center: str
    data_classification: str
    """The highest BIO level the team's apps hold (BBN1-3): the subscription's data-classification tag."""
    archetype: str
    """corp (reached through the hub only) or online (internet-facing through the city's WAF)."""
    entra_group_id: str
    ci_principal_id: str
    budget_monthly_eur: int
    ranges: Mapping[str, str]
    """Environment to the spoke's range; an environment left out gets no landing zone."""
    subscriptions: Mapping[str, str] = field(default_factory=dict)
    """Environment to the vended subscription's id, recorded once that environment's landing zones stack created it
    (`pulumi stack output landingZones`; the stack refuses a record that differs): the connectivity stack derives
    the team's apps' Application Insights ids from it. An environment not yet recorded has no scoped apps."""
    source: str = ""

    def tags(self, environment: str) -> dict[str, str]:
        return {"owner": self.owner, "cost-center": self.cost_center, "environment": environment,
                "data-classification": self.data_classification, "application": f"lz-{self.name}"}

    def network(self, environment: str) -> NetworkPlan:
        """The spoke's range and its subnets (`vended_subnets`), placed by the address plan's carver."""
        cidr = self.ranges[environment]
        return NetworkPlan(name=self.name, cidr=cidr,
                           subnets=carve(cidr, vended_subnets(cidr), f"teams.{self.name}.{environment}"))

    def as_document(self) -> dict[str, Any]:
        return {"team": self.name, "owner": self.owner, "costCenter": self.cost_center,
                "dataClassification": self.data_classification, "archetype": self.archetype,
                "entraGroupId": self.entra_group_id, "ciPrincipalId": self.ci_principal_id,
                "budgetMonthlyEur": self.budget_monthly_eur,
                "environments": {env: {"addressSpace": cidr, **({"subscriptionId": self.subscriptions[env]}
                                                                 if env in self.subscriptions else {})}
                                 for env, cidr in self.ranges.items()}}


def check_field(source: str, key: str, value: Any, where: str = "") -> Any:
    """One team field (`key` of the file), as the file or `cityctl vend`'s option `where` gives it."""
    where = where or key
    readers = {"team": matching(TEAM_NAME, "2-20 lower-case letters, digits and hyphens, e.g. parkeren"),
               "owner": matching(_MAILBOX, f"the team's {CITY_MAIL_DOMAIN} mailbox, e.g. parkeren{CITY_MAIL_DOMAIN}"),
               "costCenter": matching(COST_CENTER, "a cost centre such as CC-4120"),
               "entraGroupId": matching(GUID, "an Entra object id (a lower-case GUID)"),
               "ciPrincipalId": matching(GUID, "an Entra object id (a lower-case GUID)")}
    if key in readers:
        return readers[key](source, where, value)
    choices = {"archetype": ARCHETYPES, "dataClassification": DATA_CLASSIFICATIONS}
    if key in choices:
        if value not in choices[key]:
            raise ConfigError(source, where, f"expected one of {', '.join(choices[key])}, got {show(value)}")
        return value
    if key == "budgetMonthlyEur":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
            raise ConfigError(source, where, f"expected whole euros from 1 to 1000000, got {show(value)}")
        return value
    raise ConfigError(source, where, f"unknown key; expected one of {', '.join(_FIELDS)}")


def check_identities(source: str, group: str, ci: str, where: str = "ciPrincipalId") -> None:
    """The team's group and CI identity are two principals: Azure refuses a second deployer assignment for the same
    principal, role and scope (RoleAssignmentExists) and a principal type that does not match it."""
    if group == ci:
        raise ConfigError(source, where, f"{ci} is also the team's Entra group; expected the CI identity's own "
                                         "service principal object id")


def parse_team(document: Any, source: str) -> Team:
    if not isinstance(document, Mapping):
        raise ConfigError(source, "team", f"expected a mapping with {', '.join(_FIELDS)}, got {show(document)}")
    for key in document:
        if key not in _FIELDS:
            raise ConfigError(source, str(key), f"unknown key; expected one of {', '.join(_FIELDS)}")
    missing = [key for key in _FIELDS if key not in document]
    if missing:
        raise ConfigError(source, missing[0], "missing; `cityctl vend` writes every key")
    read = {key: check_field(source, key, document[key]) for key in _FIELDS if key != "environments"}
    check_identities(source, read["entraGroupId"], read["ciPrincipalId"])
    if Path(source).stem != read["team"]:
        raise ConfigError(source, "team", f"{read['team']!r} differs from the file name; expected "
                                          f"{Path(source).stem!r} (one file per team, named after it)")
    environments = document["environments"]
    if not isinstance(environments, Mapping) or not environments:
        raise ConfigError(source, "environments", "expected a mapping of environment to {addressSpace: CIDR}")
    ranges: dict[str, str] = {}
    subscriptions: dict[str, str] = {}
    for env, spec in environments.items():
        key = f"environments.{env}"
        if env not in ENVIRONMENTS:
            raise ConfigError(source, key, f"not an environment; expected one of {', '.join(ENVIRONMENTS)}")
        if not isinstance(spec, Mapping) or "addressSpace" not in spec or set(spec) - {"addressSpace",
                                                                                     "subscriptionId"}:
            raise ConfigError(source, key, f"expected {{addressSpace: CIDR}} (and, once created, subscriptionId: "
                                           f"GUID), got {show(spec)}")
        if "subscriptionId" in spec:
            subscriptions[env] = matching(GUID, "the vended subscription's id (a lower-case GUID)")(
                source, f"{key}.subscriptionId", spec["subscriptionId"])
        try:
            cidr = ipaddress.IPv4Network(str(spec["addressSpace"]))
        except ValueError:
            raise ConfigError(source, f"{key}.addressSpace", f"expected a network range such as 10.10.64.0/24, "
                                                              f"got {show(spec['addressSpace'])}") from None
        if cidr.prefixlen not in PREFIX_LENGTHS:
            raise ConfigError(source, f"{key}.addressSpace", f"/{cidr.prefixlen}; expected a /24 (or /23, /22)")
        ranges[env] = str(cidr)
    return Team(name=read["team"], owner=read["owner"], cost_center=read["costCenter"],
                data_classification=read["dataClassification"], archetype=read["archetype"],
                entra_group_id=read["entraGroupId"], ci_principal_id=read["ciPrincipalId"],
                budget_monthly_eur=read["budgetMonthlyEur"], ranges=ranges, subscriptions=subscriptions,
                source=source)


def recorded_subscription(team: Team, env: str, created: str) -> str:
    """`created` (the subscription the landing zone's alias made), refused when the team file records another one:
    the connectivity stack would scope the team's apps in a subscription they are not in."""
    recorded = team.subscriptions.get(env)
    if recorded is not None and recorded != created:
        raise ConfigError(team.source, f"environments.{env}.subscriptionId", f"{recorded}, but the landing zone's "
                                                                           f"subscription is {created}; record "
                                                                           f"{created}")
    return created


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_teams(teams_dir: Path | None = None) -> tuple[Team, ...]:
    """Every team file (of `teams_dir`, default TEAMS_DIR), by name; their ranges checked against each
    environment's address plan together."""
    from amsterdam_cloud.core.documents import read_yaml

    teams_dir = teams_dir or TEAMS_DIR
    teams = tuple(parse_team(read_yaml(path, "team file"), _shown(path))
                  for path in sorted(teams_dir.glob("*.yaml")))
    for env in sorted({env for team in teams for env in team.ranges}):
        check_ranges(env, load_platform(env).network, teams)
    return teams


def check_ranges(env: str, network: Network, teams: tuple[Team, ...]) -> None:
    """The platform's hub and spokes and every team's spoke in `env`, through the address plan's own checks
    (inside the block, no overlap, subnets fit); a break names the team file that brought the range."""
    spokes: dict[str, tuple[str, Any]] = {name: (cidr, ()) for name, cidr in network.spokes.items()}
    owners: dict[str, Team] = {}
    for team in teams:
        if env in team.ranges:
            spokes[f"team-{team.name}"] = (team.ranges[env], vended_subnets(team.ranges[env]))
            owners[f"spokes.team-{team.name}"] = team
    try:
        plan_addresses(network.address_space, network.hub,
                       {name: (cidr, subnets or _platform_subnets(network, name)) for name, (cidr, subnets)
                        in spokes.items()})
    except AddressPlanError as error:
        where = error.where.split(".subnets")[0]
        owner = owners.get(where)
        if owner is None:  # the overlap is reported on the later range: the team's, which comes after the platform
            raise ConfigError(f"stacks/Pulumi.{env}.yaml", f"network.{error.where}", error.problem) from None
        raise ConfigError(owner.source, f"environments.{env}.addressSpace",
                          error.problem.replace("spokes.team-", "team ")) from None


def _platform_subnets(network: Network, name: str) -> tuple[SubnetRequest, ...]:
    return tuple(SubnetRequest(name=s.name, prefix_length=ipaddress.IPv4Network(s.cidr).prefixlen,
                               delegation=s.delegation) for s in network.plan.spokes[name].subnets)


def free_range(env: str, network: Network, teams: tuple[Team, ...], prefix_length: int) -> str:
    """The next free range for a new team in `env`: after the hub, the platform's spokes and every team's."""
    taken = [network.hub, *network.spokes.values(), *(team.ranges[env] for team in teams if env in team.ranges)]
    try:
        return next_free_range(network.address_space, taken, prefix_length)
    except AddressPlanError as error:
        raise ConfigError(f"stacks/Pulumi.{env}.yaml", f"network.{error.where}", error.problem) from None
