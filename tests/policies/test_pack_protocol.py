"""The CrossGuard pack under the CLI's own gRPC protocol reports exactly what `cityctl policy check` reports.

One pack process per session (started as the CLI starts it, `pack_protocol.PackProcess`), re-configured per
environment with the committed pack config reconciled as the CLI does. Each plan goes to the pack as the engine
sends it (inputs to `Analyze`, outputs to `AnalyzeStack`, secrets with their values, unknowns as the sentinel) and,
saved, to `cityctl policy check`; the two sets of (policy, URN, enforcement level) findings must be equal.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pulumi
import pytest
import yaml
from google.protobuf import json_format
from pulumi_azure_native import keyvault, operationalinsights, resources, storage

from tests.policies.rule_fixtures import city_tags
from amsterdam_cloud.policies.settings import config_path
from amsterdam_cloud.scripts import cli
from amsterdam_cloud.scripts.files import write_atomically
from amsterdam_cloud.scripts.offline.plan import Plan
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack
from amsterdam_cloud.scripts.offline.values import UNKNOWN

from .pack_protocol import Finding, PackProcess, first_preview, with_default_provider

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = ("dev", "test", "acc", "prod")


@pytest.fixture(scope="session")
def pack():
    process = PackProcess()
    yield process
    process.close()


def cli_findings(pack: PackProcess, plan: Plan, environment: str) -> set[Finding]:
    pack.configure(config_path(environment))
    return pack.analyze(plan)


def offline_findings(plan: Plan, environment: str, directory: Path) -> set[Finding]:
    """`cityctl policy check` on the saved plan, as CI runs it; a waived finding is what the pack's advisory
    `waivers-in-force` policy reports for it."""
    saved, report = directory / f"{plan.project}.{plan.stack}.json", directory / f"{plan.stack}-findings.json"
    write_atomically(saved, plan.export_text())
    assert cli.main(["policy", "check", str(saved), "--environment", environment, "--format", "json",
                     "--output", str(report)]) in (0, 1)
    return {("waivers-in-force", f["urn"], "advisory") if f["status"] == "waived" else
            (f["policy"], f["urn"], f["enforcement"]) for f in json.loads(report.read_text())}


def same_findings(pack: PackProcess, plan: Plan, environment: str, directory: Path) -> set[Finding]:
    under_cli = cli_findings(pack, plan, environment)
    assert under_cli == offline_findings(plan, environment, directory), pack.error_output()
    return under_cli


def as_the_engine_runs(plan: Plan, project_dir: Path) -> Plan:
    """The plan with the default provider the engine makes from the stack file's `azure-native:*` config."""
    stack_file = PulumiProject.load(project_dir).stack_file(plan.stack)
    return with_default_provider(plan, yaml.safe_load(stack_file.read_text(encoding="utf-8"))["config"])


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_platform_stack_gets_the_same_findings_under_the_cli_protocol(pack, stack_plan, tmp_path, environment):
    # `Analyze` carries no id, so the pack places the hub's public IPs by their provider's subscription
    plan = as_the_engine_runs(stack_plan(environment), ROOT)
    assert same_findings(pack, plan, environment, tmp_path) == set()


def test_connectivity_stack_gets_the_same_findings_under_the_cli_protocol(pack, platform_plans, tmp_path):
    plan = plan_stack(PulumiProject.load(ROOT / "stacks" / "connectivity"), "prod",
                      plans_dir=platform_plans("prod").parent)
    assert plan.of_type("azure-native:network:PublicIPAddress")
    assert same_findings(pack, as_the_engine_runs(plan, ROOT / "stacks" / "connectivity"), "prod", tmp_path) == set()


@pytest.mark.parametrize("project", ["workplace", "analytics"])
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_consumer_stack_gets_the_same_findings_under_the_cli_protocol(pack, platform_plans, tmp_path, project,
                                                                      environment):
    plans_dir = platform_plans(environment).parent
    plan = as_the_engine_runs(plan_stack(PulumiProject.load(ROOT / "stacks" / project), environment,
                                         plans_dir=plans_dir), ROOT / "stacks" / project)
    # the workplace's one waiver (policies/waivers.yaml): its rollout script's account keeps shared keys
    waived = {("waivers-in-force", account.urn, "advisory") for account in plan.of_type(
        "azure-native:storage:StorageAccount") if account.name == "avd-rollout-storage"}
    assert same_findings(pack, plan, environment, tmp_path) == waived
    assert len(waived) == (project == "workplace")


def test_state_backend_gets_the_same_findings_under_the_cli_protocol(pack, tmp_path):
    plan = plan_stack(PulumiProject.load(ROOT / "stacks" / "state_backend"), "prod", plans_dir=tmp_path)
    plan = as_the_engine_runs(plan, ROOT / "stacks" / "state_backend")
    assert same_findings(pack, plan, "prod", tmp_path) == set()


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_rendered_app_template_gets_the_same_findings_under_the_cli_protocol(pack, platform_plans, tmp_path,
                                                                             environment):
    render = _module(ROOT / "tests" / "templates" / "test_app_template.py").render  # as `pulumi new` does
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack=environment)
    plan = plan_stack(PulumiProject.load(rendered), environment, plans_dir=platform_plans(environment).parent)
    plan = as_the_engine_runs(plan, rendered)
    assert plan.of_type("azure-native:app:ContainerApp")
    assert same_findings(pack, plan, environment, tmp_path) == set()


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(f"_reused_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- deliberately bad stacks ------------------------------------------------------------------------------------

def _group(environment: str) -> resources.ResourceGroup:
    return resources.ResourceGroup("rg", resource_group_name=f"rg-bad-{environment}", location="westeurope",
                                   tags=city_tags(environment))


def _account(name: str, environment: str, group: resources.ResourceGroup, **args) -> storage.StorageAccount:
    settings = dict(kind="StorageV2", sku=storage.SkuArgs(name="Standard_LRS"), minimum_tls_version="TLS1_2",
                    allow_blob_public_access=False, allow_shared_key_access=False, public_network_access="Disabled",
                    enable_https_traffic_only=True, allow_cross_tenant_replication=False, tags=city_tags(environment))
    return storage.StorageAccount(name, account_name=f"stbad{name}{environment}", resource_group_name=group.name,
                                  **{**settings, **args})


def _policies(found: set[Finding]) -> set[str]:
    return {policy for policy, _, _ in found}


def test_public_storage_is_reported_alike_and_advisory_in_dev(pack, plan_inline, tmp_path):
    def program():
        _account("pub", "dev", _group("dev"), allow_blob_public_access=True, public_network_access="Enabled")

    found = same_findings(pack, plan_inline(program, "dev"), "dev", tmp_path)
    assert {"storage-no-public-blob-access", "storage-public-network-access-disabled"} <= _policies(found)
    assert {level for _, _, level in found} == {"advisory"}


def test_missing_diagnostics_and_lock_in_prod_are_reported_alike_and_mandatory(pack, plan_inline, tmp_path):
    def program():
        _account("nolock", "prod", _group("prod"), opts=pulumi.ResourceOptions(protect=True))

    found = same_findings(pack, plan_inline(program, "prod"), "prod", tmp_path)
    assert {"monitoring-diagnostic-settings", "stateful-locked-in-prod"} <= _policies(found)
    assert {level for _, _, level in found} == {"mandatory"}


def _locked_account_with_diagnostics() -> None:
    """A prod storage account with its lock and diagnostic setting, each pointing at it by its id."""
    from pulumi_azure_native import authorization, monitor

    group = _group("prod")
    law = operationalinsights.Workspace("law", workspace_name="log-bad-prod", resource_group_name=group.name,
                                        retention_in_days=365, tags=city_tags("prod"))
    account = _account("locked", "prod", group, opts=pulumi.ResourceOptions(protect=True))
    authorization.ManagementLockByScope("locked-lock", scope=account.id, level="CanNotDelete",
                                        lock_name="locked-lock")
    monitor.DiagnosticSetting("locked-diag", name="to-law", resource_uri=account.id, workspace_id=law.id,
                              logs=[monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)])


def test_lock_and_diagnostics_found_from_outputs_pass_alike(pack, plan_inline, tmp_path):
    found = same_findings(pack, plan_inline(_locked_account_with_diagnostics, "prod"), "prod", tmp_path)
    assert not {"monitoring-diagnostic-settings", "stateful-locked-in-prod"} & _policies(found)


def test_non_eu_location_is_reported_alike(pack, plan_inline, tmp_path):
    def program():
        resources.ResourceGroup("rg-uk", resource_group_name="rg-bad-uk", location="uksouth",
                                tags=city_tags("acc"))

    assert "residency-allowed-location" in _policies(same_findings(pack, plan_inline(program, "acc"), "acc",
                                                                     tmp_path))


def test_short_log_retention_is_reported_alike_with_the_numbers_the_cli_sends(pack, plan_inline, tmp_path):
    def program():
        group = _group("prod")
        operationalinsights.Workspace("law", workspace_name="log-bad-prod", resource_group_name=group.name,
                                      retention_in_days=30, tags=city_tags("prod"))

    found = same_findings(pack, plan_inline(program, "prod"), "prod", tmp_path)
    assert ("monitoring-log-retention", "urn:pulumi:prod::amsterdam-platform::"
            "azure-native:operationalinsights:Workspace::law", "mandatory") in found


def test_secret_inputs_are_reported_alike(pack, plan_inline, tmp_path):
    def program():
        group = _group("acc")
        _account("secret", "acc", group, public_network_access=pulumi.Output.secret("Enabled"))
        keyvault.Vault("kv", vault_name="kv-bad-acc", resource_group_name=group.name, tags=city_tags("acc"),
                       properties=keyvault.VaultPropertiesArgs(
                           tenant_id=pulumi.Output.secret("00000000-0000-4000-8000-000000000000"),
                           sku=keyvault.SkuArgs(family="A", name="standard"), enable_rbac_authorization=True,
                           enable_purge_protection=True, public_network_access="Disabled"))

    found = same_findings(pack, plan_inline(program, "acc"), "acc", tmp_path)
    assert "storage-public-network-access-disabled" in _policies(found)



def test_a_location_unknown_at_preview_is_reported_alike_not_skipped(pack, plan_inline, tmp_path):
    def program():
        source = _account("src", "acc", _group("acc"))
        resources.ResourceGroup("rg-later", resource_group_name="rg-bad-later", location=source.primary_location,
                                tags=city_tags("acc"))

    found = same_findings(pack, plan_inline(program, "acc"), "acc", tmp_path)
    assert ("residency-allowed-location", "urn:pulumi:acc::amsterdam-platform::"
            "azure-native:resources:ResourceGroup::rg-later", "mandatory") in found


def test_a_compliant_secret_value_is_a_finding_only_offline_where_the_saved_plan_holds_no_plaintext(
        pack, plan_inline, tmp_path):
    """The known boundary: the CLI hands the pack a secret's value; a saved plan holds only redacted ciphertext,
    which the offline rules count as present but unreadable, so they cannot show it compliant."""
    def program():
        _account("hidden", "acc", _group("acc"), public_network_access=pulumi.Output.secret("Disabled"))

    plan = plan_inline(program, "acc")
    hidden = ("storage-public-network-access-disabled", plan.named("hidden").urn, "mandatory")
    under_cli = cli_findings(pack, plan, "acc")
    assert hidden not in under_cli and offline_findings(plan, "acc", tmp_path) == under_cli | {hidden}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environments_config_passes_the_clis_validation_against_the_pack_schemas(pack, environment):
    """The CLI validates the reconciled config of every policy against its schema before it runs the pack."""
    reconciled = pack.configure(config_path(environment))
    policies = {policy.name: policy for policy in pack.info.policies}
    assert set(reconciled) - {"all"} == set(policies)  # no block names a policy the pack does not have
    for name, policy in policies.items():
        schema = {"type": "object", "properties": json_format.MessageToDict(policy.configSchema.properties)}
        jsonschema.validate(reconciled[name][1], schema)
    assert reconciled["monitoring-log-retention"][1]["minLogRetentionDays"] == \
        {"dev": 30, "test": 30, "acc": 90, "prod": 365}[environment]
    level = "mandatory" if environment in ("acc", "prod") else "advisory"  # `all`, over each policy's own level
    assert (reconciled["waivers-expired"][0], reconciled["waivers-in-force"][0]) == (level, "advisory")


# -- a stack's first preview: what Azure computes is not known yet -----------------------------------------------

def _unknown_outputs(plan: Plan) -> int:
    return sum(value == UNKNOWN for r in plan.resources for value in r.outputs.values())


PUBLIC_IP_RULES = {"network-public-ip-only-in-connectivity", "network-nic-no-public-ip", "network-no-ip-forwarding"}


def test_a_first_preview_of_the_prod_platform_is_reported_alike(pack, stack_plan, tmp_path):
    plan = first_preview(as_the_engine_runs(stack_plan("prod"), ROOT))
    vault = next(r for r in plan.of_type("azure-native:keyvault:Vault") if r.name == "platform-kv-vault")
    assert vault.outputs["id"] == UNKNOWN and vault.outputs["properties"]["vaultUri"] == UNKNOWN
    assert _unknown_outputs(plan) > 50
    found = same_findings(pack, plan, "prod", tmp_path)
    # the hub's new public IPs have no id yet: the default provider's subscription (the stack config's) places them
    assert plan.of_type("azure-native:network:PublicIPAddress")
    assert not {policy for policy, _, _ in found} & PUBLIC_IP_RULES


def test_a_first_prod_preview_whose_provider_names_no_subscription_cannot_place_the_hubs_public_ips(
        pack, stack_plan, tmp_path):
    stack_file = ROOT / "stacks" / "Pulumi.prod.yaml"
    config = {key: value for key, value in yaml.safe_load(stack_file.read_text(encoding="utf-8"))["config"].items()
              if key != "azure-native:subscriptionId"}
    plan = first_preview(with_default_provider(stack_plan("prod"), config))
    found = same_findings(pack, plan, "prod", tmp_path)
    public_ips = {r.urn for r in plan.of_type("azure-native:network:PublicIPAddress")}
    assert {(urn, level) for policy, urn, level in found if policy == "network-public-ip-only-in-connectivity"} == \
        {(urn, "mandatory") for urn in public_ips}


def test_a_first_preview_of_a_stack_missing_diagnostics_and_lock_is_reported_alike(pack, plan_inline, tmp_path):
    def program():
        _account("nolock", "prod", _group("prod"), opts=pulumi.ResourceOptions(protect=True))

    plan = first_preview(plan_inline(program, "prod"))
    assert plan.named("nolock").outputs["id"] == UNKNOWN
    found = same_findings(pack, plan, "prod", tmp_path)
    assert {"monitoring-diagnostic-settings", "stateful-locked-in-prod"} <= _policies(found)


def test_a_first_preview_links_lock_and_diagnostics_by_dependency_alike(pack, plan_inline, tmp_path):
    plan = first_preview(plan_inline(_locked_account_with_diagnostics, "prod"))
    assert plan.named("locked-lock").inputs["scope"] == UNKNOWN
    found = same_findings(pack, plan, "prod", tmp_path)
    assert not {"monitoring-diagnostic-settings", "stateful-locked-in-prod"} & _policies(found)
