"""Stack rules: diagnostic settings to the city workspace, locks and protection in prod, log retention."""

import pytest

from amsterdam_cloud.policies.checker import check_resources, parse_resources
from amsterdam_cloud.policies.fixtures import UNKNOWN_VALUE, export_of, resource, urn_of, violations
from amsterdam_cloud.policies.rules.stack import diagnostic_settings, lock_in_prod, log_retention, protect_in_prod

KV = "azure-native:keyvault:Vault"
LAW = "azure-native:operationalinsights:Workspace"
DIAG = "azure-native:monitor:DiagnosticSetting"


def findings(rule, *resources, environment="prod", **settings):
    parsed, stack = parse_resources(export_of(*resources, stack=environment))
    from amsterdam_cloud.policies.settings import PackConfig
    config = PackConfig(source="test", default_level="mandatory", levels={},
                        properties={rule.id: {"environment": environment, **settings}} if rule.settings else {})
    return check_resources(parsed, environment=environment, stack=stack, config=config, rules=[rule]).findings


def vault(env="prod", **options):
    return resource(KV, "kv", {"vaultName": "kv-city", "resourceGroupName": "rg-data"}, stack=env, **options)


def workspace(env="prod"):
    return resource(LAW, "law", {"retentionInDays": 365}, stack=env)


def diag(target_urn, workspace_urn=None, workspace_id=UNKNOWN_VALUE, logs=({"categoryGroup": "allLogs", "enabled": True},),
         env="prod"):
    deps = {"resourceUri": [target_urn]}
    if workspace_urn:
        deps["workspaceId"] = [workspace_urn]
    return resource(DIAG, "kv-diag", {"resourceUri": UNKNOWN_VALUE, "workspaceId": workspace_id, "logs": list(logs)},
                    stack=env, property_dependencies=deps)


def test_vault_with_diagnostics_to_the_stack_workspace_passes():
    kv, law = vault(), workspace()
    assert findings(diagnostic_settings.RULE, kv, law, diag(kv["urn"], law["urn"])) == []


def test_vault_without_diagnostic_setting_is_a_violation_on_the_vault():
    found = findings(diagnostic_settings.RULE, vault(), workspace())
    assert len(found) == 1 and found[0].urn == urn_of("prod", KV, "kv")


def test_diagnostics_to_a_foreign_workspace_are_a_violation():
    kv = vault()
    foreign = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/other"
    found = findings(diagnostic_settings.RULE, kv, diag(kv["urn"], workspace_id=foreign))
    assert len(found) == 1 and "not the city's" in found[0].message


def test_central_workspace_id_from_pack_config_is_accepted():
    kv = vault()
    central = "/subscriptions/m/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log-city"
    assert findings(diagnostic_settings.RULE, kv, diag(kv["urn"], workspace_id=central),
                    logAnalyticsWorkspaceIds=[central.upper()]) == []


def test_diagnostic_setting_with_only_metrics_is_a_violation():
    kv, law = vault(), workspace()
    found = findings(diagnostic_settings.RULE, kv, law, diag(kv["urn"], law["urn"], logs=()))
    assert len(found) == 1 and "no logs" in found[0].message


def test_diagnostics_matched_by_resource_id_in_a_real_export():
    kv_id = "/subscriptions/s/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-city"
    kv, law = vault(id=kv_id), workspace()
    setting = resource(DIAG, "kv-diag", {"resourceUri": kv_id, "logs": [{"categoryGroup": "allLogs"}],
                                         "workspaceId": UNKNOWN_VALUE},
                       property_dependencies={"workspaceId": [law["urn"]]})
    assert findings(diagnostic_settings.RULE, kv, law, setting) == []


def test_unprotected_vault_in_prod_is_a_violation():
    assert len(violations(protect_in_prod.RULE, {}, token=KV)) == 1


def test_protected_vault_in_prod_passes():
    assert violations(protect_in_prod.RULE, {}, token=KV, protect=True) == []


def test_unprotected_vault_in_dev_passes():
    assert violations(protect_in_prod.RULE, {}, token=KV, environment="dev") == []


def test_vault_without_lock_in_prod_is_a_violation():
    assert len(findings(lock_in_prod.RULE, vault())) == 1


def test_vault_without_lock_in_acc_passes():
    assert findings(lock_in_prod.RULE, vault("acc"), environment="acc") == []


def test_lock_by_scope_on_the_vault_passes():
    kv = vault()
    lock = resource("azure-native:authorization:ManagementLockByScope", "kv-lock",
                    {"level": "CanNotDelete", "scope": UNKNOWN_VALUE}, property_dependencies={"scope": [kv["urn"]]})
    assert findings(lock_in_prod.RULE, kv, lock) == []


def test_read_only_lock_also_blocks_deletion():
    kv = vault()
    lock = resource("azure-native:authorization:ManagementLockByScope", "kv-lock",
                    {"level": "ReadOnly", "scope": UNKNOWN_VALUE}, property_dependencies={"scope": [kv["urn"]]})
    assert findings(lock_in_prod.RULE, kv, lock) == []


def test_lock_that_only_notes_is_a_violation():
    kv = vault()
    lock = resource("azure-native:authorization:ManagementLockByScope", "kv-lock",
                    {"level": "NotSpecified", "scope": UNKNOWN_VALUE}, property_dependencies={"scope": [kv["urn"]]})
    assert len(findings(lock_in_prod.RULE, kv, lock)) == 1


def test_resource_group_lock_covers_the_vault():
    lock = resource("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock",
                    {"level": "CanNotDelete", "resourceGroupName": "rg-data"})
    assert findings(lock_in_prod.RULE, vault(), lock) == []


def test_lock_on_another_resource_group_is_a_violation():
    lock = resource("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock",
                    {"level": "CanNotDelete", "resourceGroupName": "rg-network"})
    assert len(findings(lock_in_prod.RULE, vault(), lock)) == 1


def test_resource_level_lock_by_name_passes():
    lock = resource("azure-native:authorization:ManagementLockAtResourceLevel", "kv-lock",
                    {"level": "CanNotDelete", "resourceGroupName": "rg-data", "resourceName": "kv-city",
                     "resourceProviderNamespace": "Microsoft.KeyVault", "resourceType": "vaults",
                     "parentResourcePath": ""})
    assert findings(lock_in_prod.RULE, vault(), lock) == []


@pytest.mark.parametrize("environment,days", [("prod", 365), ("acc", 90), ("dev", 30)])
def test_retention_meeting_the_environment_minimum_passes(environment, days):
    assert violations(log_retention.RULE, {"retentionInDays": days}, environment=environment,
                      minLogRetentionDays=days) == []


def test_retention_below_the_minimum_is_a_violation():
    assert len(violations(log_retention.RULE, {"retentionInDays": 90}, minLogRetentionDays=365)) == 1


def test_unset_retention_counts_as_azures_30_days():
    assert len(violations(log_retention.RULE, {}, minLogRetentionDays=90)) == 1
    assert violations(log_retention.RULE, {}, minLogRetentionDays=30, environment="dev") == []


def test_retention_that_is_not_a_number_is_a_violation():
    assert len(violations(log_retention.RULE, {"retentionInDays": "365"}, minLogRetentionDays=30)) == 1
