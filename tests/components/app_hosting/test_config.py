"""The app config loader: the migration contract plus the template's optional keys, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.components.app_hosting import config as app_config_module
from amsterdam_cloud.components.app_hosting.config import ConfigError, environment_operations
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.backend import PULUMI_CLOUD_URL, Backend, declared_backend
from tests.components.compute.ssh_keys import BREAK_GLASS_KEY, rsa_key

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "app"
BACKEND = declared_backend(TEMPLATE)
PROMPTED = {"app:owner": "parkeren@amsterdam.nl", "app:costCenter": "CC-4120"}


def stack_config(environment: str = "dev", **app_changes) -> dict:
    """The template's stack file with the answers `pulumi new` writes into it."""
    text = (TEMPLATE / f"Pulumi.{environment}.yaml").read_text().replace("${PROJECT}", "parkeer-app")
    config = {**yaml.safe_load(text)["config"], **PROMPTED}
    config["app:app"].update(app_changes)
    return config


def parse(config: dict, source: str, *, stack: str | None = None, backend: Backend | None = BACKEND):
    """Parse as the stack named in `source` (Pulumi.<stack>.yaml) of a project in the template's backend."""
    return app_config_module.parse(config, source, stack=stack or source.split(".")[1], backend=backend)


def test_template_stack_file_reads_as_an_app_description():
    spec = parse(stack_config(), "Pulumi.dev.yaml")
    assert (spec.name, spec.environment, spec.runtime, spec.exposure) == ("parkeer-app", "dev", "container", "internal")
    assert spec.data.postgres.sku == "Standard_B1ms" and spec.secrets == {"API_KEY": "api-key"}


def test_environment_comes_from_the_platform_stack_and_picks_its_defaults():
    spec = parse(stack_config("prod"), "Pulumi.prod.yaml")
    assert spec.environment == "prod" and spec.operations == environment_operations()["prod"]
    assert spec.operations.high_availability and spec.operations.lock and spec.operations.protect


def test_operations_override_the_environment_defaults():
    spec = parse(stack_config("prod", operations={"geoRedundantBackup": False}), "Pulumi.prod.yaml")
    assert spec.operations.geo_redundant_backup is False and spec.operations.high_availability is True


def test_unknown_operations_key_names_the_key():
    with pytest.raises(ConfigError, match=r"Pulumi.dev.yaml: app:app.operations.ha: unknown key"):
        parse(stack_config(operations={"ha": True}), "Pulumi.dev.yaml")


@pytest.mark.parametrize("document, message", [
    ("dev: {}\ntest: {}\nacc: {}\nprod: {backupRetentionDays: 90}\n",
     r"app_operations.yaml: prod.backupRetentionDays: expected a whole number from 7 to 35, got 90"),
    ("dev: {}\nprod: {lock: true}\n",
     r"app_operations.yaml: \(document\): expected one entry per environment \(dev, test, acc, prod\)"),
])
def test_environment_defaults_are_config_read_like_the_overrides(tmp_path, document, message):
    defaults = tmp_path / "app_operations.yaml"
    defaults.write_text(document)
    with pytest.raises(ConfigError, match=message):
        environment_operations(defaults)


def test_contract_violation_names_file_and_key():
    with pytest.raises(UserError, match=r"Pulumi.dev.yaml: app:app.exposure"):
        parse(stack_config(exposure="internet"), "Pulumi.dev.yaml")


def test_image_outside_the_city_registry_is_rejected_with_the_import_command():
    with pytest.raises(ConfigError, match=r"app:app.image: .*az acr import --name cramsterdamdev"):
        parse(stack_config(image="docker.io/library/nginx:1.27"), "Pulumi.dev.yaml")


def test_image_from_another_environments_registry_is_rejected():
    with pytest.raises(ConfigError, match=r"app:app.image: .* is not in the city registry cramsterdamdev.azurecr.io"):
        parse(stack_config(image="cramsterdamprod.azurecr.io/parkeer-app:1.0.0"), "Pulumi.dev.yaml")


def test_without_a_registry_key_the_app_pulls_from_the_platform_registry_of_its_environment():
    spec = parse(stack_config("acc"), "Pulumi.acc.yaml")
    assert (spec.registry, spec.registry_server) == (None, "cramsterdamacc.azurecr.io")


def test_a_registry_key_overrides_the_platform_registry():
    spec = parse(stack_config(registry="teamacr.azurecr.io", image="teamacr.azurecr.io/parkeer-app:1"),
                 "Pulumi.dev.yaml")
    assert spec.registry_server == "teamacr.azurecr.io"


def test_burstable_database_in_prod_asks_for_a_sku_with_high_availability():
    config = stack_config("prod")
    config["app:app"]["data"]["postgres"]["sku"] = "Standard_B1ms"
    with pytest.raises(ConfigError, match=r"app:app.data.postgres.sku: .*Burstable"):
        parse(config, "Pulumi.prod.yaml")


def test_mysql_reads_in_the_same_shape_as_postgres():
    config = stack_config()
    config["app:app"]["data"].update(postgres=None, mysql={"sku": "Standard_B1ms", "storageGb": 32,
                                                           "version": "8.0.21"})
    spec = parse(config, "Pulumi.dev.yaml")
    assert (spec.data.postgres, spec.data.mysql.sku, spec.data.mysql.storage_gb, spec.data.mysql.version) == (
        None, "Standard_B1ms", 32, "8.0.21")


def test_burstable_mysql_in_prod_asks_for_a_sku_with_high_availability():
    config = stack_config("prod")
    config["app:app"]["data"]["mysql"] = {"sku": "Standard_B2s", "storageGb": 32, "version": "8.0.21"}
    with pytest.raises(ConfigError, match=r"app:app.data.mysql.sku: .*Burstable"):
        parse(config, "Pulumi.prod.yaml")


def test_mysql_version_flexible_server_does_not_build_is_refused_with_the_one_it_does():
    config = stack_config()
    config["app:app"]["data"]["mysql"] = {"sku": "Standard_B1ms", "storageGb": 32, "version": "5.7"}
    with pytest.raises(ConfigError, match=r"app:app.data.mysql.version: '5.7'; .*8\.0\.21"):
        parse(config, "Pulumi.dev.yaml")


def test_mysql_storage_beyond_what_mysql_offers_is_refused_at_its_key():
    config = stack_config()
    config["app:app"]["data"]["mysql"] = {"sku": "Standard_B1ms", "storageGb": 32767, "version": "8.0.21"}
    with pytest.raises(ConfigError, match=r"app:app.data.mysql.storageGb: 32767"):
        parse(config, "Pulumi.dev.yaml")


def vm_app(**vm) -> dict:
    """The template's config turned into a rehosted server group (runtime vm, internal)."""
    config = stack_config(runtime="vm", exposure="internal", vm={"size": "Standard_D4s_v5", "count": 1, **vm})
    config["app:app"].pop("image", None)
    return config


def test_a_linux_vm_group_reads_its_break_glass_ssh_key():
    spec = parse(vm_app(os="linux", sshPublicKey=BREAK_GLASS_KEY), "Pulumi.dev.yaml")
    assert (spec.vm.os, spec.vm.ssh_public_key) == ("linux", BREAK_GLASS_KEY)


@pytest.mark.parametrize("vm,problem", [
    ({"os": "linux"}, "required for a Linux VM"),
    ({"os": "linux", "sshPublicKey": rsa_key(1024)}, "an RSA key shorter than 2048 bits"),
    ({"os": "windows", "sshPublicKey": BREAK_GLASS_KEY}, "a Windows VM signs in with its Key Vault password"),
])
def test_a_missing_weak_or_misplaced_ssh_key_names_its_key(vm, problem):
    with pytest.raises(ConfigError, match=f"app:app.vm.sshPublicKey: {problem}"):
        parse(vm_app(**vm), "Pulumi.dev.yaml")


def test_secrets_need_a_key_vault():
    config = stack_config()
    config["app:app"]["data"]["keyVault"] = False
    with pytest.raises(ConfigError, match=r"app:app.secrets: .*keyVault"):
        parse(config, "Pulumi.dev.yaml")


def test_storage_sub_resources_are_checked():
    config = stack_config()
    config["app:app"]["data"]["storageSubResources"] = ["blob", "ftp"]
    with pytest.raises(ConfigError, match=r"app:app.data.storageSubResources"):
        parse(config, "Pulumi.dev.yaml")


def test_structured_config_passed_as_json_text_is_read():
    import json

    config = stack_config()
    config["app:app"] = json.dumps(config["app:app"])
    assert parse(config, "Pulumi.dev.yaml").name == "parkeer-app"


def test_runtime_subnet_is_optional_and_checked():
    assert parse(stack_config(), "Pulumi.dev.yaml").runtime_subnet is None
    assert parse(stack_config(runtimeSubnet="containers-2"), "Pulumi.dev.yaml").runtime_subnet == "containers-2"
    with pytest.raises(ConfigError, match=r"app:app.runtimeSubnet"):
        parse(stack_config(runtimeSubnet="Containers 2"), "Pulumi.dev.yaml")


def test_the_platform_stack_follows_the_stack_in_the_backends_form():
    assert parse(stack_config("acc"), "Pulumi.acc.yaml").platform_stack == "organization/amsterdam-platform/acc"


def test_a_platform_stack_the_backend_refuses_names_the_key_and_the_fix():
    with pytest.raises(ConfigError, match=r"Pulumi.prod.yaml: app:platformStack: stack reference "
                                          r"'amsterdam/amsterdam-platform/prod': .* use organization/amsterdam-"
                                          r"platform/prod$"):
        parse({**stack_config("prod"), "app:platformStack": "amsterdam/amsterdam-platform/prod"}, "Pulumi.prod.yaml")


def test_pulumi_cloud_needs_the_platform_stack_with_its_organization():
    cloud = Backend(url=PULUMI_CLOUD_URL, declared_in="Pulumi.yaml")
    with pytest.raises(ConfigError, match=r"app:platformStack: the Pulumi Cloud backend .* needs the organization"):
        parse(stack_config("dev"), "Pulumi.dev.yaml", backend=cloud)
    spec = parse({**stack_config("dev"), "app:platformStack": "amsterdam/amsterdam-platform/dev"}, "Pulumi.dev.yaml",
                 backend=cloud)
    assert spec.platform_stack == "amsterdam/amsterdam-platform/dev"


def test_a_prompted_key_that_contradicts_the_app_value_names_both():
    config = stack_config("dev", team="other@amsterdam.nl")
    with pytest.raises(ConfigError, match=r"app:owner: 'parkeren@amsterdam.nl' differs from app:app.team "
                                          r"'other@amsterdam.nl'; set it in one place"):
        parse(config, "Pulumi.dev.yaml")


def test_the_owner_may_come_from_the_app_value_alone_as_the_migration_writes_it():
    config = {key: value for key, value in stack_config("dev", team="permits@amsterdam.nl",
                                                        costCenter="CC-7781").items() if key not in PROMPTED}
    spec = parse(config, "Pulumi.dev.yaml")
    assert (spec.team, spec.cost_center) == ("permits@amsterdam.nl", "CC-7781")


@pytest.mark.parametrize("name", ["AfvalOphalen", "Afval Ophalen", "a", "afval-", "a" * 25])
def test_a_project_name_azure_cannot_carry_is_refused_with_the_rule_and_the_pulumi_new_fix(name):
    config = stack_config(name=name)

    with pytest.raises(ConfigError) as raised:
        parse(config, "Pulumi.dev.yaml")

    assert raised.value.key == "app:app.name"
    assert "lowercase" in raised.value.problem and "3-24" in raised.value.problem
    assert "`pulumi new <toolkit>/templates/app --name afval-ophalen`" in raised.value.problem


@pytest.mark.parametrize("owner", ["parkeren@gmail.com", "parkeren@amsterdam.nl.evil.com", "parkeren@example.org"])
def test_an_owner_outside_the_city_mail_domain_is_refused(owner):
    with pytest.raises(ConfigError, match=r"app:owner: .*; expected the owning team's @amsterdam.nl mailbox, "
                                          r"a city address \(`pulumi config set app:owner team@amsterdam.nl`\)"):
        parse({**stack_config(), "app:owner": owner}, "Pulumi.dev.yaml")


def test_an_owner_in_capitals_is_lowercased_into_the_tag():
    spec = parse({**stack_config(), "app:owner": "Parkeren@Amsterdam.NL"}, "Pulumi.dev.yaml")

    assert spec.team == "parkeren@amsterdam.nl"


def test_the_database_admin_group_reads_as_the_teams_entra_group():
    spec = parse(stack_config(databaseAdminGroup={"displayName": "team-parkeren-dba",
                                                  "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}),
                 "Pulumi.dev.yaml")
    assert (spec.database_admin_group.display_name, spec.database_admin_group.object_id) == (
        "team-parkeren-dba", "5f0c1e2d-0000-4000-8000-00000000d0ba")


@pytest.mark.parametrize("value,key,problem", [
    ({"displayName": "dba", "objectId": "not-a-guid"}, "app:app.databaseAdminGroup.objectId", "a GUID"),
    ({"displayName": "x'; DROP", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"},
     "app:app.databaseAdminGroup.displayName", "no quotes"),
    ({"objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}, "app:app.databaseAdminGroup", "expected {displayName"),
])
def test_a_malformed_database_admin_group_names_its_key(value, key, problem):
    with pytest.raises(ConfigError, match=rf"Pulumi.dev.yaml: {key}: .*{problem}"):
        parse(stack_config(databaseAdminGroup=value), "Pulumi.dev.yaml")


def test_a_database_admin_group_without_a_database_is_refused():
    config = stack_config(databaseAdminGroup={"displayName": "dba", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"})
    config["app:app"]["data"] = {**config["app:app"]["data"], "postgres": None}
    with pytest.raises(ConfigError, match=r"app:app.databaseAdminGroup: the app has no database; remove the key"):
        parse(config, "Pulumi.dev.yaml")


def test_a_public_app_reads_its_custom_domain_and_workload_profile():
    spec = parse(stack_config(exposure="public", workloadProfile="general",
                              customDomain={"hostName": "parkeren.amsterdam.nl", "certificate": "parkeren"}),
                 "Pulumi.dev.yaml")
    assert (spec.workload_profile, spec.custom_domain.host_name, spec.custom_domain.certificate_secret) == (
        "general", "parkeren.amsterdam.nl", "parkeren")


def test_a_custom_domain_on_an_internal_app_is_refused():
    with pytest.raises(ConfigError, match=r"app:app.customDomain: only a public app"):
        parse(stack_config(customDomain={"hostName": "parkeren.amsterdam.nl", "certificate": "parkeren"}),
              "Pulumi.dev.yaml")


def test_a_custom_domain_that_is_not_a_host_name_names_the_key():
    with pytest.raises(ConfigError, match=r"app:app.customDomain: CustomDomain.host_name"):
        parse(stack_config(exposure="public", customDomain={"hostName": "parkeren", "certificate": "parkeren"}),
              "Pulumi.dev.yaml")


def test_a_landing_zone_reads_its_teams_zone_from_the_landing_zones_stack_of_the_environment():
    spec = parse({**stack_config("acc"), "app:landingZone": "parkeren"}, "Pulumi.acc.yaml")

    assert (spec.landing_zone.team, spec.landing_zone.stack) == (
        "parkeren", "organization/amsterdam-landing-zones/acc")


@pytest.mark.parametrize(("changes", "landing_zone", "key", "problem"), [
    ({}, "Parkeren!", "app:landingZone", "the team's name as vended"),
    ({}, "parkeren\n", "app:landingZone", "expected the team's name as vended"),
    ({"exposure": "public"}, "parkeren", "app:landingZone", "public app in a vended subscription"),
    ({"spoke": "apps"}, "parkeren", "app:app.spoke", "uses its landing zone's subnets"),
    ({"registry": "crother12345.azurecr.io", "image": "crother12345.azurecr.io/parkeer-app:1"}, "parkeren",
     "app:app.registry", "registry pull identity"),
])
def test_what_a_vended_subscription_cannot_host_is_refused_at_its_key(changes, landing_zone, key, problem):
    with pytest.raises(ConfigError) as error:
        parse({**stack_config("dev", **changes), "app:landingZone": landing_zone}, "Pulumi.dev.yaml")

    assert (error.value.key, problem in error.value.problem) == (key, True)
