"""The offline engine on small programs: ids, names, URNs, parents, dependencies, secrets, gaps, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pulumi
import pytest
from pulumi_azure_native import authorization, network, operationalinsights, resources, storage

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.engine import ProgramError
from amsterdam_cloud.scripts.offline.plan import write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path
from amsterdam_cloud.scripts.offline.values import SECRET_SIG, SIG_KEY, UNKNOWN
from amsterdam_cloud.stacks.config import PROJECT, SecretValue, load

PLATFORM_DIR = Path(__file__).resolve().parents[3]
"""The platform project (this checkout's root Pulumi.yaml)."""

DEV = load("dev")
ARM_ID = re.compile(r"^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/[A-Za-z.]+/[A-Za-z]+/[^/]+$")


class Outer(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:test:Outer", name, None, opts)
        Inner(f"{name}-inner", pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


class Inner(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:test:Inner", name, None, opts)
        resources.ResourceGroup(f"{name}-rg", location="westeurope", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def small_program() -> None:
    group = resources.ResourceGroup("platform", location="northeurope", resource_group_name="rg-platform-dev")
    vnet = network.VirtualNetwork("hub", resource_group_name=group.name,
                                  address_space={"address_prefixes": ["10.10.0.0/22"]})
    network.Subnet("hub-firewall", resource_group_name=group.name, virtual_network_name=vnet.name,
                   subnet_name="AzureFirewallSubnet", address_prefix="10.10.0.0/26")
    operationalinsights.Workspace("logs", resource_group_name=group.name, retention_in_days=30,
                                  opts=pulumi.ResourceOptions(protect=True, depends_on=[vnet],
                                                              ignore_changes=["tags"]))
    pulumi.export("hubId", vnet.id)


def test_ids_are_arm_shaped_and_built_from_the_physical_names(plan_inline):
    plan = plan_inline(small_program)
    hub = plan.named("hub")
    assert ARM_ID.match(hub.id)
    assert hub.id == (f"/subscriptions/{DEV.subscription_id}/resourceGroups/rg-platform-dev/providers/"
                      f"Microsoft.Network/virtualNetworks/{hub.outputs['name']}")
    assert plan.named("hub-firewall").id == hub.id + "/subnets/AzureFirewallSubnet"


def test_unset_names_are_auto_named_and_set_names_are_kept(plan_inline):
    plan = plan_inline(small_program)
    assert plan.named("platform").outputs["name"] == "rg-platform-dev"
    assert re.fullmatch(r"hub[0-9a-f]{8}", plan.named("hub").outputs["name"])


def test_a_resource_without_location_gets_its_resource_groups_location_in_its_checked_inputs(plan_inline):
    plan = plan_inline(small_program)
    assert plan.named("hub").inputs["location"] == plan.named("hub").outputs["location"] == "northeurope"


def test_an_auto_named_resource_records_its_name_in_its_checked_inputs_like_the_engine(plan_inline):
    """The engine records the provider's `Check` result as the inputs (and sends it to `Analyze`)."""
    plan = plan_inline(small_program)
    hub = plan.named("hub")
    assert hub.inputs["virtualNetworkName"] == hub.outputs["name"]
    assert re.fullmatch(r"hub[0-9a-f]{8}", hub.inputs["virtualNetworkName"])
    assert plan.named("platform").inputs["resourceGroupName"] == "rg-platform-dev"  # given: left as given


def test_checked_inputs_are_the_same_run_to_run(plan_inline):
    assert plan_inline(small_program).export_text() == plan_inline(small_program).export_text()


def test_a_type_without_a_location_input_gets_no_location_input(plan_inline):
    plan = plan_inline(small_program)
    assert "location" not in plan.named("hub-firewall").inputs


def test_resource_without_a_location_property_gets_none(plan_inline):
    plan = plan_inline(small_program)
    assert "location" not in plan.named("hub-firewall").outputs


def test_urns_carry_the_whole_parent_type_chain_like_the_engine(plan_inline):
    plan = plan_inline(lambda: Outer("lz"))
    rg = plan.named("lz-inner-rg")
    assert rg.urn == ("urn:pulumi:dev::amsterdam-platform::amsterdam:test:Outer$amsterdam:test:Inner"
                      "$azure-native:resources:ResourceGroup::lz-inner-rg")
    assert rg.parent == plan.named("lz-inner").urn
    assert plan.named("lz").parent == plan.stack_resource.urn
    assert plan.named("lz").urn == "urn:pulumi:dev::amsterdam-platform::amsterdam:test:Outer::lz"


def test_dependencies_and_options_are_recorded(plan_inline):
    plan = plan_inline(small_program)
    logs = plan.named("logs")
    assert plan.named("hub").urn in logs.dependencies
    assert plan.named("platform").urn in logs.property_dependencies["resourceGroupName"]
    assert logs.protect is True
    assert logs.options == {"ignoreChanges": ["tags"]}
    assert plan.named("hub").protect is False


def test_inputs_use_the_engines_camel_case_names(plan_inline):
    plan = plan_inline(small_program)
    assert plan.named("logs").inputs["retentionInDays"] == 30
    assert plan.named("hub").inputs["addressSpace"] == {"addressPrefixes": ["10.10.0.0/22"]}


def test_stack_exports_are_the_root_stacks_outputs(plan_inline):
    plan = plan_inline(small_program)
    assert plan.stack_resource.type == "pulumi:pulumi:Stack"
    assert plan.stack_outputs == {"hubId": plan.named("hub").id}


def test_client_config_invoke_answers_from_the_stack_config(plan_inline):
    seen = {}

    def program() -> None:
        authorization.get_client_config_output().apply(lambda c: seen.update(sub=c.subscription_id,
                                                                              tenant=c.tenant_id))

    plan_inline(program)
    assert seen == {"sub": DEV.subscription_id, "tenant": DEV.tenant_id}


def test_unknown_invoke_is_reported_not_answered_empty(plan_inline):
    def program() -> None:
        resources.get_resource_group_output(resource_group_name="rg")

    with pytest.raises(ProgramError, match="no mock for invoke azure-native:resources:getResourceGroup"):
        plan_inline(program)


def test_unknown_resource_type_is_reported(plan_inline):
    from pulumi_azure_native import batch

    def program() -> None:
        batch.BatchAccount("batch", resource_group_name="rg")

    with pytest.raises(ProgramError, match="no mock for resource type azure-native:batch:BatchAccount"):
        plan_inline(program)


def test_a_raising_program_is_one_clear_error(plan_inline):
    def program() -> None:
        raise ValueError("hub range missing")

    with pytest.raises(ProgramError) as error:
        plan_inline(program)
    assert "raised ValueError" in str(error.value) and "hub range missing" in str(error.value)
    assert "test_engine.py" in str(error.value)


def test_secret_config_stays_secret_in_the_plan_file(plan_inline):
    def program() -> None:
        hook = pulumi.Config(PROJECT).require_secret("alertWebhookUrl")
        resources.ResourceGroup("rg", location="westeurope", tags={"hook": hook})

    plan = plan_inline(program, config_overrides={f"{PROJECT}:alertWebhookUrl":
                                                  SecretValue(value="https://hooks.example/s3cr3t")})
    text = plan.export_text()
    assert "s3cr3t" not in text
    exported = next(r for r in json.loads(text)["deployment"]["resources"] if r.get("urn", "").endswith("::rg"))
    assert exported["inputs"]["tags"]["hook"][SIG_KEY] == SECRET_SIG
    assert exported["outputs"]["tags"]["hook"][SIG_KEY] == SECRET_SIG


def test_the_same_input_gives_a_byte_identical_plan(plan_inline):
    assert plan_inline(small_program).export_text() == plan_inline(small_program).export_text()


def test_offline_speedups_record_exactly_what_the_naive_path_records(plan_inline):
    def program() -> None:
        small_program()
        Outer("lz")
        storage.StorageAccount("data", resource_group_name="rg-platform-dev", kind="StorageV2",
                               sku={"name": "Standard_ZRS"}, minimum_tls_version="TLS1_2")

    fast = plan_inline(program, offline_speedups=True)
    naive = plan_inline(program, offline_speedups=False)
    assert fast.export_text() == naive.export_text()
    assert len(fast.resources) == 9


def test_outputs_read_late_or_whole_are_what_the_naive_path_gives(plan_inline):
    """Outputs made when first read (`sdk_seam.outputs_made_on_read`): one read before its registration finished,
    one read after it (inside another resource's apply), a resource exported whole (every output), a secret output
    and an output Azure computes later (unknown) record what the SDK's own path records."""
    def program() -> None:
        group = resources.ResourceGroup("platform", location="northeurope", resource_group_name="rg-platform-dev")
        vnet = network.VirtualNetwork("hub", resource_group_name=group.name,
                                      address_space={"address_prefixes": ["10.10.0.0/22"]})
        late = vnet.id.apply(lambda _: network.Subnet(
            "late", resource_group_name=group.name, virtual_network_name=vnet.name, address_prefix="10.10.1.0/26"))
        pulumi.export("lateSubnetPrefix", late.apply(lambda subnet: subnet.address_prefix))
        pulumi.export("group", group)
        workspace = operationalinsights.Workspace("logs", resource_group_name=group.name, retention_in_days=30)
        pulumi.export("customerId", workspace.customer_id)
        pulumi.export("secretName", pulumi.Output.secret(vnet.name))

    fast = plan_inline(program, offline_speedups=True)
    naive = plan_inline(program, offline_speedups=False)
    assert fast.export_text() == naive.export_text()
    root = json.loads(fast.export_text())["deployment"]["resources"][0]["outputs"]
    assert root["lateSubnetPrefix"] == "10.10.1.0/26" and root["group"]["location"] == "northeurope"


def test_stack_reference_resolves_from_the_saved_plan(tmp_path: Path, plan_inline):
    project = PulumiProject.load(PLATFORM_DIR)
    platform = plan_stack(project, "dev", inline_program=small_program, plans_dir=tmp_path)
    write_atomically(saved_plan_path(tmp_path, project.name, "dev"), platform.export_text())
    seen = {}

    def app() -> None:
        ref = pulumi.StackReference("organization/amsterdam-platform/dev")
        ref.get_output("hubId").apply(lambda v: seen.update(hub=v))

    plan = plan_stack(project, "dev", inline_program=app, plans_dir=tmp_path)
    assert seen["hub"] == platform.named("hub").id
    reference = plan.of_type("pulumi:pulumi:StackReference")[0]
    assert reference.external is True and reference.id == "organization/amsterdam-platform/dev"


def test_stack_reference_without_a_saved_plan_says_what_to_run(tmp_path: Path):
    def app() -> None:
        pulumi.StackReference("organization/amsterdam-platform/acc")

    with pytest.raises(UserError, match=r"no saved plan at .*amsterdam-platform.acc.json; plan that stack first"):
        plan_stack(PulumiProject.load(PLATFORM_DIR), "dev", inline_program=app, plans_dir=tmp_path)


def test_an_output_azure_computes_later_is_unknown_in_the_plan(plan_inline):
    def program() -> None:
        vnet = network.VirtualNetwork("vnet", resource_group_name="rg", address_space={"address_prefixes": ["10.0.0.0/24"]})
        resources.ResourceGroup("rg2", location="westeurope", tags={"vnet-guid": vnet.resource_guid})

    plan = plan_inline(program)
    assert plan.named("rg2").inputs["tags"]["vnet-guid"] == UNKNOWN


def test_user_assigned_identities_come_back_as_a_map_like_azure_answers(plan_inline):
    from pulumi_azure_native import managedidentity, web

    def program() -> None:
        identity = managedidentity.UserAssignedIdentity("id", resource_group_name="rg")
        web.WebApp("app", resource_group_name="rg", server_farm_id="/subscriptions/x/serverfarms/plan",
                   identity={"type": "SystemAssigned, UserAssigned", "user_assigned_identities": [identity.id]})

    plan = plan_inline(program)
    identity_id = plan.named("id").id
    outputs = plan.named("app").outputs["identity"]
    assert plan.named("app").inputs["identity"]["userAssignedIdentities"] == [identity_id]
    assert set(outputs["userAssignedIdentities"]) == {identity_id}
    assert outputs["principalId"] != plan.named("id").outputs["principalId"]


def test_the_dev_platform_plans_byte_identically_with_and_without_the_speedups(tmp_path: Path):
    project = PulumiProject.load(PLATFORM_DIR)
    fast = plan_stack(project, "dev", plans_dir=tmp_path, offline_speedups=True)
    naive = plan_stack(project, "dev", plans_dir=tmp_path, offline_speedups=False)
    assert len(fast.resources) > 100
    assert fast.export_text() == naive.export_text()


def test_speedups_are_undone_after_a_plan_so_nothing_else_runs_with_them(plan_inline):
    import gc

    import pulumi.runtime.resource as sdk_resource

    original, frozen_before = sdk_resource._get_stack_trace, gc.get_freeze_count()
    plan_inline(small_program)
    assert sdk_resource._get_stack_trace is original
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen_before


def test_programs_and_components_never_import_the_offline_engine():
    root = Path(__file__).resolve().parents[3]
    for folder in ("components", "stacks", "templates"):
        for source in (root / folder).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            assert "scripts.offline" not in text and "speedups" not in text, source


def assert_in_fresh_process_with_class_on_demand_packages(*lines: str) -> None:
    """Run the assertions in a new process whose azure-native packages are not loaded yet, once turned on demand."""
    import subprocess
    import sys

    script = "\n".join(("from amsterdam_cloud.scripts.offline import speedups",
                        "speedups.install_class_on_demand_packages()", "import inspect", *lines, "print('ok')"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr


def test_class_on_demand_packages_give_what_the_real_package_gives():
    """Functions, classes, types and submodules resolve as usual."""
    assert_in_fresh_process_with_class_on_demand_packages(
        "from pulumi_azure_native import authorization, network",
        "assert inspect.isfunction(authorization.get_client_config), authorization.get_client_config",
        "assert inspect.isfunction(authorization.get_client_config_output)",
        "assert inspect.isclass(network.VirtualNetwork) and inspect.isclass(network.PublicIPAddress)",
        "assert inspect.isclass(network.SubnetArgs)",
        "assert inspect.ismodule(network.outputs)",
        "assert network.SecurityRuleAccess.ALLOW == 'Allow'")


def test_a_function_stays_a_function_after_its_module_was_loaded_for_another_name():
    """`get_client_config_output` loads the module `get_client_config`; the function of that name must still win."""
    assert_in_fresh_process_with_class_on_demand_packages(
        "from pulumi_azure_native import authorization",
        "assert inspect.isfunction(authorization.get_client_config_output)",
        "assert inspect.isfunction(authorization.get_client_config), authorization.get_client_config")


def test_a_failed_run_ends_in_its_one_line_error_without_never_awaited_warnings(tmp_path):
    """A StackReference without a saved plan fails the run mid-way, with the SDK's outputs still pending: their
    coroutines are closed, so nothing follows the error (Python would warn about each at exit)."""
    import importlib.util
    import subprocess
    import sys

    spec = importlib.util.spec_from_file_location(
        "app_template_renderer", Path(__file__).resolve().parents[2] / "templates" / "test_app_template.py")
    renderer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(renderer)
    app = renderer.render(tmp_path / "afval-ophalen", project="afval-ophalen", description="Afval")

    result = subprocess.run([sys.executable, "-m", "amsterdam_cloud.scripts.cli", "plan", "dev"], cwd=app,
                            capture_output=True, text=True, timeout=600)

    header, *rest = result.stderr.splitlines()
    assert result.returncode == 2 and header.startswith("Offline plan of project afval-ophalen")
    assert len(rest) == 1 and rest[0].startswith("cityctl: error: stack reference"), result.stderr


def test_an_output_read_before_a_failed_registration_fails_the_same_way_as_on_the_naive_path(plan_inline):
    """`outputs_made_on_read`'s failure branch: the refused registration fails every output, as the SDK's does."""
    def program() -> None:
        account = storage.StorageAccount("bad", account_name="Not_A_Valid-Name", resource_group_name="rg-platform-dev",
                                         kind="StorageV2", sku={"name": "Standard_ZRS"})
        pulumi.export("endpoints", account.primary_endpoints)

    errors = []
    for speedups in (True, False):
        with pytest.raises(ProgramError) as raised:
            plan_inline(program, offline_speedups=speedups)
        errors.append(str(raised.value))
    assert errors[0] == errors[1] and "Not_A_Valid-Name" in errors[0]
