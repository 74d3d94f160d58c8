"""The state backend project, planned offline by the real program under the city's mocks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.core.backend import city_backend_url, city_secrets_provider
from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.core.program_config import read_stack_file
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

PROJECT_DIR = Path(__file__).resolve().parents[2] / "stacks" / "state_backend"


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Plan:
    return plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path_factory.mktemp("plans"))


def _only(plan: Plan, token: str):
    (resource,) = plan.of_type(token)
    return resource.inputs


def test_state_is_kept_in_a_storage_account_without_public_or_key_access(plan):
    account = _only(plan, "azure-native:storage:StorageAccount")

    assert account["allowBlobPublicAccess"] is False
    assert account["publicNetworkAccess"] == "Disabled"
    assert account["allowSharedKeyAccess"] is False
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["enableHttpsTrafficOnly"] is True
    assert account["networkRuleSet"]["defaultAction"] == "Deny"


def test_blobs_are_versioned_and_blobs_and_containers_are_soft_deleted(plan):
    blobs = _only(plan, "azure-native:storage:BlobServiceProperties")

    assert blobs["isVersioningEnabled"] is True
    assert blobs["deleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert blobs["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert blobs["restorePolicy"] == {"enabled": True, "days": 29}


def test_each_environment_has_its_own_private_container_and_key(plan):
    containers = {c.inputs["containerName"]: c.inputs for c in plan.of_type("azure-native:storage:BlobContainer")}
    keys = {k.inputs["keyName"] for k in plan.of_type("azure-native:keyvault:Key")}

    assert set(containers) == set(keys) == {"pulumi-state-dev", "pulumi-state-test", "pulumi-state-acc",
                                            "pulumi-state"}
    assert {c["publicAccess"] for c in containers.values()} == {"None"}


def test_prod_keeps_the_names_of_the_single_container_and_key_it_replaced(plan):
    assert plan.named("state-container").inputs["containerName"] == "pulumi-state"
    assert plan.named("secrets-key").inputs["keyName"] == "pulumi-state"


def test_every_key_expires_on_the_configured_day_and_only_notifies_before_it(plan):
    day = int(dt.datetime(2028, 12, 1, tzinfo=dt.timezone.utc).timestamp())
    for key in plan.of_type("azure-native:keyvault:Key"):
        properties = key.inputs["properties"]
        assert (properties["attributes"]["enabled"], properties["attributes"]["expires"]) == (True, day)
        assert properties["rotationPolicy"]["lifetimeActions"] == [
            {"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P30D"}}]  # never rotate: see README


@pytest.mark.parametrize("day", ["2028-13-01", "1 december 2028", "2028-12"])
def test_a_key_expiry_that_is_no_day_is_refused(tmp_path, day):
    with pytest.raises(UserError, match="keyExpiresOn: expected the day the secrets-provider keys expire"):
        plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path,
                   config_overrides={"amsterdam-state-backend:keyExpiresOn": day})


def test_a_cannot_delete_lock_covers_the_resource_group(plan):
    lock = plan.named("state-lock")
    group = plan.named("state-group")

    assert lock.inputs["level"] == "CanNotDelete"
    assert lock.inputs["scope"] == group.id


def test_stateful_resources_are_protected(plan):
    for name in ("state", "state-container", "secrets", "secrets-key", "state-audit", "state-container-dev",
                 "secrets-key-dev"):
        assert plan.named(name).protect, name


def test_the_secrets_provider_key_lives_in_an_rbac_vault_with_purge_protection(plan):
    vault = _only(plan, "azure-native:keyvault:Vault")["properties"]
    key = plan.named("secrets-key").inputs["properties"]

    assert vault["enableRbacAuthorization"] is True
    assert vault["enablePurgeProtection"] is True
    assert vault["publicNetworkAccess"] == "Disabled"
    assert (key["kty"], key["keySize"]) == ("RSA", 4096)
    assert {"encrypt", "decrypt"} <= set(key["keyOps"])


def test_state_and_key_are_reached_through_private_endpoints(plan):
    groups = sorted(endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
                    for endpoint in plan.of_type("azure-native:network:PrivateEndpoint"))

    assert groups == ["blob", "vault"]


def test_each_environments_ci_identity_may_use_its_own_container_and_key_and_nothing_more(plan):
    assignments = plan.of_type("azure-native:authorization:RoleAssignment")
    for environment, identity in (("dev", "0000000a"), ("test", "0000000b"), ("acc", "0000000c"), ("prod", "0000000d")):
        suffix = "" if environment == "prod" else f"-{environment}"
        scopes = sorted(a.inputs["scope"] for a in assignments if a.inputs["principalId"].startswith(identity))
        assert scopes == sorted([plan.named(f"state-container{suffix}").id, plan.named(f"secrets-key{suffix}").id])


def test_the_bootstrap_engineer_gets_the_data_plane_roles_on_prods_container_and_key(plan):
    engineer = [a.inputs for a in plan.of_type("azure-native:authorization:RoleAssignment")
                if a.inputs["principalId"] == "00000010-0000-4000-8000-000000000010"]
    assert {(a["scope"], a["roleDefinitionId"].rsplit("/", 1)[-1], a["principalType"]) for a in engineer} == {
        (plan.named("state-container").id, "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "User"),   # Blob Data Contributor
        (plan.named("secrets-key").id, "12338af0-0e69-4776-bea7-57ae8d297424", "User")}       # Crypto User


def test_bootstrap_phase_admits_only_the_listed_address_and_has_no_private_endpoints_yet(tmp_path):
    project = _project_without("amsterdam-state-backend:privateEndpointSubnetId", tmp_path)
    plan = plan_stack(project, "prod", plans_dir=tmp_path,
                      config_overrides={"amsterdam-state-backend:bootstrapAllowedIps": '["145.12.1.20"]'})
    account = _only(plan, "azure-native:storage:StorageAccount")
    vault = _only(plan, "azure-native:keyvault:Vault")["properties"]
    assert account["publicNetworkAccess"] == "Enabled" and account["networkRuleSet"]["defaultAction"] == "Deny"
    assert account["networkRuleSet"]["ipRules"] == [{"iPAddressOrRange": "145.12.1.20", "action": "Allow"}]
    assert vault["publicNetworkAccess"] == "Enabled" and vault["networkAcls"]["ipRules"] == [{"value": "145.12.1.20"}]
    assert plan.of_type("azure-native:network:PrivateEndpoint") == []
    # The pack refuses a public endpoint in prod, rightly: the bootstrap run is the one without it (README.md).
    result = check_export(plan.to_export(), environment="prod", stack="prod", today=dt.date(2026, 11, 28))
    assert {f.policy for f in result.findings} >= {"storage-public-network-access-disabled"}


def test_neither_private_endpoints_nor_bootstrap_addresses_is_refused(tmp_path):
    project = _project_without("amsterdam-state-backend:privateEndpointSubnetId", tmp_path)
    with pytest.raises(UserError, match="privateEndpointSubnetId: neither it nor bootstrapAllowedIps"):
        plan_stack(project, "prod", plans_dir=tmp_path)


def test_a_private_bootstrap_address_is_refused(tmp_path):
    with pytest.raises(UserError, match="bootstrapAllowedIps: expected a list of public IPv4"):
        plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path,
                   config_overrides={"amsterdam-state-backend:bootstrapAllowedIps": '["10.1.2.3"]'})


def test_a_ci_identity_shared_by_two_environments_is_refused(tmp_path):
    project = tmp_path / "state_backend"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns("__pycache__"))
    stack_file = project / "Pulumi.prod.yaml"
    document = yaml.safe_load(stack_file.read_text(encoding="utf-8"))
    environments = document["config"]["amsterdam-state-backend:environments"]
    environments["dev"]["deployerPrincipalIds"] = environments["prod"]["deployerPrincipalIds"][:1]
    stack_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(UserError, match="environments: a CI identity is listed for two environments"):
        plan_stack(PulumiProject.load(project), "prod", plans_dir=tmp_path)


def test_the_outputs_are_the_login_and_secrets_provider_lines(plan):
    outputs = plan.stack_outputs

    assert outputs["loginUrl"] == "azblob://pulumi-state?storage_account=stamsterdampulumistate"
    assert outputs["secretsProvider"] == "azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state"
    assert outputs["environments"]["dev"]["loginUrl"] == \
        "azblob://pulumi-state-dev?storage_account=stamsterdampulumistate"
    assert outputs["environments"]["dev"]["secretsProvider"] == \
        "azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state-dev"


@pytest.mark.parametrize("environment", ["dev", "test", "acc", "prod"])
def test_each_environments_exported_lines_are_the_ones_cityctl_deploy_derives(plan, environment):
    exported = plan.stack_outputs["environments"][environment]

    assert exported["loginUrl"] == city_backend_url(environment)
    assert exported["secretsProvider"] == city_secrets_provider(environment)


def test_the_state_backend_passes_the_prod_policy_pack(plan):
    result = check_export(plan.to_export(), environment="prod", stack="prod", today=dt.date(2026, 11, 28))

    assert not result.failed, [f"{f.policy}: {f.message}" for f in result.findings]
    assert result.findings == []


def _project_without(key: str, tmp_path) -> PulumiProject:
    """A copy of the project whose prod stack config lacks `key`."""
    project = tmp_path / "state_backend"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns("__pycache__"))
    stack_file = project / "Pulumi.prod.yaml"
    document = yaml.safe_load(stack_file.read_text(encoding="utf-8"))
    del document["config"][key]
    stack_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    return PulumiProject.load(project)


def test_a_missing_storage_account_name_names_the_key(tmp_path):
    project = _project_without("amsterdam-state-backend:storageAccountName", tmp_path)
    with pytest.raises(UserError, match="amsterdam-state-backend:storageAccountName: required key is missing"):
        plan_stack(project, "prod", plans_dir=tmp_path)


def test_the_deployers_principal_type_comes_from_the_config(plan, tmp_path):
    def deployers(plan):
        return [a for a in plan.of_type("azure-native:authorization:RoleAssignment") if a.name.startswith("deployer-")]

    assert {a.inputs["principalType"] for a in deployers(plan)} == {"ServicePrincipal"}  # the CI workload identities
    people = plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path,
                        config_overrides={"amsterdam-state-backend:deployerPrincipalType": "User"})
    assert {a.inputs["principalType"] for a in deployers(people)} == {"User"}


def test_without_a_deployer_principal_type_the_assignments_state_none(tmp_path):
    project = _project_without("amsterdam-state-backend:deployerPrincipalType", tmp_path)
    plan = plan_stack(project, "prod", plans_dir=tmp_path)
    assignments = [a for a in plan.of_type("azure-native:authorization:RoleAssignment") if a.name.startswith("deployer-")]
    assert assignments and all("principalType" not in a.inputs for a in assignments)  # not azure-native's 'User'


def test_the_home_environment_is_one_of_the_environments():
    from amsterdam_cloud.stacks.state_backend.config import STACKS_DIR, parse

    raw = {**read_stack_file(STACKS_DIR / "Pulumi.prod.yaml"), "amsterdam-state-backend:homeEnvironment": "production"}
    with pytest.raises(UserError, match=r"amsterdam-state-backend:homeEnvironment: expected one of dev, test, acc, "
                                        r"prod, got str 'production'"):
        parse(raw, "stacks/state_backend/Pulumi.prod.yaml")
