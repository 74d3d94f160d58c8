"""`App` with runtime function under mocks against the platform stack's saved plan: one function app per group,
Flex Consumption or Elastic Premium in the right spoke subnet, host storage reached with the app's identity (no
shared key, no content share), private only, and the policy pack passes."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.app import App
from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosContainer
from amsterdam_cloud.components.app_hosting.function_app import FunctionGroupArgs, worker
from amsterdam_cloud.components.app_hosting.service_bus import ServiceBusQueue
from amsterdam_cloud.components.app_hosting.spec import DataNeeds, FunctionsShape
from amsterdam_cloud.components.interfaces import InterfaceError

from .test_app import app_args, spec

GROUPS = (FunctionGroupArgs(name="python312", stack="PYTHON|3.12", triggers=("serviceBusQueue", "timer")),
          FunctionGroupArgs(name="node20", stack="NODE|20-lts", memory_mb=512, triggers=("http",)))


def function_spec(environment: str, plan: str = "flex", **changes):
    values = dict(runtime="function", functions=FunctionsShape(plan=plan, groups=GROUPS), stack=None, image=None,
                  data_needs=DataNeeds(key_vault=True))
    values.update(changes)
    return spec(environment, **values)


def settings_of(site) -> dict:
    return {pair["name"]: pair.get("value") for pair in site.inputs["siteConfig"]["appSettings"]}


@pytest.mark.parametrize(("environment", "plan", "exposure"), [("dev", "flex", "internal"), ("prod", "flex", "public"),
                                                               ("prod", "premium", "internal")])
def test_a_function_app_passes_the_policy_pack(plan_app, violations, environment, plan, exposure):
    result = plan_app(lambda: App("app", app_args(function_spec(environment, plan, exposure=exposure))), environment)
    sites = result.of_type("azure-native:web:WebApp")
    assert sorted(site.inputs["name"].rsplit("-", 1)[-1] for site in sites) == ["node20", "python312"]
    assert violations(result, environment) == []


def test_flex_apps_run_from_a_blob_container_with_the_identity_in_the_containers_subnet(plan_app):
    result = plan_app(lambda: App("app", app_args(function_spec("dev"))), "dev")
    site = result.named("app-func-python312").inputs
    assert site["kind"] == "functionapp,linux" and site["publicNetworkAccess"] == "Disabled"
    assert site["virtualNetworkSubnetId"].endswith("/subnets/containers")
    config = site["functionAppConfig"]
    assert config["runtime"] == {"name": "python", "version": "3.12"}
    assert config["deployment"]["storage"]["authentication"]["type"] == "UserAssignedIdentity"
    assert config["deployment"]["storage"]["value"].endswith("/deployments-python312")
    assert "alwaysReady" not in config["scaleAndConcurrency"]  # dev scales to zero, as Lambda does
    assert result.named("app-func-node20").inputs["functionAppConfig"]["scaleAndConcurrency"]["instanceMemoryMB"] == 512
    assert result.named("app-func-python312-plan").inputs["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    settings = settings_of(result.named("app-func-python312"))
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert not any("ConnectionString" in key or key == "AzureWebJobsStorage" for key in settings)
    assert result.named("app-func-python312").inputs["tags"]["function-triggers"] == "serviceBusQueue,timer"


def test_host_storage_has_no_shared_key_and_the_identity_gets_the_hosts_data_roles(plan_app):
    result = plan_app(lambda: App("app", app_args(function_spec("dev"))), "dev")
    account = result.named("app-fnst-account").inputs
    assert account["allowSharedKeyAccess"] is False and account["publicNetworkAccess"] == "Disabled"
    endpoints = {e.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
                 for e in result.of_type("azure-native:network:PrivateEndpoint") if "fnst" in e.name}
    assert endpoints == {"blob", "queue", "table"}
    roles = {a.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for a in result.of_type(
        "azure-native:authorization:RoleAssignment") if a.name.startswith("app-fnst")}
    assert roles == {"b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
                     "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"}


def test_premium_apps_share_one_elastic_plan_in_the_appservice_subnet_without_a_content_share(plan_app):
    result = plan_app(lambda: App("app", app_args(function_spec("prod", "premium"))), "prod")
    plans = result.of_type("azure-native:web:AppServicePlan")
    assert [p.inputs["sku"]["name"] for p in plans] == ["EP1"] and plans[0].inputs["zoneRedundant"] is True
    site = result.named("app-func-node20").inputs
    assert site["virtualNetworkSubnetId"].endswith("/subnets/appservice")
    assert site["siteConfig"]["linuxFxVersion"] == "NODE|20"
    settings = settings_of(result.named("app-func-node20"))
    assert (settings["FUNCTIONS_WORKER_RUNTIME"], settings["WEBSITE_RUN_FROM_PACKAGE"]) == ("node", "1")
    assert "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING" not in settings


@pytest.mark.parametrize(("stack", "expected"), [("PYTHON|3.11", ("python", "3.11", "PYTHON|3.11")),
                                                 ("DOTNETCORE|8.0", ("dotnet-isolated", "8.0", "DOTNET-ISOLATED|8.0")),
                                                 ("JAVA|17", ("java", "17", "JAVA|17"))])
def test_a_stack_names_the_functions_worker(stack, expected):
    assert worker(stack) == expected


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": "Api"}, "FunctionGroupArgs.name"), ({"stack": "RUBY|3.2"}, "FunctionGroupArgs.stack"),
    ({"memory_mb": 1024}, "FunctionGroupArgs.memory_mb")])
def test_a_group_azure_would_refuse_is_refused_naming_the_field(changes, message):
    with pytest.raises(InterfaceError, match=message):
        FunctionGroupArgs(**{"name": "api", "stack": "PYTHON|3.12", **changes})


MESSAGING = DataNeeds(key_vault=True, cosmos=(CosmosContainer(name="events-state", partition_key="/pk"),),
                      service_bus_queues=(ServiceBusQueue(name="events-inbox"),
                                          ServiceBusQueue(name="orders.fifo", sessions=True)))
"""What DynamoDB tables and SQS queues become: a Cosmos DB for NoSQL container and Service Bus queues."""


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_cosmos_db_and_service_bus_pass_the_policy_pack(plan_app, violations, environment):
    result = plan_app(lambda: App("app", app_args(function_spec(environment, data_needs=MESSAGING))), environment)
    assert len(result.of_type("azure-native:servicebus:Queue")) == 2
    assert violations(result, environment) == []


def test_cosmos_db_and_service_bus_are_private_keyless_and_reached_with_the_apps_identity(plan_app):
    result = plan_app(lambda: App("app", app_args(function_spec("prod", data_needs=MESSAGING))), "prod")
    account = result.named("app-cosmos-account").inputs
    assert (account["disableLocalAuth"], account["publicNetworkAccess"]) == (True, "Disabled")
    assert account["locations"] == [{"locationName": "westeurope", "failoverPriority": 0, "isZoneRedundant": True}]
    assert account["backupPolicy"]["continuousModeProperties"]["tier"] == "Continuous30Days"
    container = result.named("app-cosmos-container-0").inputs["resource"]
    assert (container["id"], container["partitionKey"]["paths"]) == ("events-state", ["/pk"])
    namespace = result.named("app-sb-namespace").inputs
    assert (namespace["sku"]["name"], namespace["disableLocalAuth"], namespace["publicNetworkAccess"]) == (
        "Premium", True, "Disabled")
    assert result.named("app-sb-queue-1").inputs["requiresSession"] is True
    groups = {e.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
              for e in result.of_type("azure-native:network:PrivateEndpoint")}
    assert {"Sql", "namespace"} <= groups
    roles = {a.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for a in result.of_type(
        "azure-native:authorization:RoleAssignment") if a.name.startswith("app-sb")}
    assert roles == {"69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"}
    settings = settings_of(result.named("app-func-python312"))
    assert settings["ServiceBusConnection__fullyQualifiedNamespace"].endswith(".servicebus.windows.net")
    assert settings["CosmosDbConnection__credential"] == "managedidentity"


def test_a_container_or_queue_name_azure_would_refuse_is_refused_naming_the_field():
    from amsterdam_cloud.components.app_hosting.cosmos_db import CosmosNoSqlArgs
    from amsterdam_cloud.components.app_hosting.service_bus import ServiceBusArgs

    with pytest.raises(InterfaceError, match=r"CosmosNoSqlArgs.containers: 'a/b' is refused by Azure: contains '/'"):
        CosmosNoSqlArgs(tags={}, resource_group_name="rg", location="westeurope", account_name="cosmos-parkeer-dev",
                        database_name="parkeer", containers=(CosmosContainer(name="a/b"),), data_principal_id="p")
    with pytest.raises(InterfaceError, match=r"ServiceBusArgs.queues: 'jobs-' is refused by Azure: ends with '-'"):
        ServiceBusArgs(tags={}, resource_group_name="rg", location="westeurope", namespace_name="sb-parkeer-dev",
                       queues=(ServiceBusQueue(name="jobs-"),))


def test_a_public_function_app_puts_the_group_with_the_http_trigger_behind_the_waf(plan_app):
    result = plan_app(lambda: App("app", app_args(function_spec("dev", exposure="public"))), "dev")
    (origin,) = result.of_type("azure-native:cdn:AFDOrigin")
    assert origin.inputs["hostName"].endswith("-node20.azurewebsites.net")  # node20 has the http trigger
