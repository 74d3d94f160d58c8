"""The state backend project, planned offline by the real program under the city's mocks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.policies.checker import check_export
from amsterdam_cloud.core.errors import UserError
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


def test_the_state_container_is_private(plan):
    container = _only(plan, "azure-native:storage:BlobContainer")

    assert (container["containerName"], container["publicAccess"]) == ("pulumi-state", "None")


def test_a_cannot_delete_lock_covers_the_resource_group(plan):
    lock = plan.named("state-lock")
    group = plan.named("state-group")

    assert lock.inputs["level"] == "CanNotDelete"
    assert lock.inputs["scope"] == group.id


def test_stateful_resources_are_protected(plan):
    for name in ("state", "state-container", "secrets", "secrets-key", "state-audit"):
        assert plan.named(name).protect, name


def test_the_secrets_provider_key_lives_in_an_rbac_vault_with_purge_protection(plan):
    vault = _only(plan, "azure-native:keyvault:Vault")["properties"]
    key = _only(plan, "azure-native:keyvault:Key")["properties"]

    assert vault["enableRbacAuthorization"] is True
    assert vault["enablePurgeProtection"] is True
    assert vault["publicNetworkAccess"] == "Disabled"
    assert (key["kty"], key["keySize"]) == ("RSA", 4096)
    assert {"encrypt", "decrypt"} <= set(key["keyOps"])


def test_state_and_key_are_reached_through_private_endpoints(plan):
    groups = sorted(endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"][0]
                    for endpoint in plan.of_type("azure-native:network:PrivateEndpoint"))

    assert groups == ["blob", "vault"]


def test_each_deployer_may_write_state_and_use_the_key_and_nothing_more(plan):
    assignments = plan.of_type("azure-native:authorization:RoleAssignment")
    container_id = plan.named("state-container").id
    key_id = plan.named("secrets-key").id

    assert sorted(a.inputs["scope"] for a in assignments) == sorted([container_id, key_id] * 2)


def test_the_outputs_are_the_login_and_secrets_provider_lines(plan):
    outputs = plan.stack_outputs

    assert outputs["loginUrl"] == "azblob://pulumi-state?storage_account=stamsterdampulumistate"
    assert outputs["secretsProvider"] == "azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state"


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
    assert {a.inputs["principalType"] for a in plan.of_type("azure-native:authorization:RoleAssignment")} == \
        {"ServicePrincipal"}  # the committed CI workload identities
    people = plan_stack(PulumiProject.load(PROJECT_DIR), "prod", plans_dir=tmp_path,
                        config_overrides={"amsterdam-state-backend:deployerPrincipalType": "User"})
    assert {a.inputs["principalType"] for a in people.of_type("azure-native:authorization:RoleAssignment")} == {"User"}


def test_without_a_deployer_principal_type_the_assignments_state_none(tmp_path):
    project = _project_without("amsterdam-state-backend:deployerPrincipalType", tmp_path)
    plan = plan_stack(project, "prod", plans_dir=tmp_path)
    assignments = plan.of_type("azure-native:authorization:RoleAssignment")
    assert assignments and all("principalType" not in a.inputs for a in assignments)  # not azure-native's 'User'
