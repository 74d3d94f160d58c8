"""The workplace stack config: every stack file validates, and each kind of bad input names file, key and fix."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from amsterdam_cloud.stacks.config import ConfigError, read_stack_file
from amsterdam_cloud.stacks.workplace import config

P = config.PROJECT
SOURCE = "stacks/workplace/Pulumi.dev.yaml"


def dev_raw() -> dict:
    return copy.deepcopy(read_stack_file(config.stack_file("dev")))


def parse(raw: dict):
    return config.parse(raw, SOURCE, "dev")


def error_of(raw: dict) -> ConfigError:
    with pytest.raises(ConfigError) as error:
        parse(raw)
    return error.value


@pytest.mark.parametrize("stack", ("dev", "test", "acc", "prod"))
def test_every_workplace_stack_file_validates_against_its_own_platform(stack):
    loaded = config.load(stack)
    assert loaded.environment == stack and loaded.platform_stack == f"organization/amsterdam-platform/{stack}"
    assert loaded.azure_tags["environment"] == stack


def test_json_text_as_the_cli_passes_it_is_read_like_yaml():
    raw = dev_raw()
    raw[f"{P}:userGroupIds"] = '["7d1e0c52-0000-4000-8000-000000001001"]'
    raw[f"{P}:pool"] = '{"type": "Pooled", "users": 20, "profile": "medium"}'
    loaded = parse(raw)
    assert loaded.user_group_ids == ("7d1e0c52-0000-4000-8000-000000001001",) and loaded.pool.users == 20


def test_metadata_outside_the_eu_metadata_regions_is_refused():
    raw = dev_raw()
    raw[f"{P}:metadataLocation"] = "swedencentral"
    error = error_of(raw)
    assert error.key == f"{P}:metadataLocation"
    assert "not an EU metadata location" in error.problem and "westeurope" in error.problem


def test_another_environments_platform_is_refused():
    raw = dev_raw()
    raw[f"{P}:platformStack"] = "organization/amsterdam-platform/prod"
    error = error_of(raw)
    assert error.key == f"{P}:platformStack" and "expected amsterdam-platform/dev" in error.problem


def test_a_platform_reference_the_declared_backend_refuses_names_the_rule_and_the_fix():
    raw = dev_raw()
    raw[f"{P}:platformStack"] = "amsterdam/amsterdam-platform/dev"
    error = error_of(raw)
    assert error.key == f"{P}:platformStack" and "organization name must be 'organization'" in error.problem
    assert error.problem.endswith("use organization/amsterdam-platform/dev")


def test_without_a_platform_stack_the_backend_names_the_platform_of_the_same_environment():
    raw = dev_raw()
    del raw[f"{P}:platformStack"]
    assert parse(raw).platform_stack == "organization/amsterdam-platform/dev"


def test_unknown_usage_profile_names_the_choices():
    raw = dev_raw()
    raw[f"{P}:pool"]["profile"] = "extreme"
    error = error_of(raw)
    assert error.key == f"{P}:pool.profile" and "light, medium, heavy, power" in error.problem


def test_a_pool_the_sizing_cannot_serve_is_refused_with_the_sizing_reason():
    raw = dev_raw()
    raw[f"{P}:pool"].update(users=60_000, profile="power", peakConcurrency=1)
    error = error_of(raw)
    assert error.key == f"{P}:pool" and "split" in error.problem


def test_remote_apps_in_a_desktop_pool_are_refused():
    raw = dev_raw()
    raw[f"{P}:pool"]["remoteApps"] = [{"name": "word", "filePath": "C:\\word.exe"}]
    assert error_of(raw).key == f"{P}:pool.remoteApps"


def test_remoteapp_pool_reads_its_applications():
    raw = dev_raw()
    raw[f"{P}:pool"].update(applicationGroupType="RemoteApp",
                            remoteApps=[{"name": "word", "filePath": "C:\\word.exe", "friendlyName": "Word"}])
    app, = parse(raw).pool.remote_apps
    assert (app.name, app.friendly_name) == ("word", "Word")


def test_office_hours_out_of_order_name_the_phase():
    raw = dev_raw()
    raw[f"{P}:officeHours"]["peakStart"] = "06:00"
    error = error_of(raw)
    assert error.key == f"{P}:officeHours.peakStart" and "not after ramp_up_start" in error.problem


def test_an_incomplete_marketplace_image_names_the_missing_key():
    raw = dev_raw()
    raw[f"{P}:image"] = {"version": "latest", "marketplace": {"publisher": "MicrosoftWindowsDesktop"}}
    assert error_of(raw).key == f"{P}:image.marketplace.offer"


def test_dev_runs_the_marketplace_image_and_the_other_environments_their_gallery_version():
    assert config.load("dev").image.marketplace == ("MicrosoftWindowsDesktop", "office-365", "win11-24h2-avd-m365")
    for stack in ("test", "acc", "prod"):
        image = config.load(stack).image
        assert image.marketplace is None and config.IMAGE_VERSION.match(image.version)


@pytest.mark.parametrize("image, key, problem", [
    ({"version": "latest"}, "image.version", "expected Major.Minor.Patch"),
    ({"version": "2026.11"}, "image.version", "expected Major.Minor.Patch"),
    ({"version": "2026.11.0", "previousVersion": "2026.11.0"}, "image.previousVersion", "is the current version"),
    ({"version": "2026.11.0", "previousVersion": "v1"}, "image.previousVersion", "expected Major.Minor.Patch"),
    ({"version": "2026.11.0\n"}, "image.version", "expected Major.Minor.Patch"),  # `$` alone lets a newline by
])
def test_a_gallery_version_that_azure_or_a_rolling_replacement_cannot_use_is_refused(image, key, problem):
    raw = dev_raw()
    raw[f"{P}:image"] = image
    error = error_of(raw)
    assert error.key == f"{P}:{key}" and problem in error.problem


def test_a_rolling_replacement_names_both_versions():
    raw = dev_raw()
    raw[f"{P}:image"] = {"version": "2026.12.0", "previousVersion": "2026.11.0"}
    image = parse(raw).image
    assert (image.version, image.previous_version, image.marketplace) == ("2026.12.0", "2026.11.0", None)


def test_profile_backup_retention_differs_per_environment_and_is_bounded_by_the_share_snapshots():
    assert config.load("dev").profile_backup.daily_days < config.load("prod").profile_backup.daily_days
    assert config.load("prod").profile_backup.weekly_weeks > 0
    raw = dev_raw()
    raw[f"{P}:profileBackup"] = {"dailyDays": 150, "weeklyWeeks": 60}
    error = error_of(raw)
    assert error.key == f"{P}:profileBackup" and "200 snapshots" in error.problem


def test_group_ids_must_be_object_ids():
    raw = dev_raw()
    raw[f"{P}:userGroupIds"] = ["GG-AVD-Users"]
    assert error_of(raw).key == f"{P}:userGroupIds[0]"


def test_unknown_key_is_refused_with_the_known_ones():
    raw = dev_raw()
    raw[f"{P}:adminPassword"] = "hunter2"
    error = error_of(raw)
    assert error.key == f"{P}:adminPassword" and f"{P}:pool" in error.problem


def test_missing_required_key_is_named():
    raw = dev_raw()
    del raw[f"{P}:image"]
    assert error_of(raw).key == f"{P}:image"


def test_registration_token_expiry_is_the_renewal_plus_its_hours_whatever_the_clock():
    loaded = parse(dev_raw())
    hours = loaded.registration_token_hours
    renewed = dt.datetime(2026, 12, 3, 8, tzinfo=dt.timezone.utc)
    expected = (renewed + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
    early, late = (loaded.registration(renewed + dt.timedelta(minutes=minutes)) for minutes in (5, 60 * hours - 61))
    assert early == late and early.expires == expected and early.renew is True


def test_a_window_with_less_than_an_hour_left_is_over():
    loaded = parse(dev_raw())
    last_hour = loaded.registration_token_renewed_at + dt.timedelta(hours=loaded.registration_token_hours - 1)
    assert loaded.registration(last_hour - dt.timedelta(seconds=1)).renew is True
    assert loaded.registration(last_hour + dt.timedelta(seconds=1)).renew is False


def test_zero_registration_hours_issue_no_token():
    raw = dev_raw()
    raw[f"{P}:registrationTokenHours"] = 0
    del raw[f"{P}:registrationTokenRenewedAt"]
    assert parse(raw).registration(dt.datetime.now(dt.timezone.utc)) is None


def test_a_token_without_its_renewal_time_is_refused_with_the_fix():
    raw = dev_raw()
    del raw[f"{P}:registrationTokenRenewedAt"]
    error = error_of(raw)
    assert error.key == f"{P}:registrationTokenRenewedAt" and "registrationTokenHours: 0" in error.problem


@pytest.mark.parametrize("value", ("2026-12-03", "2026-12-03T08:00:00+01:00", "tomorrow"))
def test_a_renewal_time_that_is_not_a_utc_time_is_refused(value):
    raw = dev_raw()
    raw[f"{P}:registrationTokenRenewedAt"] = value
    error = error_of(raw)
    assert error.key == f"{P}:registrationTokenRenewedAt" and "2026-12-03T08:00:00Z" in error.problem


def test_registration_beyond_what_avd_accepts_is_refused():
    raw = dev_raw()
    raw[f"{P}:registrationTokenHours"] = config.MAX_REGISTRATION_HOURS + 1
    assert error_of(raw).key == f"{P}:registrationTokenHours"


def test_environments_differ_only_through_config():
    dev, prod = config.load("dev"), config.load("prod")
    assert (dev.features.zone_redundancy, dev.features.resource_locks, dev.features.clients_from_internet) == (
        False, False, False)
    assert (prod.features.zone_redundancy, prod.features.resource_locks, prod.features.clients_from_internet) == (
        True, True, True)
    assert prod.pool.sizing.hosts > dev.pool.sizing.hosts


def test_a_host_name_prefix_leaving_no_room_for_the_set_tag_and_number_is_refused():
    raw = dev_raw()
    raw[f"{P}:hostNamePrefix"] = "avd-devel"  # 9 + '-' + 3-character set tag + 3 digits > 15
    error = error_of(raw)
    assert error.key == f"{P}:hostNamePrefix" and f"1-{config.MAX_NAME_PREFIX}" in error.problem
    assert config.MAX_NAME_PREFIX == 8


def test_a_host_name_prefix_starting_with_a_digit_is_refused_by_the_rule_the_message_names():
    raw = dev_raw()
    raw[f"{P}:hostNamePrefix"] = "7"
    error = error_of(raw)
    assert error.key == f"{P}:hostNamePrefix" and "starting with a letter" in error.problem
