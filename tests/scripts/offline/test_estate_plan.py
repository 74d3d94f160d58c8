"""`cityctl plan --estate`: the real programs of a small synthetic estate (benchmarks/estate_generate.py) planned by
the real engine in forked workers, in StackReference order, incrementally, and in shards merged again."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest

from amsterdam_cloud.core import clock
from amsterdam_cloud.scripts.cli import main

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "benchmarks"))
from estate_generate import generate, set_config  # noqa: E402  (the benchmark's own generator)

PLATFORM = "synthetic-platform"


@pytest.fixture
def estate(tmp_path: Path) -> Path:
    """A platform (dev, test, acc, prod) and two apps with a stack per environment each, every app stack referencing its
    environment's platform stack; 6 resources a stack."""
    root = tmp_path / "estate"
    generate(root, projects=3, stacks=12, resources=6)
    return root


def plan_estate(root: Path, *extra: str) -> int:
    return main(["plan", "--estate", str(root), "--environment", "dev", "--workers", "2", *extra])


def summary(root: Path, name: str = "estate") -> dict:
    return json.loads((root / "out" / "estate" / f"{name}.json").read_text())


def planned(root: Path, name: str = "estate") -> set[str]:
    return {f"{s['project']}/{s['stack']}" for s in summary(root, name)["stacks"] if not s["reused"]}


def plans(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def test_every_stack_is_planned_after_the_stacks_it_references(estate: Path, capsys):
    assert plan_estate(estate) == 0
    document = summary(estate)
    assert len(document["stacks"]) == 12 and document["failure"] is None and document["reused"] == 0
    app = json.loads((estate / "out" / "plans" / "synthetic-app-1.test-1.json").read_text())
    platform = json.loads((estate / "out" / "plans" / f"{PLATFORM}.test.json").read_text())
    reference = next(r for r in app["deployment"]["resources"] if r["type"] == "pulumi:pulumi:StackReference")
    root_outputs = platform["deployment"]["resources"][0]["outputs"]
    assert reference["outputs"]["outputs"] == root_outputs  # the platform stack planned in this run, not a guess
    by_name = {f"{s['project']}/{s['stack']}": s for s in document["stacks"]}
    assert by_name["synthetic-app-2/dev-1"]["references"] == [f"{PLATFORM}/dev"]
    assert by_name[f"{PLATFORM}/dev"]["references"] == []
    assert "12 stacks, 72 resources: 12 planned, 0 reused" in capsys.readouterr().err


def test_a_second_run_reuses_every_stack_from_the_cache(estate: Path, capsys):
    assert plan_estate(estate) == 0
    first = plans(estate / "out" / "plans")
    assert plan_estate(estate) == 0
    assert planned(estate) == set() and summary(estate)["reused"] == 12
    assert plans(estate / "out" / "plans") == first


def test_one_app_config_and_one_platform_output_changed_replan_exactly_those_and_the_dependents(estate: Path,
                                                                                              tmp_path: Path):
    assert plan_estate(estate) == 0
    set_config(estate, "apps/app-1", "acc-1", "resources", "11")  # one app's config
    set_config(estate, "platform", "dev", "label", "blue")  # one platform output: `label`
    assert plan_estate(estate) == 0
    assert planned(estate) == {"synthetic-app-1/acc-1", f"{PLATFORM}/dev", "synthetic-app-1/dev-1",
                               "synthetic-app-2/dev-1"}
    fresh = tmp_path / "fresh"
    shutil.copytree(estate, fresh, ignore=shutil.ignore_patterns("out"))
    assert plan_estate(fresh, "--no-cache") == 0
    assert plans(estate / "out" / "plans") == plans(fresh / "out" / "plans")  # byte-identical to a full re-plan


def test_a_platform_change_that_keeps_its_outputs_reuses_its_dependents(estate: Path):
    assert plan_estate(estate) == 0
    set_config(estate, "platform", "test", "resources", "11")  # more resources, the same outputs
    assert plan_estate(estate) == 0
    assert planned(estate) == {f"{PLATFORM}/test"}


def test_no_cache_plans_everything_and_deleting_the_cache_only_costs_time(estate: Path):
    assert plan_estate(estate) == 0
    first = plans(estate / "out" / "plans")
    assert plan_estate(estate, "--no-cache") == 0
    assert len(planned(estate)) == 12
    shutil.rmtree(estate / "out" / "cache")
    assert plan_estate(estate) == 0
    assert len(planned(estate)) == 12 and plans(estate / "out" / "plans") == first


def _days_later(monkeypatch, days: int) -> None:
    """The clock (`core.clock`) of this process and the workers it forks reads `days` later."""
    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.now(tz) + datetime.timedelta(days=days)

    monkeypatch.setattr(clock, "datetime", types.SimpleNamespace(datetime=Later, timezone=datetime.timezone))


def test_a_new_day_replans_only_the_stacks_whose_plan_read_the_date(estate: Path, monkeypatch):
    set_config(estate, "apps/app-2", "test-1", "dated", "true")  # its program reads the day (a budget's month)
    assert plan_estate(estate) == 0
    first = plans(estate / "out" / "plans")
    assert plan_estate(estate) == 0
    assert planned(estate) == set()  # the same day: all reused, the dated stack too
    _days_later(monkeypatch, 40)
    assert plan_estate(estate) == 0
    assert planned(estate) == {"synthetic-app-2/test-1"}  # the day is in no key: only the stack that read it
    later = plans(estate / "out" / "plans")
    changed = {name for name in first if first[name] != later[name]}
    assert changed == {"synthetic-app-2.test-1.json"}  # its month moved on; every other plan is the same
    fresh = estate.parent / "fresh"
    shutil.copytree(estate, fresh, ignore=shutil.ignore_patterns("out"))
    assert plan_estate(fresh, "--no-cache") == 0
    assert plans(fresh / "out" / "plans") == later  # byte-identical to a full re-plan on that day


def test_a_waiver_for_a_stack_dates_its_policy_result(estate: Path, monkeypatch):
    (estate / "apps" / "app-1" / "waivers.yaml").write_text(
        "waivers:\n  - rule: tags-required\n    stack: dev-1\n    resource: '*'\n    reason: a tagging migration\n"
        "    owner: team@amsterdam.nl\n    ticket: CLOUD-1\n    approver: lead@amsterdam.nl\n"
        f"    approved: '{datetime.date.today().isoformat()}'\n"
        f"    expires: '{(datetime.date.today() + datetime.timedelta(days=20)).isoformat()}'\n")
    assert plan_estate(estate) == 0
    _days_later(monkeypatch, 1)
    assert plan_estate(estate) == 0
    assert planned(estate) == {"synthetic-app-1/dev-1"}  # its waiver's expiry is judged against the day


def _damage(folder: Path, change) -> int:
    """Rewrite every cache file in `folder` with `change(text) -> text`; how many were damaged."""
    files = sorted(folder.glob("*.json"))
    for path in files:
        path.write_text(change(path.read_text()))
    return len(files)


def _with(**fields):
    return lambda text: json.dumps({**json.loads(text), **fields})


def _without(name: str):
    return lambda text: json.dumps({k: v for k, v in json.loads(text).items() if k != name})


@pytest.mark.parametrize("folder, change", [
    ("references", lambda text: "{}"),
    ("references", lambda text: '{"references": 5}'),
    ("references", lambda text: '{"references": [["synthetic-platform"]]}'),
    ("references", lambda text: text[: len(text) // 2]),
    ("entries", lambda text: "[]"),
    ("entries", lambda text: text[: len(text) // 2]),
    ("entries", _without("summary")),
    ("entries", _with(size="1")),
    ("entries", _with(warnings="one")),
    ("entries", _with(resources=True)),
    ("entries", _with(unknown=1)),
], ids=["empty-references", "references-not-a-list", "reference-not-a-pair", "references-truncated",
        "entry-not-an-object", "entry-truncated", "entry-without-summary", "size-as-text", "warnings-not-a-list",
        "resources-a-boolean", "entry-with-an-unknown-field"])
def test_a_damaged_cache_file_is_a_miss_and_the_run_plans_as_without_it(estate: Path, folder: str, change,
                                                                       capsys):
    assert plan_estate(estate) == 0
    first = plans(estate / "out" / "plans")
    assert _damage(estate / "out" / "cache" / folder, change) >= 12
    capsys.readouterr()
    assert plan_estate(estate) == 0
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    assert plans(estate / "out" / "plans") == first
    if folder == "entries":
        assert len(planned(estate)) == 12  # every entry damaged: every stack re-planned, none reused blindly


def test_an_entry_naming_a_file_outside_the_cache_is_a_miss_that_leaves_the_file_alone(estate: Path):
    assert plan_estate(estate) == 0
    outside = estate / "out" / "keep.json"  # what `objects/../../keep` names: a damaged entry's hash must stay a name
    outside.write_text("{}")
    _damage(estate / "out" / "cache" / "entries", _with(plan_sha256="../../keep"))
    assert plan_estate(estate) == 0
    assert len(planned(estate)) == 12 and outside.read_text() == "{}"


def test_a_plan_file_edited_in_place_is_never_reused_from_the_cache(estate: Path):
    assert plan_estate(estate) == 0
    path = estate / "out" / "plans" / f"{PLATFORM}.dev.json"
    original = path.read_bytes()
    assert b"westeurope" in original
    with path.open("r+b") as file:  # in place, the same size: the hard-linked cache object changes with it
        file.write(original.replace(b"westeurope", b"easteurope"))
    assert plan_estate(estate) == 0
    assert planned(estate) == {f"{PLATFORM}/dev"}  # re-planned; its outputs did not change, so its dependents did not
    assert path.read_bytes() == original
    assert plan_estate(estate) == 0
    assert planned(estate) == set() and path.read_bytes() == original  # the re-plan was cached again, whole


def test_a_stack_file_that_is_not_utf8_is_named_in_one_line(estate: Path, capsys):
    config = estate / "apps" / "app-1" / "Pulumi.dev-1.yaml"
    config.write_bytes(config.read_bytes() + b"# caf\xe9\n")
    assert plan_estate(estate) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("cityctl: error: ") and "Pulumi.dev-1.yaml: byte " in error and "is not UTF-8" in error


def test_a_reference_to_a_stack_nowhere_fails_fast_with_the_path_of_the_reference(estate: Path, capsys):
    config = estate / "apps" / "app-2" / "Pulumi.acc-1.yaml"
    config.write_text(config.read_text().replace(f"{PLATFORM}/acc", f"{PLATFORM}/staging"))
    assert plan_estate(estate, "--workers", "1") == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error == ("cityctl: error: plan --estate: synthetic-app-2/acc-1: stack reference "
                     f"'organization/{PLATFORM}/staging': {PLATFORM} has no stack 'staging'; "
                     "its stacks: dev, test, acc, prod")
    assert summary(estate)["failure"]["stack"] == "synthetic-app-2/acc-1"


def test_a_reference_to_a_deleted_stack_fails_even_when_its_old_plan_is_still_saved(estate: Path, capsys):
    extra = estate / "platform" / "Pulumi.tset.yaml"
    shutil.copy(estate / "platform" / "Pulumi.test.yaml", extra)
    assert plan_estate(estate) == 0
    assert (estate / "out" / "plans" / f"{PLATFORM}.tset.json").is_file()
    extra.unlink()
    set_config(estate, "apps/app-2", "test-1", "platform", f"organization/{PLATFORM}/tset")
    assert plan_estate(estate) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.endswith(f"stack reference 'organization/{PLATFORM}/tset': {PLATFORM} has no stack 'tset'; "
                          "its stacks: dev, test, acc, prod")


@pytest.mark.parametrize("estate_run", [False, True], ids=["one-stack", "estate"])
def test_a_failed_naive_plan_prints_its_one_line_error_without_coroutine_warnings(estate: Path, estate_run: bool):
    app = estate / "apps" / "app-2"
    config = app / "Pulumi.acc-1.yaml"
    config.write_text(config.read_text().replace(f"{PLATFORM}/acc", f"{PLATFORM}/staging"))
    arguments = ["--estate", str(estate), "--workers", "1"] if estate_run else ["acc-1"]
    process = subprocess.run([str(Path(sys.executable).with_name("cityctl")), "plan", *arguments, "--naive",
                              "--no-policy"], cwd=app, capture_output=True, text=True)
    assert process.returncode == 2, process.stderr
    assert "never awaited" not in process.stderr and "RuntimeWarning" not in process.stderr, process.stderr
    assert process.stderr.rstrip().splitlines()[-1].startswith("cityctl: error: ")


def test_a_broken_referenced_stack_stops_the_run_and_names_who_references_it(estate: Path, capsys):
    assert plan_estate(estate) == 0
    config = estate / "platform" / "Pulumi.prod.yaml"
    config.write_text(config.read_text().replace('resources: "6"', 'resources: "six"'))
    assert plan_estate(estate) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"cityctl: error: plan --estate: {PLATFORM}/prod (referenced by synthetic-app-1/prod-1"
                            f" and 1 more): the program in ")
    assert "ValueError" in error and "Traceback" not in error


def test_stacks_that_reference_each_other_are_a_cycle_named_as_a_path(estate: Path, capsys):
    set_config(estate, "platform", "dev", "platform", "organization/synthetic-app-1/dev-1")
    assert plan_estate(estate) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "StackReference cycle: " in error
    assert f"{PLATFORM}/dev -> synthetic-app-1/dev-1 -> {PLATFORM}/dev" in error \
        or f"synthetic-app-1/dev-1 -> {PLATFORM}/dev -> synthetic-app-1/dev-1" in error


def test_shards_plan_their_parts_and_the_merge_joins_them_like_one_run(estate: Path, tmp_path: Path, capsys):
    whole = tmp_path / "whole"
    shutil.copytree(estate, whole)
    assert plan_estate(whole) == 0
    agents = []
    for index in (1, 2):  # each shard on its own agent: its own checkout, plans and cache
        agent = tmp_path / f"agent-{index}"
        shutil.copytree(estate, agent)
        if index == 1:  # a cache restored from an earlier run: references known before the run starts
            shutil.copytree(whole / "out" / "cache", agent / "out" / "cache")
        assert plan_estate(agent, "--shard", f"{index}/2", "--no-cache") == 0
        agents.append(agent)
    shard_summaries = [summary(agent, f"shard-{i}-of-2") for i, agent in enumerate(agents, 1)]
    owned = [{f"{s['project']}/{s['stack']}" for s in document["stacks"] if s["owned"]} for document in shard_summaries]
    assert owned[0] and owned[1] and not owned[0] & owned[1] and len(owned[0] | owned[1]) == 12
    merged_plans = tmp_path / "merged-plans"
    merged_plans.mkdir()
    for agent in agents:  # the final job downloads every shard's artifact into one folder
        for path in (agent / "out" / "plans").glob("*.json"):
            shutil.copy(path, merged_plans / path.name)
    capsys.readouterr()
    code = main(["plan", "--estate", str(tmp_path / "whole"), "--plans-dir", str(merged_plans), "--merge",
                 *(str(agent / "out" / "estate" / f"shard-{i}-of-2.json") for i, agent in enumerate(agents, 1))])
    assert code == 0, capsys.readouterr().err
    assert plans(merged_plans) == plans(whole / "out" / "plans")
    assert len(summary(whole)["stacks"]) == 12


def test_the_merge_refuses_a_missing_shard(estate: Path, capsys):
    assert plan_estate(estate, "--shard", "1/2") == 0
    code = main(["plan", "--estate", str(estate), "--merge", str(estate / "out" / "estate" / "shard-1-of-2.json")])
    assert code == 2
    assert "expected each of 1/2, 2/2 once" in capsys.readouterr().err


def test_stacks_not_named_after_an_environment_need_one_for_the_policy_levels(estate: Path, capsys):
    assert main(["plan", "--estate", str(estate)]) == 2
    assert "pass --environment dev|test|acc|prod" in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--shard", "1/2"], ["--no-cache"], ["--projects-file", "p.txt"]])
def test_estate_options_without_estate_are_refused(option: list[str], capsys):
    assert main(["plan", "dev", *option]) == 2
    assert "--estate" in capsys.readouterr().err


@pytest.mark.parametrize("signum,to_group", [(signal.SIGTERM, False), (signal.SIGINT, True)],
                         ids=["sigterm-to-cityctl", "ctrl-c-to-the-terminal-group"])
def test_a_signal_during_an_estate_plan_stops_the_workers_quietly_with_exit_130(estate: Path, signum, to_group: bool):
    process = subprocess.Popen([str(Path(sys.executable).with_name("cityctl")), "plan", "--estate", str(estate),
                                "--environment", "dev"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    seen = []
    try:
        for line in process.stderr:  # ends at the first stack planned (or when cityctl ends)
            seen.append(line)
            if line.startswith("  planned "):
                break
        assert seen and seen[-1].startswith("  planned "), "".join(seen)
        os.killpg(process.pid, signum) if to_group else process.send_signal(signum)
        _, rest = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stderr = "".join(seen) + rest
    assert process.returncode == 130, stderr
    assert stderr.rstrip().endswith("cityctl: interrupted; nothing was half-written"), stderr
    assert "Traceback" not in stderr, stderr
    plans = estate / "out" / "plans"
    assert [p.name for p in plans.glob("*") if not p.name.endswith(".json")] == []  # no temporary file


@pytest.mark.parametrize("damage", [{"shard": "x"}, {"estate": None}, {"stacks": [{"project": 1}]}, {"failure": 3},
                                    {"format": "other"}])
def test_the_merge_refuses_a_damaged_shard_summary_in_one_line(estate: Path, damage: dict, capsys):
    assert plan_estate(estate, "--shard", "1/1") == 0
    path = estate / "out" / "estate" / "shard-1-of-1.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **damage}))
    capsys.readouterr()
    assert main(["plan", "--estate", str(estate), "--merge", str(path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("cityctl: error: ") and "shard-1-of-1.json" in error and "\n" not in error


def test_a_mandatory_violation_fails_the_run_and_is_replayed_from_the_cache(estate: Path, capsys):
    prod = ["plan", "--estate", str(estate), "--environment", "prod", "--workers", "2"]
    assert main(prod) == 1  # prod levels: the synthetic workspaces keep logs 30 days, prod needs 365
    first = capsys.readouterr().err
    assert "[mandatory] monitoring-log-retention" in first and "Policy: 12 stacks with a mandatory violation" in first
    assert main(prod) == 1
    again = capsys.readouterr().err
    assert "0 planned, 12 reused" in again and "[mandatory] monitoring-log-retention" in again
    assert {s["policy"] for s in summary(estate)["stacks"]} == {"failed"}


def test_no_policy_says_so(estate: Path, capsys):
    assert main(["plan", "--estate", str(estate), "--no-policy"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("Policy: not checked (--no-policy)")
    assert {s["policy"] for s in summary(estate)["stacks"]} == {"skipped"}


def test_programs_read_the_clock_only_through_core_clock():
    # a direct read would plan a dated stack as undated and reuse its plan on another day
    direct = re.compile(r"\b(datetime|date)\.(now|today|utcnow)\(")
    readers = [f"{path.relative_to(REPO)}:{number}" for folder in ("core", "components", "stacks")
               for path in sorted((REPO / folder).rglob("*.py"))
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if direct.search(line) and path != REPO / "core" / "clock.py"]
    assert readers == []
