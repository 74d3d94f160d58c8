"""The landing zones stack's typed config and its team files, read and validated once; errors name file, key, fix.

One stack per environment (dev, test, acc, prod): each team's landing zone in an environment peers with that
environment's hub and carries its environment tag, so it belongs in that environment's stack and pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.components.governance.vending import BILLING_SCOPE, WORKLOADS
from amsterdam_cloud.core.backend import declared_backend
from amsterdam_cloud.core.program_config import LANDING_ZONES_PROJECT
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.program_config import ConfigError, given_config, read_stack_file
from amsterdam_cloud.core.config_readers import emails, matching, one_of, read_project_keys
from amsterdam_cloud.stacks.config import PROJECT as PLATFORM_PROJECT, load as load_platform, StackConfig
from amsterdam_cloud.stacks.governance.config import read_prefix
from amsterdam_cloud.stacks.landing_zones.team_files import Team, load_teams

PROJECT = LANDING_ZONES_PROJECT
STACKS_DIR = Path(__file__).resolve().parent

_FIELDS = {
    "billingScope": matching(BILLING_SCOPE, "the billing scope new subscriptions are created on, e.g. /providers/"
                              "Microsoft.Billing/billingAccounts/<account>/enrollmentAccounts/<id>"),
    "alertEmails": emails,
    "subscriptionWorkload": one_of(WORKLOADS),
}


@dataclass(frozen=True, kw_only=True)
class LandingZonesConfig:
    source: str
    environment: str
    billing_scope: str
    """Where this environment's subscriptions are billed (dev and test: the EA dev/test enrollment account)."""
    subscription_workload: str
    """The offer of this environment's subscriptions: DevTest (dev and test, on the dev/test enrollment account) or
    Production."""
    alert_emails: tuple[str, ...]
    """The platform's mailboxes, told about every team's budget after the team itself."""
    platform: StackConfig
    """The environment's platform config: its location and the hub's subscription."""
    platform_stack: str
    management_group_prefix: str
    """The governance stack's prefix (its config, not its state: each environment's state is in its own
    container, the tenant's governance stack in prod's): the corp and online groups' ids derive from it."""
    teams: tuple[Team, ...]
    """The teams with a landing zone in this environment."""


def parse(raw: Mapping[str, Any], source: str, stack: str, teams: tuple[Team, ...]) -> LandingZonesConfig:
    if stack not in ENVIRONMENTS:
        raise ConfigError(source, "stack", f"{stack!r} is not an environment; expected one of "
                                           f"{', '.join(ENVIRONMENTS)}")
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=frozenset(_FIELDS), source=source,
                             stack=stack)
    backend = declared_backend(STACKS_DIR)
    return LandingZonesConfig(
        source=source, environment=stack, billing_scope=read["billingScope"],
        subscription_workload=read["subscriptionWorkload"], alert_emails=read["alertEmails"],
        platform=load_platform(stack), platform_stack=backend.reference(PLATFORM_PROJECT, stack),
        management_group_prefix=read_prefix(),
        teams=tuple(team for team in teams if stack in team.ranges))


def load(stack: str, stacks_dir: Path = STACKS_DIR, teams_dir: Path | None = None) -> LandingZonesConfig:
    """Read and validate `stacks/landing_zones/Pulumi.<stack>.yaml` and the team files (tests, offline tools)."""
    return parse(read_stack_file(stacks_dir / f"Pulumi.{stack}.yaml"), f"stacks/landing_zones/Pulumi.{stack}.yaml",
                 stack, load_teams(teams_dir))


def from_pulumi() -> LandingZonesConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike)."""
    stack, raw = given_config()
    return parse(raw, f"stacks/landing_zones/Pulumi.{stack}.yaml", stack, load_teams())
