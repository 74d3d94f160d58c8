"""Wave planning over small, explicit mappings: order, caps, held-back workloads and cycles."""

from __future__ import annotations

from amsterdam_cloud.scripts.migrate import waves


def mapping(*entries: tuple[str, str, list[str]], resources: int = 1) -> dict:
    """Workloads as (id, status, depends on)."""
    return {"workloads": [{"id": wid, "strategy": "rehost" if status != "not-moving" else "retain", "status": status,
                           "owner": "team@amsterdam.nl", "blockers": [{"code": "no-owner", "message": "x"}]
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


def test_a_blocked_workload_and_its_dependents_are_held_back():
    plan = waves.plan(mapping(("db", "blocked", []), ("api", "ready", ["db"]), ("web", "ready", ["api"])))
    held = {h["id"]: h["reasons"] for h in plan["heldBack"]}
    assert held == {"db": ["blocked: no-owner"], "api": ["depends on held-back db"], "web": ["depends on held-back api"]}
    assert plan["waves"] == []


def test_a_dependency_on_a_retained_workload_does_not_hold_anything_up():
    plan = waves.plan(mapping(("mainframe", "not-moving", []), ("api", "ready", ["mainframe"])))
    assert order(plan) == [["api"]]
    assert plan["notMoving"] == [{"id": "mainframe", "strategy": "retain"}]


def test_a_three_way_cycle_is_found_with_a_path_through_it():
    plan = waves.plan(mapping(("a", "ready", ["b"]), ("b", "ready", ["c"]), ("c", "ready", ["a"]), ("d", "ready", [])))
    assert plan["cycles"] == [{"workloads": ["a", "b", "c"], "path": "a -> b -> c -> a"}]
    assert order(plan) == [["d"]]


def test_strongly_connected_components_separate_two_cycles():
    edges = {"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c", "a"]}
    assert sorted(waves.strongly_connected(edges, edges)) == [["a", "b"], ["c", "d"]]


def test_the_table_lists_waves_held_back_and_not_moving():
    text = waves.table(waves.plan(mapping(("a", "ready", []), ("b", "blocked", []), ("c", "not-moving", []))))
    assert [line.split()[0] for line in text.splitlines()] == ["WAVE", "1", "held", "-"]


def test_a_merged_cycle_with_a_blocked_member_is_held_back_whole():
    plan = waves.plan(mapping(("a", "ready", ["b"]), ("b", "blocked", ["a"])), merge_cycles=True)
    held = {h["id"]: h["reasons"] for h in plan["heldBack"]}
    assert held == {"a": ["moves with held-back b"], "b": ["blocked: no-owner"]}
    assert plan["waves"] == []
