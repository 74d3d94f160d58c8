"""The AVD lifecycle on recorded plans, diffed as `cityctl plan --against` diffs them: a run that renews nothing
changes nothing (not the agent extension on any host), the token is renewed only on purpose."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest

from amsterdam_cloud.core import clock
from amsterdam_cloud.scripts.delivery.plan_diff import PlanDiff, diff_exports
from amsterdam_cloud.scripts.offline.plan import Plan, write_atomically
from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path

from .conftest import WORKPLACE_DIR

pytestmark = pytest.mark.slow

EXTENSION = "azure-native:compute:VirtualMachineExtension"
RENEWED = dt.datetime(2026, 12, 3, 8, tzinfo=dt.timezone.utc)
"""prod's registrationTokenRenewedAt; its token lives 4 hours."""


@pytest.fixture(scope="module")
def plan_at(stack_plan, tmp_path_factory) -> Callable[..., Plan]:
    """`plan_at("prod", now, **config)`: the workplace planned with the program's clock at `now`."""
    plans_dir = tmp_path_factory.mktemp("lifecycle-plans")
    monkeypatch = pytest.MonkeyPatch()

    def plan(stack: str, now: dt.datetime, **overrides: Any) -> Plan:
        write_atomically(saved_plan_path(plans_dir, "amsterdam-platform", stack), stack_plan(stack).export_text())
        monkeypatch.setattr(clock, "_now", lambda: now)  # the one read of the system clock
        try:
            return plan_stack(PulumiProject.load(WORKPLACE_DIR), stack, plans_dir=plans_dir, config_overrides={
                f"amsterdam-workplace:{key}": value for key, value in overrides.items()})
        finally:
            monkeypatch.undo()

    return plan


def diff(before: Plan, after: Plan) -> PlanDiff:
    return diff_exports(before.to_export(), after.to_export())


def changed(plan_diff: PlanDiff) -> dict[str, tuple[str, set[str]]]:
    return {r.name: (r.action, {c.path for c in r.changes}) for r in plan_diff.resources}


def test_two_runs_hours_apart_change_nothing_not_even_the_agent_extensions(plan_at):
    first = plan_at("prod", RENEWED + dt.timedelta(minutes=20))
    later = plan_at("prod", RENEWED + dt.timedelta(hours=2, minutes=50))
    assert len([e for e in later.of_type(EXTENSION) if e.name.endswith("avd-agent")]) == 22
    assert changed(diff(first, later)) == {}


def test_once_the_window_is_over_only_the_pool_changes_never_an_agent_extension(plan_at):
    open_window = plan_at("prod", RENEWED + dt.timedelta(hours=1))
    days_later = plan_at("prod", RENEWED + dt.timedelta(days=9))
    assert changed(diff(open_window, days_later)) == {
        "avd-pool": ("update", {"registrationInfo.expirationTime", "registrationInfo.registrationTokenOperation"})}
    assert days_later.named("avd-pool").inputs["registrationInfo"] == {"registrationTokenOperation": "None"}
    assert changed(diff(days_later, plan_at("prod", RENEWED + dt.timedelta(days=30)))) == {}


def test_renewing_on_purpose_issues_a_new_expiry_and_leaves_registered_hosts_alone(plan_at):
    now = RENEWED + dt.timedelta(days=9)
    renewed = plan_at("prod", now, registrationTokenRenewedAt="2026-12-12T08:00:00Z")
    assert renewed.named("avd-pool").inputs["registrationInfo"] == {
        "expirationTime": "2026-12-12T12:00:00Z", "registrationTokenOperation": "Update"}
    assert changed(diff(plan_at("prod", now), renewed)) == {
        "avd-pool": ("update", {"registrationInfo.expirationTime", "registrationInfo.registrationTokenOperation"})}
    agents = [e for e in renewed.of_type(EXTENSION) if e.name.endswith("avd-agent")]
    assert agents and all(e.options["ignoreChanges"] == ["protectedSettings"] for e in agents)


def test_a_renewal_time_in_the_future_stops_the_plan_naming_the_key(plan_at):
    from amsterdam_cloud.core.errors import UserError
    with pytest.raises(UserError, match="registrationTokenRenewedAt: 2026-12-04T08:00:00Z is in the future"):
        plan_at("prod", RENEWED, registrationTokenRenewedAt="2026-12-04T08:00:00Z")


def test_an_image_change_creates_the_new_host_set_beside_the_draining_old_one_and_replaces_nothing(plan_at):
    now = RENEWED + dt.timedelta(hours=1)
    before = plan_at("prod", now)
    rolling = plan_at("prod", now, image={"version": "2026.12.0", "previousVersion": "2026.11.0"})
    change = diff(before, rolling)
    assert change.counts()["replace"] == change.counts()["delete"] == 0
    assert [(r.name, r.action) for r in change.resources if r.action != "create"] == [
        ("avd-rollout-script", "update")]  # the only change to what exists: the drain is started
    new_vms = [r for r in change.resources if r.type == "azure-native:compute:VirtualMachine"]
    assert len(new_vms) == 22 and all(r.name.startswith("avd-host-2026.12.0-") for r in new_vms)
    old_names = before.stack_outputs["sessionHostNames"]
    settings = {v["name"]: v["value"] for v in rolling.named("avd-rollout-script").inputs["environmentVariables"]}
    assert settings["DRAIN_HOSTS"].split(",") == old_names == rolling.stack_outputs["drainingHostNames"]
    assert settings["CURRENT_HOSTS"].split(",") == rolling.stack_outputs["sessionHostNames"]
    assert not set(old_names) & set(rolling.stack_outputs["sessionHostNames"])


def test_removing_the_drained_set_deletes_only_its_hosts(plan_at):
    now = RENEWED + dt.timedelta(hours=1)
    rolling = plan_at("prod", now, image={"version": "2026.12.0", "previousVersion": "2026.11.0"})
    done = plan_at("prod", now, image={"version": "2026.12.0"})
    change = diff(rolling, done)
    assert change.counts()["create"] == change.counts()["replace"] == 0
    assert [r.name for r in change.resources if r.action == "update"] == ["avd-rollout-script"]  # unregisters them
    deleted = [r for r in change.resources if r.action == "delete"]
    assert deleted and all(r.name.startswith("avd-host-2026.11.0") for r in deleted)
    assert len([r for r in deleted if r.type == "azure-native:compute:VirtualMachine"]) == 22
    assert not change.data_loss  # the deploy gate lets prod retire a set without a data-loss waiver
    settings = {v["name"]: v["value"] for v in done.named("avd-rollout-script").inputs["environmentVariables"]}
    assert settings["DRAIN_HOSTS"] == ""
