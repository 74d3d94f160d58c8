"""The RBAC model as data: five documented roles, none with a `*` action, and the deployer's condition."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.governance import roles
from amsterdam_cloud.components.interfaces import BUILTIN_ROLES, InterfaceError


def test_the_model_has_the_five_documented_roles():
    assert [role.key for role in roles.ROLES] == ["platform-operator", "app-team-deployer", "app-team-monitoring",
                                                  "auditor-reader", "break-glass"]


def test_the_monitoring_role_links_to_the_workspace_but_reads_no_logs_and_writes_no_private_link_scope():
    monitoring = roles.APP_TEAM_MONITORING

    assert monitoring.permits("Microsoft.OperationalInsights/workspaces/sharedKeys/action")
    assert not monitoring.permits("Microsoft.Insights/privateLinkScopes/scopedResources/write")
    assert not monitoring.permits("Microsoft.Insights/privateLinkScopes/scopedResources/delete")
    assert not monitoring.permits("Microsoft.OperationalInsights/workspaces/query/AzureActivity/read")
    assert not monitoring.permits("Microsoft.OperationalInsights/workspaces/write")
    assert not monitoring.permits("Microsoft.Insights/privateLinkScopes/write")


@pytest.mark.parametrize("role", roles.ROLES, ids=lambda role: role.key)
def test_no_custom_role_grants_every_action(role):
    assert "*" not in role.actions
    assert "*" not in role.data_actions
    assert all(action.count("/") >= 1 for action in role.actions)  # every action names a provider or `*/read`


def test_role_ids_are_stable_guids_so_a_rerun_updates_instead_of_duplicating():
    guids = [role.guid for role in roles.ROLES]

    assert guids == [role.guid for role in roles.ROLES]
    assert len(set(guids)) == len(guids)


def test_only_break_glass_may_change_access_or_policy():
    writers = [role.key for role in roles.ROLES
               if any(action.startswith("Microsoft.Authorization/*") for action in role.actions)]

    assert writers == ["break-glass"]
    assert "Microsoft.Authorization/*/write" in roles.PLATFORM_OPERATOR.not_actions


def test_the_deployer_may_grant_only_its_apps_data_roles_never_owner_or_access_admin():
    condition = roles.deployer_condition()

    assert all(BUILTIN_ROLES[role] in condition for role in roles.DEPLOYER_GRANTABLE_ROLES)
    assert BUILTIN_ROLES["Owner"] not in condition and BUILTIN_ROLES["Contributor"] not in condition
    assert "roleAssignments/write" in condition and "roleAssignments/delete" in condition


def test_a_group_that_is_not_an_object_id_is_refused():
    with pytest.raises(InterfaceError, match="RbacArgs.auditors"):
        roles.RbacArgs(root_group_id="/mg", platform_operators="5d1f0a7e-0000-4000-8000-0000000000a1",
                       auditors="auditors@amsterdam.nl", break_glass="5d1f0a7e-0000-4000-8000-0000000000a3")


@pytest.mark.parametrize(("role", "action", "permitted"), [
    (roles.APP_TEAM_DEPLOYER, "Microsoft.App/containerApps/write", True),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Network/privateEndpoints/write", True),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Network/virtualNetworks/subnets/join/action", True),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Network/virtualNetworks/write", False),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write", False),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Network/routeTables/write", False),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Authorization/roleDefinitions/write", False),
    (roles.APP_TEAM_DEPLOYER, "Microsoft.Authorization/policyExemptions/write", False),
    (roles.PLATFORM_OPERATOR, "Microsoft.Network/azureFirewalls/write", True),
    (roles.PLATFORM_OPERATOR, "Microsoft.Authorization/roleAssignments/write", False),
    (roles.PLATFORM_OPERATOR, "Microsoft.Authorization/policyAssignments/delete", False),
    (roles.PLATFORM_OPERATOR, "Microsoft.Network/virtualNetworks/peer/action", False),
    (roles.AUDITOR_READER, "Microsoft.Storage/storageAccounts/read", True),
    (roles.AUDITOR_READER, "Microsoft.PolicyInsights/policyStates/queryResults/action", True),
    (roles.AUDITOR_READER, "Microsoft.Storage/storageAccounts/listKeys/action", False),
    (roles.AUDITOR_READER, "Microsoft.Storage/storageAccounts/write", False),
    (roles.BREAK_GLASS, "Microsoft.Authorization/roleAssignments/write", True),
    (roles.BREAK_GLASS, "Microsoft.Compute/virtualMachines/write", False),
])
def test_each_role_permits_what_its_holders_need_and_nothing_they_must_not(role, action, permitted):
    assert role.permits(action) is permitted


def test_no_app_team_may_create_an_azure_monitor_scope_whose_endpoint_would_take_the_citys_ingestion_names_over():
    scope = "Microsoft.Insights/privateLinkScopes"
    for action in (f"{scope}/write", f"{scope}/scopedResources/write", f"{scope}/privateEndpointConnectionProxies/write"):
        assert not roles.APP_TEAM_DEPLOYER.permits(action)
        assert not roles.APP_TEAM_MONITORING.permits(action)
    assert roles.APP_TEAM_DEPLOYER.permits("Microsoft.Insights/components/write")  # its Application Insights
