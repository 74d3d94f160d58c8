"""The governance stack's typed config and its exemptions file, read and validated once; errors name file, key, fix.

One stack for the tenant (`prod`): a tenant has one management group hierarchy, and the rules for every
environment's subscriptions are set by where those subscriptions are placed in it, not by a stack per environment.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core import clock
from amsterdam_cloud.core.ids import GUID, LOG_ANALYTICS_WORKSPACE_ID
from amsterdam_cloud.components.governance.hierarchy import ROLES, descendants, group_name
from amsterdam_cloud.components.governance.policy import Assignment, Exemption, city_assignments
from amsterdam_cloud.core.environments import PLATFORM_INGRESS_ROLES, platform_resource_group
from amsterdam_cloud.core.program_config import GOVERNANCE_PROJECT
from amsterdam_cloud.core.waivers import parse_waivers
from amsterdam_cloud.stacks.connectivity.config import load as load_connectivity
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.program_config import ConfigError, given_config, read_stack_file, structured
from amsterdam_cloud.core.config_readers import (boolean, emails, eu_region, integer, matching, read_project_keys, section,
                                                 show)
from amsterdam_cloud.stacks.config import load as load_platform

PROJECT = GOVERNANCE_PROJECT
STACKS_DIR = Path(__file__).resolve().parent
EXEMPTIONS_FILE = STACKS_DIR / "exemptions.yaml"
EXEMPTIONS_SOURCE = "stacks/governance/exemptions.yaml"
"""How messages name the exemptions file."""
TENANT_STACK = "prod"
DEFAULT_PREFIX = "amsterdam"
INHERITED_TAGS = ("owner", "cost-center", "data-classification", "application", "environment")

_WORKSPACE = LOG_ANALYTICS_WORKSPACE_ID
_SCOPE = re.compile(r"^/(subscriptions/[0-9a-f-]{36}(/resourceGroups/[^/]+(/providers/.+)?)?"
                    r"|providers/Microsoft.Management/managementGroups/[^/]+)$", re.IGNORECASE)
_PREFIX = re.compile(r"^[a-z][a-z0-9-]{1,30}$")


@dataclass(frozen=True, kw_only=True)
class GovernanceConfig:
    source: str
    tenant_id: str
    location: str
    prefix: str
    workspace_id: str
    subscriptions: dict[str, tuple[str, ...]]
    enforce: bool
    assignments: tuple[Assignment, ...]
    exemptions: tuple[Exemption, ...]
    rbac: dict[str, str]
    """platformOperators, auditors, breakGlass: their Entra groups' object ids."""
    alert_emails: tuple[str, ...]
    """The platform's mailboxes: told about the sandbox subscriptions' budgets."""
    sandbox_budget_monthly_eur: int


_SUBSCRIPTION = matching(GUID, "a subscription id (GUID)")


def _subscriptions(source: str, key: str, value: Any) -> dict[str, tuple[str, ...]]:
    value = structured(value)
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, "expected a mapping of management group to subscription ids, got "
                                       f"{show(value)}")
    placed: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for group, ids in value.items():
        if group not in ROLES[1:]:
            raise ConfigError(source, f"{key}.{group}",
                              f"not a management group; expected one of {', '.join(ROLES[1:])}")
        if not isinstance(ids, list):
            raise ConfigError(source, f"{key}.{group}", f"expected a list of subscription ids, got {show(ids)}")
        for index, subscription in enumerate(ids):
            _SUBSCRIPTION(source, f"{key}.{group}[{index}]", subscription)
            if subscription in seen:
                raise ConfigError(source, f"{key}.{group}[{index}]", f"{subscription} is also placed in "
                                  f"{seen[subscription]}; a subscription belongs to one management group")
            seen[subscription] = group
        placed[group] = tuple(ids)
    return placed


RBAC_GROUPS = ("platformOperators", "auditors", "breakGlass")
"""The Entra groups of the RBAC model (components/governance/roles.py), each by object id."""

_FIELDS = {
    "tenantId": matching(GUID, "the Entra tenant id (a GUID)"),
    "location": eu_region,
    "prefix": matching(_PREFIX, "2-31 lower-case letters, digits and hyphens, e.g. amsterdam"),
    "workspaceId": matching(_WORKSPACE, "the central Log Analytics workspace's resource id"),
    "subscriptions": _subscriptions,
    "enforce": boolean,
    "rbac": lambda source, key, value: section(source, key, value, {
        group: matching(GUID, "the Entra group's object id (a GUID)") for group in RBAC_GROUPS},
        frozenset(RBAC_GROUPS)),
    "alertEmails": emails,
    "sandboxBudgetMonthlyEur": integer(1, 100_000),
}
_REQUIRED = frozenset({"tenantId", "location", "workspaceId", "rbac", "alertEmails"})
SANDBOX_BUDGET_EUR = 100
"""A sandbox subscription's monthly budget unless `sandboxBudgetMonthlyEur` says otherwise."""


def parse_exemptions(document: Any, source: str, rules: frozenset[str], today: dt.date) -> tuple[Exemption, ...]:
    """Exemptions in the pack's waivers format (core/waivers.py): `resource` is an ARM scope, `rule` an
    assignment key. An expired one stops the plan until it is removed or renewed, like an expired waiver."""
    waivers = parse_waivers(document, source)  # a WaiverError names the file, the waiver and the field
    exemptions = []
    for waiver in waivers:
        where = f"waivers[{waiver.index}]"
        if waiver.rule not in rules:
            raise ConfigError(source, f"{where}.rule", f"{waiver.rule!r} is not a policy assignment of the governance "
                                                       f"stack; use one of {', '.join(sorted(rules))}")
        if not _SCOPE.match(waiver.resource):
            raise ConfigError(source, f"{where}.resource", "expected the ARM id of a management group, "
                              "subscription, resource group or resource (Azure exempts a scope, not a URN)")
        if waiver.stack != TENANT_STACK:
            raise ConfigError(source, f"{where}.stack", f"expected {TENANT_STACK!r}: the governance project has one "
                                                        "stack for the tenant")
        if waiver.expired(today):
            raise ConfigError(source, f"{where}.expires", f"expired on {waiver.expires}; remove the exemption or "
                                                          "renew it with a new date")
        exemptions.append(Exemption(rule=waiver.rule, scope=waiver.resource, reason=waiver.reason,
                                    owner=waiver.owner, expires=waiver.expires, ticket=waiver.ticket))
    return tuple(exemptions)


def _under_their_assignments(exemptions: tuple[Exemption, ...], assignments: tuple[Assignment, ...], prefix: str,
                              subscriptions: Mapping[str, tuple[str, ...]]) -> tuple[Exemption, ...]:
    """Azure refuses an exemption whose scope is not at or below its assignment's management group: a group, or a
    subscription this config places, outside it stops the plan naming the waiver."""
    group_of = {assignment.key: assignment.group for assignment in assignments}
    placed = {subscription: role for role, ids in subscriptions.items() for subscription in ids}
    for index, exemption in enumerate(exemptions):
        group = group_of[exemption.rule]
        below = descendants(group)
        parts = exemption.scope.split("/")
        if exemption.scope.lower().startswith("/providers/microsoft.management/managementgroups/"):
            name = parts[-1]
            role = "root" if name == prefix else name.removeprefix(f"{prefix}-")
        else:
            role = placed.get(parts[2], "")
        if group != "root" and role not in below:
            raise ConfigError(EXEMPTIONS_SOURCE, f"waivers[{index}].resource",
                              f"{exemption.scope} is not under {group_name(prefix, group)}, where {exemption.rule} is "
                              "assigned (a subscription counts when amsterdam-governance:subscriptions places it "
                              "there); Azure refuses an exemption outside its assignment's scope")
    return exemptions


def parse(raw: Mapping[str, Any], source: str, stack: str, exemptions: Any, today: dt.date) -> GovernanceConfig:
    """Validate the stack's config and the exemptions document (whose rules are the assignments' keys)."""
    if stack != TENANT_STACK:
        raise ConfigError(source, "stack", f"the governance project has one stack for the tenant, {TENANT_STACK!r}")
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=_REQUIRED, source=source, stack=stack)
    # The DNS DINE's zones are the connectivity stack's, derived from its config (one fact, one place); so are the
    # ingress groups of the environment platforms placed in corp (the platform's configs name their subscriptions).
    connectivity = load_connectivity()
    corp = read.get("subscriptions", {}).get("corp", ())
    ingress = tuple(f"/subscriptions/{platform.subscription_id}/resourceGroups/{platform_resource_group(role, env)}"
                    for env, platform in ((env, load_platform(env)) for env in ENVIRONMENTS)
                    if platform.subscription_id in corp for role in PLATFORM_INGRESS_ROLES)
    assignments = city_assignments(workspace_id=read["workspaceId"], connectivity=connectivity.ref,
                                   location=connectivity.location, inherited_tags=INHERITED_TAGS,
                                   corp_platform_ingress=ingress)
    rules = frozenset(assignment.key for assignment in assignments)
    return GovernanceConfig(
        source=source, tenant_id=read["tenantId"], location=read["location"], prefix=read.get("prefix", DEFAULT_PREFIX),
        workspace_id=read["workspaceId"],
        subscriptions=read.get("subscriptions", {}), enforce=read.get("enforce", True), assignments=assignments,
        exemptions=_under_their_assignments(
            parse_exemptions(exemptions, EXEMPTIONS_SOURCE, rules, today), assignments,
            read.get("prefix", DEFAULT_PREFIX), read.get("subscriptions", {})),
        rbac=dict(read["rbac"]), alert_emails=read["alertEmails"],
        sandbox_budget_monthly_eur=read.get("sandboxBudgetMonthlyEur", SANDBOX_BUDGET_EUR))


def read_prefix(stacks_dir: Path = STACKS_DIR) -> str:
    """The management groups' prefix from the tenant stack's file (validated as `parse` does): the landing zones
    derive the groups' ids from it instead of reading this stack's state."""
    source = f"stacks/governance/Pulumi.{TENANT_STACK}.yaml"
    raw = read_stack_file(stacks_dir / f"Pulumi.{TENANT_STACK}.yaml")
    key = f"{PROJECT}:prefix"
    return str(_FIELDS["prefix"](source, key, raw[key])) if key in raw else DEFAULT_PREFIX


GOVERNING_GROUPS = ("corp", "online")
"""The landing-zone management groups whose assignments (the root's and their own) stand in for a platform
subscription's own allowed-locations, tag-inheritance and no-public-IP assignments."""


def governs_subscription(subscription_id: str, stacks_dir: Path = STACKS_DIR) -> bool:
    """Whether the tenant stack's file places the subscription in corp or online, so the city's management-group
    assignments hold there. A subscription placed nowhere (or elsewhere) keeps its own assignments: a platform
    plan stays protected even when the governance config forgets it."""
    source = f"stacks/governance/Pulumi.{TENANT_STACK}.yaml"
    raw = read_stack_file(stacks_dir / f"Pulumi.{TENANT_STACK}.yaml")
    key = f"{PROJECT}:subscriptions"
    placed = _subscriptions(source, key, raw[key]) if key in raw else {}
    return any(subscription_id.lower() == placed_id.lower()
               for group in GOVERNING_GROUPS for placed_id in placed.get(group, ()))


def load(stack: str, today: dt.date, stacks_dir: Path = STACKS_DIR) -> GovernanceConfig:
    """Read and validate `stacks/governance/Pulumi.<stack>.yaml` and the exemptions file (tests, offline tools)."""
    return parse(read_stack_file(stacks_dir / f"Pulumi.{stack}.yaml"), f"stacks/governance/Pulumi.{stack}.yaml",
                 stack, _exemptions_document(), today)


def from_pulumi() -> GovernanceConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike). The day matters
    only through which exemptions have expired, so that is what the plan records of the clock (a cached plan holds
    until the next expiry, not for one day)."""
    stack, raw = given_config()
    document = _exemptions_document()
    expiries = [waiver.expires + dt.timedelta(days=1) for waiver in parse_waivers(document, EXEMPTIONS_SOURCE)]
    return parse(raw, f"stacks/governance/Pulumi.{stack}.yaml", stack, document, clock.today_until(expiries))


def _exemptions_document() -> Any:
    from amsterdam_cloud.core.documents import load_yaml, read_text

    return load_yaml(read_text(EXEMPTIONS_FILE, "exemptions file"), str(EXEMPTIONS_FILE), "exemptions file")
