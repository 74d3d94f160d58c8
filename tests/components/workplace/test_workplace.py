"""The composed workplace under mocks: its parts wired together, the roles it grants, and the policy pack passed."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
from pulumi_azure_native import operationalinsights

from amsterdam_cloud.components.interfaces import DiagnosticSettings, InterfaceError, Lock
from amsterdam_cloud.components.workplace.host_pool import Registration
from amsterdam_cloud.components.workplace.profile_backup import BackupRetention
from amsterdam_cloud.components.workplace.session_hosts import SessionHostImage
from amsterdam_cloud.components.workplace.sizing import size_workplace
from amsterdam_cloud.components.workplace.workplace import POWER_ON_OFF_CONTRIBUTOR, Workplace, WorkplaceArgs
from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

from .conftest import (ADMINS, AVD_SERVICE_PRINCIPAL, ENDPOINT_SUBNET, HOST_SUBNET, IMAGE, RG, SCRIPT_SUBNET, USERS,
                       ZONES)

PLATFORM_DIR = Path(__file__).resolve().parents[3]
"""The platform project (this checkout's root Pulumi.yaml)."""

HOSTS_GROUP = f"{RG}/rg-hosts"


def workplace_args(tags: dict, workspace_id: pulumi.Input[str], **overrides) -> WorkplaceArgs:
    values = dict(tags=tags, diagnostic_settings=(DiagnosticSettings(workspace_id=workspace_id),),
                  service_resource_group_name="rg-workplace", hosts_resource_group_name="rg-hosts",
                  hosts_resource_group_id=HOSTS_GROUP, metadata_location="westeurope", location="westeurope",
                  tenant_id="9a1b2c3d-0000-4000-8000-000000000001", friendly_name="Werkplek",
                  host_name_prefix="avd-dev", sizing=size_workplace(users=70, profile="medium", spare_hosts=1),
                  image=IMAGE, host_subnet_id=HOST_SUBNET, endpoint_subnet_id=ENDPOINT_SUBNET,
                  private_dns_zone_ids=ZONES, profile_account_name="amsavdprofilesdev", user_group_ids=(USERS,),
                  rollout_account_name="stamsavdrolloutdev", rollout_subnet_id=SCRIPT_SUBNET,
                  admin_group_ids=(ADMINS,), avd_service_principal_id=AVD_SERVICE_PRINCIPAL,
                  registration=Registration(expires="2026-12-01T00:00:00Z"),
                  backup_vault_name="rsv-amsterdam-workplace-dev", backup_retention=BackupRetention(daily_days=7))
    values.update(overrides)
    return WorkplaceArgs(**values)


@pytest.fixture
def args(tags, workspace_id):
    return lambda **overrides: workplace_args(tags, workspace_id, **overrides)


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Plan:
    """The workplace with the default args, planned once for the tests that only read it."""
    tags = {"owner": "cloud-platform@amsterdam.nl", "cost-center": "CC-4120", "environment": "dev",
            "data-classification": "BBN2", "application": "workplace"}
    workspace = f"{RG}/rg-management/providers/Microsoft.OperationalInsights/workspaces/logs"
    return plan_stack(PulumiProject.load(PLATFORM_DIR), "dev", plans_dir=tmp_path_factory.mktemp("plans"),
                      inline_program=lambda: Workplace("avd", workplace_args(tags, workspace)))


def test_host_count_and_size_follow_the_sizing(plan_inline, args):
    sizing = size_workplace(users=70, profile="heavy", spare_hosts=1)
    plan = plan_inline(lambda: Workplace("avd", args(sizing=sizing)))
    vms = plan.of_type("azure-native:compute:VirtualMachine")
    assert len(vms) == sizing.hosts == 6
    assert {vm.inputs["hardwareProfile"]["vmSize"] for vm in vms} == {sizing.vm_size}
    assert plan.named("avd-pool").inputs["maxSessionLimit"] == sizing.sessions_per_host


def test_hosts_register_with_the_pool_and_mount_the_profile_share(plan):
    agent = plan.named("avd-host-latest-001-avd-agent").inputs["settings"]["properties"]
    assert agent["hostPoolName"] == plan.named("avd-pool").inputs["hostPoolName"]
    command = plan.named("avd-host-latest-001-fslogix").inputs["settings"]["commandToExecute"]
    assert "\\\\amsavdprofilesdev.file.core.windows.net\\profiles" in command


def test_passwords_go_to_the_workplace_vault(plan):
    vault_name = plan.named("avd-kv-vault").outputs["name"]
    assert {s.inputs["vaultName"] for s in plan.of_type("azure-native:keyvault:Secret")} == {vault_name}


def test_profiles_vault_pool_and_rollout_files_sit_behind_private_endpoints_in_the_endpoint_subnet(plan):
    groups = sorted(pe.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
                    for pe in plan.of_type("azure-native:network:PrivateEndpoint"))
    assert groups == ["connection", "feed", "file", "file", "vault"]
    assert {pe.inputs["subnet"]["id"] for pe in plan.of_type("azure-native:network:PrivateEndpoint")} == {
        ENDPOINT_SUBNET}


def test_users_sign_in_admins_administer_and_avd_powers_hosts_on_the_hosts_group(plan):
    on_hosts = {r.inputs["principalId"]: r.inputs["roleDefinitionId"].rsplit("/", 1)[-1]
                for r in plan.of_type("azure-native:authorization:RoleAssignment")
                if r.inputs["scope"] == HOSTS_GROUP}
    assert on_hosts == {USERS: "fb879df8-f326-4884-b1cf-06f3ad86be52", ADMINS: "1c0163c0-47e6-4577-8991-ea5c82e286e4",
                        AVD_SERVICE_PRINCIPAL: POWER_ON_OFF_CONTRIBUTOR}


def test_hosts_report_to_avd_insights_in_the_central_workspace(plan):
    rule = plan.named("avd-insights-rule")
    assert rule.inputs["destinations"]["logAnalytics"][0]["workspaceResourceId"] == \
        plan.named("avd-diag").inputs["workspaceId"]
    assert rule.inputs["dataCollectionRuleName"] == "microsoft-avdi-avd-dev"
    hosts = {vm.id for vm in plan.of_type("azure-native:compute:VirtualMachine")}
    associations = plan.of_type("azure-native:monitor:DataCollectionRuleAssociation")
    assert {a.inputs["resourceUri"] for a in associations} == hosts
    assert {a.inputs["dataCollectionRuleId"] for a in associations} == {rule.id}


def test_zone_redundancy_spreads_hosts_and_makes_profiles_zrs(plan_inline, args):
    plan = plan_inline(lambda: Workplace("avd", args(zone_redundant=True)))
    assert plan.named("avd-profiles-account").inputs["sku"]["name"] == "Premium_ZRS"
    assert {tuple(vm.inputs["zones"]) for vm in plan.of_type("azure-native:compute:VirtualMachine")} == {
        ("1",), ("2",), ("3",)}


def test_a_lock_covers_the_stateful_parts_but_never_the_hosts(plan_inline, args):
    plan = plan_inline(lambda: Workplace("avd", args(lock=Lock())))
    locked = {r.inputs["scope"] for r in plan.of_type("azure-native:authorization:ManagementLockByScope")}
    assert {plan.named("avd-profiles-account").id, plan.named("avd-kv-vault").id, plan.named("avd-pool").id} <= locked
    assert not locked & {vm.id for vm in plan.of_type("azure-native:compute:VirtualMachine")}


def test_the_profile_share_is_backed_up_daily_with_the_configured_retention(plan):
    vault = plan.named("avd-backup-vault").inputs
    assert vault["properties"]["publicNetworkAccess"] == "Disabled"
    assert vault["properties"]["securitySettings"]["softDeleteSettings"]["softDeleteState"] == "Enabled"
    policy = plan.named("avd-backup-policy").inputs["properties"]
    assert (policy["workLoadType"], policy["schedulePolicy"]["scheduleRunFrequency"]) == ("AzureFileShare", "Daily")
    assert policy["retentionPolicy"]["dailySchedule"]["retentionDuration"] == {"count": 7, "durationType": "Days"}
    account = plan.named("avd-profiles-account")
    container = plan.named("avd-backup-container").inputs
    assert container["properties"]["sourceResourceId"] == account.id
    assert container["containerName"] == f"StorageContainer;Storage;rg-hosts;{account.inputs['accountName']}"
    item = plan.named("avd-backup-share").inputs
    assert item["protectedItemName"] == "AzureFileShare;profiles"
    assert item["properties"]["policyId"] == plan.named("avd-backup-policy").id
    assert item["properties"]["sourceResourceId"] == account.id


def test_a_rolling_replacement_keeps_the_old_set_beside_the_new_one_and_drains_it(plan_inline, args):
    old, new = (SessionHostImage(publisher="MicrosoftWindowsDesktop", offer="office-365", sku="win11-24h2-avd-m365",
                                 version=version) for version in ("26100.1.1", "26100.2.1"))
    plan = plan_inline(lambda: Workplace("avd", args(image=new, previous_image=old)))
    vms = plan.of_type("azure-native:compute:VirtualMachine")
    sizing = size_workplace(users=70, profile="medium", spare_hosts=1)
    assert len(vms) == 2 * sizing.hosts
    names = {version: sorted(vm.inputs["osProfile"]["computerName"] for vm in vms
                             if vm.inputs["tags"]["avd-image-version"] == version) for version in ("26100.1.1",
                                                                                                   "26100.2.1")}
    script = plan.named("avd-rollout-script")
    settings = {v["name"]: v["value"] for v in script.inputs["environmentVariables"]}
    assert settings["DRAIN_HOSTS"].split(",") == names["26100.1.1"]
    assert settings["CURRENT_HOSTS"].split(",") == names["26100.2.1"]
    assert script.inputs["forceUpdateTag"] == "26100.2.1,26100.1.1"
    waits_for = set(plan.named("avd-rollout").dependencies)  # drain only once the new set exists
    assert {vm.urn for vm in vms if vm.inputs["tags"]["avd-image-version"] == "26100.2.1"} <= waits_for
    assert not {vm.urn for vm in vms if vm.inputs["tags"]["avd-image-version"] == "26100.1.1"} & waits_for


def test_a_previous_image_of_the_same_version_is_refused(args):
    with pytest.raises(InterfaceError, match="WorkplaceArgs.previous_image: version latest is the current"):
        args(previous_image=IMAGE)


def test_missing_private_dns_zone_names_the_zone(args):
    with pytest.raises(InterfaceError, match="no privatelink.file.core.windows.net"):
        args(private_dns_zone_ids={k: v for k, v in ZONES.items() if "file" not in k})


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_workplace_passes_the_policy_pack_but_for_the_rollout_scripts_keyed_account(plan_inline, tags, stack):
    stack_tags = {**tags, "environment": stack}

    def program():
        workspace = operationalinsights.Workspace(
            "logs", resource_group_name="rg-management", location="westeurope", retention_in_days=365,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            features=operationalinsights.WorkspaceFeaturesArgs(disable_local_auth=True), tags=stack_tags)
        Workplace("avd", workplace_args(stack_tags, workspace.id, lock=Lock(), protect=True, zone_redundant=True))

    result = check_export(plan_inline(program, stack=stack).to_export(), environment=stack, stack=stack)
    # the one exception, waived for the workplace project only (policies/waivers.yaml; tests/stacks/workplace)
    assert [(f.policy, f.urn.rsplit("::", 1)[1]) for f in result.findings] == [
        ("storage-shared-key-disabled", "avd-rollout-storage")]


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(Workplace, args)
