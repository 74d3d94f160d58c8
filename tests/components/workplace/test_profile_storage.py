"""FSLogix profile storage under mocks: premium files, Entra Kerberos, private only, ZRS on request, group access."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock
from amsterdam_cloud.components.workplace.profile_storage import (SMB_SHARE_CONTRIBUTOR,
                                                                  SMB_SHARE_ELEVATED_CONTRIBUTOR, ProfileStorage,
                                                                  ProfileStorageArgs)

from .conftest import ADMINS, USERS, ZONES, endpoint

FILE = "privatelink.file.core.windows.net"


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> ProfileStorageArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, private_endpoints=endpoint(FILE),
                      resource_group_name="rg-hosts", location="westeurope", account_name="amsavdprofilesdev",
                      share_gib=600, user_group_ids=(USERS,), admin_group_ids=(ADMINS,))
        values.update(overrides)
        return ProfileStorageArgs(**values)
    return make


def test_account_is_premium_files_with_entra_kerberos_and_no_keys_or_public_network(plan_inline, args):
    account = plan_inline(lambda: ProfileStorage("profiles", args())).named("profiles-account").inputs
    assert (account["kind"], account["sku"]["name"]) == ("FileStorage", "Premium_LRS")
    assert account["azureFilesIdentityBasedAuthentication"]["directoryServiceOptions"] == "AADKERB"
    assert account["allowSharedKeyAccess"] is False and account["publicNetworkAccess"] == "Disabled"
    assert account["minimumTlsVersion"] == "TLS1_2" and account["allowCrossTenantReplication"] is False
    assert account["location"] == "westeurope"


def test_zone_redundant_profiles_use_premium_zrs(plan_inline, args):
    account = plan_inline(lambda: ProfileStorage("profiles", args(zone_redundant=True))).named("profiles-account")
    assert account.inputs["sku"]["name"] == "Premium_ZRS"


def test_share_is_sized_from_the_args_and_smb_is_kerberos_aes_only(plan_inline, args):
    plan = plan_inline(lambda: ProfileStorage("profiles", args(share_gib=2400)))
    assert plan.named("profiles-share").inputs["shareQuota"] == 2400
    smb = plan.named("profiles-files").inputs["protocolSettings"]["smb"]
    assert (smb["versions"], smb["authenticationMethods"], smb["channelEncryption"]) == (
        "SMB3.1.1", "Kerberos", "AES-256-GCM")


def test_users_and_admins_get_share_level_roles_on_the_share(plan_inline, args):
    plan = plan_inline(lambda: ProfileStorage("profiles", args()))
    roles = {r.inputs["principalId"]: r.inputs for r in plan.of_type("azure-native:authorization:RoleAssignment")}
    assert roles[USERS]["roleDefinitionId"].endswith(SMB_SHARE_CONTRIBUTOR)
    assert roles[ADMINS]["roleDefinitionId"].endswith(SMB_SHARE_ELEVATED_CONTRIBUTOR)
    assert {r["scope"] for r in roles.values()} == {plan.named("profiles-share").id}


def test_hosts_reach_the_files_endpoint_privately(plan_inline, args):
    plan = plan_inline(lambda: ProfileStorage("profiles", args()))
    connection = plan.named("profiles-pe").inputs["privateLinkServiceConnections"][0]
    assert connection["groupIds"] == ["file"]
    assert plan.named("profiles-pe-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == ZONES[FILE]


def test_file_service_logs_and_account_metrics_go_to_the_workspace(plan_inline, args):
    plan = plan_inline(lambda: ProfileStorage("profiles", args()))
    account, files = plan.named("profiles-diag").inputs, plan.named("profiles-files-diag").inputs
    assert account.get("logs") is None and account["metrics"][0]["category"] == "AllMetrics"
    assert files["resourceUri"] == plan.named("profiles-files").id and files["logs"][0]["categoryGroup"] == "allLogs"


def test_protect_and_lock_cover_the_account_and_the_share(plan_inline, args):
    plan = plan_inline(lambda: ProfileStorage("profiles", args(protect=True, lock=Lock())))
    assert plan.named("profiles-account").protect is True and plan.named("profiles-share").protect is True
    assert plan.named("profiles-lock").inputs["scope"] == plan.named("profiles-account").id


@pytest.mark.parametrize("changes, field", [({"account_name": "AVD-Profiles"}, "account_name"),
                                            ({"share_gib": 50}, "share_gib"),
                                            ({"private_endpoints": ()}, "private_endpoints")])
def test_bad_storage_args_name_the_field(args, changes, field):
    with pytest.raises(InterfaceError, match=f"ProfileStorageArgs.{field}"):
        args(**changes)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(ProfileStorage, args)
