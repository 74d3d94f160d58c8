"""Azure sizes for AWS (and on-prem) shapes: explicit tables, one rule each, so a reviewer can check every answer.

Virtual machines: the EC2 family letter picks an Azure family (t -> B, m -> Dsv5, c -> Fsv2, r -> Esv5,
x/u -> M, i/d -> Lsv3); a server without one (on-prem, or an unknown EC2 family) gets the family of its memory
per vCPU (F up to 2 GiB, D up to 4, E above, M when E is too small); GPU, Arm and Mac instances are `no-size` with the named
Azure alternative. Inside the family the smallest size with at least the source's vCPUs and GiB wins. When nothing in the family is big enough, the general-purpose and then the
memory-optimized families are tried, with a note.

Databases: the RDS class (`db.<family>.<size>`) gives vCPU and GiB (`RDS_SIZES`, AWS's published shapes); the
family picks the flexible-server tier (t -> Burstable, m -> GeneralPurpose, r/x/z -> MemoryOptimized) and inside
the tier the smallest SKU that fits wins. PostgreSQL storage rounds up to a size flexible server offers; MySQL
storage to at least 20 GiB. Versions older than Azure supports are raised to the oldest supported one, with a note.

The tables are heuristics from Azure's published size pages (vCPU, GiB); they are data, not logic: change a row,
not the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from amsterdam_cloud.core.app_config import MYSQL_SKUS, MYSQL_STORAGE_GIB, MYSQL_VERSIONS, POSTGRES_SKUS, \
    POSTGRES_STORAGE_GIB, POSTGRES_VERSIONS

# (name, vCPU, GiB) per Azure VM family, smallest first.
VM_FAMILIES: dict[str, tuple[tuple[str, int, float], ...]] = {
    "B": (("Standard_B1s", 1, 1), ("Standard_B1ms", 1, 2), ("Standard_B2s", 2, 4), ("Standard_B2ms", 2, 8),
          ("Standard_B4ms", 4, 16), ("Standard_B8ms", 8, 32), ("Standard_B12ms", 12, 48),
          ("Standard_B16ms", 16, 64), ("Standard_B20ms", 20, 80)),
    "Dsv5": (("Standard_D2s_v5", 2, 8), ("Standard_D4s_v5", 4, 16), ("Standard_D8s_v5", 8, 32),
             ("Standard_D16s_v5", 16, 64), ("Standard_D32s_v5", 32, 128), ("Standard_D48s_v5", 48, 192),
             ("Standard_D64s_v5", 64, 256), ("Standard_D96s_v5", 96, 384)),
    "Fsv2": (("Standard_F2s_v2", 2, 4), ("Standard_F4s_v2", 4, 8), ("Standard_F8s_v2", 8, 16),
             ("Standard_F16s_v2", 16, 32), ("Standard_F32s_v2", 32, 64), ("Standard_F48s_v2", 48, 96),
             ("Standard_F64s_v2", 64, 128), ("Standard_F72s_v2", 72, 144)),
    "Esv5": (("Standard_E2s_v5", 2, 16), ("Standard_E4s_v5", 4, 32), ("Standard_E8s_v5", 8, 64),
             ("Standard_E16s_v5", 16, 128), ("Standard_E20s_v5", 20, 160), ("Standard_E32s_v5", 32, 256),
             ("Standard_E48s_v5", 48, 384), ("Standard_E64s_v5", 64, 512), ("Standard_E96s_v5", 96, 672)),
    "M": (("Standard_M32ts", 32, 192), ("Standard_M32ls", 32, 256), ("Standard_M64ls", 64, 512),
          ("Standard_M64s", 64, 1024), ("Standard_M64ms", 64, 1792), ("Standard_M128s", 128, 2048),
          ("Standard_M128ms", 128, 3892)),
    "Lsv3": (("Standard_L8s_v3", 8, 64), ("Standard_L16s_v3", 16, 128), ("Standard_L32s_v3", 32, 256),
             ("Standard_L48s_v3", 48, 384), ("Standard_L64s_v3", 64, 512), ("Standard_L80s_v3", 80, 640)),
}

EC2_FAMILY_TO_AZURE: dict[str, str] = {"t": "B", "m": "Dsv5", "c": "Fsv2", "r": "Esv5", "z": "Esv5",
                                       "x": "M", "u": "M", "i": "Lsv3", "d": "Lsv3"}
"""First letter of the EC2 instance family to the Azure VM family."""

DB_FAMILY_TO_TIER = {"t": "Burstable", "m": "GeneralPurpose", "r": "MemoryOptimized", "x": "MemoryOptimized",
                     "z": "MemoryOptimized"}

# The SKUs, storage sizes and versions flexible server offers are the app contract's (core/app_config.py).

# RDS instance sizes: size suffix to vCPU, and GiB per vCPU by family; burstable t classes have their own table.
_SIZE_VCPU = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64,
              "24xlarge": 96, "32xlarge": 128}
_GIB_PER_VCPU = {"m": 4, "r": 8, "x": 16, "z": 8, "c": 2}
_BURSTABLE = {"micro": (2, 1), "small": (2, 2), "medium": (2, 4), "large": (2, 8), "xlarge": (4, 16), "2xlarge": (8, 32)}


@dataclass(frozen=True, kw_only=True)
class Size:
    """A chosen Azure size and why."""

    name: str | None
    """The Azure size or SKU name; none when nothing fits (then `note` says why)."""
    vcpu: int | None = None
    memory_gib: float | None = None
    tier: str | None = None
    """Flexible server tier (Burstable, GeneralPurpose, MemoryOptimized); none for VMs."""
    note: str | None = None
    """Something a reviewer should look at (a fallback family, a size the source does not match exactly)."""


def _smallest(sizes: tuple[tuple[str, int, float], ...], vcpu: float, gib: float) -> tuple[str, int, float] | None:
    return next((s for s in sizes if s[1] >= vcpu and s[2] >= gib), None)


RATIO_FAMILIES: tuple[tuple[float, str], ...] = ((2.0, "Fsv2"), (4.0, "Dsv5"), (float("inf"), "Esv5"))
"""GiB per vCPU up to which each family fits a shape with no EC2 family to go by (an on-prem server): compute
optimized (up to 2), general purpose (up to 4), memory optimized above (M when no E size is large enough)."""

SPECIAL_EC2_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"^(g|p|dl|inf|trn|vt|f)\d", "a GPU/accelerator instance: Azure NC or ND (e.g. Standard_NC4as_T4_v3, "
                                   "Standard_ND96asr_v4); size it by hand"),
    (r"^[a-z]+\d+g[a-z]*$", "an Arm (Graviton) instance: Azure Dpsv5/Epsv5 (Ampere Altra, e.g. "
                             "Standard_D4ps_v5) for arm64 images, or rebuild for x86; size it by hand"),
    (r"^mac", "a Mac instance: Azure has none; keep it on AWS or move the builds to hosted macOS agents"),
)
"""EC2 families with no x86 Azure equivalent: kept as `no-size` blockers that name the Azure alternative."""


def ratio_family(vcpu: float, memory_gib: float) -> str:
    """The Azure family whose memory per vCPU suits the shape (D/E/F by GiB per vCPU)."""
    ratio = memory_gib / vcpu
    return next(family for limit, family in RATIO_FAMILIES if ratio <= limit)


TARGET_CPU_PERCENT = 70.0
TARGET_MEMORY_PERCENT = 80.0
"""Measured p95 load is sized to run at most this busy on Azure (headroom for peaks and growth)."""


def needed_shape(vcpu: float, memory_gib: float, cpu_p95: float | None,
                 memory_p95: float | None) -> tuple[float, float, str | None]:
    """vCPU and GiB the server needs: its allocation, or what its measured p95 needs at the target utilisation."""
    if cpu_p95 is None and memory_p95 is None:
        return vcpu, memory_gib, None
    need_vcpu = max(1.0, vcpu * cpu_p95 / TARGET_CPU_PERCENT) if cpu_p95 is not None else vcpu
    need_gib = max(0.5, memory_gib * memory_p95 / TARGET_MEMORY_PERCENT) if memory_p95 is not None else memory_gib
    measured = ", ".join(part for part in (f"CPU p95 {cpu_p95}%" if cpu_p95 is not None else "",
                                           f"memory p95 {memory_p95}%" if memory_p95 is not None else "") if part)
    return need_vcpu, need_gib, f"sized by {measured} (allocation {vcpu:g} vCPU / {memory_gib:g} GiB)"


def vm_size(instance_type: str | None, vcpu: float | None, memory_gib: float | None, *,
            cpu_p95: float | None = None, memory_p95: float | None = None) -> Size:
    """The Azure VM size for an EC2 instance type (or an on-prem server: `instance_type` None) and its shape, by
    its measured p95 utilisation when there is one, else by its allocation."""
    if not vcpu or not memory_gib:
        return Size(name=None, note=f"no vCPU/memory known for {instance_type or 'the server'}; size it by hand")
    vcpu, memory_gib, measured = needed_shape(vcpu, memory_gib, cpu_p95, memory_p95)
    ec2_family = (instance_type or "").split(".")[0].lower()
    for pattern, alternative in SPECIAL_EC2_FAMILIES:
        if ec2_family and re.match(pattern, ec2_family):
            return Size(name=None, note=f"{instance_type} is {alternative}")
    family = EC2_FAMILY_TO_AZURE.get(ec2_family[:1]) if ec2_family else ratio_family(vcpu, memory_gib)
    note = None
    if family is None:
        family = ratio_family(vcpu, memory_gib)
        note = f"EC2 family {ec2_family} has no direct Azure equivalent; {family} chosen by memory per vCPU, review it"
    fit = _smallest(VM_FAMILIES[family], vcpu, memory_gib)
    if fit is None:
        for fallback in ("Dsv5", "Esv5", "M"):
            fit = _smallest(VM_FAMILIES[fallback], vcpu, memory_gib)
            if fit:
                note = f"larger than any {family} size; {fallback} family chosen"
                break
    if fit is None:
        return Size(name=None, note=f"{vcpu} vCPU / {memory_gib} GiB is larger than any VM size in the table")
    return Size(name=fit[0], vcpu=fit[1], memory_gib=fit[2], note="; ".join(n for n in (measured, note) if n) or None)


def rds_shape(instance_class: str | None) -> tuple[int, float] | None:
    """vCPU and GiB of an RDS class such as `db.m5.large` (None when the class is not understood)."""
    match = re.match(r"^db\.([a-z]+)(\d+)[a-z-]*\.(\w+)$", instance_class or "")
    if not match:
        return None
    family, size = match.group(1)[:1], match.group(3)
    if family == "t":
        return _BURSTABLE.get(size)
    if size not in _SIZE_VCPU or family not in _GIB_PER_VCPU:
        return None
    vcpu = _SIZE_VCPU[size]
    return vcpu, float(vcpu * _GIB_PER_VCPU[family])


def flexible_server_sku(engine: str, instance_class: str | None, vcpu: float | None = None,
                        memory_gib: float | None = None) -> Size:
    """The flexible server SKU for a database: from its RDS class, or from vCPU/GiB (an on-prem database)."""
    table = POSTGRES_SKUS if engine == "postgres" else MYSQL_SKUS
    if instance_class:
        shape = rds_shape(instance_class)
        if shape is None:
            return Size(name=None, note=f"RDS class {instance_class} is not in the sizing table; size it by hand")
        vcpu, memory_gib = shape
        tier = DB_FAMILY_TO_TIER.get(instance_class.split(".")[1][:1], "GeneralPurpose")
    elif vcpu and memory_gib:
        tier = "MemoryOptimized" if memory_gib / vcpu >= 8 else "GeneralPurpose"
    else:
        return Size(name=None, note="no class, vCPU or memory known for the database; size it by hand")
    fit = _smallest(table[tier], vcpu, memory_gib)
    note = None
    if fit is None:
        for fallback in ("GeneralPurpose", "MemoryOptimized"):
            fit = _smallest(table[fallback], vcpu, memory_gib)
            if fit:
                tier, note = fallback, f"larger than any {tier} SKU; {fallback} chosen"
                break
    if fit is None:
        return Size(name=None, note=f"{vcpu} vCPU / {memory_gib} GiB is larger than any {engine} flexible server SKU")
    return Size(name=fit[0], vcpu=fit[1], memory_gib=fit[2], tier=tier, note=note)


def highly_available(engine: str, sku: str) -> Size:
    """A SKU that supports zone-redundant high availability: Burstable SKUs move up to the smallest GeneralPurpose
    SKU with at least their vCPU and GiB (prod runs its databases highly available); other SKUs stay."""
    table = POSTGRES_SKUS if engine == "postgres" else MYSQL_SKUS
    burstable = {name: (vcpu, gib) for name, vcpu, gib in table["Burstable"]}
    if sku not in burstable:
        return Size(name=sku)
    vcpu, gib = burstable[sku]
    fit = _smallest(table["GeneralPurpose"], vcpu, gib)
    assert fit is not None, "every Burstable SKU has a GeneralPurpose SKU at least as large"
    return Size(name=fit[0], vcpu=fit[1], memory_gib=fit[2], tier="GeneralPurpose",
                note=f"{sku} is Burstable, which has no high availability; {fit[0]} for prod")


def storage_gib(engine: str, allocated: float | None) -> int:
    """The flexible server storage for an allocated size: rounded up to what the engine offers."""
    wanted = max(1, int(-(-(allocated or 0) // 1)))
    if engine == "postgres":
        return next((size for size in POSTGRES_STORAGE_GIB if size >= wanted), POSTGRES_STORAGE_GIB[-1])
    low, high = MYSQL_STORAGE_GIB
    return min(max(wanted, low), high)


def engine_version(engine: str, version: str | None) -> tuple[str, str | None]:
    """The target version for a source version, and a note when it changes more than the patch level."""
    if engine == "postgres":
        if not version:
            return POSTGRES_VERSIONS[-1], (f"PostgreSQL version unknown: {POSTGRES_VERSIONS[-1]}, the newest flexible "
                                           "server offers, chosen; record the source's version and check the "
                                           "application on it")
        major = version.split(".")[0]
        if major in POSTGRES_VERSIONS:
            return major, None
        if major.isdigit() and int(major) > int(POSTGRES_VERSIONS[-1]):
            return POSTGRES_VERSIONS[-1], f"PostgreSQL {version} is newer than flexible server offers; {POSTGRES_VERSIONS[-1]} chosen"
        return POSTGRES_VERSIONS[0], (f"PostgreSQL {version or '(unknown)'} is older than flexible server supports; "
                                      f"upgrade to {POSTGRES_VERSIONS[0]} as part of the move")
    target = MYSQL_VERSIONS[-1]
    if (version or "").startswith("8.0"):
        return target, None
    return target, f"MySQL-compatible {version or '(unknown)'} moves to MySQL {target}; test the application on it"
