"""The plan diff on crafted pairs of exports: what is a create, update, delete or replace, and what loses data."""

from __future__ import annotations

import json

import pytest

from amsterdam_cloud.scripts.delivery.plan_diff import (PreviewStep, diff_exports, diff_from_preview, render_markdown,
                                                        render_text, to_json)
from amsterdam_cloud.core.errors import UserError

from .exports import (RG_ID, SUBSCRIPTION, TAGS, UNKNOWN, export, postgres_database, resource, resource_group,
                      secret, storage_account, urn, with_inputs)

ACCOUNT_URN = urn("azure-native:storage:StorageAccount", "data")
DATABASE_URN = urn("azure-native:dbforpostgresql:Database", "permits-db")


def _one(diff, urn_: str):
    change = diff.get(urn_)
    assert change is not None, f"{urn_} is not in the diff: {[r.urn for r in diff.resources]}"
    return change


def test_renaming_a_storage_account_is_a_replace_that_loses_data():
    diff = diff_exports(export(storage_account("stcitydata")), export(storage_account("stcityarchive")))

    change = _one(diff, ACCOUNT_URN)
    assert change.action == "replace"
    assert change.changed_paths == ("accountName",)
    assert "the name is part of the Azure resource id" in change.replace_reasons[0]
    assert diff.data_loss == (change,)


def test_moving_a_resource_group_to_another_location_is_a_replace():
    diff = diff_exports(export(resource_group(location="westeurope")),
                        export(resource_group(location="northeurope")))

    change = _one(diff, urn("azure-native:resources:ResourceGroup", "data"))
    assert change.action == "replace"
    assert "Azure cannot move a resource to another region" in change.replace_reasons[0]


def test_changing_a_tag_is_an_update_of_that_tag_only():
    account = storage_account()
    retagged = with_inputs(account, tags={**TAGS, "owner": "data-team@amsterdam.nl"})

    diff = diff_exports(export(account), export(retagged))

    change = _one(diff, ACCOUNT_URN)
    assert change.action == "update"
    assert change.changed_paths == ("tags.owner",)
    assert change.replace_reasons == ()
    assert diff.data_loss == ()


def test_deleting_a_database_is_data_loss():
    diff = diff_exports(export(resource_group(), postgres_database()), export(resource_group()))

    change = _one(diff, DATABASE_URN)
    assert change.action == "delete"
    assert change.stateful == "the database"
    assert diff.data_loss == (change,)


def test_data_loss_is_the_first_thing_the_text_shows():
    before = export(resource_group(), postgres_database())
    after = export(resource("azure-native:network:VirtualNetwork", "hub", {"resourceGroupName": "rg-data",
                                                                          "virtualNetworkName": "vnet-hub"}),
                   resource_group())

    lines = render_text(diff_exports(before, after)).splitlines()

    assert lines[1].startswith("!! POSSIBLE DATA LOSS: 1 stateful resource")
    assert lines[2].split() == ["-", "delete", "azure-native:dbforpostgresql:Database", "permits-db"]
    assert lines.index("Changes:") > 2


def test_a_delete_with_retain_on_delete_keeps_the_data():
    diff = diff_exports(export(postgres_database(retainOnDelete=True)), export())

    change = _one(diff, DATABASE_URN)
    assert change.action == "delete"
    assert change.retained
    assert diff.data_loss == ()


def test_replacing_a_stateless_resource_is_not_data_loss():
    vnet = resource("azure-native:network:VirtualNetwork", "hub",
                    {"resourceGroupName": "rg-data", "virtualNetworkName": "vnet-hub", "location": "westeurope"})

    diff = diff_exports(export(vnet), export(with_inputs(vnet, virtualNetworkName="vnet-hub-2")))

    assert _one(diff, vnet["urn"]).action == "replace"
    assert diff.data_loss == ()


def test_unchanged_resources_are_counted_not_listed():
    diff = diff_exports(export(resource_group(), storage_account()), export(resource_group(), storage_account()))

    assert diff.resources == ()
    assert diff.unchanged == 2
    assert not diff.has_changes


def test_a_new_resource_is_a_create():
    diff = diff_exports(export(resource_group()), export(resource_group(), storage_account()))

    assert _one(diff, ACCOUNT_URN).action == "create"
    assert diff.counts() == {"create": 1, "update": 0, "replace": 0, "delete": 0}


@pytest.mark.parametrize("new_sku, action", [("Standard_GRS", "update"), ("Premium_ZRS", "replace")])
def test_only_a_storage_sku_tier_change_forces_replacement(new_sku, action):
    account = storage_account()

    diff = diff_exports(export(account), export(with_inputs(account, sku={"name": new_sku})))

    assert _one(diff, ACCOUNT_URN).action == action


def test_changing_a_storage_account_kind_is_a_replace():
    account = storage_account()

    diff = diff_exports(export(account), export(with_inputs(account, kind="BlockBlobStorage")))

    assert _one(diff, ACCOUNT_URN).action == "replace"


def _nic(subnet_id: str) -> dict:
    return resource("azure-native:network:NetworkInterface", "vm-nic",
                    {"resourceGroupName": "rg-data", "networkInterfaceName": "nic-vm",
                     "ipConfigurations": [{"name": "ipconfig1", "subnet": {"id": subnet_id}}]})


@pytest.mark.parametrize("new_subnet, action", [
    (f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/spoke/subnets/db", "update"),
    (f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/other/subnets/apps", "replace"),
])
def test_a_nic_moves_subnets_in_place_but_not_to_another_network(new_subnet, action):
    before = _nic(f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/spoke/subnets/apps")

    diff = diff_exports(export(before), export(_nic(new_subnet)))

    change = _one(diff, before["urn"])
    assert change.action == action
    assert change.changed_paths == ("ipConfigurations[0].subnet.id",)


def test_a_subnet_moved_to_another_virtual_network_is_a_replace():
    subnet = resource("azure-native:network:Subnet", "apps",
                      {"resourceGroupName": "rg-data", "virtualNetworkName": "spoke", "subnetName": "apps",
                       "addressPrefix": "10.10.16.0/24"})

    diff = diff_exports(export(subnet), export(with_inputs(subnet, virtualNetworkName="spoke-2")))

    change = _one(diff, subnet["urn"])
    assert change.action == "replace"
    assert "parent's name" in change.replace_reasons[0]


def test_a_versioned_type_token_follows_the_rules_of_its_unversioned_type():
    versioned = resource("azure-native:storage/v20230101:StorageAccount", "data",
                         {"accountName": "stcitydata", "resourceGroupName": "rg-data", "location": "westeurope"})

    diff = diff_exports(export(versioned), export(with_inputs(versioned, accountName="stcitynew")))

    change = _one(diff, versioned["urn"])
    assert change.action == "replace"
    assert change.data_loss


def test_ignore_changes_hides_the_ignored_input():
    account = storage_account()
    after = with_inputs(account, tags={**TAGS, "owner": "data-team@amsterdam.nl"})
    after["ignoreChanges"] = ["tags"]

    diff = diff_exports(export(account), export(after))

    assert diff.resources == ()


def test_replace_on_changes_makes_an_update_a_replace():
    account = storage_account()
    after = with_inputs(account, minimumTlsVersion="TLS1_3")
    after["replaceOnChanges"] = ["minimumTlsVersion"]

    diff = diff_exports(export(account), export(after))

    change = _one(diff, ACCOUNT_URN)
    assert change.action == "replace"
    assert "replaceOnChanges" in change.replace_reasons[0]


def test_a_name_that_becomes_unknown_is_treated_as_a_replace():
    account = storage_account()

    diff = diff_exports(export(account), export(with_inputs(account, accountName=UNKNOWN)))

    change = _one(diff, ACCOUNT_URN)
    assert change.action == "replace"
    assert change.changes[0].kind == "unknown"
    assert "cannot tell the new value" in change.replace_reasons[0]


def test_secrets_with_different_ciphertext_are_not_a_change_and_never_shown():
    vault_secret = resource("azure-native:keyvault:Secret", "db-password",
                            {"resourceGroupName": "rg-data", "vaultName": "kv-city", "secretName": "db-password",
                             "properties": {"value": secret("v1:first")}})
    changed = with_inputs(vault_secret, properties={"value": secret("v1:second")}, tags={"owner": "x"})

    diff = diff_exports(export(vault_secret), export(changed))

    change = _one(diff, vault_secret["urn"])
    assert change.changed_paths == ("tags",)
    assert "v1:" not in to_json(diff)


def test_a_secret_whose_signature_was_damaged_is_still_never_shown():
    """A hand-edited or corrupt export (the fuzzer found a signature key with a leading space): the value is shaped
    like a secret, so its plaintext stays hidden."""
    damaged = {" 4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": '"hunter2"'}
    account = storage_account(minimumTlsVersion="TLS1_2")
    changed = with_inputs(account, minimumTlsVersion=damaged)

    diff = diff_exports(export(account), export(changed))

    assert _one(diff, account["urn"]).changed_paths == ("minimumTlsVersion",)
    assert "hunter2" not in to_json(diff)


def test_arm_ids_that_differ_only_in_case_are_the_same():
    link = resource("azure-native:privatedns:VirtualNetworkLink", "hub-link",
                    {"resourceGroupName": "rg-dns", "privateZoneName": "privatelink.blob.core.windows.net",
                     "virtualNetworkLinkName": "hub",
                     "virtualNetwork": {"id": f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/hub"}})
    upper = with_inputs(link, virtualNetwork={"id": f"{RG_ID.upper()}/providers/microsoft.network/"
                                                    "virtualNetworks/hub"})

    assert diff_exports(export(link), export(upper)).resources == ()


def _real_and_planned_group():
    """A real export's auto-named group and storage account beside an offline plan of the same program."""
    real_group = resource("azure-native:resources:ResourceGroup", "data",
                          {"resourceGroupName": "data3f2a1b9c", "location": "westeurope", "tags": dict(TAGS)},
                          id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/data3f2a1b9c")
    planned_group = resource("azure-native:resources:ResourceGroup", "data",
                             {"location": "westeurope", "tags": dict(TAGS)},
                             id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/data0a1b2c3d",
                             outputs={"name": "data0a1b2c3d", "location": "westeurope"})
    real_group["outputs"]["name"] = "data3f2a1b9c"
    return real_group, planned_group


def test_auto_names_of_an_offline_plan_match_the_real_auto_names():
    real_group, planned_group = _real_and_planned_group()
    real_account = storage_account()
    real_account["inputs"]["resourceGroupName"] = "data3f2a1b9c"
    planned_account = with_inputs(storage_account(), resourceGroupName="data0a1b2c3d")

    diff = diff_exports(export(real_group, real_account), export(planned_group, planned_account))

    assert diff.resources == ()
    assert diff.unchanged == 2


def test_replacing_a_resource_group_replaces_what_is_built_from_its_name():
    group = resource_group("rg-data")
    account = storage_account()
    renamed_group = resource_group("rg-data-2")
    moved_account = with_inputs(account, resourceGroupName="rg-data-2")

    diff = diff_exports(export(group, account), export(renamed_group, moved_account))

    assert [c.action for c in diff.resources] == ["replace", "replace"]
    assert {c.urn for c in diff.data_loss} == {group["urn"], ACCOUNT_URN}


def test_a_changed_urn_with_the_same_azure_id_suggests_an_alias():
    old = postgres_database()
    new = {**postgres_database(), "urn": urn("azure-native:dbforpostgresql:Database", "permits")}

    diff = diff_exports(export(old), export(new))

    deleted = _one(diff, DATABASE_URN)
    assert deleted.action == "delete" and deleted.data_loss
    assert any("add an alias" in note for note in deleted.notes)


def test_json_lists_data_loss_and_every_change():
    diff = diff_exports(export(resource_group(), postgres_database()), export(resource_group()))

    document = json.loads(to_json(diff))

    assert document["dataLoss"] == [DATABASE_URN]
    assert document["summary"]["delete"] == 1
    assert document["resources"][0]["action"] == "delete"


def test_markdown_summary_opens_with_the_data_loss_warning():
    text = render_markdown(diff_exports(export(postgres_database()), export()))

    assert text.index("Possible data loss") < text.index("| Action | Type | Name | Changed inputs |")


def test_a_document_without_resources_is_a_user_error_naming_the_source():
    with pytest.raises(UserError, match=r"main\.json: deployment\.resources"):
        diff_exports({"version": 3, "deployment": {"resources": "none"}}, export(), before_source="main.json")


def _steps(urn_: str, type_: str, *ops: str, **fields) -> list[PreviewStep]:
    return [PreviewStep(op, urn_, type_, **fields) for op in ops]


def test_a_replacement_in_the_real_preview_is_data_loss_for_a_database():
    steps = _steps(DATABASE_URN, "azure-native:dbforpostgresql:Database", "create-replacement", "replace",
                   "delete-replaced", replace_keys=("charset",))

    diff = diff_from_preview(steps)

    (change,) = diff.data_loss
    assert (change.urn, change.action) == (DATABASE_URN, "replace")
    assert change.replace_reasons == ("the provider replaces it for charset",)


def test_updates_and_unchanged_steps_of_the_real_preview_lose_nothing():
    steps = [*_steps(ACCOUNT_URN, "azure-native:storage:StorageAccount", "update", diffs=("tags",)),
             *_steps(DATABASE_URN, "azure-native:dbforpostgresql:Database", "same")]

    diff = diff_from_preview(steps)

    assert [(c.urn, c.action, c.changed_paths) for c in diff.resources] == [(ACCOUNT_URN, "update", ("tags",))]
    assert diff.unchanged == 1
    assert diff.data_loss == ()


def test_a_retained_delete_in_the_real_preview_loses_nothing():
    steps = _steps(DATABASE_URN, "azure-native:dbforpostgresql:Database", "delete", retain_on_delete=True)

    assert diff_from_preview(steps).data_loss == ()
