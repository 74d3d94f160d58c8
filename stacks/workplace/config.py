"""The workplace stack's typed configuration: read once, validated once, errors naming the file, the key and the fix.

Environments differ only through these values (users and profile, office hours, client access, zone redundancy,
locks); the program has no `if environment == ...`. The field readers are the platform config's
(`amsterdam_cloud.stacks.config`), so both projects accept and reject values the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from amsterdam_cloud.core import clock
from amsterdam_cloud.core.ids import GUID
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.program_config import PLATFORM_PROJECT
from amsterdam_cloud.components.workplace.host_pool import APPLICATION_GROUP_TYPES, EXPIRY_FORMAT, Registration, \
    RemoteApp
from amsterdam_cloud.components.workplace.profile_backup import MAX_SHARE_SNAPSHOTS, BackupRetention
from amsterdam_cloud.components.workplace.schedule import DAYS, OfficeHours, ScheduleError
from amsterdam_cloud.components.workplace.session_hosts import IMAGE_VERSION, MAX_NAME_PREFIX, SessionHostImage, \
    host_sets_clash
from amsterdam_cloud.components.workplace.sizing import POOL_TYPES, USAGE_PROFILES, Sizing, SizingError, \
    size_workplace
from amsterdam_cloud.core.regions import AVD_EU_METADATA_REGIONS
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.backend import BackendError, declared_backend, reference_to
from amsterdam_cloud.core.program_config import ConfigError, given_config, read_stack_file, structured
from amsterdam_cloud.core.config_readers import (Reader, boolean, integer, matching, one_of, read_project_keys,
                                                 region, section, show, string)
from amsterdam_cloud.stacks.config import Tags, read_tags

PROJECT = "amsterdam-workplace"
"""The Pulumi project name; every config key of ours is `amsterdam-workplace:<key>`."""
STACKS_DIR = Path(__file__).resolve().parent
MAX_REGISTRATION_HOURS = 27 * 24
"""AVD accepts a registration token that expires between one hour and 30 days ahead; 27 days leaves a margin."""
MIN_REGISTRATION_LEFT = dt.timedelta(hours=1)
"""A window with less than this left is over: Azure refuses to issue a token expiring within the hour."""

_STORAGE_NAME = re.compile(r"^[a-z0-9]{3,24}$")
_PREFIX = re.compile(rf"^[a-z][a-z0-9-]{{0,{MAX_NAME_PREFIX - 1}}}$")
_APP_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True, kw_only=True)
class Pool:
    """Who uses the workplace and how: the inputs of the sizing formula, and what the pool publishes."""

    type: str
    users: int
    profile: str
    peak_concurrency: float = 1.0
    spare_hosts: int = 1
    profile_gib_per_user: int = 30
    application_group_type: str = "Desktop"
    remote_apps: tuple[RemoteApp, ...] = ()

    @property
    def sizing(self) -> Sizing:
        return size_workplace(users=self.users, profile=self.profile, pool_type=self.type,
                              peak_concurrency=self.peak_concurrency, spare_hosts=self.spare_hosts,
                              profile_gib_per_user=self.profile_gib_per_user)


@dataclass(frozen=True, kw_only=True)
class Image:
    """Which image the hosts run: the current host set's version and, during a rolling replacement, the draining
    set's; from the workplace's Compute Gallery definition, or (dev's documented default) a marketplace image."""

    version: str
    """The current host set's image version: it takes new sessions."""
    previous_version: str | None = None
    """The version of the set being replaced (drain mode); None: one host set."""
    marketplace: tuple[str, str, str] | None = None
    """(publisher, offer, sku) of a marketplace image; None: the workplace's gallery image definition."""

    def session_host_image(self, version: str, gallery_image_definition_id: Any) -> SessionHostImage:
        """The image of the host set built from `version`."""
        if self.marketplace:
            publisher, offer, sku = self.marketplace
            return SessionHostImage(version=version, publisher=publisher, offer=offer, sku=sku)
        return SessionHostImage(version=version, gallery_image_definition_id=gallery_image_definition_id)


@dataclass(frozen=True, kw_only=True)
class Features:
    """Switches that make environments differ; each default is the cheaper, dev-like behaviour."""

    zone_redundancy: bool = False
    """Off: Premium_LRS profiles, hosts unpinned; on: Premium_ZRS profiles, hosts spread over three zones."""
    resource_locks: bool = False
    """Off: no locks; on: CanNotDelete on profile storage, vault and the AVD objects."""
    protect_stateful: bool = False
    """Off: `pulumi destroy` may delete profiles and vault; on: they are `protect`ed."""
    clients_from_internet: bool = False
    """Off: clients connect only over the city network (private endpoints); on: from the internet as well."""
    intune_enrollment: bool = True
    """On: hosts enrol in Intune."""


@dataclass(frozen=True, kw_only=True)
class WorkplaceConfig:
    """Everything one environment's workplace program needs, validated."""

    source: str
    environment: str
    subscription_id: str
    tenant_id: str
    location: str
    metadata_location: str
    platform_stack: str
    tags: Tags
    friendly_name: str
    host_name_prefix: str
    profile_storage_account: str
    pool: Pool
    image: Image
    profile_backup: BackupRetention
    office_hours: OfficeHours
    features: Features
    user_group_ids: tuple[str, ...] = ()
    admin_group_ids: tuple[str, ...] = ()
    avd_service_principal_id: str | None = None
    registration_token_hours: int = 24
    registration_token_renewed_at: dt.datetime | None = None
    """When the registration token was last renewed on purpose (UTC); None only with registration_token_hours 0."""

    @property
    def azure_tags(self) -> dict[str, str]:
        return self.tags.as_azure_tags(self.environment)

    def registration(self, now: dt.datetime | None = None) -> Registration | None:
        """The token window: `registrationTokenRenewedAt` plus `registrationTokenHours`, whatever the time of the
        run (no churn); the time (`now`, default the clock) only tells whether the window is still open (renew: more
        than MIN_REGISTRATION_LEFT left) or over. The clock is asked `clock.before(...)` those two instants, so a
        cached plan holds until the next one passes. None: no token."""
        if self.registration_token_hours == 0 or self.registration_token_renewed_at is None:
            return None
        before = clock.before if now is None else (lambda instant: now < instant)
        renewed = self.registration_token_renewed_at
        key = f"{PROJECT}:registrationTokenRenewedAt"
        if before(renewed):
            raise ConfigError(self.source, key, f"{renewed.strftime(EXPIRY_FORMAT)} is in the future; expected the "
                                                "hour you renew the token (now or earlier)")
        expires = renewed + dt.timedelta(hours=self.registration_token_hours)
        return Registration(expires=expires.strftime(EXPIRY_FORMAT), renew=before(expires - MIN_REGISTRATION_LEFT))


# ---------------------------------------------------------------------------------------------------------------
# Field readers (source, key, value) -> typed value or ConfigError

def _guid(source: str, key: str, value: Any) -> str:
    return matching(GUID, "an object id (GUID) such as 00000000-0000-4000-8000-000000000000")(source, key, value)


def _guids(source: str, key: str, value: Any) -> tuple[str, ...]:
    value = structured(value)
    if not isinstance(value, list):
        raise ConfigError(source, key, f"expected a list of Entra ID group object ids, got {show(value)}")
    ids = tuple(_guid(source, f"{key}[{index}]", item) for index, item in enumerate(value))
    if len(set(ids)) != len(ids):
        raise ConfigError(source, key, "names a group twice")
    return ids


def _utc_time(source: str, key: str, value: Any) -> dt.datetime:
    try:
        return dt.datetime.strptime(str(value), EXPIRY_FORMAT).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise ConfigError(source, key, f"expected an ISO 8601 UTC time in quotes such as \"2026-12-03T08:00:00Z\", "
                                       f"got {show(value)}") from None


def _fraction(source: str, key: str, value: Any) -> float:
    number = value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            pass
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not 0 < number <= 1:
        raise ConfigError(source, key, f"expected a fraction above 0 and at most 1 such as 0.8, got {show(value)}")
    return float(number)


def _metadata_location(source: str, key: str, value: Any) -> str:
    name = region(source, key, value)
    if name not in AVD_EU_METADATA_REGIONS:
        raise ConfigError(source, key, f"{name} is not an EU metadata location of Azure Virtual Desktop; expected "
                                       f"{' or '.join(sorted(AVD_EU_METADATA_REGIONS))}")
    return name


def _remote_apps(source: str, key: str, value: Any) -> tuple[RemoteApp, ...]:
    value = structured(value)
    if not isinstance(value, list) or not value:
        raise ConfigError(source, key, f"expected a list of applications such as [{{name: word, filePath: "
                                       f"'C:\\\\...\\\\WINWORD.EXE'}}], got {show(value)}")
    apps = []
    for index, item in enumerate(value):
        where = f"{key}[{index}]"
        read = section(source, where, item, {"name": matching(_APP_NAME, "letters, digits and hyphens"),
                                              "filePath": string, "friendlyName": string,
                                              "commandLineArguments": string}, frozenset({"name", "filePath"}))
        apps.append(RemoteApp(name=read["name"], file_path=read["filePath"], friendly_name=read.get("friendlyName"),
                              command_line_arguments=read.get("commandLineArguments")))
    return tuple(apps)


def _pool(source: str, key: str, value: Any) -> Pool:
    fields = {"type": one_of(POOL_TYPES), "users": integer(1, 100_000),
              "profile": one_of(tuple(USAGE_PROFILES)), "peakConcurrency": _fraction,
              "spareHosts": integer(0, 50), "profileGibPerUser": integer(1, 1024),
              "applicationGroupType": one_of(APPLICATION_GROUP_TYPES), "remoteApps": _remote_apps}
    read = section(source, key, value, fields, frozenset({"type", "users", "profile"}))
    names = {"peakConcurrency": "peak_concurrency", "spareHosts": "spare_hosts",
             "profileGibPerUser": "profile_gib_per_user", "applicationGroupType": "application_group_type",
             "remoteApps": "remote_apps"}
    pool = Pool(**{names.get(name, name): item for name, item in read.items()})
    if pool.application_group_type == "RemoteApp" and not pool.remote_apps:
        raise ConfigError(source, f"{key}.remoteApps", "required when applicationGroupType is RemoteApp")
    if pool.application_group_type == "Desktop" and pool.remote_apps:
        raise ConfigError(source, f"{key}.remoteApps", "a Desktop pool publishes no RemoteApps (never mixed in one "
                                                       "pool); set applicationGroupType: RemoteApp or drop them")
    if pool.application_group_type == "RemoteApp" and pool.type == "Personal":
        raise ConfigError(source, f"{key}.applicationGroupType", "RemoteApps are published from a Pooled pool")
    try:
        _ = pool.sizing  # computed on access: an impossible sizing is a config error here, not at plan time
    except SizingError as error:
        raise ConfigError(source, key, str(error)) from None
    return pool


def _marketplace(source: str, key: str, value: Any) -> tuple[str, str, str]:
    read = section(source, key, value, {"publisher": string, "offer": string, "sku": string},
                    frozenset({"publisher", "offer", "sku"}))
    return read["publisher"], read["offer"], read["sku"]


def _image(source: str, key: str, value: Any) -> Image:
    read = section(source, key, value, {"version": string, "previousVersion": string,
                                         "marketplace": _marketplace}, frozenset({"version"}))
    image = Image(version=read["version"], previous_version=read.get("previousVersion"),
                  marketplace=read.get("marketplace"))
    allowed = "latest or Major.Minor.Patch" if image.marketplace else "Major.Minor.Patch"
    for name, version in (("version", image.version), ("previousVersion", image.previous_version)):
        if version is None or IMAGE_VERSION.fullmatch(version) or (image.marketplace and version == "latest"):
            continue
        raise ConfigError(source, f"{key}.{name}", f"{version!r}; expected {allowed} in quotes such as "
                                                   "\"2026.11.0\" (the image pipeline's version)")
    clash = image.previous_version and host_sets_clash(image.version, image.previous_version)
    if clash:
        raise ConfigError(source, f"{key}.previousVersion", clash)
    return image


def _profile_backup(source: str, key: str, value: Any) -> BackupRetention:
    read = section(source, key, value, {"dailyDays": integer(1, MAX_SHARE_SNAPSHOTS),
                                         "weeklyWeeks": integer(0, MAX_SHARE_SNAPSHOTS)}, frozenset({"dailyDays"}))
    try:
        return BackupRetention(daily_days=read["dailyDays"], weekly_weeks=read.get("weeklyWeeks", 0))
    except UserError as error:
        raise ConfigError(source, key, str(error).split(": ", 1)[-1]) from None


def _days(source: str, key: str, value: Any) -> tuple[str, ...]:
    value = structured(value)
    if not isinstance(value, list) or not value:
        raise ConfigError(source, key, f"expected a list of day names such as [Monday, Tuesday], got {show(value)}")
    return tuple(one_of(DAYS)(source, f"{key}[{index}]", day) for index, day in enumerate(value))


def _office_hours(source: str, key: str, value: Any) -> OfficeHours:
    names = {"days": "days", "timeZone": "time_zone", "rampUpStart": "ramp_up_start", "peakStart": "peak_start",
             "rampDownStart": "ramp_down_start", "offPeakStart": "off_peak_start",
             "rampUpMinimumHostsPct": "ramp_up_minimum_hosts_pct",
             "rampUpCapacityThresholdPct": "ramp_up_capacity_threshold_pct",
             "rampDownMinimumHostsPct": "ramp_down_minimum_hosts_pct",
             "rampDownCapacityThresholdPct": "ramp_down_capacity_threshold_pct",
             "rampDownWaitMinutes": "ramp_down_wait_minutes", "disconnectedMinutes": "disconnected_minutes"}
    readers: dict[str, Reader[Any]] = {name: integer(0, 1440) for name in names}
    readers.update({"days": _days, "timeZone": string, "rampUpStart": string, "peakStart": string,
                    "rampDownStart": string, "offPeakStart": string})
    read = section(source, key, value, readers, frozenset())
    try:
        return OfficeHours(**{names[name]: item for name, item in read.items()})
    except ScheduleError as error:
        field_name = str(error).split(":", 1)[0].removeprefix("OfficeHours.")
        camel = next((name for name, snake in names.items() if snake == field_name), field_name)
        raise ConfigError(source, f"{key}.{camel}", str(error).split(": ", 1)[-1]) from None


def _features(source: str, key: str, value: Any) -> Features:
    names = {"zoneRedundancy": "zone_redundancy", "resourceLocks": "resource_locks",
             "protectStateful": "protect_stateful", "clientsFromInternet": "clients_from_internet",
             "intuneEnrollment": "intune_enrollment"}
    read = section(source, key, value, {name: boolean for name in names}, frozenset())
    return Features(**{names[name]: flag for name, flag in read.items()})


_FIELDS: dict[str, Reader[Any]] = {
    "environment": one_of(ENVIRONMENTS),
    "subscriptionId": matching(GUID, "a subscription GUID such as 00000000-0000-0000-0000-000000000000"),
    "tenantId": matching(GUID, "a tenant GUID such as 00000000-0000-0000-0000-000000000000"),
    "location": region,
    "metadataLocation": _metadata_location,
    "platformStack": string,
    "tags": read_tags,
    "friendlyName": string,
    "hostNamePrefix": matching(_PREFIX, f"1-{MAX_NAME_PREFIX} lower-case letters, digits and hyphens, starting "
                                         "with a letter, such as avd-dev"),
    "profileStorageAccount": matching(_STORAGE_NAME, "3-24 lower-case letters and digits such as "
                                                      "amsavdprofilesdev"),
    "pool": _pool,
    "image": _image,
    "profileBackup": _profile_backup,
    "officeHours": _office_hours,
    "features": _features,
    "userGroupIds": _guids,
    "adminGroupIds": _guids,
    "avdServicePrincipalId": _guid,
    "registrationTokenHours": integer(0, MAX_REGISTRATION_HOURS),
    "registrationTokenRenewedAt": _utc_time,
}
_REQUIRED = frozenset({"environment", "subscriptionId", "tenantId", "location", "metadataLocation", "tags",
                       "friendlyName", "hostNamePrefix", "profileStorageAccount", "pool", "image",
                       "profileBackup"})


def parse(raw: Mapping[str, Any], source: str, stack: str | None = None) -> WorkplaceConfig:
    """Validate a workplace stack's config (keys as `project:key`, values as in the file or as the CLI passes them)."""
    read = read_project_keys(raw, project=PROJECT, fields=_FIELDS, required=_REQUIRED, source=source, stack=stack)
    environment = read["environment"]
    provider_location = raw.get("azure-native:location")
    if provider_location is not None and region(source, "azure-native:location", provider_location) \
            != read["location"]:
        raise ConfigError(source, "azure-native:location",
                          f"{provider_location!r} differs from {PROJECT}:location; expected {read['location']!r}")
    try:  # the platform of the same environment, named the way the project's backend (Pulumi.yaml) accepts
        platform_stack = reference_to(PLATFORM_PROJECT, environment, read.get("platformStack"),
                                      declared_backend(STACKS_DIR), PROJECT)
    except BackendError as error:
        raise ConfigError(source, f"{PROJECT}:platformStack", str(error)) from None
    hours = read.get("registrationTokenHours", 24)
    if hours and "registrationTokenRenewedAt" not in read:
        raise ConfigError(source, f"{PROJECT}:registrationTokenRenewedAt",
                          "missing; set the hour the registration token is renewed, e.g. \"2026-12-03T08:00:00Z\" "
                          "(or registrationTokenHours: 0 for no token)")
    return WorkplaceConfig(
        source=source, environment=environment, subscription_id=read["subscriptionId"], tenant_id=read["tenantId"],
        location=read["location"], metadata_location=read["metadataLocation"], platform_stack=platform_stack,
        tags=read["tags"], friendly_name=read["friendlyName"], host_name_prefix=read["hostNamePrefix"],
        profile_storage_account=read["profileStorageAccount"], pool=read["pool"], image=read["image"],
        profile_backup=read["profileBackup"],
        office_hours=read.get("officeHours", OfficeHours()), features=read.get("features", Features()),
        user_group_ids=read.get("userGroupIds", ()), admin_group_ids=read.get("adminGroupIds", ()),
        avd_service_principal_id=read.get("avdServicePrincipalId"),
        registration_token_hours=hours, registration_token_renewed_at=read.get("registrationTokenRenewedAt"))


def stack_file(stack: str, stacks_dir: Path = STACKS_DIR) -> Path:
    return stacks_dir / f"Pulumi.{stack}.yaml"


def load(stack: str, stacks_dir: Path = STACKS_DIR) -> WorkplaceConfig:
    """Read and validate `stacks/workplace/Pulumi.<stack>.yaml` (used by tests and offline tools)."""
    path = stack_file(stack, stacks_dir)
    return parse(read_stack_file(path), f"stacks/workplace/{path.name}", stack)


def from_pulumi() -> WorkplaceConfig:
    """Validate the config the running Pulumi program was given (real CLI or offline plan alike)."""
    stack, raw = given_config()
    return parse(raw, f"stacks/workplace/Pulumi.{stack}.yaml", stack)
