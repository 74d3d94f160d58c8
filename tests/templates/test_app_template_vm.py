"""Rehost through the app template: a VM workload the migration wrote (from EC2 and from the CMDB) plans offline
against the platform stack's plan with zero policy violations, its VMs in the app's spoke."""

from __future__ import annotations

import json

import pytest
import yaml


from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path
from tests.components.compute.ssh_keys import BREAK_GLASS_KEY
from tests.scripts.migrate.helpers import with_database_admins as admin_overrides

from .test_app_template import plans_dir, render  # noqa: F401 (fixture used by name)

TAGS = {"application": "reports", "environment": "productie", "owner": "reports@amsterdam.nl",
        "cost-center": "CC-4120", "data-classification": "BBN2"}


def rehost_stack_file(*, cmdb: bool) -> dict:
    """The stack file `cityctl migrate generate` writes for a rehosted server group (EC2 or CMDB rows)."""
    from amsterdam_cloud.scripts.migrate import generate, mapping, strategy
    from amsterdam_cloud.scripts.migrate.inventory import build, resource

    if cmdb:
        records = [resource(id="cmdb://cmdb/srv-1", type="onprem:server", name="reports-01", source="cmdb",
                            account="cmdb", region="onprem", tags=TAGS, properties={
                                "vcpu": 16, "memoryGiB": 128.0, "diskGiB": 500.0, "os": "Windows Server 2019",
                                "state": "running", "country": "NL"}),
                   resource(id="cmdb://cmdb/db-1", type="onprem:database", name="reports-db", source="cmdb",
                            account="cmdb", region="onprem", tags=TAGS, properties={
                                "engine": "postgres", "engineVersion": "13", "vcpu": 4, "memoryGiB": 32.0,
                                "allocatedStorageGiB": 250.0, "country": "NL"})]
    else:
        records = [resource(id=f"arn:aws:ec2:eu-west-1:1:instance/i-{n}", type="aws:ec2:instance", name=f"rep-{n}",
                            source="aws", account="1", region="eu-west-1", tags=TAGS, properties={
                                "instanceType": "m5.xlarge", "vcpu": 4, "memoryGiB": 16.0, "state": "running",
                                "platform": "Linux/UNIX"}) for n in (1, 2)]
        records += [resource(id=f"arn:aws:ec2:eu-west-1:1:volume/vol-{n}", type="aws:ec2:volume", name=f"v{n}",
                             source="aws", account="1", region="eu-west-1", tags={}, properties={
                                 "sizeGiB": size, "volumeType": "gp3", "attachedTo": ["arn:aws:ec2:eu-west-1:1:instance/i-1"]})
                    for n, size in ((1, 40), (2, 300))]
    inventory = build(records)
    document = mapping.map_inventory(inventory, strategy.load(), overrides=admin_overrides(inventory))
    assert document["workloads"][0]["status"] == "ready"
    written, summary = generate.plan_files(document, generate.Options())
    return yaml.safe_load(written["reports/Pulumi.prod.yaml"])


def with_break_glass_key(document: dict) -> dict:
    """The generated stack file as the team completes it: a Linux group gets the break-glass SSH key (the migration
    cannot know it)."""
    vm = document["config"]["app:app"]["vm"]
    if vm["os"] == "linux":
        vm["sshPublicKey"] = BREAK_GLASS_KEY
    return document


def test_the_generated_config_describes_the_vm_group():
    assert rehost_stack_file(cmdb=False)["config"]["app:app"]["vm"] == {
        "size": "Standard_D4s_v5", "os": "linux", "count": 2, "osDiskGb": 40, "dataDisksGb": [300]}
    assert rehost_stack_file(cmdb=True)["config"]["app:app"]["vm"] == {
        "size": "Standard_E16s_v5", "os": "windows", "count": 1, "osDiskGb": 128, "dataDisksGb": [500]}


@pytest.mark.parametrize("cmdb", [False, True], ids=["ec2", "cmdb"])
def test_a_rehosted_workload_plans_with_zero_violations(tmp_path, plans_dir, violations, cmdb):  # noqa: F811
    document = with_break_glass_key(rehost_stack_file(cmdb=cmdb))
    rendered = render(tmp_path / "reports", project="reports", description="Rapportages", stack="prod",
                      prompts={"app:platformStack": document["config"]["app:platformStack"]})
    (rendered / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    plan = plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    vms = plan.of_type("azure-native:compute:VirtualMachine")
    assert len(vms) == document["config"]["app:app"]["vm"]["count"]
    assert all(vm.inputs["securityProfile"]["securityType"] == "TrustedLaunch" for vm in vms)
    nic = plan.of_type("azure-native:network:NetworkInterface")[0].inputs
    assert nic["ipConfigurations"][0]["subnet"]["id"].endswith("/subnets/vms")
    assert violations(plan, "prod") == []


def test_a_generated_linux_group_without_its_ssh_key_stops_the_plan_naming_the_key(tmp_path, plans_dir):  # noqa: F811
    document = rehost_stack_file(cmdb=False)
    rendered = render(tmp_path / "reports", project="reports", description="Rapportages", stack="prod",
                      prompts={"app:platformStack": document["config"]["app:platformStack"]})
    (rendered / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    with pytest.raises(UserError, match="app:app.vm.sshPublicKey: required for a Linux VM"):
        plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)


def platform_output(plans_dir, name: str):  # noqa: F811 (the fixture's name)
    """An output of the prod platform stack's saved plan (what the app's StackReference reads)."""
    export = json.loads(saved_plan_path(plans_dir, "amsterdam-platform", "prod").read_text())
    return next(r for r in export["deployment"]["resources"] if r["type"] == "pulumi:pulumi:Stack")["outputs"][name]


def test_each_rehosted_vm_is_backed_up_and_monitored_through_the_platforms_vault_and_rule(tmp_path, plans_dir):  # noqa: F811
    document = with_break_glass_key(rehost_stack_file(cmdb=False))
    rendered = render(tmp_path / "reports", project="reports", description="Rapportages", stack="prod",
                      prompts={"app:platformStack": document["config"]["app:platformStack"]})
    (rendered / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    plan = plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    operations = platform_output(plans_dir, "vmOperations")
    vm_ids = [vm.outputs["id"] for vm in plan.of_type("azure-native:compute:VirtualMachine")]
    items = [i.inputs for i in plan.of_type("azure-native:recoveryservices:ProtectedItem")]
    assert [(i["properties"]["sourceResourceId"], i["properties"]["policyId"], i["vaultName"], i["resourceGroupName"])
            for i in items] == [(vm_id, operations["backupPolicyId"], operations["vaultName"],
                                 operations["resourceGroupName"]) for vm_id in vm_ids]
    vault_id = (f"/subscriptions/{operations['subscriptionId']}/resourceGroups/{operations['resourceGroupName']}"
                f"/providers/Microsoft.RecoveryServices/vaults/{operations['vaultName']}/")
    assert all(i.outputs["id"].startswith(vault_id) for i in plan.of_type("azure-native:recoveryservices:ProtectedItem"))
    associations = [a.inputs for a in plan.of_type("azure-native:monitor:DataCollectionRuleAssociation")]
    assert sorted((a["resourceUri"], a.get("dataCollectionRuleId") or a["dataCollectionEndpointId"])
                  for a in associations) == sorted(
        [(vm_id, operations["dataCollectionRuleId"]) for vm_id in vm_ids]
        + [(vm_id, operations["dataCollectionEndpointId"]) for vm_id in vm_ids])
