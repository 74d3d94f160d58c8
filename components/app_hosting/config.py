"""The app stack config, read and validated once: the structured `app:app`, the platform stack and the prompted keys.

The contract is the migration engineer's (docs/app-config.md, `core/app_config.py`): `validate` there
checks every key it defines. The template accepts a few optional keys on top, for what a hand-written app needs
and a generated one leaves at its default:

- `app:app.port` (8080), `app:app.healthPath` (/health), `app:app.spoke` (apps), `app:app.runtimeSubnet`
  (the spoke's containers or appservice subnet),
  `app:app.registry` (the platform's registry, `cramsterdam<env>.azurecr.io`), `app:app.data.storageSubResources`
  ([blob]);
- `app:app.secrets`: environment variable name -> Key Vault secret name (also written by the migration);
- `app:app.databaseAdminGroup`: `{displayName, objectId}` of the team's Entra group that administers the app's
  databases; the plan requires it when the app has one (the app's identity is never the administrator);
- `app:app.workloadProfile` (Consumption): a dedicated profile of the platform's shared Container Apps environment;
- `app:app.customDomain`: `{hostName, certificate}` of a public app (the certificate's name in the platform's
  certificate vault);
- `app:landingZone` (top level, beside `app:platformStack`): the team whose vended subscription the app runs in
  (`cityctl vend <team> --app-dir` writes it with `azure-native:subscriptionId`); the app then reads
  `landingZones.<team>` of `organization/amsterdam-landing-zones/<env>`;
- `app:app.operations`: overrides of the environment's defaults (core/app_operations.yaml, the same keys):
  highAvailability, geoRedundantBackup, backupRetentionDays, zoneRedundant, lock, protect, minReplicas.

The template's prompts (`pulumi new` asks for top-level keys only) fill `app:app`: `app:owner` its `team`,
`app:costCenter` its `costCenter`. `app:platformStack` is optional for a stack named after an environment: it
follows the stack (`--stack prod` reads the prod platform), named the way the project's backend accepts
(`organization/amsterdam-platform/<stack>` in the city's self-managed backend); set it only to override, and a prod
app never reads another environment's platform (nor another environment's app the prod platform).

Every mistake is a `ConfigError` naming the stack file, the key and the expected form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core.ids import GUID_ANY_CASE
from amsterdam_cloud.core.environments import ENVIRONMENTS, ISOLATED_ENVIRONMENTS
from amsterdam_cloud.components.app_hosting.public_entrance import CustomDomain
from amsterdam_cloud.components.app_hosting.mysql import VERSIONS as MYSQL_VERSIONS
from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosContainer
from amsterdam_cloud.components.app_hosting.function_app import FunctionGroupArgs
from amsterdam_cloud.components.governance.vending import TEAM_NAME
from amsterdam_cloud.components.app_hosting.service_bus import ServiceBusQueue
from amsterdam_cloud.components.app_hosting.spec import STORAGE_SUB_RESOURCES, AppSpec, DataNeeds, EntraGroup, \
    FunctionsShape, \
    MySql, Operations, Postgres, VendedSubscription, VmShape
from amsterdam_cloud.components.compute.virtual_machine import ssh_key_problem
from amsterdam_cloud.components.security.container_registry import city_registry_name, login_server
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.app_config import APP_OPERATIONS_FILE, APP_SCHEMA, ENV_NAME
from amsterdam_cloud.core.backend import Backend, BackendError, declared_backend, parse_reference
from amsterdam_cloud.core.config_readers import Reader, boolean, integer, matching, section, snake
from amsterdam_cloud.core.documents import read_yaml
from amsterdam_cloud.core.errors import display
from amsterdam_cloud.core.program_config import LANDING_ZONES_PROJECT, PLATFORM_PROJECT, ConfigError, SecretValue, \
    given_config, structured

CONTRACT_KEYS = ("azure-native:location", "app:platformStack", "app:app")
"""The stack config keys the contract defines; other keys (provider settings) are left to Pulumi."""
PROMPTED_KEYS: Mapping[str, tuple[str, str]] = {
    "app:owner": ("team", "the owning team's @amsterdam.nl mailbox, e.g. parkeren@amsterdam.nl"),
    "app:costCenter": ("costCenter", "the cost centre, CC- and 4-6 digits, e.g. CC-4120"),
}
"""The template's prompted keys: the `app:app` field each fills and the form it takes."""
EXTENSION_KEYS = ("port", "healthPath", "spoke", "runtimeSubnet", "registry", "secrets", "operations",
                  "databaseAdminGroup", "workloadProfile", "customDomain")
"""The template's optional keys in `app:app`, on top of the contract."""

MYSQL_MAX_STORAGE_GB = 16384
"""The largest storage MySQL flexible server offers (the contract allows PostgreSQL's 32767)."""
_ENV_VAR = re.compile(ENV_NAME)
_SECRET_NAME = re.compile(r"^[0-9A-Za-z-]{1,127}$")
_REGISTRY = re.compile(r"^[a-z0-9]{5,50}\.azurecr\.io$")
_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")
_SPOKE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_PROFILE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
_GROUP_NAME = re.compile(r"^[^'\"\\;]{1,120}$")
CITY_MAIL_DOMAIN = "@amsterdam.nl"
"""The owner tag names a city mailbox: alerts, budgets and waivers reach a team the city can reach."""


_OPERATIONS: Mapping[str, Reader[Any]] = {
    "highAvailability": boolean, "geoRedundantBackup": boolean, "backupRetentionDays": integer(7, 35),
    "zoneRedundant": boolean, "lock": boolean, "protect": boolean, "minReplicas": integer(0, 30),
}
"""The keys of `app:app.operations` and of each environment in core/app_operations.yaml, with their readers."""


def _operations(source: str, key: str, defaults: Operations, value: Any) -> Operations:
    """`defaults` with the given keys overridden (None: the defaults as they are)."""
    if value is None:
        return defaults
    read = section(source, key, value, _OPERATIONS, frozenset())
    return replace(defaults, **{snake(name): item for name, item in read.items()})


@functools.cache
def environment_operations(path: Path = APP_OPERATIONS_FILE) -> Mapping[str, Operations]:
    """Each environment's operational defaults from `path` (core/app_operations.yaml), read as overrides of
    `Operations()` with the readers of `app:app.operations`: one entry per environment."""
    source, document = display(path), read_yaml(path, "the environments' app operations")
    if not isinstance(document, Mapping) or sorted(document) != sorted(ENVIRONMENTS):
        raise ConfigError(source, "(document)", f"expected one entry per environment ({', '.join(ENVIRONMENTS)})")
    return {environment: _operations(source, environment, Operations(), document[environment])
            for environment in ENVIRONMENTS}


def _secrets(source: str, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(source, "app:app.secrets", f"{value!r}; expected a mapping of environment variable "
                                                     "name to Key Vault secret name, e.g. {DATABASE_URL: db-url}")
    for name, secret in value.items():
        if not isinstance(name, str) or not _ENV_VAR.match(name):
            raise ConfigError(source, f"app:app.secrets.{name}", "not an environment variable name; expected "
                                                                 "letters, digits, _, - and . (e.g. API_KEY)")
        if not isinstance(secret, str) or not _SECRET_NAME.match(secret):
            raise ConfigError(source, f"app:app.secrets.{name}", f"{secret!r}; expected a Key Vault secret name "
                                                                 "(letters, digits and -, up to 127)")
    return dict(value)


def _admin_group(source: str, value: Any, databases: Mapping[str, Any]) -> EntraGroup | None:
    """The team's Entra group that administers the app's databases, when set (`App` refuses a database without
    one, so a generated config still loads and the plan names the key); refused on an app without a database."""
    key = "app:app.databaseAdminGroup"
    if value is None:
        return None
    if not databases:
        raise ConfigError(source, key, "the app has no database; remove the key")
    if not isinstance(value, Mapping) or set(value) != {"displayName", "objectId"}:
        raise ConfigError(source, key, f"{value!r}; expected {{displayName: <the team's Entra group>, objectId: "
                                       "<its object id, a GUID>}")
    if not isinstance(value["objectId"], str) or not GUID_ANY_CASE.match(value["objectId"]):
        raise ConfigError(source, f"{key}.objectId", f"{value['objectId']!r}; expected the group's object id (a GUID)")
    if not isinstance(value["displayName"], str) or not _GROUP_NAME.match(value["displayName"]):
        raise ConfigError(source, f"{key}.displayName", f"{value['displayName']!r}; expected the group's display "
                                                        "name (1-120 characters, no quotes, backslash or ;)")
    return EntraGroup(object_id=value["objectId"], display_name=value["displayName"])


def _custom_domain(source: str, value: Any, exposure: Any) -> CustomDomain | None:
    """A public app's own host name and the name of its certificate in the platform's certificate vault."""
    key = "app:app.customDomain"
    if value is None:
        return None
    if exposure != "public":
        raise ConfigError(source, key, "only a public app (exposure: public) has a custom domain on the city's "
                                       "Front Door; remove the key or set app:app.exposure: public")
    if not isinstance(value, Mapping) or set(value) != {"hostName", "certificate"}:
        raise ConfigError(source, key, f"{value!r}; expected {{hostName: parkeren.amsterdam.nl, certificate: "
                                       "<its name in the platform's certificate vault>}")
    try:
        return CustomDomain(host_name=value["hostName"], certificate_secret=value["certificate"])
    except UserError as error:
        raise ConfigError(source, key, str(error)) from None


def _sub_resources(source: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ("blob",)
    if not isinstance(value, list) or not value or any(v not in STORAGE_SUB_RESOURCES for v in value) \
            or len(set(value)) != len(value):
        raise ConfigError(source, "app:app.data.storageSubResources",
                          f"{value!r}; expected a non-empty list of distinct {', '.join(STORAGE_SUB_RESOURCES)}")
    return tuple(value)


_SKU_TIER = re.compile(r"^Standard_([BDE])")


def postgres_tier(sku: str) -> str | None:
    """Burstable, GeneralPurpose or MemoryOptimized from the SKU's family letter; None when it is none of those."""
    match = _SKU_TIER.match(sku)
    return {"B": "Burstable", "D": "GeneralPurpose", "E": "MemoryOptimized"}[match.group(1)] if match else None


def _prompted(config: Mapping[str, Any], app: dict[str, Any], source: str) -> None:
    """Fill `app:app` from the prompted keys; each fact is set in one place, in the form the contract takes."""
    for key, (field_name, form) in PROMPTED_KEYS.items():
        if key not in config:
            if field_name not in app:
                raise ConfigError(source, key, f"missing; expected {form} (`pulumi config set {key} <value>`)")
            continue
        value = structured(config[key])
        if field_name == "team" and isinstance(value, str):
            value = _city_mailbox(source, key, value)
        if not isinstance(value, str) or not re.match(APP_SCHEMA["properties"][field_name]["pattern"], value):
            raise ConfigError(source, key, f"{value!r}; expected {form}")
        if field_name in app and app[field_name] != value:
            raise ConfigError(source, key, f"{value!r} differs from app:app.{field_name} {app[field_name]!r}; "
                                           "set it in one place")
        app[field_name] = value


def _city_mailbox(source: str, key: str, value: str) -> str:
    """The owner as a lowercased city mailbox: the tag is compared and searched as text, so one spelling only."""
    if not value.lower().endswith(CITY_MAIL_DOMAIN):
        raise ConfigError(source, key, f"{value!r}; expected the owning team's {CITY_MAIL_DOMAIN} mailbox, a city "
                                       f"address (`pulumi config set app:owner team{CITY_MAIL_DOMAIN}`)")
    return value.lower()


def _project_name(source: str, value: Any) -> None:
    """The app's name (the project's, `pulumi new --name`) goes into every Azure name, so Azure's rules bound it."""
    if not isinstance(value, str) or not re.match(APP_SCHEMA["properties"]["name"]["pattern"], value):
        raise ConfigError(source, "app:app.name", f"{value!r}; the project name must be lowercase letters, digits "
                                                  "and -, 2-24 characters, starting with a letter and not ending "
                                                  f"in - ({APP_SCHEMA['properties']['name']['pattern']}): start "
                                                  "the repository again with `pulumi new <toolkit>/templates/app "
                                                  "--name afval-ophalen`")


def _platform_stack(given: str | None, stack: str | None, backend: Backend | None, source: str) -> str:
    """The platform stack the app reads: the override when set (in a form the backend accepts), else the one of
    the environment the stack is named after; a prod app and the prod platform only go together."""
    key = "app:platformStack"
    try:
        if given is not None:
            if backend is not None and isinstance(given, str):
                parse_reference(given, backend, PLATFORM_PROJECT)
            reference = given
        elif stack in ENVIRONMENTS and backend is not None:
            reference = backend.reference(PLATFORM_PROJECT, stack)
        else:
            raise ConfigError(source, key, f"missing; the stack {stack!r} is not named after an environment "
                                           f"({', '.join(ENVIRONMENTS)}), so set organization/{PLATFORM_PROJECT}/<env>")
    except BackendError as error:
        raise ConfigError(source, key, str(error)) from None
    environment = reference.rsplit("/", 1)[-1] if isinstance(reference, str) else None
    if stack in ENVIRONMENTS and environment != stack and ISOLATED_ENVIRONMENTS & {stack, environment}:
        raise ConfigError(source, key, f"{reference} is the {environment} platform, but this is the {stack} stack; "
                                       "a prod app reads the prod platform only, and the prod platform serves prod "
                                       "apps only: remove the key (the platform follows the stack)")
    return reference


LANDING_ZONE_KEY = "app:landingZone"
"""The template's key for an app in its team's vended subscription (written by `cityctl vend <team> --app-dir`)."""


def _landing_zone(config: Mapping[str, Any], source: str, platform_stack: str, app: Mapping[str, Any],
                  extensions: Mapping[str, Any]) -> VendedSubscription | None:
    """The team's landing zone when `app:landingZone` names one: the landing zones stack of the platform's
    environment, in the same backend; what a vended subscription cannot host yet is refused here."""
    if LANDING_ZONE_KEY not in config:
        return None
    team = structured(config[LANDING_ZONE_KEY])
    if not isinstance(team, str) or not TEAM_NAME.match(team):
        raise ConfigError(source, LANDING_ZONE_KEY, f"{team!r}; expected the team's name as vended "
                                                    "(`cityctl vend <team>`), e.g. parkeren")
    for key in ("spoke", "runtimeSubnet", "registry"):
        if key in extensions:
            raise ConfigError(source, f"app:app.{key}", f"set with {LANDING_ZONE_KEY}; an app in a vended "
                                                        "subscription uses its landing zone's subnets, Container Apps "
                                                        "environment and registry pull identity: remove the key")
    if app.get("exposure") == "public":
        raise ConfigError(source, LANDING_ZONE_KEY, "a public app in a vended subscription is not supported yet "
                                                    "(its WAF entrance is written into the platform's Front Door); "
                                                    "set app:app.exposure: internal or host the app on the platform")
    if app.get("runtime") == "vm":
        raise ConfigError(source, LANDING_ZONE_KEY, "runtime vm needs a vms subnet, which a vended spoke does not "
                                                    "have; host the VMs on the platform")
    parts = platform_stack.split("/")  # the same backend and organization, the landing zones project
    return VendedSubscription(team=team, stack="/".join([*parts[:-2], LANDING_ZONES_PROJECT, parts[-1]]))


def parse(config: Mapping[str, Any], source: str, *, stack: str | None = None,
          backend: Backend | None = None) -> AppSpec:
    """Validate a stack file's `config:` mapping and return the app's description; `stack` and the project's
    `backend` decide the platform stack when `app:platformStack` is unset."""
    from amsterdam_cloud.core.app_config import validate

    given = {key: structured(config[key]) for key in CONTRACT_KEYS if key in config}
    app = given.get("app:app")
    if not isinstance(app, Mapping):
        if isinstance(app, SecretValue):
            raise ConfigError(source, "app:app", "a secret value (a `secure:` inside it makes the whole key secret); "
                                                 "app:app holds no secrets: keep them in the app's Key Vault and "
                                                 "name them under app:app.secrets")
        raise ConfigError(source, "app:app", f"{'missing' if app is None else repr(app)}; expected the structured "
                                             "app value (docs/app-config.md), e.g. from `cityctl migrate generate`")
    app = dict(app)
    _prompted(config, app, source)
    _project_name(source, app.get("name"))
    if "app:owner" not in config and isinstance(app.get("team"), str):
        app["team"] = _city_mailbox(source, "app:app.team", app["team"])
    given["app:platformStack"] = _platform_stack(given.get("app:platformStack"), stack, backend, source)
    extensions = {key: app.pop(key) for key in EXTENSION_KEYS if key in app}
    data = dict(app.get("data") or {}) if isinstance(app.get("data"), Mapping) else app.get("data")
    sub_resources = data.pop("storageSubResources", None) if isinstance(data, dict) else None
    if isinstance(data, dict):
        app["data"] = data
    validate({**given, "app:app": app}, source)

    environment = given["app:platformStack"].rsplit("/", 1)[1]
    registry_override = matching(_REGISTRY, "an ACR login server such as cramsterdamdev.azurecr.io")(
        source, "app:app.registry", extensions["registry"]) if "registry" in extensions else None
    registry = registry_override or login_server(city_registry_name(environment))
    image = app.get("image")
    if image is not None and not image.startswith(registry + "/"):
        raise ConfigError(source, "app:app.image", f"{image!r} is not in the city registry {registry}; import it "
                                                   f"(`az acr import --name {registry.split('.')[0]} --source "
                                                   f"{image}`) and use {registry}/<repository>:<tag>")
    operations = _operations(source, "app:app.operations", environment_operations()[environment],
                             extensions.get("operations"))
    databases = {}
    for engine in ("postgres", "mysql"):
        database = app["data"].get(engine)
        if not database:
            continue
        tier = postgres_tier(database["sku"])
        if tier is None:
            raise ConfigError(source, f"app:app.data.{engine}.sku",
                              f"{database['sku']!r}; expected a flexible server SKU: Standard_B*, Standard_D* or "
                              "Standard_E*")
        if operations.high_availability and tier == "Burstable":
            raise ConfigError(source, f"app:app.data.{engine}.sku",
                              f"{database['sku']!r} is Burstable, which has no high availability ({environment} "
                              "needs it); use a Standard_D* or Standard_E* SKU, or set "
                              "app:app.operations.highAvailability: false")
        databases[engine] = database
    spec_postgres = Postgres(sku=databases["postgres"]["sku"], storage_gb=databases["postgres"]["storageGb"],
                             version=databases["postgres"]["version"]) if "postgres" in databases else None
    spec_mysql = None
    if "mysql" in databases:
        mysql = databases["mysql"]
        if mysql["version"] not in MYSQL_VERSIONS:
            raise ConfigError(source, "app:app.data.mysql.version",
                              f"{mysql['version']!r}; MySQL flexible server is built at {', '.join(MYSQL_VERSIONS)} "
                              "(the migration raises 5.7 and MariaDB to it)")
        if mysql["storageGb"] > MYSQL_MAX_STORAGE_GB:
            raise ConfigError(source, "app:app.data.mysql.storageGb",
                              f"{mysql['storageGb']}; MySQL flexible server offers at most {MYSQL_MAX_STORAGE_GB} GiB")
        spec_mysql = MySql(sku=mysql["sku"], storage_gb=mysql["storageGb"], version=mysql["version"])
    secrets = _secrets(source, extensions.get("secrets"))
    if secrets and not app["data"]["keyVault"]:
        raise ConfigError(source, "app:app.secrets", "secrets are Key Vault references, but data.keyVault is false; "
                                                     "set app:app.data.keyVault: true")
    return AppSpec(
        name=app["name"], team=app["team"], cost_center=app["costCenter"], environment=environment,
        platform_stack=given["app:platformStack"], location=given["azure-native:location"],
        runtime=app["runtime"], exposure=app["exposure"], data_classification=app["dataClassification"],
        image=image, stack=app.get("stack"), vm=_vm(source, app.get("vm")),
        functions=_functions(app.get("functions")), algorithm_register_id=app.get("algorithmRegisterId"),
        data=DataNeeds(postgres=spec_postgres, mysql=spec_mysql, storage=app["data"]["storage"], key_vault=app["data"]["keyVault"],
                       storage_sub_resources=_sub_resources(source, sub_resources),
                       cosmos=tuple(CosmosContainer(name=c["name"], partition_key=c.get("partitionKey", "/id"))
                                    for c in (app["data"].get("cosmos") or {}).get("containers", [])),
                       service_bus_queues=tuple(ServiceBusQueue(name=q["name"], sessions=q.get("sessions", False))
                                                for q in (app["data"].get("serviceBus") or {}).get("queues", []))),
        min_replicas=app["scale"]["minReplicas"], max_replicas=app["scale"]["maxReplicas"],
        port=integer(1, 65535)(source, "app:app.port", extensions.get("port", 8080)),
        health_path=matching(_PATH, "an absolute URL path such as /health")(
            source, "app:app.healthPath", extensions.get("healthPath", "/health")),
        spoke=matching(_SPOKE, "a platform spoke name such as apps")(
            source, "app:app.spoke", extensions.get("spoke", "apps")),
        runtime_subnet=matching(_SPOKE, "a subnet name of the spoke such as containers2")(
            source, "app:app.runtimeSubnet", extensions["runtimeSubnet"]) if "runtimeSubnet" in extensions else None,
        secrets=secrets, settings=dict(app.get("settings", {})), cpu=float(app.get("cpu", 0.5)),
        registry=registry_override, operations=operations,
        database_admin_group=_admin_group(source, extensions.get("databaseAdminGroup"), databases),
        workload_profile=matching(_PROFILE, "a workload profile name such as Consumption or general")(
            source, "app:app.workloadProfile", extensions.get("workloadProfile", "Consumption")),
        custom_domain=_custom_domain(source, extensions.get("customDomain"), app["exposure"]),
        landing_zone=_landing_zone(config, source, given["app:platformStack"], app, extensions),
        migrated_from=app["source"]["workload"] if app["source"].get("mapping") else None)


def _vm(source: str, value: Mapping[str, Any] | None) -> VmShape | None:
    """The VM shape of runtime vm (already checked against the contract's schema); a Linux group needs the
    break-glass SSH key (the migration cannot know it, so this is where its absence stops a plan)."""
    if value is None:
        return None
    key = value.get("sshPublicKey")
    if value["os"] == "linux":
        problem = "required for a Linux VM: it signs in with an SSH key only (password sign-in is off); set the " \
                  "break-glass key's public half, `ssh-ed25519 AAAA...`" if key is None else ssh_key_problem(key)
        if problem:
            raise ConfigError(source, "app:app.vm.sshPublicKey", problem)
    elif key is not None:
        raise ConfigError(source, "app:app.vm.sshPublicKey", "a Windows VM signs in with its Key Vault password; "
                                                             "remove the key")
    return VmShape(size=value["size"], os=value["os"], count=value["count"], os_disk_gb=value.get("osDiskGb", 128),
                   data_disks_gb=tuple(value.get("dataDisksGb", ())), ssh_public_key=key)


def _functions(value: Mapping[str, Any] | None) -> FunctionsShape | None:
    """The function apps of runtime function (already checked against the contract's schema)."""
    if value is None:
        return None
    return FunctionsShape(plan=value["plan"], groups=tuple(
        FunctionGroupArgs(name=group["name"], stack=group["stack"], memory_mb=group.get("memoryMb", 2048),
                          triggers=tuple(group.get("triggers", ()))) for group in value["groups"]))


def from_pulumi(project_dir: Path | None = None) -> AppSpec:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike); the backend is
    the one `project_dir/Pulumi.yaml` declares (default: the project root the CLI gives the program)."""
    import pulumi

    stack, given = given_config()  # secret keys as SecretValue, so no message can print their value
    root = project_dir or pulumi.get_root_directory()
    return parse(given, f"Pulumi.{stack}.yaml", stack=stack, backend=declared_backend(Path(root)) if root else None)
