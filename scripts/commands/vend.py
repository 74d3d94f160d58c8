"""`cityctl vend <team>`: give an app team its landing zones in one command: a team file
(stacks/landing_zones/teams/<team>.yaml) with the next free spoke range of each environment's address plan.

Each environment's landing zones stack (stacks/landing_zones) then creates the subscription (alias) in the corp or
online management group, its budget, its spoke peered to the hub, and the deployer role for the team's group and
CI identity on that subscription only. Once those stacks have run, `cityctl vend <team> --app-dir <app>
--plans-dir <plans>` points an app's stacks at the team's subscriptions (`azure-native:subscriptionId` and
`app:landingZone` in each Pulumi.<env>.yaml): the app then runs in its team's landing zone (docs/governance.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.export_format import ROOT_STACK_TYPE

_SUBSCRIPTION_KEY = "azure-native:subscriptionId"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "vend", help="give an app team its landing zone (subscription, budget, spoke, roles) in one command",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("team", help="the team's short name: 2-20 lower-case letters, digits and hyphens")
    parser.add_argument("--owner", metavar="MAILBOX", help="the team's @amsterdam.nl mailbox (owner tag, budget)")
    parser.add_argument("--cost-center", metavar="CC", help="the cost centre, CC- and 4-6 digits")
    parser.add_argument("--group", metavar="OBJECT_ID", help="the team's Entra group (object id)")
    parser.add_argument("--ci", metavar="OBJECT_ID", help="the team's CI identity (service principal object id)")
    parser.add_argument("--archetype", default="corp", help="corp (default: through the hub only) or online")
    parser.add_argument("--data-classification", default="BBN2", help="highest BIO level held (default BBN2)")
    parser.add_argument("--budget", type=int, default=500, metavar="EUR",
                        help="monthly budget per subscription in euros (default 500)")
    parser.add_argument("--environments", default=",".join(ENVIRONMENTS), metavar="LIST",
                        help="comma-separated environments to vend (default %(default)s)")
    parser.add_argument("--prefix-length", type=int, default=24, choices=(22, 23, 24),
                        help="the spoke's size (default 24: /25 containers, /26 appservice, /26 endpoints)")
    parser.add_argument("--teams-dir", type=Path, metavar="DIR",
                        help="where team files live (default: stacks/landing_zones/teams/)")
    parser.add_argument("--app-dir", type=Path, metavar="DIR",
                        help="for a vended team: point this app's Pulumi.<env>.yaml at the team's subscriptions "
                             "and landing zone (needs --plans-dir)")
    parser.add_argument("--offline-ids", action="store_true",
                        help="with --app-dir: accept offline plans' (made-up) subscription ids, to try a move offline")
    parser.add_argument("--plans-dir", type=Path, metavar="DIR",
                        help="where the landing zones stacks' plans or exports are "
                             "(amsterdam-landing-zones.<env>.json)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from amsterdam_cloud.stacks.landing_zones.team_files import TEAMS_DIR

    teams_dir = args.teams_dir or TEAMS_DIR
    if args.app_dir is not None:
        point_app(args.team, args.app_dir, args.plans_dir, teams_dir, offline_ids=args.offline_ids)
        return 0
    return _vend(args, teams_dir)


def _vend(args: argparse.Namespace, teams_dir: Path) -> int:
    from amsterdam_cloud.scripts.files import display, write_atomically
    from amsterdam_cloud.stacks.config import ENVIRONMENTS, load as load_platform
    from amsterdam_cloud.stacks.landing_zones.team_files import (Team, check_field, check_identities, check_ranges,
                                                           free_range, load_teams)

    source = "cityctl vend"
    owner = args.owner.lower() if args.owner else args.owner  # a mailbox is case-insensitive: one spelling in tags
    args.group, args.ci = (value.lower() if value else value for value in (args.group, args.ci))  # object ids too
    given = {"team": args.team, "owner": owner, "costCenter": args.cost_center, "entraGroupId": args.group,
             "ciPrincipalId": args.ci, "archetype": args.archetype, "dataClassification": args.data_classification,
             "budgetMonthlyEur": args.budget}
    options = {"owner": "--owner", "costCenter": "--cost-center", "entraGroupId": "--group", "ciPrincipalId": "--ci",
               "archetype": "--archetype", "dataClassification": "--data-classification", "budgetMonthlyEur":
               "--budget", "team": "team"}
    for key, value in given.items():
        if value is None:
            raise UserError(f"{source}: {options[key]} is required (see `cityctl vend --help`)")
        check_field(source, key, value, options[key])
    check_identities(source, args.group, args.ci, "--ci")
    environments = [env.strip() for env in args.environments.split(",") if env.strip()]
    for env in environments:
        if env not in ENVIRONMENTS or environments.count(env) > 1:
            raise UserError(f"{source}: --environments: {env!r}; expected distinct names from "
                            f"{', '.join(ENVIRONMENTS)}")
    path = teams_dir / f"{args.team}.yaml"
    if path.exists():
        raise UserError(f"{display(path)}: team {args.team!r} already has its landing zones; change that file in a "
                        "pull request instead of vending again")
    teams = load_teams(teams_dir)
    for team in teams:
        for key in ("entraGroupId", "ciPrincipalId"):
            if given[key] in (team.entra_group_id, team.ci_principal_id):
                raise UserError(f"{source}: {options[key]}: {given[key]} is already team {team.name}'s "
                                f"({team.source}); each team has its own group and CI identity")
    ranges: dict[str, str] = {}
    for env in environments:
        network = load_platform(env).network
        ranges[env] = free_range(env, network, teams, args.prefix_length)
    team = Team(name=args.team, owner=owner, cost_center=args.cost_center, archetype=args.archetype,
                data_classification=args.data_classification, entra_group_id=args.group, ci_principal_id=args.ci,
                budget_monthly_eur=args.budget, ranges=ranges, source=display(path))
    for env in environments:  # the address plan's own checks, with the new team among the others
        check_ranges(env, load_platform(env).network, (*teams, team))
    header = (f"# {args.team}'s landing zones, written by `cityctl vend {args.team}`; read by the landing zones\n"
              "# stacks (stacks/landing_zones, one per environment): per environment a subscription in the management\n"
              "# group of the archetype, with this budget, a spoke of this range peered to the environment's hub, and\n"
              "# the app team deployer role for the group and the CI identity on that subscription only.\n")
    write_atomically(path, header + yaml.safe_dump(team.as_document(), sort_keys=False))
    for env, cidr in ranges.items():
        _say(f"{args.team} {env}: subscription sub-{args.team}-{env} in {args.archetype}, spoke {cidr}")
    _say(f"Wrote {display(path)}. Next: open a pull request; the landing zones stacks then create the subscriptions; "
         f"then `cityctl vend {args.team} --app-dir <app> --plans-dir <plans>` moves an app into them.")
    return 0


def point_app(team_name: str, app_dir: Path, plans_dir: Path | None, teams_dir: Path,
              offline_ids: bool = False) -> None:
    """Write each vended subscription's id and the team (`app:landingZone`) into the app's Pulumi.<env>.yaml, from
    the landing zones stacks' outputs (their plans or `pulumi stack export`s in `plans_dir`): every file or, on an
    error, none. An offline plan's subscription ids are the mocks' (no such subscription exists): refused unless
    `offline_ids` (trying the move offline, never for a stack file that is deployed)."""
    from amsterdam_cloud.components.app_hosting.config import LANDING_ZONE_KEY
    from amsterdam_cloud.core.documents import read_json, read_text, read_yaml
    from amsterdam_cloud.scripts.files import display, write_atomically
    from amsterdam_cloud.scripts.offline.project import saved_plan_path
    from amsterdam_cloud.stacks.landing_zones.config import PROJECT
    from amsterdam_cloud.stacks.landing_zones.team_files import parse_team

    team_file = teams_dir / f"{team_name}.yaml"
    if not team_file.exists():
        raise UserError(f"{display(team_file)}: no such team; vend it first: `cityctl vend {team_name} --owner ...`")
    if plans_dir is None:
        raise UserError(f"cityctl vend: --app-dir needs --plans-dir, the folder with the landing zones stacks' plans "
                        f"or exports ({PROJECT}.<env>.json)")
    team = parse_team(read_yaml(team_file, "team file"), display(team_file))
    changes: list[tuple[Path, str, str, str]] = []  # every file's new text first: an error leaves all as they were
    for env in team.ranges:
        stack_file = app_dir / f"Pulumi.{env}.yaml"
        if not stack_file.exists():
            continue
        export_path = saved_plan_path(plans_dir, PROJECT, env)
        document = read_json(export_path, "landing zones plan")
        if not offline_ids and _is_offline_plan(document):
            raise UserError(f"{display(export_path)}: an offline plan; its subscription ids are the mocks', not "
                            f"Azure's; pass the landing zones stack's `pulumi stack export` (or --offline-ids to try "
                            "the move offline only)")
        zone = _landing_zones(document, display(export_path)).get(team_name)
        subscription = zone.get("subscriptionId") if isinstance(zone, dict) else None
        if not isinstance(subscription, str) or not GUID.match(subscription):
            raise UserError(f"{display(export_path)}: outputs.landingZones.{team_name}.subscriptionId: expected the "
                            f"subscription id (a GUID), got {subscription!r}; run the {env} landing zones stack "
                            "with the team file first")
        text = set_config_line(read_text(stack_file, "app stack file"), _SUBSCRIPTION_KEY, subscription,
                               display(stack_file))
        changes.append((stack_file, set_config_line(text, LANDING_ZONE_KEY, team_name, display(stack_file)),
                        subscription, env))
    if not changes:
        raise UserError(f"{display(app_dir)}: no Pulumi.<env>.yaml for {', '.join(team.ranges)}; expected the "
                        "app's project folder")
    for other in sorted(app_dir.glob("Pulumi.*.yaml")):
        env = other.name.split(".")[1]
        if env not in team.ranges:
            _say(f"{display(other)}: {team_name} has no {env} landing zone; this stack stays on the platform")
    for stack_file, text, subscription, env in changes:
        write_atomically(stack_file, text)
        _say(f"{display(stack_file)}: {_SUBSCRIPTION_KEY}: {subscription} ({team_name}'s {env} subscription), "
             f"{LANDING_ZONE_KEY}: {team_name}")


def _is_offline_plan(document: Any) -> bool:
    """Whether a plan file is `cityctl plan`'s (its manifest says so), not a `pulumi stack export`."""
    from amsterdam_cloud.scripts.offline.plan import PLAN_FORMAT

    manifest = document.get("deployment", {}).get("manifest", {}) if isinstance(document, dict) else {}
    return isinstance(manifest, dict) and manifest.get("version") == PLAN_FORMAT


def _landing_zones(document: Any, source: str) -> dict[str, Any]:
    """`landingZones` from the root stack's outputs of a plan or a `pulumi stack export`."""
    resources = document.get("deployment", {}).get("resources", []) if isinstance(document, dict) else []
    for resource in resources:
        if isinstance(resource, dict) and resource.get("type") == ROOT_STACK_TYPE:
            zones = resource.get("outputs", {}).get("landingZones", {})
            return zones if isinstance(zones, dict) else {}
    raise UserError(f"{source}: no stack resource with outputs; expected a landing zones stack's plan or export")


def set_config_line(text: str, key: str, value: str, source: str) -> str:
    """`text` (a Pulumi.<stack>.yaml) with `key: value` under `config:`, replacing the key's line if it is there;
    every other line (and comment) stays as it was."""
    lines = text.splitlines(keepends=True)
    entry = f"  {key}: {value}\n"
    for index, line in enumerate(lines):
        if line.startswith(f"  {key}:"):
            lines[index] = entry
            return "".join(lines)
    for index, line in enumerate(lines):
        if line.rstrip() == "config:":
            lines.insert(index + 1, entry)
            return "".join(lines)
    raise UserError(f"{source}: no top-level `config:` section; expected a Pulumi stack file")


def _say(message: str) -> None:
    import sys

    print(message, file=sys.stderr)
