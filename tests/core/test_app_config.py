"""The app config contract: one reader model that `cityctl migrate generate` and the app template both check with."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml

from amsterdam_cloud.core import app_config
from amsterdam_cloud.core.program_config import ConfigError

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "app"


def template_config(environment: str = "dev") -> dict:
    """The template's stack file as a team fills it in (project name and prompted owner and cost centre)."""
    text = (TEMPLATE / f"Pulumi.{environment}.yaml").read_text().replace("${PROJECT}", "parkeer-app")
    config = yaml.safe_load(text)["config"]
    config["app:platformStack"] = f"organization/amsterdam-platform/{environment}"
    config["app:app"].update(team="parkeren@amsterdam.nl", costCenter="CC-4120")
    return config


def changed(**data_changes) -> dict:
    config = copy.deepcopy(template_config())
    config["app:app"]["data"].update(data_changes)
    return config


@pytest.mark.parametrize("environment", ["dev", "test", "acc", "prod"])
def test_every_template_stack_file_reads_with_the_contract(environment):
    read = app_config.read(template_config(environment), f"Pulumi.{environment}.yaml")
    assert read["app:app"]["data"]["postgres"]["version"] == "16" and read["app:app"]["port"] == 8080


@pytest.mark.parametrize(("database", "key", "problem"), [
    ({"mysql": {"sku": "Standard_D2ds_v4", "storageGb": 32, "version": "8.0"}, "postgres": None},
     "app:app.data.mysql.version", "'8.0'; expected one of 8.0.21, the versions MySQL flexible server is built at"),
    ({"mysql": {"sku": "Standard_D2ds_v4", "storageGb": 20000, "version": "8.0.21"}, "postgres": None},
     "app:app.data.mysql.storageGb", "20000; expected 20 to 16384 GiB, what MySQL flexible server offers"),
    ({"postgres": {"sku": "Standard_D2ds_v5", "storageGb": 100, "version": "16"}},
     "app:app.data.postgres.storageGb", "100; expected one of 32, 64, 128"),
    ({"postgres": {"sku": "Standard_D2ds_v5", "storageGb": 32, "version": "12"}},
     "app:app.data.postgres.version", "'12'; expected one of 13, 14, 15, 16, 17, the versions PostgreSQL"),
    ({"postgres": {"sku": "Standard_F2s_v2", "storageGb": 32, "version": "16"}},
     "app:app.data.postgres.sku", "expected one of Standard_B1ms, Standard_B2s"),
    ({"postgres": {"sku": "Standard_Bogus", "storageGb": 32, "version": "16"}},
     "app:app.data.postgres.sku", "expected one of Standard_B1ms"),
    ({"postgres": {"sku": "Standard_D", "storageGb": 32, "version": "16"}},
     "app:app.data.postgres.sku", "expected one of Standard_B1ms"),
    ({"postgres": {"sku": "Standard_B1s", "storageGb": 32, "version": "16"}},
     "app:app.data.postgres.sku", "expected one of Standard_B1ms"),
    ({"postgres": {"sku": "Standard_B99ms", "storageGb": 32, "version": "16"}},
     "app:app.data.postgres.sku", "expected one of Standard_B1ms"),
    ({"mysql": {"sku": "Standard_B99ms", "storageGb": 32, "version": "8.0.21"}, "postgres": None},
     "app:app.data.mysql.sku", "expected one of Standard_B1s, Standard_B1ms"),
])
def test_a_database_azure_cannot_build_is_refused_by_the_one_check_generate_and_the_template_share(database, key,
                                                                                                  problem):
    with pytest.raises(ConfigError) as raised:
        app_config.validate(changed(**database), "Pulumi.dev.yaml")

    assert (raised.value.key, raised.value.problem.startswith(problem)) == (key, True), raised.value


@pytest.mark.parametrize(("changes", "key"), [
    ({"stack": "PYTHON|3.12"}, "app:app.stack"),
    ({"runtime": "function"}, "app:app.functions"),
    ({"runtime": "web", "stack": "PYTHON|3.12"}, "app:app.image"),
    ({"runtime": "web", "stack": "PYTHON|3.12", "image": None, "cpu": 1}, "app:app.cpu"),
    ({"cpu": 3}, "app:app.cpu"),
])
def test_a_runtime_takes_exactly_its_own_key(changes, key):
    config = template_config()
    config["app:app"].update(changes)
    config["app:app"] = {name: value for name, value in config["app:app"].items() if value is not None}
    with pytest.raises(ConfigError) as raised:
        app_config.read(config, "Pulumi.dev.yaml")

    assert raised.value.key == key


def test_an_unknown_key_is_named_with_the_keys_the_model_knows():
    config = template_config()
    config["app:app"]["helthPath"] = "/health"
    with pytest.raises(ConfigError, match=r"^Pulumi.dev.yaml: app:app.helthPath: unknown key; expected one of "
                                          r".*healthPath"):
        app_config.read(config, "Pulumi.dev.yaml")


@pytest.mark.parametrize(("group", "valid"), [
    ({"displayName": "team-parkeren-dba", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}, True),
    ({"displayName": "team-parkeren-dba", "objectId": "5F0C1E2D-0000-4000-8000-00000000D0BA"}, True),
    ({"displayName": "team-parkeren-dba", "objectId": "not-a-guid"}, False),
    ({"displayName": "x'; DROP", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}, False),
    ({"objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}, False),
    ({"displayName": "dba", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba", "extra": 1}, False),
    ({"displayName": "   ", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}, False),
    ({"displayName": "dba", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba\n"}, False),
])
def test_the_generated_admin_group_schema_accepts_what_the_reader_accepts(group, valid):
    try:
        app_config.DATABASE_ADMIN_GROUP_READER("overrides.yaml", "databaseAdminGroup", group)
        read = True
    except ConfigError:
        read = False
    schema = jsonschema.Draft202012Validator(app_config.DATABASE_ADMIN_GROUP).is_valid(group)

    assert (read, schema) == (valid, valid)


@pytest.mark.parametrize(("name", "valid"), [("ab", False), ("abc", True), ("a" * 24, True), ("a" * 25, False),
                                             ("afval-", False), ("2fa", False)])
def test_the_app_name_rule_is_the_one_its_message_states(name, valid):
    config = template_config()
    config["app:app"]["name"] = name
    try:
        app_config.read(config, "Pulumi.dev.yaml")
        accepted = True
    except ConfigError as error:
        assert error.key == "app:app.name" and "3-24 characters" in error.problem
        accepted = False
    assert accepted == valid


def test_a_version_yaml_reads_as_a_number_is_the_version_it_names():
    read = app_config.read(changed(postgres={"sku": "Standard_B1ms", "storageGb": 32, "version": 16}), "P.yaml")
    assert read["app:app"]["data"]["postgres"]["version"] == "16"
    with pytest.raises(ConfigError, match=r"^P.yaml: app:app.data.postgres.version: 12; expected one of 13, "):
        app_config.read(changed(postgres={"sku": "Standard_B1ms", "storageGb": 32, "version": 12}), "P.yaml")
    with pytest.raises(ConfigError, match=r"^P.yaml: app:app.data.postgres.version: True; expected one of 13, "):
        app_config.read(changed(postgres={"sku": "Standard_B1ms", "storageGb": 32, "version": True}), "P.yaml")


def test_a_region_reads_in_every_spelling_azure_accepts_and_must_be_in_the_eu():
    config = template_config()
    config["azure-native:location"] = "West Europe"
    assert app_config.read(config, "P.yaml")["azure-native:location"] == "westeurope"
    config["azure-native:location"] = config["app:app"]["location"] = "eastus"
    with pytest.raises(ConfigError, match=r"^P.yaml: azure-native:location: 'eastus' is outside the EU; expected "):
        app_config.read(config, "P.yaml")


def test_each_engine_accepts_the_skus_of_its_own_table_so_mysql_takes_b1s_and_postgres_does_not():
    read = app_config.read(changed(postgres=None, mysql={"sku": "Standard_B1s", "storageGb": 32,
                                                         "version": "8.0.21"}), "Pulumi.dev.yaml")

    assert read["app:app"]["data"]["mysql"]["sku"] == "Standard_B1s"
    assert "Standard_B1s" not in app_config.sku_names(app_config.POSTGRES_SKUS)
