"""`App` under mocks against the platform stack's saved plan: every shape it can produce passes the policy pack
in dev and prod, public exposure happens only through the WAF, and environments differ only through operations."""

from __future__ import annotations

from pathlib import Path

import itertools
from dataclasses import replace

import pytest

from amsterdam_cloud.components.app_hosting.app import App, AppArgs
from amsterdam_cloud.components.app_hosting.config import environment_operations
from amsterdam_cloud.components.app_hosting.spec import AppSpec, DataNeeds, EntraGroup, MySql, Postgres
from amsterdam_cloud.core.platform_outputs import PlatformOutputs

PLATFORM_DIR = Path(__file__).resolve().parents[3]
"""The platform project (this checkout's root Pulumi.yaml)."""

TENANT = "9a1b2c3d-0000-4000-8000-000000000001"
TEAM_DBA = EntraGroup(object_id="5f0c1e2d-0000-4000-8000-00000000d0ba", display_name="team-parkeren-dba")
"""The team's Entra group that administers the app's databases."""
DATA = {
    "none": DataNeeds(key_vault=False),
    "all": DataNeeds(postgres=Postgres(sku="Standard_D2ds_v5", storage_gb=32, version="16"), storage=True,
                     storage_sub_resources=("blob", "queue"), key_vault=True),
}


def spec(environment: str = "dev", runtime: str = "container", exposure: str = "internal", data: str = "all",
         data_needs: DataNeeds | None = None, **changes) -> AppSpec:
    runtime_fields = {"image": f"cramsterdam{environment}.azurecr.io/parkeer:1.0"} if runtime == "container" else \
        {"stack": "PYTHON|3.12"}
    values = dict(name="parkeer", team="parkeren@amsterdam.nl", cost_center="CC-4200", environment=environment,
                  platform_stack=f"organization/amsterdam-platform/{environment}", location="westeurope",
                  runtime=runtime, exposure=exposure, data_classification="BBN2", data=data_needs or DATA[data],
                  secrets={"API_KEY": "api-key"} if (data_needs or DATA[data]).key_vault else {},
                  operations=environment_operations()[environment], **runtime_fields)
    values.update(changes)
    needs = values["data"]
    if "database_admin_group" not in changes and (needs.postgres or needs.mysql):
        values["database_admin_group"] = TEAM_DBA
    return AppSpec(**values)


def pulumi_export(app: App) -> None:
    """Export what an app stack exports (as templates/app does)."""
    import pulumi

    for key, value in app.exports().items():
        pulumi.export(key, value)


def read_platform(app_spec: AppSpec) -> PlatformOutputs:
    """The platform's outputs as the template reads them (one StackReference per program, outside the apps)."""
    return PlatformOutputs.read(app_spec.platform_stack)


def app_args(app_spec: AppSpec, platform: PlatformOutputs | None = None, **options) -> AppArgs:
    """AppArgs as the template builds them: the platform's outputs and the tenant passed in."""
    return AppArgs.of(app_spec, platform=platform or read_platform(app_spec), **{"tenant_id": TENANT, **options})


def program(app_spec: AppSpec):
    return lambda: App("app", app_args(app_spec))


DATA_SHAPES = {
    "-".join(name for name, on in zip(("pg", "st", "kv"), flags) if on) or "nodata": DataNeeds(
        postgres=Postgres(sku="Standard_D2ds_v5", storage_gb=32, version="16") if flags[0] else None,
        storage=flags[1], storage_sub_resources=("blob", "queue"), key_vault=flags[2])
    for flags in itertools.product((False, True), repeat=3)}
"""Every combination of the data services: database, storage, vault."""
SHAPES = list(itertools.product(("container", "web"), ("internal", "public")))
"""runtime x exposure; each test plans one app per data shape, so every combination of App's options is covered."""


def every_data_shape(environment: str, runtime: str, exposure: str):
    """One app per data shape in one program (one plan and one policy run instead of eight)."""
    algorithm = "90127461" if exposure == "public" else None  # exercises the register rules on half the shapes

    def program() -> None:
        platform = read_platform(spec(environment))
        for index, data in enumerate(DATA_SHAPES):
            App(f"app{index}", app_args(spec(environment, runtime, exposure, name=f"parkeer-{data}",
                                             data_needs=DATA_SHAPES[data], algorithm_register_id=algorithm),
                                        platform))
    return program


@pytest.mark.parametrize("runtime,exposure", SHAPES, ids=["-".join(shape) for shape in SHAPES])
def test_every_shape_passes_the_policy_pack_in_prod(plan_app, violations, runtime, exposure):
    """prod runs every rule the other environments run, strictly, plus locks, protection and the register."""
    plan = plan_app(every_data_shape("prod", runtime, exposure), "prod")
    assert len(plan.of_type("amsterdam:apphosting:App")) == len(DATA_SHAPES)
    assert violations(plan, "prod") == []


@pytest.mark.parametrize("environment", ["dev", "test", "acc"])
def test_every_runtime_and_exposure_passes_the_policy_pack_in_the_other_environments(plan_app, violations,
                                                                                      environment):
    def program() -> None:
        platform = read_platform(spec(environment))
        for index, (runtime, exposure) in enumerate(SHAPES):
            App(f"app{index}", app_args(spec(environment, runtime, exposure, name=f"parkeer-{runtime}-{exposure}",
                                             algorithm_register_id="90127461"), platform))

    assert violations(plan_app(program, environment), environment) == []


def test_unregistered_algorithm_in_prod_is_a_violation(plan_app, violations):
    """The parametrised passes above can fail: an id missing from the register is caught in prod."""
    found = violations(plan_app(program(spec("prod", algorithm_register_id="00000000")), "prod"), "prod")
    assert found and all(f.startswith("algorithm-register-id-registered") for f in found)


def platform_outputs(platform_plans, environment: str = "dev") -> dict:
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    return stack_outputs_of(json.loads(platform_plans(environment).read_text()))[0]


def test_internal_app_has_no_public_entrance_and_runs_in_the_platforms_shared_environment(plan_app, platform_plans):
    plan = plan_app(program(spec(exposure="internal")))
    assert not [r for r in plan.resources if r.type.startswith(("azure-native:cdn:", "azure-native:frontdoor:"))]
    assert plan.named("app-ca-app").inputs["configuration"]["ingress"]["external"] is True  # the city's networks
    assert not plan.of_type("azure-native:app:ManagedEnvironment")
    assert plan.named("app-ca-app").inputs["managedEnvironmentId"] == \
        platform_outputs(platform_plans)["containerAppsEnvironment"]["id"]


@pytest.mark.parametrize("runtime,group", [("container", "managedEnvironments"), ("web", "sites")])
def test_public_app_is_reached_only_through_the_shared_waf_over_private_link(plan_app, platform_plans, runtime,
                                                                             group):
    outputs = platform_outputs(platform_plans)
    plan = plan_app(program(spec(runtime=runtime, exposure="public")))
    target = outputs["containerAppsEnvironment"]["id"] if runtime == "container" else plan.named("app-web-app").id
    link = plan.named("app-waf-origin").inputs["sharedPrivateLinkResource"]
    assert link["privateLink"] == {"id": target} and link["groupId"] == group
    assert not plan.of_type("azure-native:cdn:Profile") and not plan.of_type("azure-native:frontdoor:Policy")
    door = outputs["frontDoor"]
    parts = [r for r in plan.resources if r.type.startswith("azure-native:cdn:")]
    assert parts and all((r.inputs["profileName"], r.inputs["resourceGroupName"]) ==
                         (door["profileName"], door["resourceGroupName"]) for r in parts)
    security = plan.named("app-waf-security").inputs["parameters"]
    assert security["wafPolicy"] == {"id": door["wafPolicyId"]}
    assert security["associations"][0]["domains"] == [{"id": plan.named("app-waf-endpoint").id}]
    assert not plan.of_type("azure-native:network:PublicIPAddress")
    if runtime == "web":
        assert plan.named("app-web-app").inputs["publicNetworkAccess"] == "Disabled"


def test_a_custom_domain_serves_the_certificate_from_the_platforms_vault_behind_the_waf(plan_app, platform_plans):
    from amsterdam_cloud.components.app_hosting.public_entrance import CustomDomain

    door = platform_outputs(platform_plans)["frontDoor"]
    plan = plan_app(program(spec(exposure="public", custom_domain=CustomDomain(
        host_name="parkeren.amsterdam.nl", certificate_secret="parkeren-amsterdam-nl"))))
    secret = plan.named("app-waf-certificate").inputs["parameters"]
    assert secret["secretSource"] == {"id": f"{door['certificateVaultId']}/secrets/parkeren-amsterdam-nl"}
    domain = plan.named("app-waf-domain")
    assert (domain.inputs["hostName"], domain.inputs["tlsSettings"]["minimumTlsVersion"]) == (
        "parkeren.amsterdam.nl", "TLS12")
    assert plan.named("app-waf-route").inputs["customDomains"] == [{"id": domain.id}]
    assert {"id": domain.id} in plan.named("app-waf-security").inputs["parameters"]["associations"][0]["domains"]


def test_a_workload_profile_the_shared_environment_lacks_is_refused_naming_the_key(plan_app):
    from amsterdam_cloud.core.errors import UserError

    with pytest.raises(UserError, match=r"no workload profile 'gpu' \(it has Consumption\); set "
                                        r"app:app.workloadProfile"):
        plan_app(program(spec(workload_profile="gpu")))


def test_app_stack_reads_its_network_from_the_platform_stack(plan_app, platform_plans):
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    outputs, _ = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    plan = plan_app(program(spec(runtime_subnet="containers")))  # an environment of its own, in that subnet
    assert plan.named("app-cae-env").inputs["vnetConfiguration"]["infrastructureSubnetId"] == \
        outputs["spokeSubnetIds"]["apps"]["containers"]
    # its own infrastructure group: the name is unique per subscription, so not the shared environment's
    assert plan.named("app-cae-env").inputs["infrastructureResourceGroup"] == "rg-parkeer-aca-infra-dev"
    assert plan.named("app-kv-pe").inputs["subnet"]["id"] == outputs["spokeSubnetIds"]["apps"]["endpoints"]
    assert plan.named("app-pg-pe-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == \
        outputs["privateDnsZoneIds"]["privatelink.postgres.database.azure.com"]


def test_every_resource_carries_the_apps_tags_and_algorithm_id(plan_app):
    plan = plan_app(program(spec(algorithm_register_id="90127461")))
    tagged = [r for r in plan.resources if isinstance(r.inputs.get("tags"), dict)]
    assert tagged and all(r.inputs["tags"]["algorithm-register-id"] == "90127461" and
                          r.inputs["tags"]["owner"] == "parkeren@amsterdam.nl" for r in tagged)


def test_identity_gets_data_roles_on_its_own_vault_storage_and_telemetry_and_pull_on_the_registry_only(plan_app):
    plan = plan_app(program(spec()))
    roles = {r.name: r.inputs for r in plan.of_type("azure-native:authorization:RoleAssignment")}
    assert roles["app-kv-role-0"]["scope"] == plan.named("app-kv-vault").id
    assert roles["app-st-role-0"]["scope"] == plan.named("app-st-account").id
    assert roles["app-appi-role-0"]["scope"] == plan.named("app-appi-component").id
    assert set(roles) == {"app-kv-role-0", "app-st-role-0", "app-acr-role-0", "app-appi-role-0"}


def test_container_app_identity_gets_acr_pull_on_the_platform_registry(plan_app, platform_plans):
    import json

    from amsterdam_cloud.components.interfaces import BUILTIN_ROLES
    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    outputs, _ = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    plan = plan_app(program(spec()))
    role = plan.named("app-acr-role-0").inputs
    assert role["scope"] == outputs["containerRegistryId"]
    assert role["roleDefinitionId"].endswith(BUILTIN_ROLES["AcrPull"])
    assert role["principalId"] == plan.named("app-identity").outputs["principalId"]


def test_container_app_pulls_from_the_platform_registrys_login_server(plan_app, platform_plans):
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    outputs, _ = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    registries = plan_app(program(spec())).named("app-ca-app").inputs["configuration"]["registries"]
    assert [r["server"] for r in registries] == [outputs["containerRegistryLoginServer"]]


def test_app_starts_after_its_identity_may_pull_its_image(plan_app):
    plan = plan_app(program(spec()))
    assert plan.named("app-acr-role-0").urn in plan.named("app-ca-app").dependencies


def test_web_app_gets_no_registry_role(plan_app):
    plan = plan_app(program(spec(runtime="web")))
    assert "app-acr-role-0" not in {r.name for r in plan.of_type("azure-native:authorization:RoleAssignment")}


def test_image_from_a_registry_other_than_the_platforms_is_refused(plan_app):
    from amsterdam_cloud.core.errors import UserError

    with pytest.raises(UserError, match=r"its registry is cramsterdamdev\.azurecr\.io, but the app's image comes "
                                        r"from cramsterdamtest\.azurecr\.io"):
        plan_app(program(replace(spec("dev", image="cramsterdamtest.azurecr.io/parkeer:1.0"), environment="test")))


def test_prod_gets_ha_geo_backups_zone_redundancy_locks_and_protection(plan_app):
    dev, prod = (plan_app(program(spec(environment, runtime_subnet="containers")), environment)
                 for environment in ("dev", "prod"))
    assert dev.named("app-pg-server").inputs["highAvailability"]["mode"] == "Disabled"
    assert prod.named("app-pg-server").inputs["highAvailability"]["mode"] == "ZoneRedundant"
    assert prod.named("app-pg-server").inputs["backup"]["geoRedundantBackup"] == "Enabled"
    assert (dev.named("app-cae-env").inputs["zoneRedundant"], prod.named("app-cae-env").inputs["zoneRedundant"]) \
        == (False, True)
    assert not dev.of_type("azure-native:authorization:ManagementLockByScope")
    assert {r.name for r in prod.of_type("azure-native:authorization:ManagementLockByScope")} == \
        {"app-kv-lock", "app-pg-lock", "app-st-lock",  # and their private endpoints, which inherit the lock
         "app-kv-pe-lock", "app-pg-pe-lock", "app-st-pe-0-lock", "app-st-pe-1-lock"}
    assert prod.named("app-pg-server").protect and not dev.named("app-pg-server").protect


def test_prod_keeps_at_least_two_replicas(plan_app):
    plan = plan_app(program(spec("prod", min_replicas=1)), "prod")
    assert plan.named("app-ca-app").inputs["template"]["scale"]["minReplicas"] == 2


def test_environments_differ_only_through_operations(plan_app):
    """The same description with acc's operations plans the same in dev as acc does (tags aside)."""
    acc_in_dev = plan_app(program(spec("dev", operations=environment_operations()["acc"], runtime_subnet="containers")))
    dev = plan_app(program(spec("dev", runtime_subnet="containers")))
    assert acc_in_dev.named("app-cae-env").inputs["zoneRedundant"] is True
    assert dev.named("app-cae-env").inputs["zoneRedundant"] is False
    assert acc_in_dev.named("app-pg-server").inputs["backup"]["backupRetentionDays"] == 14


def test_missing_spoke_is_reported_with_the_spokes_the_platform_has(plan_app):
    from amsterdam_cloud.core.errors import UserError

    with pytest.raises(UserError, match=r"has no nowhere\.[a-z]+ \(it has analytics, apps, workplace\)"):
        plan_app(program(replace(spec(), spoke="nowhere")))


def test_app_interfaces_apply_to_its_resource_group(plan_app):
    from amsterdam_cloud.components.interfaces import RoleAssignment

    team = "0f0e0d0c-0000-4000-8000-000000000077"
    plan = plan_app(lambda: App("app", app_args(spec(), role_assignments=(
        RoleAssignment(role="Reader", principal_id=team, principal_type="Group"),))))
    role = plan.named("app-role-0").inputs
    assert role["scope"] == plan.named("app-rg").id and role["principalId"] == team


def test_app_reads_no_stack_reference_and_takes_the_tenant_it_is_given(plan_app):
    """Components read nothing from config or the engine: the program reads the platform and the tenant."""
    plan = plan_app(program(spec()))
    reference = plan.of_type("pulumi:pulumi:StackReference")
    assert len(reference) == 1 and reference[0].parent == plan.stack_resource.urn
    assert plan.named("app-pg-server").inputs["authConfig"]["tenantId"] == TENANT
    assert plan.named("app-kv-vault").inputs["properties"]["tenantId"] == TENANT


def test_globally_unique_names_derive_from_the_app_and_its_environment(plan_app):
    from amsterdam_cloud.components.app_hosting.app import global_suffix

    app_spec = spec(runtime="web")
    plan = plan_app(program(app_spec))
    suffix = global_suffix(app_spec)
    assert plan.named("app-st-account").inputs["accountName"] == f"stparkeerdev{suffix}"
    assert plan.named("app-web-app").inputs["name"] == f"app-parkeer-dev-{suffix}"
    assert plan.named("app-pg-server").inputs["serverName"] == "psql-parkeer-dev"


def test_a_long_app_name_that_would_overflow_the_vault_name_is_refused():
    from amsterdam_cloud.components.interfaces import InterfaceError

    with pytest.raises(InterfaceError, match="24 characters"):
        App("parkeer-app", AppArgs.of(spec(), platform=None, tenant_id=TENANT))  # type: ignore[arg-type]


@pytest.mark.parametrize("runtime,resource", [("container", "app-ca-app"), ("web", "app-web-app")])
def test_app_starts_after_its_identity_may_read_its_secrets(plan_app, runtime, resource):
    plan = plan_app(program(spec(runtime=runtime)))
    assert plan.named("app-kv-role-0").urn in plan.named(resource).dependencies


def test_runtime_subnet_picks_another_subnet_of_the_spoke(plan_app, platform_plans):
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    subnets = stack_outputs_of(json.loads(platform_plans("dev").read_text()))[0]["spokeSubnetIds"]["apps"]
    plan = plan_app(program(spec(runtime="web", runtime_subnet="containers")))
    assert plan.named("app-web-app").inputs["virtualNetworkSubnetId"] == subnets["containers"]
    assert plan.named("app-web-pe").inputs["subnet"]["id"] == subnets["endpoints"]


MYSQL = DataNeeds(mysql=MySql(sku="Standard_D2ds_v4", storage_gb=64, version="8.0.21"), key_vault=True)


@pytest.mark.parametrize("environment", ["dev", "test", "acc", "prod"])
@pytest.mark.parametrize("runtime", ["container", "web"])
def test_an_app_on_mysql_passes_the_policy_pack(plan_app, violations, environment, runtime):
    plan = plan_app(program(spec(environment, runtime, data_needs=MYSQL)), environment)
    assert plan.of_type("azure-native:dbformysql:Server") and violations(plan, environment) == []


def test_mysql_is_private_in_the_spokes_endpoints_subnet_and_registered_in_the_platforms_zone(plan_app,
                                                                                               platform_plans):
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    outputs, _ = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    plan = plan_app(program(spec(data_needs=MYSQL)))
    assert plan.named("app-mysql-pe").inputs["subnet"]["id"] == outputs["spokeSubnetIds"]["apps"]["endpoints"]
    assert plan.named("app-mysql-pe-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == \
        outputs["privateDnsZoneIds"]["privatelink.mysql.database.azure.com"]


def test_the_teams_group_administers_mysql_looked_up_through_the_servers_graph_identity(plan_app):
    plan = plan_app(program(spec(data_needs=MYSQL)))
    admin = plan.named("app-mysql-admin").inputs
    assert (admin["sid"], admin["login"]) == (TEAM_DBA.object_id, TEAM_DBA.display_name)
    assert admin["identityResourceId"] == plan.named("app-mysql-identity").id
    assert plan.named("app-mysql-identity").inputs["resourceName"] == "id-parkeer-mysql-dev"


def test_the_apps_identity_is_no_database_administrator_but_gets_a_role_script_for_its_own_database(plan_app):
    both = DataNeeds(postgres=Postgres(sku="Standard_D2ds_v5", storage_gb=32, version="16"),
                     mysql=MySql(sku="Standard_D2ds_v4", storage_gb=64, version="8.0.21"), key_vault=False)
    plan = plan_app(lambda: pulumi_export(App("app", app_args(spec(data_needs=both, secrets={})))))
    identity = plan.named("app-identity").outputs
    postgres_admins = [(a.inputs["objectId"], a.inputs["principalType"])
                       for a in plan.of_type("azure-native:dbforpostgresql:Administrator")]
    mysql_admins = [a.inputs["sid"] for a in plan.of_type("azure-native:dbformysql:AzureADAdministrator")]
    assert (postgres_admins, mysql_admins) == ([(TEAM_DBA.object_id, "Group")], [TEAM_DBA.object_id])
    assert identity["principalId"] not in {object_id for object_id, _ in postgres_admins} | set(mysql_admins)
    scripts = plan.stack_outputs["databaseRoleScripts"]
    assert f"pgaadauth_create_principal_with_oid('{identity['name']}', '{identity['principalId']}', 'service', " \
           "false, false)" in scripts["postgres"]
    assert f"CREATE AADUSER '{identity['name']}' IDENTIFIED BY '{identity['clientId']}'" in scripts["mysql"]
    assert "ON `parkeer`.* TO" in scripts["mysql"] and 'ON DATABASE "parkeer"' in scripts["postgres"]


def test_an_app_with_a_database_but_no_admin_group_is_refused_naming_the_key(plan_app):
    from amsterdam_cloud.components.interfaces import InterfaceError

    with pytest.raises(InterfaceError, match=r"app:app.databaseAdminGroup is unset"):
        plan_app(program(spec(data_needs=MYSQL, database_admin_group=None)))


def test_prod_mysql_gets_ha_geo_backups_retention_lock_and_protection(plan_app):
    dev, prod = plan_app(program(spec("dev", data_needs=MYSQL))), plan_app(program(spec("prod", data_needs=MYSQL)),
                                                                          "prod")
    assert (dev.named("app-mysql-server").inputs["highAvailability"]["mode"],
            prod.named("app-mysql-server").inputs["highAvailability"]["mode"]) == ("Disabled", "ZoneRedundant")
    assert prod.named("app-mysql-server").inputs["backup"] == {"backupRetentionDays": 35,
                                                               "geoRedundantBackup": "Enabled"}
    assert prod.named("app-mysql-server").protect and not dev.named("app-mysql-server").protect
    assert "app-mysql-lock" in {r.name for r in prod.of_type("azure-native:authorization:ManagementLockByScope")}


def test_a_mysql_app_is_told_its_database(plan_app):
    plan = plan_app(program(spec(data_needs=MYSQL)))
    env = {e["name"]: e.get("value") for e in plan.named("app-ca-app").inputs["template"]["containers"][0]["env"]}
    assert env["DATABASE_HOST"] == "mysql-parkeer-dev.mysql.database.azure.com"
    assert env["DATABASE_NAME"] == "parkeer" and "MYSQL_HOST" not in env


def test_an_app_with_both_databases_is_told_both(plan_app):
    both = DataNeeds(postgres=Postgres(sku="Standard_D2ds_v5", storage_gb=32, version="16"),
                     mysql=MySql(sku="Standard_D2ds_v4", storage_gb=64, version="8.0.21"), key_vault=True)
    plan = plan_app(program(spec(data_needs=both)))
    env = {e["name"]: e.get("value") for e in plan.named("app-ca-app").inputs["template"]["containers"][0]["env"]}
    assert (env["DATABASE_HOST"], env["MYSQL_HOST"]) == ("psql-parkeer-dev.postgres.database.azure.com",
                                                         "mysql-parkeer-dev.mysql.database.azure.com")


def test_a_migrated_apps_size_and_settings_reach_its_container_and_the_platforms_settings_win(plan_app):
    plan = plan_app(program(spec(cpu=1.0, settings={"LOG_LEVEL": "info", "DATABASE_HOST": "db.eu-west-1.rds.amazonaws.com"})))
    container = plan.named("app-ca-app").inputs["template"]["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert (container["resources"]["cpu"], container["resources"]["memory"]) == (1.0, "2Gi")
    assert env["LOG_LEVEL"] == "info" and env["DATABASE_HOST"] == "psql-parkeer-dev.postgres.database.azure.com"


def test_the_app_sends_telemetry_privately_to_workspace_based_app_insights_by_identity(plan_app, platform_plans):
    import json

    from amsterdam_cloud.core.environments import app_insights_id
    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    outputs, _ = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    plan = plan_app(program(spec()))
    component = plan.named("app-appi-component")
    assert (component.inputs["workspaceResourceId"], component.inputs["disableLocalAuth"],
            component.inputs["publicNetworkAccessForIngestion"]) == (outputs["workspaceId"], True, "Disabled")
    # the connectivity stack scopes it by the id it derives; the app writes nothing into the city's scope
    assert component.id == app_insights_id(component.id.split("/")[2], "parkeer", "dev")
    assert plan.of_type("azure-native:monitor:PrivateLinkScopedResource") == []
    env = {e["name"]: e.get("value") for e in plan.named("app-ca-app").inputs["template"]["containers"][0]["env"]}
    assert env["APPLICATIONINSIGHTS_CONNECTION_STRING"] == component.outputs["connectionString"]
    assert env["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] == \
        f"Authorization=AAD;ClientId={plan.named('app-identity').outputs['clientId']}"


def test_database_cpu_and_storage_alert_the_platforms_action_group(plan_app, platform_plans):
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    outputs, _ = stack_outputs_of(json.loads(platform_plans("dev").read_text()))
    plan = plan_app(program(spec()))
    alerts = {a.name: a.inputs for a in plan.of_type("azure-native:monitor:MetricAlert")}
    assert set(alerts) == {"app-pg-alerts-cpu", "app-pg-alerts-storage"}
    assert {a["criteria"]["allOf"][0]["metricName"] for a in alerts.values()} == {"cpu_percent", "storage_percent"}
    assert all(a["scopes"] == [plan.named("app-pg-server").id] and
               a["actions"] == [{"actionGroupId": outputs["actionGroupId"]}] for a in alerts.values())


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, platform_plans, tmp_path):
    """The interfaces apply to the app's resource group (the data services take theirs from spec.operations)."""
    import shutil

    from amsterdam_cloud.scripts.offline.project import saved_plan_path

    shutil.copy(platform_plans("dev"), saved_plan_path(tmp_path, "amsterdam-platform", "dev"))
    app_spec = spec(name="cf")
    conforms(App, lambda platform: app_args(app_spec, platform), setup=lambda: read_platform(app_spec))
