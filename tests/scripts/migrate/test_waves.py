"""Wave planning over small, explicit mappings: order, caps, held-back workloads and cycles."""

from __future__ import annotations

from amsterdam_cloud.scripts.migrate import waves
from amsterdam_cloud.scripts.migrate.overrides import Overrides


def mapping(*entries: tuple[str, str, list[str]], resources: int = 1) -> dict:
    """Workloads as (id, status, depends on)."""
    return {"workloads": [{"id": wid, "strategy": "rehost" if status != "not-moving" else "retain", "status": status,
                           "owner": "team@amsterdam.nl", "blockers": [{"code": "data-outside-eu", "tier": "planning", "message": "x"}]
                           if status == "blocked" else [], "dependsOn": deps,
                           "resources": [{"id": f"{wid}-{i}"} for i in range(resources)]}
                          for wid, status, deps in entries]}


def order(plan: dict) -> list[list[str]]:
    return [[e["id"] for e in wave["workloads"]] for wave in plan["waves"]]


def test_a_workload_moves_in_a_wave_after_its_dependencies():
    plan = waves.plan(mapping(("web", "ready", ["api"]), ("api", "ready", ["db"]), ("db", "ready", [])))
    assert order(plan) == [["db"], ["api"], ["web"]]


def test_a_wave_holds_no_more_than_the_cap():
    plan = waves.plan(mapping(*[(f"app{i}", "ready", []) for i in range(5)]), max_workloads=2)
    assert [len(w) for w in order(plan)] == [2, 2, 1]


def test_the_resource_cap_splits_waves():
    plan = waves.plan(mapping(("a", "ready", []), ("b", "ready", []), resources=3), max_resources=4)
    assert order(plan) == [["a"], ["b"]]


def test_workloads_that_unblock_more_go_first_when_the_wave_is_full():
    plan = waves.plan(mapping(("lonely", "ready", []), ("hub", "ready", []), ("x", "ready", ["hub"]),
                              ("y", "ready", ["hub"])), max_workloads=1)
    assert order(plan)[0] == ["hub"]


def provisional(plan: dict) -> dict[str, list[str]]:
    return {e["id"]: e["reasons"] for wave in plan["waves"] for e in wave["workloads"] if e.get("provisional")}


def test_a_blocked_workload_and_its_dependents_get_provisional_waves():
    plan = waves.plan(mapping(("db", "blocked", []), ("api", "ready", ["db"]), ("web", "ready", ["api"])))
    assert order(plan) == [["db"], ["api"], ["web"]]
    assert provisional(plan) == {"db": ["blocked: data-outside-eu"], "api": ["after provisional db"],
                                 "web": ["after provisional api"]}
    assert plan["heldBack"] == []


def test_a_dependency_on_a_retained_workload_does_not_hold_anything_up():
    plan = waves.plan(mapping(("mainframe", "not-moving", []), ("api", "ready", ["mainframe"])))
    assert order(plan) == [["api"]]
    assert plan["notMoving"] == [{"id": "mainframe", "strategy": "retain", "status": "not-moving"}]


def test_a_three_way_cycle_is_found_with_a_path_through_it():
    plan = waves.plan(mapping(("a", "ready", ["b"]), ("b", "ready", ["c"]), ("c", "ready", ["a"]), ("d", "ready", [])))
    assert plan["cycles"] == [{"workloads": ["a", "b", "c"], "path": "a -> b -> c -> a"}]
    assert order(plan) == [["d"]]


def test_strongly_connected_components_separate_two_cycles():
    edges = {"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c", "a"]}
    assert sorted(waves.strongly_connected(edges, edges)) == [["a", "b"], ["c", "d"]]


def test_the_table_lists_waves_held_back_and_not_moving():
    text = waves.table(waves.plan(mapping(("a", "ready", []), ("b", "blocked", []), ("c", "not-moving", []))))
    assert [line.split()[0] for line in text.splitlines()] == ["WAVE", "1", "1?", "-"]


def test_a_merged_cycle_with_a_blocked_member_moves_together_provisionally():
    plan = waves.plan(mapping(("a", "ready", ["b"]), ("b", "blocked", ["a"])), merge_cycles=True)
    assert order(plan) == [["a", "b"]]
    assert set(provisional(plan)) == {"a", "b"}


def test_a_cycle_held_back_holds_back_what_depends_on_it():
    plan = waves.plan(mapping(("a", "ready", ["b"]), ("b", "ready", ["a"]), ("c", "ready", ["a"])))
    held = {h["id"]: h["reasons"] for h in plan["heldBack"]}
    assert held["c"] == ["depends on held-back a"]


def dtap(*entries: tuple[str, str, list[str]]) -> dict:
    document = mapping(*entries)
    for w in document["workloads"]:
        w["application"], w["platformEnvironment"] = w["id"].split("/")
    return document


def test_an_application_moves_dev_then_test_then_acc_then_prod():
    plan = waves.plan(dtap(("web/prod", "ready", []), ("web/acc", "ready", []), ("web/dev", "ready", []),
                           ("web/test", "ready", []), ("api/prod", "ready", [])))
    assert order(plan) == [["web/dev", "api/prod"], ["web/test"], ["web/acc"], ["web/prod"]]
    assert next(e for w in plan["waves"] for e in w["workloads"] if e["id"] == "web/prod")["after"] == "web/acc"


def test_a_missing_environment_is_skipped_in_the_dtap_order():
    plan = waves.plan(dtap(("web/prod", "ready", []), ("web/dev", "ready", [])))
    assert order(plan) == [["web/dev"], ["web/prod"]]


def overrides(**workloads: dict) -> Overrides:
    return Overrides(source="overrides.yaml", workloads=workloads)


def test_a_pin_places_a_workload_in_its_wave():
    plan = waves.plan(mapping(("a", "ready", []), ("b", "ready", [])), overrides=overrides(b={"wave": 3}))
    assert order(plan) == [["a"], [], ["b"]]
    assert plan["pinsMissed"] == []


def test_a_pin_before_the_dependencies_is_placed_after_them_and_reported():
    plan = waves.plan(mapping(("a", "ready", []), ("b", "ready", ["a"])), overrides=overrides(b={"wave": 1}))
    assert order(plan) == [["a"], ["b"]]
    assert plan["pinsMissed"] == ["b is pinned to wave 1 but its dependencies place it in wave 2"]


def test_a_pin_beats_the_wave_cap():
    plan = waves.plan(mapping(("a", "ready", []), ("b", "ready", [])), max_workloads=1,
                      overrides=overrides(b={"wave": 1}))
    assert order(plan) == [["b"], ["a"]]


def test_an_excluded_workload_is_left_out_and_what_depends_on_it_is_provisional():
    plan = waves.plan(mapping(("a", "ready", []), ("b", "ready", ["a"])), overrides=overrides(a={"exclude": True}))
    assert order(plan) == [["b"]]
    assert plan["excluded"] == [{"id": "a", "reason": "exclude: true in overrides.yaml"}]
    assert provisional(plan) == {"b": ["depends on excluded a"]}
