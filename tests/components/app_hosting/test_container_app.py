"""The Container Apps environment and a container app under mocks: internal, identity, Key Vault secrets, scale."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.container_app import ContainerApp, ContainerAppArgs
from amsterdam_cloud.components.app_hosting.container_apps_environment import ContainerAppsEnvironment, \
    ContainerAppsEnvironmentArgs, WorkloadProfile
from amsterdam_cloud.components.interfaces import InterfaceError

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app"
SUBNET = RG + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/containers"
HUB = RG + "/providers/Microsoft.Network/virtualNetworks/hub"
IDENTITY = RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app"
ENVIRONMENT = RG + "/providers/Microsoft.App/managedEnvironments/cae"


def environment_args(tags, diagnostics, **overrides) -> ContainerAppsEnvironmentArgs:
    values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app", location="westeurope",
                  infrastructure_subnet_id=SUBNET, infrastructure_resource_group="rg-parkeer-aca-infra-dev",
                  dns_virtual_network_ids=(HUB,))
    values.update(overrides)
    return ContainerAppsEnvironmentArgs(**values)


@pytest.fixture
def app_args(tags, diagnostics):
    def make(**overrides) -> ContainerAppArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-app",
                      location="westeurope", environment_id=ENVIRONMENT,
                      image="cramsterdamdev.azurecr.io/parkeer:1.0", registry_server="cramsterdamdev.azurecr.io",
                      identity_id=IDENTITY)
        values.update(overrides)
        return ContainerAppArgs(**values)
    return make


def test_environment_is_internal_without_public_network_access(plan_inline, tags, diagnostics):
    env = plan_inline(lambda: ContainerAppsEnvironment("cae", environment_args(tags, diagnostics))).named("cae-env")
    assert env.inputs["vnetConfiguration"] == {"infrastructureSubnetId": SUBNET, "internal": True}
    assert env.inputs["publicNetworkAccess"] == "Disabled"


def test_environment_names_its_infrastructure_group(plan_inline, tags, diagnostics):
    env = plan_inline(lambda: ContainerAppsEnvironment("cae", environment_args(tags, diagnostics))).named("cae-env")
    assert env.inputs["infrastructureResourceGroup"] == "rg-parkeer-aca-infra-dev"


def test_environment_refuses_an_infrastructure_group_azure_cannot_name(plan_inline, tags, diagnostics):
    with pytest.raises(InterfaceError, match="infrastructure_resource_group"):
        plan_inline(lambda: ContainerAppsEnvironment("cae", environment_args(
            tags, diagnostics, infrastructure_resource_group="rg/bad.")))


def test_environment_logs_go_through_a_diagnostic_setting(plan_inline, tags, diagnostics, workspace_id):
    plan = plan_inline(lambda: ContainerAppsEnvironment("cae", environment_args(tags, diagnostics)))
    assert plan.named("cae-env").inputs["appLogsConfiguration"] == {"destination": "azure-monitor"}
    assert plan.named("cae-diag").inputs["workspaceId"] == workspace_id


def test_environment_names_resolve_through_a_zone_linked_to_the_hub(plan_inline, tags, diagnostics):
    plan = plan_inline(lambda: ContainerAppsEnvironment("cae", environment_args(tags, diagnostics)))
    assert plan.named("cae-dns-wildcard").inputs["relativeRecordSetName"] == "*"
    assert plan.named("cae-dns-link-0").inputs["virtualNetwork"] == {"id": HUB}


def test_dedicated_workload_profiles_join_the_consumption_profile(plan_inline, tags, diagnostics):
    profile = WorkloadProfile(name="general", profile_type="D4", minimum_count=1, maximum_count=2)
    env = plan_inline(lambda: ContainerAppsEnvironment("cae", environment_args(
        tags, diagnostics, workload_profiles=(profile,)))).named("cae-env")
    assert [p["name"] for p in env.inputs["workloadProfiles"]] == ["Consumption", "general"]


def test_app_runs_as_its_identity_and_pulls_with_it(plan_inline, app_args):
    app = plan_inline(lambda: ContainerApp("ca", app_args())).named("ca-app").inputs
    assert app["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [IDENTITY]}
    assert app["configuration"]["registries"] == [{"server": "cramsterdamdev.azurecr.io", "identity": IDENTITY}]


def test_ingress_stays_in_the_environment_and_refuses_plain_http_by_default(plan_inline, app_args):
    ingress = plan_inline(lambda: ContainerApp("ca", app_args())).named("ca-app").inputs["configuration"]["ingress"]
    assert ingress["external"] is False and ingress["allowInsecure"] is False


def test_secrets_are_key_vault_references_read_with_the_identity(plan_inline, app_args):
    app = plan_inline(lambda: ContainerApp("ca", app_args(
        key_vault_uri="https://kv.vault.azure.net/", secrets={"API_KEY": "api-key"}))).named("ca-app").inputs
    assert app["configuration"]["secrets"] == [
        {"name": "api-key", "identity": IDENTITY, "keyVaultUrl": "https://kv.vault.azure.net/secrets/api-key"}]
    env = app["template"]["containers"][0]["env"]
    assert {"name": "API_KEY", "secretRef": "api-key"} in env and not any("value" in e for e in env
                                                                          if e["name"] == "API_KEY")


def test_scale_rule_follows_concurrent_requests(plan_inline, app_args):
    scale = plan_inline(lambda: ContainerApp("ca", app_args(min_replicas=2, max_replicas=6, concurrent_requests=20))
                        ).named("ca-app").inputs["template"]["scale"]
    assert (scale["minReplicas"], scale["maxReplicas"]) == (2, 6)
    assert scale["rules"][0]["http"]["metadata"] == {"concurrentRequests": "20"}


def test_image_from_another_registry_is_refused(app_args):
    with pytest.raises(InterfaceError, match="not in the city registry"):
        app_args(image="docker.io/library/nginx:1.27")


def test_another_registry_is_an_explicit_opt_out(app_args):
    assert app_args(image="docker.io/library/nginx:1.27", allow_external_registry=True).allow_external_registry


def test_secrets_without_a_vault_are_refused(app_args):
    with pytest.raises(InterfaceError, match="key_vault_uri"):
        app_args(secrets={"API_KEY": "api-key"})


def test_an_app_name_azure_refuses_is_refused_when_the_args_are_built(app_args):
    with pytest.raises(InterfaceError, match=r"app_name: 'CA-Signalen' is refused by Azure: contains 'ACS'"):
        app_args(app_name="CA-Signalen")
    with pytest.raises(InterfaceError, match=r"app_name: 'ca-signalen-meldingen-openbare-ruimte' is refused by "
                                             r"Azure: has 37 characters \(2-32 chars"):
        app_args(app_name="ca-signalen-meldingen-openbare-ruimte")


def test_an_unset_app_name_whose_auto_name_overflows_32_characters_is_refused_at_construction(plan_inline, app_args):
    with pytest.raises(InterfaceError, match=r"app_name: unset, so azure-native names the resource "
                                             r"'signalen-meldingen-ruimte-app' plus 8 characters, which Azure refuses"):
        plan_inline(lambda: ContainerApp("signalen-meldingen-ruimte", app_args(app_name=None)))


def test_a_registry_identity_pulls_the_image_beside_the_apps_own_identity(plan_inline, app_args):
    puller = RG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-team-acrpull"
    app = plan_inline(lambda: ContainerApp("ca", app_args(registry_identity_id=puller))).named("ca-app")

    assert [r["identity"] for r in app.inputs["configuration"]["registries"]] == [puller]
    assert set(app.inputs["identity"]["userAssignedIdentities"]) == {IDENTITY, puller}


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, app_args):
    conforms(ContainerApp, app_args)


def test_the_environment_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, diagnostics):
    conforms(ContainerAppsEnvironment, lambda: environment_args(tags, diagnostics))
