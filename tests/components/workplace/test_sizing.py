"""The sizing formula: hosts and size from users and usage profile, the profile share from users, bad input named."""

from __future__ import annotations

import math

import pytest

from amsterdam_cloud.components.workplace.sizing import (MAX_HOSTS, MIN_PREMIUM_SHARE_GIB, USAGE_PROFILES, VM_SIZES,
                                                         SizingError, size_workplace)


@pytest.mark.parametrize("profile", sorted(USAGE_PROFILES))
def test_pooled_sessions_per_host_are_vcpus_times_the_profiles_density(profile):
    sizing = size_workplace(users=100, profile=profile)
    usage = USAGE_PROFILES[profile]
    assert sizing.vm_size == usage.pooled_size
    assert sizing.sessions_per_host == VM_SIZES[usage.pooled_size].vcpus * usage.users_per_vcpu


def test_medium_users_fill_eight_vcpu_hosts_thirty_two_at_a_time():
    assert size_workplace(users=64, profile="medium", spare_hosts=0).hosts == 2
    assert size_workplace(users=65, profile="medium", spare_hosts=0).hosts == 3


def test_peak_concurrency_sizes_for_the_busiest_moment_not_for_everyone():
    sizing = size_workplace(users=1000, profile="medium", peak_concurrency=0.8, spare_hosts=0)
    assert sizing.concurrent_users == 800
    assert sizing.hosts == math.ceil(800 / 32)


def test_spare_hosts_are_added_on_top_of_the_hosts_the_load_needs():
    without = size_workplace(users=300, profile="light", spare_hosts=0)
    assert size_workplace(users=300, profile="light", spare_hosts=2).hosts == without.hosts + 2


def test_heavier_profiles_need_more_hosts_for_the_same_users():
    hosts = [size_workplace(users=500, profile=p, spare_hosts=0).hosts for p in ("light", "medium", "heavy")]
    assert hosts == sorted(hosts) and len(set(hosts)) == 3


def test_personal_pool_gives_every_user_a_host_of_their_own_and_no_spares():
    sizing = size_workplace(users=12, profile="heavy", pool_type="Personal", spare_hosts=3)
    assert (sizing.hosts, sizing.sessions_per_host, sizing.spare_hosts) == (12, 1, 0)
    assert sizing.vm_size == USAGE_PROFILES["heavy"].personal_size


def test_profile_share_holds_every_users_container_at_full_size():
    assert size_workplace(users=200, profile="medium", profile_gib_per_user=30).profile_share_gib == 6000


def test_profile_share_is_never_below_the_premium_minimum():
    assert size_workplace(users=2, profile="medium").profile_share_gib == MIN_PREMIUM_SHARE_GIB


@pytest.mark.parametrize("inputs, named", [
    ({"users": 0}, "users"), ({"users": True}, "users"), ({"profile": "extreme"}, "profile"),
    ({"pool_type": "Shared"}, "pool_type"), ({"peak_concurrency": 0}, "peak_concurrency"),
    ({"peak_concurrency": 1.5}, "peak_concurrency"), ({"spare_hosts": -1}, "spare_hosts"),
    ({"profile_gib_per_user": 0}, "profile_gib_per_user"),
])
def test_bad_input_names_the_input(inputs, named):
    with pytest.raises(SizingError, match=f"^{named}: "):
        size_workplace(**{"users": 10, "profile": "medium", **inputs})


def test_more_hosts_than_one_pool_holds_asks_for_a_split():
    with pytest.raises(SizingError, match=f"at most {MAX_HOSTS}; split"):
        size_workplace(users=MAX_HOSTS * 6 * 16 + 1, profile="power", spare_hosts=0)


def test_profiles_larger_than_a_premium_share_ask_for_a_split():
    with pytest.raises(SizingError, match="a premium share holds at most"):
        size_workplace(users=4000, profile="light", profile_gib_per_user=30)
