"""How many session hosts of which size a workplace needs, from the number of users and how they work.

The formula, pure and documented once (docs/workplace.md repeats it):

* Each usage profile has a density, *users per vCPU*, and a VM size, after Microsoft Learn's "Session host virtual
  machine sizing guidelines" for multi-session Windows: light 6, medium 4, heavy 2, power 1 user(s) per vCPU,
  on 8-vCPU hosts (power users on 16 vCPUs, they run the heaviest applications).
* **Pooled**: `concurrent = ceil(users x peak_concurrency)`, `sessions_per_host = vCPUs(size) x users_per_vCPU`,
  `hosts = ceil(concurrent / sessions_per_host) + spare_hosts`. The host pool's session limit is
  `sessions_per_host`, so no host is loaded beyond the guideline; the spare hosts absorb one host in maintenance
  or drained for an image update without users noticing.
* **Personal**: one host per user (`hosts = users`), a smaller size per profile, session limit 1; no spares
  (a personal desktop cannot stand in for another user's).
* **Profiles**: `share_gib = max(100, ceil(users x profile_gib_per_user))`: every user's FSLogix container at
  its maximum size (30 GiB by Microsoft's guideline) on Azure Files premium, whose smallest share is 100 GiB and
  whose IOPS grow with the provisioned size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from amsterdam_cloud.core.errors import UserError

POOL_TYPES = ("Pooled", "Personal")


class SizingError(UserError):
    """The sizing inputs cannot give a workable workplace (names the input and the fix)."""


@dataclass(frozen=True, kw_only=True)
class VmSize:
    """An Azure VM size the sizing can choose, with what the formula needs to know of it."""

    name: str
    vcpus: int
    memory_gib: int


VM_SIZES: Mapping[str, VmSize] = {size.name: size for size in (
    VmSize(name="Standard_D2s_v5", vcpus=2, memory_gib=8),
    VmSize(name="Standard_D4s_v5", vcpus=4, memory_gib=16),
    VmSize(name="Standard_D8s_v5", vcpus=8, memory_gib=32),
    VmSize(name="Standard_D16s_v5", vcpus=16, memory_gib=64),
)}
"""The sizes the formula picks from: Dsv5 (general purpose, premium SSD, Trusted Launch and encryption at host)."""


@dataclass(frozen=True, kw_only=True)
class UsageProfile:
    """How a group of users works: its density on shared hosts and the sizes it gets."""

    users_per_vcpu: int
    """Concurrent users one vCPU serves on a multi-session host (Microsoft's sizing guideline)."""
    pooled_size: str
    """The VM size of a shared (pooled) host."""
    personal_size: str
    """The VM size of a personal desktop."""


USAGE_PROFILES: Mapping[str, UsageProfile] = {
    "light": UsageProfile(users_per_vcpu=6, pooled_size="Standard_D8s_v5", personal_size="Standard_D2s_v5"),
    "medium": UsageProfile(users_per_vcpu=4, pooled_size="Standard_D8s_v5", personal_size="Standard_D4s_v5"),
    "heavy": UsageProfile(users_per_vcpu=2, pooled_size="Standard_D8s_v5", personal_size="Standard_D8s_v5"),
    "power": UsageProfile(users_per_vcpu=1, pooled_size="Standard_D16s_v5", personal_size="Standard_D16s_v5"),
}
"""light: data entry, a browser; medium: office and line-of-business apps; heavy: many apps at once, large files;
power: development, GIS, heavy analysis."""

MIN_PREMIUM_SHARE_GIB = 100
"""Azure Files premium provisions at least 100 GiB per share."""
MAX_PREMIUM_SHARE_GIB = 102_400
"""Azure Files premium provisions at most 100 TiB per share."""
MAX_HOSTS = 500
"""More hosts than this in one pool is a second pool (and a second stack), not a bigger one."""


@dataclass(frozen=True, kw_only=True)
class Sizing:
    """What the formula gives: host count and size, the pool's session limit, the profile share's size."""

    pool_type: str
    vm_size: str
    vcpus_per_host: int
    sessions_per_host: int
    concurrent_users: int
    hosts: int
    spare_hosts: int
    profile_share_gib: int
    profile_gib_per_user: int


def size_workplace(*, users: int, profile: str, pool_type: str = "Pooled", peak_concurrency: float = 1.0,
                   spare_hosts: int = 1, profile_gib_per_user: int = 30) -> Sizing:
    """Apply the formula in this module's docstring; bad input raises SizingError naming the input."""
    if isinstance(users, bool) or not isinstance(users, int) or users < 1:
        raise SizingError(f"users: {users!r}; expected a whole number of at least 1")
    if profile not in USAGE_PROFILES:
        raise SizingError(f"profile: {profile!r}; expected one of {', '.join(USAGE_PROFILES)}")
    if pool_type not in POOL_TYPES:
        raise SizingError(f"pool_type: {pool_type!r}; expected one of {', '.join(POOL_TYPES)}")
    if not 0 < peak_concurrency <= 1:
        raise SizingError(f"peak_concurrency: {peak_concurrency!r}; expected a fraction above 0 and at most 1 "
                          "(0.8: at the busiest moment 80% of the users are signed in)")
    if isinstance(spare_hosts, bool) or not isinstance(spare_hosts, int) or spare_hosts < 0:
        raise SizingError(f"spare_hosts: {spare_hosts!r}; expected a whole number of at least 0")
    if not 1 <= profile_gib_per_user <= 1024:
        raise SizingError(f"profile_gib_per_user: {profile_gib_per_user!r}; expected 1 to 1024 (Microsoft "
                          "recommends 30 GiB)")
    usage = USAGE_PROFILES[profile]
    if pool_type == "Pooled":
        size = VM_SIZES[usage.pooled_size]
        sessions_per_host = size.vcpus * usage.users_per_vcpu
        concurrent = math.ceil(users * peak_concurrency)
        hosts = math.ceil(concurrent / sessions_per_host) + spare_hosts
        spares = spare_hosts
    else:
        size = VM_SIZES[usage.personal_size]
        sessions_per_host, concurrent, hosts, spares = 1, users, users, 0
    if hosts > MAX_HOSTS:
        raise SizingError(f"users: {users} {profile} users need {hosts} hosts; one pool holds at most {MAX_HOSTS}; "
                          "split the users over several workplace pools")
    share = max(MIN_PREMIUM_SHARE_GIB, math.ceil(users * profile_gib_per_user))
    if share > MAX_PREMIUM_SHARE_GIB:
        raise SizingError(f"users: {users} profiles of {profile_gib_per_user} GiB need {share} GiB; a premium "
                          f"share holds at most {MAX_PREMIUM_SHARE_GIB} GiB; lower profile_gib_per_user or split "
                          "the users")
    return Sizing(pool_type=pool_type, vm_size=size.name, vcpus_per_host=size.vcpus,
                  sessions_per_host=sessions_per_host, concurrent_users=concurrent, hosts=hosts, spare_hosts=spares,
                  profile_share_gib=share, profile_gib_per_user=profile_gib_per_user)
