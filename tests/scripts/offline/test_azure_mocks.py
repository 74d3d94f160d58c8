"""The mocks as the provider's `Check` and Azure's API: auto-names as azure-native builds them, every name checked
against `core/naming.py`, the budget start date and Windows computer names; each refusal one line with the fix.
The outputs they record are what azure-native returns: the class's output properties and what Azure computes."""

from __future__ import annotations

import hashlib
import re
import uuid

import pulumi
import pytest
from pulumi_azure_native import authorization, compute, consumption, keyvault, network, resources, storage

from amsterdam_cloud.core import naming
from amsterdam_cloud.scripts.offline.arm_types import ARM_ID_TEMPLATES
from amsterdam_cloud.scripts.offline.azure_mocks import output_names
from amsterdam_cloud.scripts.offline.engine import ProgramError

HERE = "tests/scripts/offline/test_azure_mocks.py"
RG = "rg-names-dev"


def name_key(token: str) -> str:
    return re.findall(r"\{(\w+)\}", ARM_ID_TEMPLATES[token])[-1]


# One type per row kind of the table: each kind is planted once too long and once badly formed.
FAMILIES = {rule.family: token for token, rule in reversed(naming.RULES.items())}


def too_long(rule: naming.NameRule) -> str:
    return "a" * (rule.max_length + 1)


def badly_formed(rule: naming.NameRule) -> str:
    return "a" * max(rule.min_length - 1, 2) + "<"


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("plant", [too_long, badly_formed], ids=["too-long", "badly-formed"])
def test_a_name_azure_refuses_stops_the_plan_with_one_line_naming_resource_line_name_rule_and_fix(
        plan_inline, family, plant):
    token = FAMILIES[family]
    rule = naming.RULES[token]
    name = plant(rule)
    line = {}

    def program() -> None:
        line["at"] = _line_below()
        pulumi.CustomResource(token, "planted", {"resourceGroupName": RG, name_key(token): name})

    with pytest.raises(ProgramError) as refused:
        plan_inline(program)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"offline plan: resource 'planted' ({token}) at {HERE}:{line['at']}: "
                              f"name {name!r} ")
    assert rule.problem(name) in message and rule.describe() in message
    assert message.endswith(f"fix: pass {_snake(name_key(token))}=... ({rule.describe()})")


def test_an_auto_name_that_breaks_the_rule_is_refused_with_where_it_came_from(plan_inline):
    def program() -> None:
        keyvault.Vault("platform-kv-vault", resource_group_name=RG,
                       properties={"tenantId": str(uuid.uuid4()), "sku": {"family": "A", "name": "standard"}})

    with pytest.raises(ProgramError, match=(
            rf"resource 'platform-kv-vault' \(azure-native:keyvault:Vault\) at {HERE}:\d+: name "
            r"'platform-kv-vault[0-9a-f]{8}' \(auto-named by azure-native: the logical name plus 8 characters\) "
            r"has 25 characters; Azure refuses it; fix: pass vault_name=\.\.\. \(3-24 chars")):
        plan_inline(program)


class _Vaults(pulumi.ComponentResource):
    def __init__(self, name: str, line: dict) -> None:
        super().__init__("amsterdam:test:Vaults", name, None, None)
        line["inner"] = _line_below()
        keyvault.Vault(f"{name}-vault", resource_group_name=RG, vault_name="kv--double",
                       properties={"tenantId": str(uuid.uuid4()), "sku": {"family": "A", "name": "standard"}},
                       opts=pulumi.ResourceOptions(parent=self))


def test_a_resource_made_in_a_component_names_its_line_and_the_program_line_it_came_from(plan_inline):
    line = {}

    def program() -> None:
        line["outer"] = _line_below()
        _Vaults("team", line)

    with pytest.raises(ProgramError) as refused:
        plan_inline(program)
    assert (f"resource 'team-vault' (azure-native:keyvault:Vault) at {HERE}:{line['inner']} "
            f"(from {HERE}:{line['outer']}): name 'kv--double' contains '--'") in str(refused.value)


def test_without_the_offline_shortcuts_the_refusal_names_the_same_program_line(plan_inline):
    line = {}

    def program() -> None:
        line["at"] = _line_below()
        keyvault.Vault("kv", resource_group_name=RG, vault_name="kv_bad",
                       properties={"tenantId": str(uuid.uuid4()), "sku": {"family": "A", "name": "standard"}})

    with pytest.raises(ProgramError) as refused:
        plan_inline(program, offline_speedups=False)
    assert f"at {HERE}:{line['at']}: name 'kv_bad' contains '_'" in str(refused.value)


def test_auto_names_are_built_as_azure_native_builds_them(plan_inline):
    # pulumi-azure-native provider/pkg/resources/resources.go `(*AutoNamer).AutoName` picks the strategy from the
    # API path; provider/pkg/provider/provider.go `getDefaultName`: random = the URN's name + 8 random hex
    # characters (`resource.NewUniqueName(randomSeed, name, 8, 0, nil)`), copy = the URN's name, uuid = a UUID.
    def program() -> None:
        vnet = network.VirtualNetwork("Hub_Net", resource_group_name=RG,
                                      address_space={"address_prefixes": ["10.0.0.0/24"]})
        network.Subnet("hosts", resource_group_name=RG, virtual_network_name=vnet.name, address_prefix="10.0.0.0/26")
        authorization.RoleAssignment("reader", scope=f"/subscriptions/{uuid.UUID(int=1)}",
                                     principal_id=str(uuid.UUID(int=2)), role_definition_id="/x")

    plan = plan_inline(program)
    vnet = plan.named("Hub_Net")
    suffix = hashlib.sha256(vnet.urn.encode()).hexdigest()[:8]
    assert vnet.outputs["name"] == "Hub_Net" + suffix  # untouched: no lower-casing, nothing stripped, no cap
    assert plan.named("hosts").outputs["name"] == "hosts"  # a child resource: a copy of the logical name
    assert uuid.UUID(plan.named("reader").outputs["name"])  # roleAssignmentName: a UUID


# The rows for values that are not a resource's own name: planted too long and badly formed as well.
NESTED = [
    ("azure-native:compute:VirtualMachine", naming.WINDOWS_COMPUTER_NAME, "osProfile.computerName",
     "os_profile.computer_name", lambda value: {"vmName": "host", "osProfile": {"computerName": value,
                                                                              "windowsConfiguration": {}}}),
    ("azure-native:compute:VirtualMachine", naming.LINUX_HOST_NAME, "osProfile.computerName",
     "os_profile.computer_name", lambda value: {"vmName": "host", "osProfile": {"computerName": value}}),
    ("azure-native:monitor:ActionGroup", naming.ACTION_GROUP_SHORT_NAME, "groupShortName", "group_short_name",
     lambda value: {"groupShortName": value}),
]


@pytest.mark.parametrize(("token", "rule", "key", "field", "inputs"), NESTED, ids=lambda v: getattr(v, "family", ""))
@pytest.mark.parametrize("plant", [too_long, badly_formed], ids=["too-long", "badly-formed"])
def test_a_nested_name_azure_refuses_stops_the_plan_with_the_rule_and_fix(plan_inline, token, rule, key, field,
                                                                          inputs, plant):
    value = plant(rule)
    line = {}

    def program() -> None:
        line["at"] = _line_below()
        pulumi.CustomResource(token, "planted", {"resourceGroupName": RG, **inputs(value)})

    with pytest.raises(ProgramError) as refused:
        plan_inline(program)
    assert str(refused.value) == (f"offline plan: resource 'planted' ({token}) at {HERE}:{line['at']}: "
                                  f"{key} {value!r} {rule.problem(value)}; Azure refuses it; fix: pass "
                                  f"{field}=... ({rule.describe()})")


def test_a_windows_computer_name_over_15_characters_is_refused(plan_inline):
    def program() -> None:
        compute.VirtualMachine("host", resource_group_name=RG, vm_name="avd-host",
                               os_profile={"computer_name": "avd-workplace-001", "windows_configuration": {}})

    with pytest.raises(ProgramError, match=r"resource 'host' \(azure-native:compute:VirtualMachine\) at .*: "
                                           r"osProfile.computerName 'avd-workplace-001' has 17 characters; .*"
                                           r"fix: pass os_profile.computer_name=\.\.\. \(1-15 chars"):
        plan_inline(program)


WINDOWS_11 = {"image_reference": {"publisher": "MicrosoftWindowsDesktop", "offer": "windows-11",
                                  "sku": "win11-24h2-avd", "version": "latest"}}


def test_a_windows_image_makes_the_computer_name_windows_without_windows_configuration(plan_inline):
    def program() -> None:
        compute.VirtualMachine("host", resource_group_name=RG, vm_name="avd-host", storage_profile=WINDOWS_11,
                               os_profile={"computer_name": "avd-workplace-001"})

    with pytest.raises(ProgramError, match=r"osProfile.computerName 'avd-workplace-001' has 17 characters"):
        plan_inline(program)


@pytest.mark.parametrize("os_profile", [None, {"admin_username": "cityadmin"}])
def test_without_a_computer_name_a_windows_vm_name_over_15_characters_is_refused(plan_inline, os_profile):
    def program() -> None:
        compute.VirtualMachine("host", resource_group_name=RG, vm_name="vm-avd-workplace-01",
                               storage_profile=WINDOWS_11, os_profile=os_profile)

    with pytest.raises(ProgramError, match=r"computer name \(the VM name: osProfile.computerName is unset\) "
                                           r"'vm-avd-workplace-01' has 19 characters; .*"
                                           r"fix: pass os_profile.computer_name=\.\.\."):
        plan_inline(program)


def test_a_linux_vm_name_over_15_characters_is_a_fine_host_name(plan_inline):
    def program() -> None:
        compute.VirtualMachine("host", resource_group_name=RG, vm_name="vm-linux-workplace-01",
                               storage_profile={"image_reference": {"publisher": "Canonical", "offer": "ubuntu",
                                                                    "sku": "22_04-lts", "version": "latest"}},
                               os_profile={"admin_username": "cityadmin"})

    assert plan_inline(program).named("host").outputs["name"] == "vm-linux-workplace-01"


def test_a_budget_starting_before_the_current_month_is_refused_at_plan_time(plan_inline):
    def program() -> None:
        consumption.Budget("budget", scope=f"/subscriptions/{uuid.UUID(int=1)}", amount=10, category="Cost",
                           time_grain="Monthly", time_period={"start_date": "2020-01-01T00:00:00Z"})

    with pytest.raises(ProgramError, match=r"resource 'budget' \(azure-native:consumption:Budget\) at .*: "
                                           r"timePeriod.startDate '2020-01-01T00:00:00Z' is before the current "
                                           r"month .*; fix: leave the budget's start date unset"):
        plan_inline(program)


def _line_below() -> int:
    """The line after the caller's: where the planted resource is created."""
    import sys
    return sys._getframe(1).f_lineno + 1


def _snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).lower()


# -- outputs as azure-native returns them ------------------------------------------------------------------

class Box(pulumi.ComponentResource):
    def __init__(self, name: str) -> None:
        super().__init__("amsterdam:test:Box", name, {"size": 3})
        self.group = resources.ResourceGroup(f"{name}-rg", resource_group_name="rg-box", location="westeurope",
                                             opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"groupName": self.group.name})


def program() -> None:
    box = Box("box")
    account = storage.StorageAccount("data", account_name="stboxdata", resource_group_name=box.group.name,
                                     kind="StorageV2", sku=storage.SkuArgs(name="Standard_LRS"),
                                     allow_blob_public_access=False)
    authorization.ManagementLockByScope("data-lock", scope=account.id, level="CanNotDelete", lock_name="data-lock")
    pulumi.export("accountName", account.name)


def test_outputs_carry_no_path_inputs_the_provider_never_returns(plan_inline):
    outputs = plan_inline(program).named("data").outputs
    assert "resourceGroupName" not in outputs and "accountName" not in outputs
    assert outputs["name"] == "stboxdata" and outputs["allowBlobPublicAccess"] is False
    assert outputs["primaryEndpoints"]["blob"] == "https://stboxdata.blob.core.windows.net/"


def test_every_recorded_output_is_one_the_class_declares(stack_plan):
    for resource in stack_plan("dev").resources:
        if resource.custom and resource.type.startswith("azure-native:"):
            assert set(resource.outputs) <= output_names(resource.type), resource.urn


def test_a_locks_outputs_name_no_scope_but_its_id_does(plan_inline):
    plan = plan_inline(program)
    lock = plan.named("data-lock")
    assert "scope" not in lock.outputs and lock.outputs["level"] == "CanNotDelete"
    assert lock.outputs["id"] == f"{plan.named('data').id}/providers/Microsoft.Authorization/locks/data-lock"


def test_a_components_outputs_are_its_registered_outputs_and_the_stacks_its_exports(plan_inline):
    plan = plan_inline(program)
    assert plan.named("box").outputs == {"groupName": "rg-box"}
    assert plan.stack_outputs == {"accountName": "stboxdata"}


def test_output_names_come_from_the_installed_class():
    names = output_names("azure-native:storage:StorageAccount")
    assert {"id", "name", "location", "minimumTlsVersion", "azureApiVersion"} <= names
    assert not {"resourceGroupName", "accountName"} & names
