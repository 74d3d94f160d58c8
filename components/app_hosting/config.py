"""The app stack config, read and validated once: the structured `app:app`, the platform stack and the prompted keys.

The contract and its one model are core/app_config.py's (docs/app-config.md): `read` there checks every key of
`app:app`, the migration's and the template's optional ones alike; this module adds what only the template knows
(the platform stack and registry of the environment, its operations, the prompted keys, a landing zone) and builds
the app's description. The template's optional keys, for what a hand-written app needs and a generated one leaves
at its default:

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
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core import app_config
from amsterdam_cloud.core.environments import ENVIRONMENTS, ISOLATED_ENVIRONMENTS
from amsterdam_cloud.components.app_hosting.public_entrance import CustomDomain
from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosContainer
from amsterdam_cloud.components.app_hosting.function_app import FunctionGroupArgs
from amsterdam_cloud.components.governance.vending import TEAM_NAME
from amsterdam_cloud.components.app_hosting.service_bus import ServiceBusQueue
from amsterdam_cloud.components.app_hosting.spec import AppSpec, DataNeeds, EntraGroup, FunctionsShape, MySql, \
    Operations, Postgres, VendedSubscription, VmShape
from amsterdam_cloud.components.compute.virtual_machine import ssh_key_problem
from amsterdam_cloud.components.security.container_registry import city_registry_name, login_server
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.app_config import APP_OPERATIONS_FILE, OPERATIONS, flexible_server_tier
from amsterdam_cloud.core.backend import Backend, BackendError, declared_backend, parse_reference
from amsterdam_cloud.core.config_readers import matching, section, snake
from amsterdam_cloud.core.documents import read_yaml
from amsterdam_cloud.core.errors import display
from amsterdam_cloud.core.program_config import LANDING_ZONES_PROJECT, PLATFORM_PROJECT, ConfigError, SecretValue, \
    given_config, structured

CONTRACT_KEYS = tuple(app_config.CONFIG_FIELDS)
"""The stack config keys the contract defines; other keys (provider settings) are left to Pulumi."""
PROMPTED_KEYS: Mapping[str, tuple[str, str]] = {
    "app:owner": ("team", "the owning team's @amsterdam.nl mailbox, e.g. parkeren@amsterdam.nl"),
    "app:costCenter": ("costCenter", "the cost centre, CC- and 4-6 digits, e.g. CC-4120"),
}
"""The template's prompted keys: the `app:app` field each fills (read by its reader) and the form it takes."""
CITY_MAIL_DOMAIN = "@amsterdam.nl"
"""The owner tag names a city mailbox: alerts, budgets and waivers reach a team the city can reach."""


def _operations(defaults: Operations, overrides: Mapping[str, Any]) -> Operations:
    """`defaults` with the keys `overrides` reads (core/app_config.py `OPERATIONS`) overridden."""
    return replace(defaults, **{snake(name): item for name, item in overrides.items()})


@functools.cache
def environment_operations(path: Path = APP_OPERATIONS_FILE) -> Mapping[str, Operations]:
    """Each environment's operational defaults from `path` (core/app_operations.yaml), read as overrides of
    `Operations()` with the readers of `app:app.operations`: one entry per environment."""
    source, document = display(path), read_yaml(path, "the environments' app operations")
    if not isinstance(document, Mapping) or sorted(document) != sorted(ENVIRONMENTS):
        raise ConfigError(source, "(document)", f"expected one entry per environment ({', '.join(ENVIRONMENTS)})")
    return {environment: _operations(Operations(), section(source, environment, document[environment], OPERATIONS,
                                                           frozenset()))
            for environment in ENVIRONMENTS}


def _custom_domain(source: str, value: Mapping[str, str] | None) -> CustomDomain | None:
    """A public app's own host name and the name of its certificate in the platform's certificate vault."""
    if value is None:
        return None
    try:
        return CustomDomain(host_name=value["hostName"], certificate_secret=value["certificate"])
    except UserError as error:
        raise ConfigError(source, "app:app.customDomain", str(error)) from None


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
        try:
            app_config.APP_FIELDS[field_name](source, key, value)
        except ConfigError:
            raise ConfigError(source, key, f"{value!r}; expected {form}") from None
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


_LANDING_ZONE = matching(TEAM_NAME, "the team's name as vended (`cityctl vend <team>`), e.g. parkeren")


def _landing_zone(config: Mapping[str, Any], source: str, platform_stack: str,
                  app: Mapping[str, Any]) -> VendedSubscription | None:
    """The team's landing zone when `app:landingZone` names one: the landing zones stack of the platform's
    environment, in the same backend; what a vended subscription cannot host yet is refused here."""
    if LANDING_ZONE_KEY not in config:
        return None
    team = _LANDING_ZONE(source, LANDING_ZONE_KEY, structured(config[LANDING_ZONE_KEY]))
    for key in ("spoke", "runtimeSubnet", "registry"):
        if key in app:
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
    """Read a stack file's `config:` mapping with the contract's model (core/app_config.py) and return the app's
    description; `stack` and the project's `backend` decide the platform stack when `app:platformStack` is unset."""
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
    if "app:owner" not in config and isinstance(app.get("team"), str):
        app["team"] = _city_mailbox(source, "app:app.team", app["team"])
    given["app:platformStack"] = _platform_stack(given.get("app:platformStack"), stack, backend, source)
    read = app_config.read({**given, "app:app": app}, source)
    app, platform_stack = read["app:app"], read["app:platformStack"]

    environment = platform_stack.rsplit("/", 1)[1]
    registry = app.get("registry") or login_server(city_registry_name(environment))
    image = app.get("image")
    if image is not None and not image.startswith(registry + "/"):
        raise ConfigError(source, "app:app.image", f"{image!r} is not in the city registry {registry}; import it "
                                                   f"(`az acr import --name {registry.split('.')[0]} --source "
                                                   f"{image}`) and use {registry}/<repository>:<tag>")
    operations = _operations(environment_operations()[environment], app.get("operations", {}))
    data = app["data"]
    for engine in ("postgres", "mysql"):
        database = data.get(engine)
        if database and operations.high_availability and flexible_server_tier(database["sku"]) == "Burstable":
            raise ConfigError(source, f"app:app.data.{engine}.sku",
                              f"{database['sku']!r} is Burstable, which has no high availability ({environment} "
                              "needs it); use a Standard_D* or Standard_E* SKU, or set "
                              "app:app.operations.highAvailability: false")
    postgres, mysql = data.get("postgres"), data.get("mysql")
    admin_group = app.get("databaseAdminGroup")
    return AppSpec(
        name=app["name"], team=app["team"], cost_center=app["costCenter"], environment=environment,
        platform_stack=platform_stack, location=read["azure-native:location"],
        runtime=app["runtime"], exposure=app["exposure"], data_classification=app["dataClassification"],
        image=image, stack=app.get("stack"), vm=_vm(source, app.get("vm")),
        functions=_functions(app.get("functions")), algorithm_register_id=app.get("algorithmRegisterId"),
        data=DataNeeds(postgres=Postgres(sku=postgres["sku"], storage_gb=postgres["storageGb"],
                                         version=postgres["version"]) if postgres else None,
                       mysql=MySql(sku=mysql["sku"], storage_gb=mysql["storageGb"],
                                   version=mysql["version"]) if mysql else None,
                       storage=data["storage"], key_vault=data["keyVault"],
                       storage_sub_resources=data.get("storageSubResources", ("blob",)),
                       cosmos=tuple(CosmosContainer(name=c["name"], partition_key=c.get("partitionKey", "/id"))
                                    for c in (data.get("cosmos") or {}).get("containers", ())),
                       service_bus_queues=tuple(ServiceBusQueue(name=q["name"], sessions=q.get("sessions", False))
                                                for q in (data.get("serviceBus") or {}).get("queues", ()))),
        min_replicas=app["scale"]["minReplicas"], max_replicas=app["scale"]["maxReplicas"],
        port=app.get("port", 8080), health_path=app.get("healthPath", "/health"), spoke=app.get("spoke", "apps"),
        runtime_subnet=app.get("runtimeSubnet"), secrets=dict(app.get("secrets", {})),
        settings=dict(app.get("settings", {})), cpu=float(app.get("cpu", 0.5)), registry=app.get("registry"),
        operations=operations,
        database_admin_group=EntraGroup(object_id=admin_group["objectId"], display_name=admin_group["displayName"])
        if admin_group else None,
        workload_profile=app.get("workloadProfile", "Consumption"),
        custom_domain=_custom_domain(source, app.get("customDomain")),
        landing_zone=_landing_zone(config, source, platform_stack, app),
        migrated_from=app["source"]["workload"] if app["source"].get("mapping") else None)


def _vm(source: str, value: Mapping[str, Any] | None) -> VmShape | None:
    """The VM shape of runtime vm (as the contract's model read it); a Linux group needs the break-glass SSH key
    (the migration cannot know it, so this is where its absence stops a plan)."""
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
    """The function apps of runtime function (as the contract's model read it)."""
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
