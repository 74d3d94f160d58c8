"""The pack's configuration: per-environment enforcement levels and the values rules read (regions, retention).

One source for both worlds: the JSON files under `policies/packs/amsterdam-baseline/config/<env>.json` are what
CI passes to `pulumi preview --policy-pack-config`, and what the offline checker reads. Their shape is Pulumi's:
`{"all": "advisory" | "mandatory", "<rule id>": {"enforcementLevel": ..., "<property>": value}}`; Pulumi passes
a policy only its own properties, so a rule that reads a setting gets it in its own block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.environments import ENVIRONMENTS, STRICT_ENVIRONMENTS
from amsterdam_cloud.core.regions import EU_REGIONS, KNOWN_REGIONS, normalize_location
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.ids import RESOURCE_GROUP_ID

PACK_NAME = "amsterdam-baseline"
PACK_DIR = Path(__file__).resolve().parent / "packs" / PACK_NAME
CONFIG_DIR = PACK_DIR / "config"
LEVELS = ("advisory", "mandatory", "disabled")
MANDATORY_IN_STRICT = ("all", "residency-allowed-location")
"""Keys whose level acc and prod configs may not lower: residency (and the pack's default) stay mandatory there."""
WAIVERS_IN_FORCE = "waivers-in-force"
WAIVERS_EXPIRED = "waivers-expired"
WAIVER_POLICIES = (WAIVERS_IN_FORCE, WAIVERS_EXPIRED)
"""The pack's two policies beside the rules: waived findings listed apart (advisory), expired waivers."""

DEFAULT_MAX_WAIVER_DAYS = {"critical": 30, "high": 90, "medium": 180, "low": 365}
"""How many days ahead of the check a waiver may expire, per rule severity, unless the pack config says otherwise."""

# The JSON schema of every property a rule may read; CrossGuard offers each rule the subset it declares.
PROPERTY_SCHEMAS: dict[str, dict[str, Any]] = {
    "environment": {"type": "string", "enum": list(ENVIRONMENTS), "default": "prod",
                    "description": "The environment the stack belongs to; prod is the strictest and the default."},
    "allowedRegions": {"type": "array", "items": {"type": "string"}, "default": sorted(EU_REGIONS),
                       "description": "Azure regions resources may live in (any spelling, normalised)."},
    "minLogRetentionDays": {"type": "integer", "minimum": 0, "default": 365,
                            "description": "Least retention of a Log Analytics workspace in this environment."},
    "logAnalyticsWorkspaceIds": {"type": "array", "items": {"type": "string"}, "default": [],
                                 "description": "Resource ids of the city's central Log Analytics workspaces."},
    "publicIpAllowedUnder": {"type": "array", "items": {"type": "string"},
                             "default": ["amsterdam:landingzone:Hub", "amsterdam:landingzone:Connectivity"],
                             "description": "Component types (patterns) of the landing zone under which public "
                                            "IPs and IP forwarding are allowed, inside connectivityStacks only."},
    "maxWaiverDays": {"type": "object", "default": dict(DEFAULT_MAX_WAIVER_DAYS),
                      "properties": {level: {"type": "integer", "minimum": 1}
                                     for level in ("critical", "high", "medium", "low")},
                      "additionalProperties": False,
                      "description": "Per rule severity, how many days ahead of today a waiver may expire."},
    "connectivityStacks": {"type": "array", "items": {"type": "string", "pattern": "^[^/]+/[^/]+$"},
                           "default": [],
                           "description": "The <project>/<stack> pairs (from the URN) that own the landing zone's "
                                          "connectivity: only there are public IPs and IP forwarding allowed."},
    "connectivityResourceGroups": {"type": "array", "default": [],
                                   "items": {"type": "string",
                                             "pattern": RESOURCE_GROUP_ID.pattern},
                                   "description": "ARM ids of the resource groups that hold the connectivity part "
                                                  "(the hub subscription and group): a resource of connectivityStacks "
                                                  "is exempt only inside one of them."},
    "subscriptionStacks": {"type": "array", "items": {"type": "string", "pattern": "^[^/]+/[^/]+$"}, "default": [],
                           "description": "The <project>/<stack> pairs (from the URN) that own the subscription-level "
                                          "settings (Defender plans, the activity log export): judged there only."},
    "requiredDefenderPlans": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]+$"},
                              "default": [],
                              "description": "Defender for Cloud plans (Microsoft.Security/pricings names) that must "
                                             "be Standard on the subscriptionStacks, as the platform declares them."},
}


def whole_number(value: Any) -> int | None:
    """`365` or `365.0` as 365 (the CLI sends config as a protobuf Struct, so JSON numbers arrive as floats)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


class PackConfigError(UserError):
    """The pack config file is malformed: names the file, the key and the fix."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The values rules read, validated; built from a rule's config properties (defaults where unset)."""

    environment: str = "prod"
    allowed_regions: frozenset[str] = EU_REGIONS
    min_log_retention_days: int = 365
    log_analytics_workspace_ids: frozenset[str] = frozenset()
    public_ip_allowed_under: tuple[str, ...] = ("amsterdam:landingzone:Hub", "amsterdam:landingzone:Connectivity")
    max_waiver_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_WAIVER_DAYS))
    """Severity to the most days ahead a waiver of such a rule may expire (read by waivers-expired)."""
    connectivity_stacks: frozenset[str] = frozenset()
    """`<project>/<stack>` of the platform stacks that own connectivity; none by default (fail closed)."""
    connectivity_resource_groups: frozenset[str] = frozenset()
    """Lower-cased ARM ids of the resource groups holding connectivity; none by default (fail closed). A project
    can call itself `amsterdam-platform`; it cannot deploy into the hub's subscription."""
    subscription_stacks: frozenset[str] = frozenset()
    """`<project>/<stack>` of the stacks that own the subscription-level settings (the platform's): Defender plans,
    the activity log export; none by default."""
    required_defender_plans: frozenset[str] = frozenset()
    """Plan names (`VirtualMachines`, `KeyVaults`...) that must have a Standard Pricing on those stacks."""

    @property
    def strict(self) -> bool:
        """acc and prod: a value unknown at plan time counts against the resource."""
        return self.environment in STRICT_ENVIRONMENTS

    @classmethod
    def from_properties(cls, props: Mapping[str, Any], source: str = "<pack config>", key: str = "") -> "Settings":
        """Validate a rule's config properties (camelCase, as in the config file and `args.get_config()`)."""
        where = f"{source}: {key}" if key else source
        values: dict[str, Any] = {}
        if "environment" in props:
            env = props["environment"]
            if env not in ENVIRONMENTS:
                raise PackConfigError(f"{where}.environment: {env!r} is not one of {', '.join(ENVIRONMENTS)}")
            values["environment"] = env
        if "allowedRegions" in props:
            regions = props["allowedRegions"]
            if not isinstance(regions, list) or not all(isinstance(r, str) for r in regions) or not regions:
                raise PackConfigError(f"{where}.allowedRegions: must be a non-empty list of region names")
            normalised = frozenset(normalize_location(r) for r in regions)
            unknown = sorted(normalised - KNOWN_REGIONS)
            if unknown:
                raise PackConfigError(f"{where}.allowedRegions: unknown Azure region(s) {', '.join(unknown)}; "
                                      "use names from amsterdam_cloud.core.regions.KNOWN_REGIONS")
            outside = sorted(normalised - EU_REGIONS)
            if outside:  # fail closed: no pack config can widen residency beyond the EU
                raise PackConfigError(f"{where}.allowedRegions: {', '.join(outside)} outside the EU; the residency "
                                      f"allowlist may only hold EU regions ({', '.join(sorted(EU_REGIONS))})")
            values["allowed_regions"] = normalised
        if "minLogRetentionDays" in props:
            days = whole_number(props["minLogRetentionDays"])
            if days is None or days < 0:
                raise PackConfigError(f"{where}.minLogRetentionDays: must be a whole number of days, got "
                                      f"{props['minLogRetentionDays']!r}")
            values["min_log_retention_days"] = days
        if "logAnalyticsWorkspaceIds" in props:
            ids = props["logAnalyticsWorkspaceIds"]
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise PackConfigError(f"{where}.logAnalyticsWorkspaceIds: must be a list of resource ids")
            values["log_analytics_workspace_ids"] = frozenset(i.lower() for i in ids)
        if "publicIpAllowedUnder" in props:
            types = props["publicIpAllowedUnder"]
            if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
                raise PackConfigError(f"{where}.publicIpAllowedUnder: must be a list of component type tokens")
            values["public_ip_allowed_under"] = tuple(types)
        if "maxWaiverDays" in props:
            limits = props["maxWaiverDays"]
            if not isinstance(limits, dict) or set(limits) - {"critical", "high", "medium", "low"} or any(
                    (whole_number(days) or 0) < 1 for days in limits.values()):
                raise PackConfigError(f"{where}.maxWaiverDays: must map critical, high, medium and low to a whole "
                                      "number of days (at least 1)")
            values["max_waiver_days"] = {**DEFAULT_MAX_WAIVER_DAYS,
                                         **{level: whole_number(days) for level, days in limits.items()}}
        for key, attribute in (("connectivityStacks", "connectivity_stacks"), ("subscriptionStacks", "subscription_stacks")):
            if key in props:
                pairs = props[key]
                if not isinstance(pairs, list) or not all(isinstance(p, str) and p.count("/") == 1 and "" not in
                                                          p.split("/") for p in pairs):
                    raise PackConfigError(f"{where}.{key}: must be a list of '<project>/<stack>' names, "
                                          "e.g. 'amsterdam-platform/prod'")
                values[attribute] = frozenset(pairs)
        if "requiredDefenderPlans" in props:
            plans = props["requiredDefenderPlans"]
            if not isinstance(plans, list) or not all(isinstance(p, str) and p.isalpha() and p.isascii()
                                                      for p in plans):
                raise PackConfigError(f"{where}.requiredDefenderPlans: must be a list of Defender plan names "
                                      "(Microsoft.Security/pricings), e.g. 'VirtualMachines'")
            values["required_defender_plans"] = frozenset(plans)
        if "connectivityResourceGroups" in props:
            groups = props["connectivityResourceGroups"]
            if not isinstance(groups, list) or not all(isinstance(g, str) and RESOURCE_GROUP_ID.fullmatch(g)
                                                       for g in groups):
                raise PackConfigError(f"{where}.connectivityResourceGroups: must be a list of resource group ids, "
                                      "e.g. '/subscriptions/<guid>/resourceGroups/rg-amsterdam-connectivity-prod'")
            values["connectivity_resource_groups"] = frozenset(g.lower() for g in groups)
        return cls(**values)


@dataclass(frozen=True)
class PackConfig:
    """One environment's pack config: the level for every rule and every rule's properties."""

    source: str
    default_level: str
    levels: Mapping[str, str]
    properties: Mapping[str, Mapping[str, Any]]

    def level(self, rule_id: str) -> str:
        return self.levels.get(rule_id, self.default_level)

    def settings(self, rule_id: str) -> Settings:
        return _settings(self.source, rule_id, json.dumps(self.properties.get(rule_id, {}), sort_keys=True))


@lru_cache(maxsize=512)
def _settings(source: str, rule_id: str, props_json: str) -> Settings:
    return Settings.from_properties(json.loads(props_json), source, rule_id)


def config_path(environment: str) -> Path:
    return CONFIG_DIR / f"{environment}.json"


def parse_pack_config(data: Any, source: str, rule_ids: frozenset[str] | None = None,
                      environment: str | None = None) -> PackConfig:
    """Validate a pack config document (the `--policy-pack-config` JSON); in acc and prod it fails closed: the
    pack's default and the residency rule cannot be lowered from mandatory."""
    if not isinstance(data, dict):
        raise PackConfigError(f"{source}: the pack config must be a JSON object of policy name to level or settings")
    default_level = "mandatory"  # as the pack's own default: a config without "all" lowers nothing
    levels: dict[str, str] = {}
    properties: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if rule_ids is not None and key != "all" and key not in rule_ids and key not in WAIVER_POLICIES:
            raise PackConfigError(f"{source}: {key}: no such policy in the pack; check the rule id in policies/rules/")
        if isinstance(value, str):
            level, props = value, {}
        elif isinstance(value, dict):
            props = dict(value)
            level = props.pop("enforcementLevel", None)
        else:
            raise PackConfigError(f"{source}: {key}: must be an enforcement level or an object")
        if level is not None and level not in LEVELS:
            raise PackConfigError(f"{source}: {key}: enforcement level {level!r} is not one of {', '.join(LEVELS)}")
        if environment in STRICT_ENVIRONMENTS and key in MANDATORY_IN_STRICT and level not in (None, "mandatory"):
            raise PackConfigError(f"{source}: {key}: enforcement level {level!r} is not allowed in {environment}; "
                                  f"set it to \"mandatory\" (mandatory rules stay mandatory in acc and prod; waive "
                                  "a single finding in the waivers file instead)")
        if key == "all":
            if props:
                raise PackConfigError(f"{source}: all: Pulumi applies only the enforcement level of 'all'; "
                                      "move the properties into each policy's block")
            if level is not None:
                default_level = level
            continue
        if level is not None:
            levels[key] = level
        unknown = sorted(set(props) - set(PROPERTY_SCHEMAS))
        if unknown:
            raise PackConfigError(f"{source}: {key}: unknown setting(s) {', '.join(unknown)}; "
                                  f"known: {', '.join(PROPERTY_SCHEMAS)}")
        Settings.from_properties(props, source, key)  # fail early, naming the key
        properties[key] = props
    if environment in STRICT_ENVIRONMENTS and default_level != "mandatory":
        raise PackConfigError(f"{source}: all: missing; an {environment} pack config sets \"all\": \"mandatory\" "
                              "(mandatory rules stay mandatory in acc and prod)")
    return PackConfig(source=source, default_level=default_level, levels=levels, properties=properties)


@lru_cache(maxsize=16)
def load_pack_config(environment: str) -> PackConfig:
    """The committed pack config of an environment (dev, test, acc, prod)."""
    if environment not in ENVIRONMENTS:
        raise PackConfigError(f"environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}; "
                              "pass --environment or name the stack after its environment")
    path = config_path(environment)
    if not path.exists():
        raise PackConfigError(f"{path}: missing; every environment needs a pack config file")  # the pack's own file
    from amsterdam_cloud.core.documents import read_json
    data = read_json(path, "pack config (JSON)")
    from amsterdam_cloud.policies.rules import RULE_IDS
    from amsterdam_cloud.core.errors import display
    return parse_pack_config(data, display(path), RULE_IDS, environment)
