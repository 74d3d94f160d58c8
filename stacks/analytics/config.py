"""The analytics stack's typed config: read once, validated once, with errors that name the file, the key and the fix.

Environments differ only through these values: `requireRegisterEntry` and `allowedRegisterStatuses` (acc and prod
build registered algorithms only), `features` (locks, protection, zone redundancy), the teams and their algorithms.
Every algorithm is checked against the register snapshot here, so a refusal names the stack file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.ids import COST_CENTER, EMAIL, GUID
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.program_config import PLATFORM_PROJECT
from amsterdam_cloud.components.analytics.ai_services import AiDeployment
from amsterdam_cloud.components.analytics.data_lake import FILESYSTEM
from amsterdam_cloud.components.analytics.algorithm import Algorithm
from amsterdam_cloud.components.analytics.ml_workspace import ComputeCluster
from amsterdam_cloud.components.analytics.register import STATUSES, RegisterError, RegisterPolicy, \
    check_register_entry
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.backend import BackendError, declared_backend, reference_to
from amsterdam_cloud.core.classification import DATA_CLASSIFICATIONS
from amsterdam_cloud.core.program_config import ConfigError, given_config, read_stack_file, structured
from amsterdam_cloud.core.config_readers import (Reader, boolean, integer, list_of, matching, one_of,
                                                 read_project_keys, region, section, show, string)
from amsterdam_cloud.stacks.config import Tags

PROJECT = "amsterdam-analytics"
"""The Pulumi project name; every config key of ours is `amsterdam-analytics:<key>`."""
STACKS_DIR = Path(__file__).resolve().parent

_TEAM = re.compile(r"^[a-z][a-z0-9]{1,9}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")
_FILESYSTEM = matching(FILESYSTEM, "a filesystem name: 3 to 63 lower-case letters, digits and single hyphens")


@dataclass(frozen=True, kw_only=True)
class Features:
    """Switches that make environments differ; each default is the cheaper, dev-like behaviour."""

    resource_locks: bool = False
    """Off: no locks; on: the lakes, storage and vaults get a CanNotDelete lock."""
    protect_stateful: bool = False
    """Off: `pulumi destroy` may delete lakes, storage and vaults; on: they are `protect`ed."""
    zone_redundancy: bool = False
    """Off: lakes are locally redundant; on: zone-redundant."""


@dataclass(frozen=True, kw_only=True)
class Team:
    """One data team: who answers for it, who works in it, and its algorithms."""

    name: str
    tags: Tags
    data_scientist_group_ids: tuple[str, ...] = ()
    filesystems: tuple[str, ...] = ("raw", "curated")
    algorithms: tuple[Algorithm, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AnalyticsConfig:
    """Everything one environment's analytics program needs, validated."""

    source: str
    environment: str
    subscription_id: str
    tenant_id: str
    location: str
    platform_stack: str
    """The platform stack of the same environment, as the backend names it (`organization/amsterdam-platform/<env>`)."""
    spoke: str
    """The platform spoke the teams' private endpoints go into."""
    endpoint_subnet: str
    """The subnet of that spoke for private endpoints."""
    register_policy: RegisterPolicy
    features: Features = field(default_factory=Features)
    outbound_fqdns: tuple[str, ...] = ()
    teams: tuple[Team, ...] = ()


# ---------------------------------------------------------------------------------------------------------------
# Readers

def _mapping(source: str, key: str, value: Any, what: str) -> Mapping[str, Any]:
    value = structured(value)
    if not isinstance(value, Mapping):
        raise ConfigError(source, key, f"expected a mapping of {what}, got {show(value)}")
    return value


def _register_id(source: str, key: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # YAML reads an unquoted 90127502 as a number
    return matching(re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{2,63}$"),
                     "the algorithm's register id (lars), e.g. \"90127502\"")(source, key, value)


def _compute(source: str, key: str, value: Any) -> ComputeCluster | None:
    if value is False or value == "false":
        return None
    fields = {"name": string, "vmSize": string, "maxNodes": integer(1, 100), "idleMinutes": integer(2, 240)}
    read = section(source, key, value, fields, frozenset())
    names = {"vmSize": "vm_size", "maxNodes": "max_nodes", "idleMinutes": "idle_minutes", "name": "name"}
    return _build(source, key, ComputeCluster, {names[k]: v for k, v in read.items()})


def _deployments(source: str, key: str, value: Any) -> tuple[AiDeployment, ...]:
    deployments = []
    for name, spec in _mapping(source, key, value, "deployment name to {model, version, type, capacity}").items():
        where = f"{key}.{name}"
        fields = {"model": string, "version": string, "type": string, "capacity": integer(1, 10_000),
                  "format": string}
        read = section(source, where, spec, fields, frozenset({"model", "version"}))
        values = {"name": name, "model": read["model"], "version": str(read["version"]),
                  "deployment_type": read.get("type", "DataZoneStandard"), "capacity": read.get("capacity", 10),
                  "model_format": read.get("format", "OpenAI")}
        deployments.append(_build(source, where, AiDeployment, values))
    return tuple(deployments)


def _algorithms(source: str, key: str, value: Any) -> tuple[Algorithm, ...]:
    algorithms = []
    for name, spec in _mapping(source, key, value, "algorithm name to its settings").items():
        where = f"{key}.{name}"
        fields = {"registerId": _register_id, "kind": one_of(("model", "pipeline")), "compute": _compute,
                  "filesystems": list_of(_FILESYSTEM, empty=True, distinct=True), "readOnly": boolean,
                  "aiDeployments": _deployments}
        read = section(source, where, spec or {}, fields, frozenset())
        values: dict[str, Any] = {"name": name, "register_id": read.get("registerId"),
                                  "kind": read.get("kind", "model"), "read_only": read.get("readOnly", False),
                                  "filesystems": read.get("filesystems"),
                                  "ai_deployments": read.get("aiDeployments", ())}
        if "compute" in read:
            values["compute"] = read["compute"]
        algorithms.append(_build(source, where, Algorithm, values))
    return tuple(algorithms)


def _team(source: str, key: str, name: str, value: Any) -> Team:
    if not isinstance(name, str) or not _TEAM.match(name):
        raise ConfigError(source, key, "team names are 2 to 10 lower-case letters and digits, such as wonen")
    fields = {"owner": matching(EMAIL, "an e-mail address such as data-wonen@amsterdam.nl"),
              "costCenter": matching(COST_CENTER, "a cost centre such as CC-4120"),
              "dataClassification": one_of(DATA_CLASSIFICATIONS),
              "dataScientistGroupIds": list_of(matching(GUID, "an Entra group object id (a GUID)"), empty=True,
                                                distinct=True),
              "filesystems": list_of(_FILESYSTEM, distinct=True), "algorithms": _algorithms}
    read = section(source, key, value, fields, frozenset({"owner", "costCenter", "dataClassification"}))
    filesystems = read.get("filesystems", ("raw", "curated"))
    for algorithm in read.get("algorithms", ()):
        unknown = sorted(set(algorithm.filesystems or ()) - set(filesystems))
        if unknown:
            raise ConfigError(source, f"{key}.algorithms.{algorithm.name}.filesystems",
                              f"{unknown} are not filesystems of the team's lake ({', '.join(filesystems)}); add "
                              f"them to {key}.filesystems or correct the names")
    tags = Tags(owner=read["owner"], cost_center=read["costCenter"],
                data_classification=read["dataClassification"], application=f"analytics-{name}")
    return Team(name=name, tags=tags, data_scientist_group_ids=read.get("dataScientistGroupIds", ()),
                filesystems=filesystems, algorithms=read.get("algorithms", ()))


def _teams(source: str, key: str, value: Any) -> tuple[Team, ...]:
    teams = _mapping(source, key, value, "team name to its settings")
    return tuple(_team(source, f"{key}.{name}", name, spec) for name, spec in teams.items())


def _features(source: str, key: str, value: Any) -> Features:
    read = section(source, key, value, {"resourceLocks": boolean, "protectStateful": boolean,
                                         "zoneRedundancy": boolean}, frozenset())
    return Features(resource_locks=read.get("resourceLocks", False),
                    protect_stateful=read.get("protectStateful", False),
                    zone_redundancy=read.get("zoneRedundancy", False))


def _build(source: str, key: str, kind: type, values: Mapping[str, Any]) -> Any:
    """A component declaration from config; its own checks become config errors at `key`."""
    try:
        return kind(**values)
    except UserError as error:
        raise ConfigError(source, key, str(error)) from None


_FIELDS: dict[str, Reader[Any]] = {
    "environment": one_of(ENVIRONMENTS),
    "subscriptionId": matching(GUID, "a subscription GUID such as 00000000-0000-0000-0000-000000000000"),
    "tenantId": matching(GUID, "a tenant GUID such as 00000000-0000-0000-0000-000000000000"),
    "location": region,
    "platformStack": string,
    "spoke": matching(_NAME, "the platform spoke's name, such as analytics"),
    "endpointSubnet": matching(_NAME, "the spoke subnet's name, such as endpoints"),
    "requireRegisterEntry": boolean,
    "allowedRegisterStatuses": list_of(one_of(STATUSES), distinct=True),
    "features": _features,
    "outboundFqdns": list_of(string, empty=True, distinct=True),
    "teams": _teams,
}
_REQUIRED = frozenset({"environment", "subscriptionId", "tenantId", "location", "teams"})


def parse(raw: Mapping[str, Any], source: str, stack: str | None = None) -> AnalyticsConfig:
    """Validate a stack's config (keys as `project:key`) and check every algorithm against the register."""
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=_REQUIRED, source=source, stack=stack)
    environment = read["environment"]
    policy = RegisterPolicy(require_entry=read.get("requireRegisterEntry", True),
                            allowed_statuses=read.get("allowedRegisterStatuses", ("In gebruik",)))
    for team in read["teams"]:
        for algorithm in team.algorithms:
            key = f"{PROJECT}:teams.{team.name}.algorithms.{algorithm.name}.registerId"
            try:
                check_register_entry(algorithm.name, algorithm.register_id, policy)
            except RegisterError as error:
                raise ConfigError(source, key, f"{error} ({PROJECT}:requireRegisterEntry is "
                                               f"{str(policy.require_entry).lower()} in this stack)") from None
    try:  # the platform of the same environment, named the way the project's backend (Pulumi.yaml) accepts
        platform_stack = reference_to(PLATFORM_PROJECT, environment, read.get("platformStack"),
                                      declared_backend(STACKS_DIR), PROJECT)
    except BackendError as error:
        raise ConfigError(source, f"{PROJECT}:platformStack", str(error)) from None
    return AnalyticsConfig(
        source=source, environment=environment, subscription_id=read["subscriptionId"],
        tenant_id=read["tenantId"], location=read["location"], platform_stack=platform_stack,
        spoke=read.get("spoke", "analytics"), endpoint_subnet=read.get("endpointSubnet", "endpoints"),
        register_policy=policy,
        features=read.get("features", Features()), outbound_fqdns=read.get("outboundFqdns", ()),
        teams=read["teams"])


def load(stack: str, stacks_dir: Path = STACKS_DIR) -> AnalyticsConfig:
    """Read and validate `stacks/analytics/Pulumi.<stack>.yaml` (used by tests and offline tools)."""
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    return parse(read_stack_file(path), f"stacks/analytics/{path.name}", stack)


def from_pulumi() -> AnalyticsConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike)."""
    stack, raw = given_config()
    return parse(raw, f"stacks/analytics/Pulumi.{stack}.yaml", stack)
