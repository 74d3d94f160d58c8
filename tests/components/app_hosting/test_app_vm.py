"""`App` with runtime vm (rehost) under mocks against the platform stack's saved plan: the VM group sits in the
spoke's vms subnet, runs as the app's identity, keeps its passwords in the app's vault, and passes the pack."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.app_hosting.app import App
from amsterdam_cloud.components.app_hosting.spec import DataNeeds, Postgres, VmShape
from amsterdam_cloud.components.interfaces import InterfaceError

from .test_app import app_args, spec

VMS = VmShape(size="Standard_E4s_v5", os="windows", count=2, os_disk_gb=128, data_disks_gb=(256,))
DATA = DataNeeds(postgres=Postgres(sku="Standard_D2ds_v5", storage_gb=32, version="16"), key_vault=True)


def vm_spec(environment: str, **changes):
    values = dict(runtime="vm", data_needs=DATA, vm=VMS, image=None, secrets={})
    values.update(changes)
    return spec(environment, **values)


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_a_vm_app_passes_the_policy_pack(plan_app, violations, environment):
    plan = plan_app(lambda: App("app", app_args(vm_spec(environment))), environment)
    assert len(plan.of_type("azure-native:compute:VirtualMachine")) == 2
    assert violations(plan, environment) == []


def test_the_vms_sit_in_the_vms_subnet_run_as_the_apps_identity_and_vault_their_passwords(plan_app):
    plan = plan_app(lambda: App("app", app_args(vm_spec("dev"))), "dev")
    nic = plan.named("app-vm-01-nic").inputs
    assert nic["ipConfigurations"][0]["subnet"]["id"].endswith("/subnets/vms")
    vm = plan.named("app-vm-01-vm").inputs
    assert vm["identity"]["type"] == "SystemAssigned, UserAssigned"
    assert vm["storageProfile"]["dataDisks"][0]["diskSizeGB"] == 256
    assert plan.named("app-vm-01-admin-password").inputs["secretName"] == "parkeer-01-local-admin"


@pytest.mark.parametrize("changes", [{"data_needs": DataNeeds(key_vault=False)}, {"vm": None},
                                     {"exposure": "public"}])
def test_a_vm_app_without_vault_shape_or_with_public_exposure_is_refused(plan_app, changes):
    from amsterdam_cloud.scripts.offline.engine import ProgramError

    with pytest.raises((InterfaceError, ProgramError), match="runtime vm needs"):
        plan_app(lambda: App("app", app_args(vm_spec("dev", **changes))), "dev")
