"""Azure sizes for AWS and on-prem shapes, from the tables in scripts/migrate/azure_sizes.py."""

from __future__ import annotations

import pytest

from amsterdam_cloud.scripts.migrate import azure_sizes


@pytest.mark.parametrize(("instance_type", "vcpu", "gib", "expected"), [
    ("t3.micro", 2, 1, "Standard_B2s"),
    ("m5.large", 2, 8, "Standard_D2s_v5"),
    ("c5.xlarge", 4, 8, "Standard_F4s_v2"),
    ("r5.2xlarge", 8, 64, "Standard_E8s_v5"),
    ("x1e.xlarge", 4, 122, "Standard_M32ts"),
    ("i3.large", 2, 15.25, "Standard_L8s_v3"),
])
def test_the_ec2_family_picks_the_azure_family_and_the_smallest_fitting_size(instance_type, vcpu, gib, expected):
    assert azure_sizes.vm_size(instance_type, vcpu, gib).name == expected


def test_a_shape_larger_than_its_family_falls_back_with_a_note():
    size = azure_sizes.vm_size("t3.2xlarge", 32, 128)
    assert (size.name, size.note) == ("Standard_D32s_v5", "larger than any B size; Dsv5 family chosen")


@pytest.mark.parametrize(("instance_type", "alternative"), [
    ("p3.2xlarge", "Standard_NC4as_T4_v3"), ("g5.xlarge", "Azure NC or ND"), ("m6g.large", "Standard_D4ps_v5"),
    ("c7gn.xlarge", "Dpsv5"), ("mac2.metal", "Azure has none"),
])
def test_gpu_arm_and_mac_instances_get_no_size_and_the_named_azure_alternative(instance_type, alternative):
    size = azure_sizes.vm_size(instance_type, 8, 32)
    assert size.name is None and alternative in size.note


@pytest.mark.parametrize(("vcpu", "gib", "expected"), [
    (16, 128, "Standard_E16s_v5"), (16, 64, "Standard_D16s_v5"), (16, 32, "Standard_F16s_v2"),
    (4, 16, "Standard_D4s_v5"), (8, 128, "Standard_E16s_v5"),
])
def test_a_server_without_an_ec2_family_is_sized_by_its_memory_per_vcpu(vcpu, gib, expected):
    assert azure_sizes.vm_size(None, vcpu, gib).name == expected


def test_an_unknown_ec2_family_is_sized_by_its_memory_per_vcpu_with_a_review_note():
    size = azure_sizes.vm_size("q9.large", 16, 128)
    assert size.name == "Standard_E16s_v5" and "review" in size.note


def test_an_unknown_shape_gets_no_size():
    assert azure_sizes.vm_size("m5.large", None, None).name is None


@pytest.mark.parametrize(("engine", "instance_class", "expected"), [
    ("postgres", "db.t3.medium", ("Standard_B2s", "Burstable")),
    ("postgres", "db.m5.large", ("Standard_D2ds_v5", "GeneralPurpose")),
    ("postgres", "db.r6g.xlarge", ("Standard_E4ds_v5", "MemoryOptimized")),
    ("mysql", "db.m6i.2xlarge", ("Standard_D8ds_v4", "GeneralPurpose")),
])
def test_an_rds_class_maps_to_a_flexible_server_sku_and_tier(engine, instance_class, expected):
    size = azure_sizes.flexible_server_sku(engine, instance_class)
    assert (size.name, size.tier) == expected


def test_an_unknown_rds_class_gets_no_sku():
    assert azure_sizes.flexible_server_sku("postgres", "db.weird").name is None


@pytest.mark.parametrize(("engine", "allocated", "expected"), [
    ("postgres", 100, 128), ("postgres", 32, 32), ("postgres", 5000, 8192), ("mysql", 5, 20), ("mysql", 333, 333),
])
def test_storage_rounds_up_to_what_the_engine_offers(engine, allocated, expected):
    assert azure_sizes.storage_gib(engine, allocated) == expected


def test_an_old_postgres_is_raised_to_the_oldest_supported_with_a_note():
    version, note = azure_sizes.engine_version("postgres", "11.9")
    assert version == azure_sizes.POSTGRES_VERSIONS[0] and "upgrade" in note


def test_an_unknown_postgres_version_gets_the_newest_with_a_note_not_called_old():
    version, note = azure_sizes.engine_version("postgres", None)
    assert version == azure_sizes.POSTGRES_VERSIONS[-1] and "version unknown" in note and "older" not in note


def test_mariadb_versions_move_to_mysql_8_with_a_note():
    version, note = azure_sizes.engine_version("mysql", "10.6.14")
    assert version == "8.0.21" and note is not None


def test_measured_p95_utilisation_right_sizes_a_server_with_the_reason_in_the_note():
    size = azure_sizes.vm_size("m5.2xlarge", 8, 32, cpu_p95=14.0, memory_p95=30.0)
    assert (size.name, size.note) == ("Standard_D4s_v5", "sized by CPU p95 14.0%, memory p95 30.0% (allocation 8 vCPU / "
                                                          "32 GiB)")


def test_without_a_memory_measurement_the_memory_allocation_still_decides():
    assert azure_sizes.vm_size("m5.2xlarge", 8, 32, cpu_p95=14.0).name == "Standard_D8s_v5"
