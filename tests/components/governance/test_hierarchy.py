"""The hierarchy's args refuse what Azure would refuse later, or what would silently misplace a subscription."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.governance.hierarchy import ROLES, HierarchyArgs
from amsterdam_cloud.components.interfaces import InterfaceError

TENANT = "9a1b2c3d-0000-4000-8000-000000000001"
SUB = "00000001-0000-4000-8000-000000000001"


def test_group_ids_follow_the_prefix():
    args = HierarchyArgs(tenant_id=TENANT, prefix="ams")

    assert [args.group_id(role) for role in ROLES[:3]] == ["ams", "ams-platform", "ams-management"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"tenant_id": "contoso"}, "tenant_id"),
    ({"prefix": "Amsterdam"}, "prefix"),
    ({"subscriptions": {"root": (SUB,)}}, "'root' is not a management group"),
    ({"subscriptions": {"corp": (SUB,), "sandbox": (SUB,)}}, "also placed in corp"),
])
def test_bad_args_are_refused(changes, message):
    with pytest.raises(InterfaceError, match=message):
        HierarchyArgs(**{"tenant_id": TENANT, **changes})
