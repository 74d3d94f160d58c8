"""The platform's VM operations under mocks: a private vault with soft delete and an enhanced daily policy (what
Trusted Launch VMs need), and a data collection rule into the central workspace through the private endpoint."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.compute.operations import VmOperations, VmOperationsArgs
from amsterdam_cloud.components.interfaces import InterfaceError

DCE = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-management/providers/"
       "Microsoft.Insights/dataCollectionEndpoints/dce-amsterdam")


@pytest.fixture
def args(tags, workspace_id):
    def make(**overrides) -> VmOperationsArgs:
        values = dict(tags=tags, resource_group_name="rg-management", location="westeurope",
                      vault_name="rsv-amsterdam-vms-dev", subscription_id="00000001-0000-4000-8000-000000000001",
                      workspace_id=workspace_id, data_collection_endpoint_id=DCE)
        values.update(overrides)
        return VmOperationsArgs(**values)
    return make


def test_the_vault_is_private_with_enhanced_soft_delete(plan_inline, args):
    vault = plan_inline(lambda: VmOperations("ops", args())).named("ops-vault").inputs["properties"]
    assert vault["publicNetworkAccess"] == "Disabled"
    assert vault["securitySettings"]["softDeleteSettings"]["enhancedSecurityState"] == "Enabled"


def test_the_policy_is_the_enhanced_daily_one_trusted_launch_vms_need(plan_inline, args):
    policy = plan_inline(lambda: VmOperations("ops", args(daily_retention_days=35))).named("ops-policy").inputs
    properties = policy["properties"]
    assert (properties["backupManagementType"], properties["policyType"]) == ("AzureIaasVM", "V2")
    assert properties["schedulePolicy"]["schedulePolicyType"] == "SimpleSchedulePolicyV2"
    assert properties["retentionPolicy"]["dailySchedule"]["retentionDuration"] == {"count": 35, "durationType": "Days"}


def test_the_rule_sends_counters_syslog_and_events_to_the_central_workspace_privately(plan_inline, args, workspace_id):
    rule = plan_inline(lambda: VmOperations("ops", args())).named("ops-dcr").inputs
    assert rule["dataCollectionEndpointId"] == DCE
    assert rule["destinations"]["logAnalytics"] == [{"name": "central", "workspaceResourceId": workspace_id}]
    assert set(rule["dataFlows"][0]["streams"]) == {"Microsoft-Perf", "Microsoft-Syslog", "Microsoft-Event"}


def test_the_policy_id_app_stacks_enrol_with_names_the_vault_and_the_policy(plan_inline, args):
    plan = plan_inline(lambda: VmOperations("ops", args()))
    policy_id = plan.named("ops-policy").outputs["id"]
    assert policy_id.endswith("/vaults/rsv-amsterdam-vms-dev/backupPolicies/vms-daily-enhanced")


@pytest.mark.parametrize(("overrides", "key"), [
    ({"vault_name": "1-vault"}, "vault_name"),
    ({"instant_restore_days": 31}, "instant_restore_days"),
    ({"daily_retention_days": 3}, "daily_retention_days"),
])
def test_args_azure_would_refuse_fail_naming_the_field(args, overrides, key):
    with pytest.raises(InterfaceError, match=f"VmOperationsArgs.{key}"):
        args(**overrides)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(VmOperations, args)
