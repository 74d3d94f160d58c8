"""The workplace stacks planned offline on their platform stacks: zero policy findings in every environment, the
platform's outputs consumed, and environments that differ only where their config says so."""

from __future__ import annotations

import pytest

from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.policies.settings import load_pack_config
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.plan import write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path
from amsterdam_cloud.stacks.workplace.config import load

from .conftest import WORKPLACE_DIR

pytestmark = pytest.mark.slow

ENVIRONMENTS = ("dev", "test", "acc", "prod")
DIAGNOSTICS_RULE = "monitoring-diagnostic-settings"
VM = "azure-native:compute:VirtualMachine"


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_workplace_passes_the_policy_pack_with_no_findings_and_one_waiver_the_rollout_scripts_shared_key(
        workplace_plan, stack):
    plan = workplace_plan(stack)
    result = check_export(plan.to_export(), environment=stack, stack=stack)
    assert [f"{f.policy}: {f.urn}: {f.message}" for f in result.findings] == []
    # the one exception: the deployment script's own account keeps shared keys (ACI mounts its share with the key)
    [script] = plan.of_type("azure-native:resources:AzurePowerShellScript")
    [account] = [a for a in plan.of_type("azure-native:storage:StorageAccount")
                 if a.inputs["accountName"] == script.inputs["storageAccountSettings"]["storageAccountName"]]
    assert [(f.policy, f.urn) for f in result.waived] == [("storage-shared-key-disabled", account.urn)]


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_pack_config_knows_the_workspace_the_workplace_sends_to(stack_plan, stack):
    """Diagnostics cross stacks: the pack config must name the platform's workspace as the city's."""
    settings = load_pack_config(stack).settings(DIAGNOSTICS_RULE)
    assert stack_plan(stack).stack_outputs["workspaceId"].lower() in settings.log_analytics_workspace_ids


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_diagnostic_setting_goes_to_the_platforms_central_workspace(workplace_plan, stack_plan, stack):
    workspace_id = stack_plan(stack).stack_outputs["workspaceId"]
    settings = workplace_plan(stack).of_type("azure-native:monitor:DiagnosticSetting")
    assert settings and {s.inputs["workspaceId"] for s in settings} == {workspace_id}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_hosts_and_endpoints_sit_in_the_platforms_workplace_spoke(workplace_plan, stack_plan, stack):
    subnets = stack_plan(stack).stack_outputs["spokeSubnetIds"]["workplace"]
    plan = workplace_plan(stack)
    assert {nic.inputs["ipConfigurations"][0]["subnet"]["id"]
            for nic in plan.of_type("azure-native:network:NetworkInterface")} == {subnets["hosts"]}
    assert {pe.inputs["subnet"]["id"] for pe in plan.of_type("azure-native:network:PrivateEndpoint")} == {
        subnets["endpoints"]}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_private_endpoints_register_in_the_platforms_dns_zones(workplace_plan, stack_plan, stack):
    zones = set(stack_plan(stack).stack_outputs["privateDnsZoneIds"].values())
    used = {config["privateDnsZoneId"] for group in workplace_plan(stack).of_type(
        "azure-native:network:PrivateDnsZoneGroup") for config in group.inputs["privateDnsZoneConfigs"]}
    assert used and used <= zones


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_host_count_and_size_are_the_sizing_formulas(workplace_plan, stack):
    sizing = load(stack).pool.sizing
    plan = workplace_plan(stack)
    vms = plan.of_type(VM)
    assert len(vms) == sizing.hosts
    assert {vm.inputs["hardwareProfile"]["vmSize"] for vm in vms} == {sizing.vm_size}
    assert plan.stack_outputs["sizing"]["hosts"] == sizing.hosts


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_avd_metadata_is_in_the_eu_and_hosts_and_profiles_beside_the_spoke(workplace_plan, stack):
    config = load(stack)
    plan = workplace_plan(stack)
    avd = {r.inputs["location"] for r in plan.resources
           if r.type.startswith("azure-native:desktopvirtualization:") and "location" in r.inputs}
    assert avd == {config.metadata_location}
    assert {r.inputs["location"] for r in plan.of_type(VM)} | {
        plan.named("avd-profiles-account").inputs["location"]} == {config.location}


def test_prod_is_zone_redundant_locked_and_protected_where_dev_is_not(workplace_plan):
    dev, prod = workplace_plan("dev"), workplace_plan("prod")
    assert dev.named("avd-profiles-account").inputs["sku"]["name"] == "Premium_LRS"
    assert prod.named("avd-profiles-account").inputs["sku"]["name"] == "Premium_ZRS"
    assert all("zones" not in vm.inputs for vm in dev.of_type(VM))
    assert {vm.inputs["zones"][0] for vm in prod.of_type(VM)} == {"1", "2", "3"}
    locks = lambda plan: plan.of_type("azure-native:authorization:ManagementLockByScope")  # noqa: E731
    assert locks(dev) == [] and len(locks(prod)) >= 3
    assert prod.named("avd-profiles-account").protect is True and dev.named("avd-profiles-account").protect is False


def test_dev_keeps_clients_on_the_city_network_and_prod_admits_them_from_the_internet(workplace_plan):
    assert workplace_plan("dev").named("avd-pool").inputs["publicNetworkAccess"] == "Disabled"
    assert workplace_plan("prod").named("avd-pool").inputs["publicNetworkAccess"] == "EnabledForClientsOnly"


def test_prod_is_sized_for_more_users_than_dev(workplace_plan):
    dev, prod = workplace_plan("dev"), workplace_plan("prod")
    assert len(prod.of_type(VM)) > len(dev.of_type(VM))
    assert prod.named("avd-profiles-share").inputs["shareQuota"] > dev.named("avd-profiles-share").inputs["shareQuota"]


def test_environments_differ_only_in_config_driven_resource_counts(workplace_plan):
    """Same program, same kinds of resources in every environment; only counts (hosts, locks) differ."""
    kinds = {stack: {r.type for r in workplace_plan(stack).resources
                     if r.type != "azure-native:authorization:ManagementLockByScope"} for stack in ENVIRONMENTS}
    assert kinds["dev"] == kinds["test"] == kinds["acc"] == kinds["prod"]


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_stack_exports_what_the_desktop_team_needs(workplace_plan, stack):
    outputs = workplace_plan(stack).stack_outputs
    for key in ("hostPoolId", "hostPoolName", "applicationGroupId", "avdWorkspaceId", "scalingPlanId",
                "profileStorageAccountId", "profileShareUncPath", "keyVaultId", "sessionHostNames", "sizing"):
        assert outputs.get(key), key
    assert outputs["environment"] == stack


def test_hosts_in_another_region_than_the_platforms_spoke_stop_the_plan(tmp_path, stack_plan):
    write_atomically(saved_plan_path(tmp_path, "amsterdam-platform", "dev"), stack_plan("dev").export_text())
    with pytest.raises(UserError, match="location: northeurope but the platform's workplace spoke is in westeurope"):
        plan_stack(PulumiProject.load(WORKPLACE_DIR), "dev", plans_dir=tmp_path, config_overrides={
            "amsterdam-workplace:location": "northeurope", "azure-native:location": "northeurope"})


def test_without_the_platforms_plan_the_workplace_names_the_command_to_run(tmp_path):
    with pytest.raises(UserError, match="plan that stack first"):
        plan_stack(PulumiProject.load(WORKPLACE_DIR), "dev", plans_dir=tmp_path)


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_the_rollout_script_runs_privately_so_the_citys_deny_public_access_policy_admits_it(workplace_plan, stack_plan,
                                                                                             stack):
    platform, plan = stack_plan(stack), workplace_plan(stack)
    [script] = plan.of_type("azure-native:resources:AzurePowerShellScript")
    accounts = {a.inputs["accountName"]: a.inputs for a in plan.of_type("azure-native:storage:StorageAccount")}
    # a script without storageAccountSettings makes Azure create a public account: denied in the landing zones;
    # shared keys on this account only (its share is mounted with the key), every other account keyless
    account = accounts[script.inputs["storageAccountSettings"]["storageAccountName"]]
    assert (account["publicNetworkAccess"], account["allowSharedKeyAccess"]) == ("Disabled", True)
    assert [name for name, other in accounts.items() if other.get("allowSharedKeyAccess") is not False] == [
        script.inputs["storageAccountSettings"]["storageAccountName"]]
    [subnet_id] = [s["id"] for s in script.inputs["containerSettings"]["subnetIds"]]
    assert subnet_id == platform.stack_outputs["spokeSubnetIds"]["workplace"]["scripts"]
    [subnet] = [s for s in platform.of_type("azure-native:network:Subnet") if s.id == subnet_id]
    assert [d["serviceName"] for d in subnet.inputs["delegations"]] == ["Microsoft.ContainerInstance/containerGroups"]
    egress = platform.named("hub-fw-egress-rules").inputs
    reached = {fqdn for collection in egress["ruleCollections"] for rule in collection["rules"]
               if rule["sourceAddresses"] == [subnet.inputs["addressPrefix"]] for fqdn in rule.get("targetFqdns", [])}
    assert {"management.azure.com", "login.microsoftonline.com", "mcr.microsoft.com"} <= reached
