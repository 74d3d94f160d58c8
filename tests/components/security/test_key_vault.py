"""The Key Vault under mocks: RBAC, purge protection, no public access, private endpoint and diagnostics."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock, PrivateEndpoint, RoleAssignment
from amsterdam_cloud.components.security.key_vault import KeyVault, KeyVaultArgs

SUBNET = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
          "virtualNetworks/hub/subnets/shared")
ZONE = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
        "privateDnsZones/privatelink.vaultcore.azure.net")
PRINCIPAL = "0f0e0d0c-0000-4000-8000-000000000042"


@pytest.fixture
def args(tags, diagnostics, tenant_id):
    def make(**overrides) -> KeyVaultArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-security",
                      location="westeurope", tenant_id=tenant_id,
                      private_endpoints=(PrivateEndpoint(subnet_id=SUBNET, private_dns_zone_ids=(ZONE,)),))
        values.update(overrides)
        return KeyVaultArgs(**values)
    return make


def test_vault_uses_rbac_purge_protection_and_no_public_network(plan_inline, args):
    properties = plan_inline(lambda: KeyVault("kv", args())).named("kv-vault").inputs["properties"]
    assert properties["enableRbacAuthorization"] is True
    assert properties["enablePurgeProtection"] is True and properties["enableSoftDelete"] is True
    assert properties["publicNetworkAccess"] == "Disabled"
    assert properties["networkAcls"]["defaultAction"] == "Deny"


def test_private_endpoint_reaches_the_vault_subresource(plan_inline, args):
    plan = plan_inline(lambda: KeyVault("kv", args()))
    connection = plan.named("kv-pe").inputs["privateLinkServiceConnections"][0]
    assert connection["groupIds"] == ["vault"]
    assert connection["privateLinkServiceId"] == plan.named("kv-vault").id
    assert plan.named("kv-pe-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == ZONE


def test_vault_sends_logs_and_metrics(plan_inline, args, workspace_id):
    setting = plan_inline(lambda: KeyVault("kv", args())).named("kv-diag").inputs
    assert setting["workspaceId"] == workspace_id and setting["metrics"][0]["category"] == "AllMetrics"


def test_protect_and_lock_apply_to_the_vault(plan_inline, args):
    plan = plan_inline(lambda: KeyVault("kv", args(protect=True, lock=Lock())))
    assert plan.named("kv-vault").protect is True
    assert plan.named("kv-lock").inputs["scope"] == plan.named("kv-vault").id


def test_role_assignment_is_scoped_to_the_vault(plan_inline, args):
    plan = plan_inline(lambda: KeyVault("kv", args(role_assignments=(
        RoleAssignment(role="Key Vault Secrets User", principal_id=PRINCIPAL),))))
    role = plan.named("kv-role-0").inputs
    assert role["scope"] == plan.named("kv-vault").id
    assert role["roleDefinitionId"].endswith("/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6")


def test_public_access_is_an_explicit_opt_in(plan_inline, args):
    properties = plan_inline(lambda: KeyVault("kv", args(public_network_access=True))).named(
        "kv-vault").inputs["properties"]
    assert properties["publicNetworkAccess"] == "Enabled"
    assert properties["networkAcls"]["defaultAction"] == "Deny"


def test_retention_outside_azures_range_is_rejected(args):
    with pytest.raises(InterfaceError, match="soft_delete_retention_days"):
        args(soft_delete_retention_days=120)


def test_a_given_vault_name_is_used_as_the_azure_name(plan_inline, args):
    plan = plan_inline(lambda: KeyVault("kv", args(vault_name="kv-ams-parking-dev")))
    assert plan.named("kv-vault").outputs["name"] == "kv-ams-parking-dev"


@pytest.mark.parametrize("bad", ["kv_underscore", "kv", "k" * 25, "1kv-starts-with-digit", "kv--double"])
def test_a_vault_name_azure_would_refuse_is_an_error_naming_the_field(args, bad):
    with pytest.raises(InterfaceError, match="vault_name"):
        args(vault_name=bad)


def test_a_vault_name_azure_refuses_is_refused_when_the_args_are_built(args):
    with pytest.raises(InterfaceError, match=r"vault_name: 'kv-ams-platform-shared-dev' is refused by Azure: has 26 "
                                             r"characters \(3-24 chars"):
        args(vault_name="kv-ams-platform-shared-dev")


def test_an_unset_name_whose_auto_name_overflows_is_refused_at_construction(plan_inline, args):
    # azure-native appends 8 characters with no cap: "platform-kv-vault" + 8 = 25 > 24
    with pytest.raises(InterfaceError, match=r"vault_name: unset, so azure-native names the resource "
                                             r"'platform-kv-vault' plus 8 characters, which Azure refuses: has 25"):
        plan_inline(lambda: KeyVault("platform-kv", args(vault_name=None)))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(KeyVault, args)
