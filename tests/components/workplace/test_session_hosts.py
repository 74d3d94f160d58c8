"""Session hosts under mocks: Trusted Launch, encryption at host, no public IP, Entra join, a vaulted password."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.workplace.session_hosts import (SessionHostImage, SessionHosts, SessionHostsArgs,
                                                                fslogix_command, host_set_tag, host_sets_clash)
from amsterdam_cloud.scripts.offline.values import is_secret_somewhere

from .conftest import HOST_SUBNET, IMAGE

GALLERY = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-images/providers/"
           "Microsoft.Compute/galleries/city/images/avd-win11")
UNC = "\\\\amsavdprofilesdev.file.core.windows.net\\profiles"


@pytest.fixture
def args(tags, vault):
    def make(**overrides) -> SessionHostsArgs:
        values = dict(tags=tags, resource_group_name="rg-hosts", location="westeurope", count=2,
                      vm_size="Standard_D8s_v5", subnet_id=HOST_SUBNET, image=IMAGE, name_prefix="avd-dev",
                      host_pool_name="avd-pool", registration_token="token", password_vault=vault,
                      profile_unc_path=UNC)
        values.update(overrides)
        return SessionHostsArgs(**values)
    return make


def test_hosts_use_trusted_launch_with_secure_boot_vtpm_and_encryption_at_host(plan_inline, args):
    vm = plan_inline(lambda: SessionHosts("host", args())).named("host-001-vm").inputs
    security = vm["securityProfile"]
    assert security["securityType"] == "TrustedLaunch" and security["encryptionAtHost"] is True
    assert security["uefiSettings"] == {"secureBootEnabled": True, "vTpmEnabled": True}


def test_count_and_size_come_from_the_args_with_sequential_computer_names_tagged_by_image_version(plan_inline,
                                                                                                  args):
    plan = plan_inline(lambda: SessionHosts("host", args(count=3, vm_size="Standard_D16s_v5")))
    vms = plan.of_type("azure-native:compute:VirtualMachine")
    tag = host_set_tag("latest")
    assert sorted(vm.inputs["osProfile"]["computerName"] for vm in vms) == [
        f"avd-dev-{tag}001", f"avd-dev-{tag}002", f"avd-dev-{tag}003"]
    assert {vm.inputs["hardwareProfile"]["vmSize"] for vm in vms} == {"Standard_D16s_v5"}
    assert {vm.inputs["tags"]["avd-image-version"] for vm in vms} == {"latest"}


@pytest.mark.parametrize("current, previous, problem", [("2026.1.0", "2026.1.0", "is the current version"),
                                                        ("2026.1.268", "2026.1.90", "same host name tag 'a6j'")])
def test_two_sets_that_would_share_computer_names_clash(current, previous, problem):
    assert problem in host_sets_clash(current, previous)
    assert host_sets_clash("2026.12.0", "2026.11.0") is None


def test_host_sets_of_two_image_versions_share_no_computer_name():
    tags = {host_set_tag(f"2026.{month}.{patch}") for month in range(1, 13) for patch in range(4)}
    assert len(tags) == 48 and all(len(tag) == 3 and tag.isalnum() for tag in tags)


def test_nics_have_no_public_ip_and_sit_in_the_host_subnet(plan_inline, args):
    plan = plan_inline(lambda: SessionHosts("host", args()))
    for nic in plan.of_type("azure-native:network:NetworkInterface"):
        configuration, = nic.inputs["ipConfigurations"]
        assert "publicIPAddress" not in configuration and configuration["subnet"]["id"] == HOST_SUBNET
        assert nic.inputs["enableIPForwarding"] is False


def test_hosts_join_entra_id_and_enrol_in_intune_with_a_system_identity(plan_inline, args):
    plan = plan_inline(lambda: SessionHosts("host", args()))
    assert plan.named("host-001-vm").inputs["identity"]["type"] == "SystemAssigned"
    join = plan.named("host-001-entra-join").inputs
    assert (join["publisher"], join["type"]) == ("Microsoft.Azure.ActiveDirectory", "AADLoginForWindows")
    assert join["settings"] == {"mdmId": "0000000a-0000-0000-c000-000000000000"}
    agent = plan.named("host-001-avd-agent").inputs["settings"]["properties"]
    assert agent["aadJoin"] is True and agent["hostPoolName"] == "avd-pool"


def test_registration_token_travels_only_in_protected_settings(plan_inline, args):
    agent = plan_inline(lambda: SessionHosts("host", args())).named("host-001-avd-agent").inputs
    assert is_secret_somewhere(agent["protectedSettings"])
    assert "token" not in str(agent["settings"])


def test_a_host_takes_the_token_only_when_it_is_created(plan_inline, args):
    """A renewed token must not rerun the agent on registered hosts: the engine ignores changes to it."""
    plan = plan_inline(lambda: SessionHosts("host", args()))
    agents = [e for e in plan.of_type("azure-native:compute:VirtualMachineExtension") if e.name.endswith("avd-agent")]
    assert len(agents) == 2 and all(e.options.get("ignoreChanges") == ["protectedSettings"] for e in agents)
    others = [e for e in plan.of_type("azure-native:compute:VirtualMachineExtension") if e not in agents]
    assert others and all("ignoreChanges" not in e.options for e in others)


def test_without_a_token_hosts_are_built_but_not_registered(plan_inline, args):
    plan = plan_inline(lambda: SessionHosts("host", args(registration_token=None)))
    assert [e.name for e in plan.of_type("azure-native:compute:VirtualMachineExtension")
            if e.name.endswith("avd-agent")] == []
    assert len(plan.of_type("azure-native:compute:VirtualMachine")) == 2


def test_fslogix_points_at_the_profile_share_before_the_host_registers(plan_inline, args):
    plan = plan_inline(lambda: SessionHosts("host", args()))
    fslogix = plan.named("host-001-fslogix")
    assert UNC in fslogix.inputs["settings"]["commandToExecute"]
    assert fslogix.urn in plan.named("host-001-avd-agent").dependencies


def test_local_admin_password_is_a_secret_in_the_vault_and_ignored_after_creation(plan_inline, args, vault):
    plan = plan_inline(lambda: SessionHosts("host", args()))
    secret = plan.named("host-001-admin-password")
    assert secret.inputs["vaultName"] == vault.name
    assert secret.inputs["secretName"] == f"avd-dev-{host_set_tag('latest')}001-local-admin"
    assert secret.options.get("retainOnDelete") is True  # a retired host's secret is kept, not deleted
    assert is_secret_somewhere(secret.inputs["properties"]["value"])
    assert is_secret_somewhere(plan.named("host-001-vm").inputs["osProfile"]["adminPassword"])
    assert "osProfile.adminPassword" in plan.named("host-001-vm").options.get("ignoreChanges", [])


def test_hosts_spread_over_the_given_zones_round_robin(plan_inline, args):
    plan = plan_inline(lambda: SessionHosts("host", args(count=4, zones=("1", "2", "3"))))
    zones = [plan.named(f"host-00{i}-vm").inputs["zones"] for i in range(1, 5)]
    assert zones == [["1"], ["2"], ["3"], ["1"]]


def test_a_gallery_image_version_replaces_the_marketplace_reference(plan_inline, args):
    image = SessionHostImage(gallery_image_definition_id=GALLERY, version="2026.11.0")
    vm = plan_inline(lambda: SessionHosts("host", args(image=image)))
    assert vm.named("host-001-vm").inputs["storageProfile"]["imageReference"] == {
        "id": f"{GALLERY}/versions/2026.11.0"}


@pytest.mark.parametrize("image", [dict(publisher="MicrosoftWindowsDesktop"),
                                   dict(gallery_image_definition_id=GALLERY, sku="x", version="1.0.0"),
                                   dict(gallery_image_definition_id="/subscriptions/x/images/y", version="1.0.0"),
                                   dict(gallery_image_definition_id=GALLERY),
                                   dict(gallery_image_definition_id=GALLERY, version="2026.11"),
                                   dict(publisher="p", offer="o", sku="s", version="newest")])
def test_incomplete_or_ambiguous_images_are_refused(image):
    with pytest.raises(InterfaceError, match="SessionHostImage"):
        SessionHostImage(**image)


@pytest.mark.parametrize("changes, field", [({"name_prefix": "avd-devel"}, "name_prefix"),
                                            ({"zones": ("4",)}, "zones"), ({"admin_username": "Administrator"},
                                                                           "admin_username")])
def test_bad_host_args_name_the_field(args, changes, field):
    with pytest.raises(InterfaceError, match=f"SessionHostsArgs.{field}"):
        args(**changes)


def test_fslogix_command_enables_profiles_and_cloud_kerberos():
    command = fslogix_command(UNC, 30)
    assert f"VHDLocations -PropertyType MultiString -Value '{UNC}'" in command
    assert "SizeInMBs -PropertyType DWord -Value 30720" in command
    assert "CloudKerberosTicketRetrievalEnabled -PropertyType DWord -Value 1" in command


def test_with_a_collection_rule_every_host_runs_the_monitor_agent_and_reports_to_it(plan_inline, args):
    rule = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-hosts/providers/"
            "Microsoft.Insights/dataCollectionRules/microsoft-avdi-avd-dev")
    plan = plan_inline(lambda: SessionHosts("host", args(data_collection_rule_id=rule)))
    associations = plan.of_type("azure-native:monitor:DataCollectionRuleAssociation")
    assert {a.inputs["resourceUri"] for a in associations} == {vm.id for vm in plan.of_type(
        "azure-native:compute:VirtualMachine")}
    assert {a.inputs["dataCollectionRuleId"] for a in associations} == {rule}
    assert plan.named("host-001-monitor-agent").inputs["type"] == "AzureMonitorWindowsAgent"


def test_extensions_run_one_after_the_other(plan_inline, args):
    rule = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-hosts/providers/"
            "Microsoft.Insights/dataCollectionRules/microsoft-avdi-avd-dev")
    plan = plan_inline(lambda: SessionHosts("host", args(data_collection_rule_id=rule)))
    chain = ["attestation", "entra-join", "monitor-agent", "fslogix", "avd-agent"]
    for before, after in zip(chain, chain[1:]):
        assert plan.named(f"host-001-{before}").urn in plan.named(f"host-001-{after}").dependencies


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(SessionHosts, args)
