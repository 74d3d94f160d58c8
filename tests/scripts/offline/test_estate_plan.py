"""`cityctl plan --estate`: the real programs of a small synthetic estate (benchmarks/estate_generate.py) planned by
the real engine in forked workers, in StackReference order, incrementally, and in shards merged again."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from amsterdam_cloud.core import clock
from amsterdam_cloud.core.errors import display
from amsterdam_cloud.scripts.cli import main
from tests.scripts.interrupt import interrupt_at

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


def test_one_app_config_and_a_new_platform_output_replan_that_app_and_the_platform_only(estate: Path,
                                                                                       tmp_path: Path):
    assert plan_estate(estate) == 0
    set_config(estate, "apps/app-1", "acc-1", "resources", "11")  # one app's config
    set_config(estate, "platform", "dev", "label", "blue")  # a new platform output, `label`, that no app reads
    assert plan_estate(estate) == 0
    assert planned(estate) == {"synthetic-app-1/acc-1", f"{PLATFORM}/dev"}  # the dev apps are relinked, not planned
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
    real = clock._now
    monkeypatch.setattr(clock, "_now", lambda: real() + datetime.timedelta(days=days))


def _at(monkeypatch, instant: str) -> None:
    """The clock of this process and the workers it forks stands at `instant` (ISO 8601, UTC)."""
    at = datetime.datetime.fromisoformat(instant).replace(tzinfo=datetime.timezone.utc)
    monkeypatch.setattr(clock, "_now", lambda: at)


def test_a_stack_that_read_the_month_is_reused_all_month_and_replanned_the_next(estate: Path, monkeypatch):
    set_config(estate, "apps/app-2", "test-1", "dated", "true")  # its program reads the month (a budget's start)
    _at(monkeypatch, "2026-12-03T10:00:00")
    assert plan_estate(estate) == 0
    first = plans(estate / "out" / "plans")
    _at(monkeypatch, "2026-12-31T23:00:00")
    assert plan_estate(estate) == 0
    assert planned(estate) == set()  # later in the month: all reused, the dated stack too
    _at(monkeypatch, "2027-01-01T00:30:00")
    assert plan_estate(estate) == 0
    assert planned(estate) == {"synthetic-app-2/test-1"}  # the date is in no key: only the stack that read it
    later = plans(estate / "out" / "plans")
    changed = {name for name in first if first[name] != later[name]}
    assert changed == {"synthetic-app-2.test-1.json"}  # its month moved on; every other plan is the same
    fresh = estate.parent / "fresh"
    shutil.copytree(estate, fresh, ignore=shutil.ignore_patterns("out"))
    assert plan_estate(fresh, "--no-cache") == 0
    assert plans(fresh / "out" / "plans") == later  # byte-identical to a full re-plan in that month


def test_a_stack_that_asked_whether_it_is_before_an_instant_is_reused_until_that_instant(estate: Path, monkeypatch):
    program = estate / "apps" / "app-1" / "__main__.py"  # a window such as a host pool's registration token
    program.write_text(program.read_text() + "\nimport datetime\nfrom amsterdam_cloud.core import clock\n"
                       "pulumi.export('open', clock.before(datetime.datetime(2026, 12, 4, 7, "
                       "tzinfo=datetime.timezone.utc)))\n")
    _at(monkeypatch, "2026-12-03T08:00:00")
    assert plan_estate(estate) == 0
    app_1 = {f"{s['project']}/{s['stack']}" for s in summary(estate)["stacks"] if s["project"] == "synthetic-app-1"}
    _at(monkeypatch, "2026-12-04T06:59:00")
    assert plan_estate(estate) == 0
    assert planned(estate) == set()  # still open: the plans hold
    _at(monkeypatch, "2026-12-04T07:00:00")
    assert plan_estate(estate) == 0
    assert planned(estate) == app_1  # the window closed: exactly the stacks of the program that asked
    root = json.loads((estate / "out" / "plans" / "synthetic-app-1.dev-1.json").read_text())["deployment"]
    assert root["resources"][0]["outputs"]["open"] is False
    _at(monkeypatch, "2026-12-20T07:00:00")
    assert plan_estate(estate) == 0
    assert planned(estate) == set()  # closed for good: nothing left to wait for


def test_a_waivers_expiry_is_when_its_stacks_policy_result_is_checked_again(estate: Path, monkeypatch):
    (estate / "apps" / "app-1" / "waivers.yaml").write_text(
        "waivers:\n  - rule: tags-required\n    stack: dev-1\n    resource: '*'\n    reason: a tagging migration\n"
        "    owner: team@amsterdam.nl\n    ticket: CLOUD-1\n    approver: lead@amsterdam.nl\n"
        f"    approved: '{datetime.date.today().isoformat()}'\n"
        f"    expires: '{(datetime.date.today() + datetime.timedelta(days=20)).isoformat()}'\n")
    assert plan_estate(estate) == 0
    _days_later(monkeypatch, 20)
    assert plan_estate(estate) == 0
    assert planned(estate) == set()  # its last day: the result holds (a new day alone changes nothing)
    _days_later(monkeypatch, 1)  # 21 days on
    plan_estate(estate)
    assert "synthetic-app-1/dev-1" in planned(estate)  # expired: checked again (the project's stacks, whose
    assert not {stack for stack in planned(estate) if not stack.startswith("synthetic-app-1/")}  # waivers changed)


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
    assert error == (f"cityctl: error: plan --estate: {display(config)} (synthetic-app-2/acc-1): stack reference "
                     f"'organization/{PLATFORM}/staging': {PLATFORM} has no stack 'staging'; "
                     "its stacks: dev, test, acc, prod")  # the file to fix, then what is wrong in it
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
    assert error.startswith(f"cityctl: error: plan --estate: {display(config)} ({PLATFORM}/prod) (referenced by "
                            "synthetic-app-1/prod-1 and 1 more): the program in ")
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
    interrupt_at(["plan", "--estate", str(estate), "--environment", "dev"], "  planned ", signum, to_group)
    plans = estate / "out" / "plans"
    assert [p.name for p in plans.glob("*")
            if not p.name.endswith((".json", ".json.provenance"))] == []  # no temporary file


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


DIRECT_CLOCK_READS = {
    "policies/checker.py": "today = today or dt.date.today()",
    # a check given no day: the estate passes the clock's day whenever a waiver can apply to the stack (stack_plans),
    # and the text report it caches prints no day; a report that prints one (evidence) is never cached
    "policies/crossguard.py": "self._today or dt.date.today()",
    # the CrossGuard pack: runs under the real Pulumi CLI, never in an offline or cached plan
}
"""The only reads of the date outside `core/clock.py` in what a plan or its policy check runs, and why each is safe."""


def test_programs_and_the_policy_check_read_the_clock_only_through_core_clock():
    # a direct read would plan a dated stack as undated and reuse its plan on another day
    direct = re.compile(r"\b(datetime|date)\.(now|today|utcnow)\(")
    readers = [(f"{path.relative_to(REPO)}", line) for folder in ("core", "components", "stacks", "policies")
               for path in sorted((REPO / folder).rglob("*.py"))
               for line in path.read_text(encoding="utf-8").splitlines()
               if direct.search(line) and path != REPO / "core" / "clock.py"]
    assert [(path, line) for path, line in readers if DIRECT_CLOCK_READS.get(path, "\0") not in line] == []
    assert {path for path, _ in readers} == set(DIRECT_CLOCK_READS)  # an allowance no longer needed is dropped


def cache_files(root: Path) -> dict[str, set[str]]:
    return {kind: {path.name for path in (root / "out" / "cache" / kind).glob("*")}
            for kind in ("references", "entries", "objects")}


def test_a_run_without_failure_prunes_the_cache_files_it_did_not_use(estate: Path, monkeypatch):
    from amsterdam_cloud.scripts.offline import plan_cache

    assert plan_estate(estate) == 0
    before = cache_files(estate)
    monkeypatch.setattr(plan_cache, "engine_fingerprint", lambda: "another toolkit")  # a new commit of the engine
    assert plan_estate(estate) == 0
    after = cache_files(estate)
    assert len(planned(estate)) == 12  # every key changed
    assert len(after["references"]) == len(after["entries"]) == 12  # one set: the older commit's is gone
    assert not after["entries"] & before["entries"] and not after["references"] & before["references"]
    assert after["objects"] == before["objects"]  # the same plans, kept by content
    assert plan_estate(estate) == 0
    assert planned(estate) == set() and cache_files(estate) == after  # what was kept is what the next run uses


def test_a_failed_run_prunes_nothing(estate: Path):
    assert plan_estate(estate) == 0
    before = cache_files(estate)
    set_config(estate, "platform", "prod", "resources", "six")
    assert plan_estate(estate) == 1
    assert cache_files(estate) == before


@pytest.mark.parametrize("leftover", [False, True], ids=["no-saved-plan", "a-leftover-plan-of-that-name"])
def test_a_reference_to_a_misspelt_project_is_refused_naming_the_closest_one(estate: Path, capsys, leftover: bool):
    config = estate / "apps" / "app-1" / "Pulumi.dev-1.yaml"
    if leftover:  # a saved plan under the misspelt name does not make it a stack Azure has
        assert plan_estate(estate) == 0
        shutil.copy(estate / "out" / "plans" / f"{PLATFORM}.dev.json",
                    estate / "out" / "plans" / "synthetic-platfrom.dev.json")
    set_config(estate, "apps/app-1", "dev-1", "platform", "organization/synthetic-platfrom/dev")
    capsys.readouterr()
    assert plan_estate(estate) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error == (f"cityctl: error: plan --estate: {display(config)} (synthetic-app-1/dev-1): stack reference "
                     f"'organization/synthetic-platfrom/dev': synthetic-platfrom is not a project of the estate "
                     f"under {display(estate)}; did you mean {PLATFORM}?")


def test_a_reference_to_a_project_planned_elsewhere_resolves_from_its_saved_plan_with_a_warning(estate: Path, capsys):
    assert plan_estate(estate) == 0
    saved = estate / "out" / "plans" / "shared-services.dev.json"  # planned in another repository, saved here
    shutil.copy(estate / "out" / "plans" / f"{PLATFORM}.dev.json", saved)
    set_config(estate, "apps/app-1", "dev-1", "platform", "organization/shared-services/dev")
    capsys.readouterr()
    assert plan_estate(estate) == 0
    warning = ("warning: synthetic-app-1/dev-1: stack reference 'organization/shared-services/dev': resolved from "
               f"a saved plan outside the estate ({display(saved)}): shared-services is not a project of the "
               f"estate under {display(estate)} (its projects: synthetic-app-1, synthetic-app-2, {PLATFORM})")
    assert warning in capsys.readouterr().err.splitlines()
    assert plan_estate(estate) == 0
    assert planned(estate) == set() and warning in capsys.readouterr().err.splitlines()  # replayed when reused


def test_a_changed_output_an_app_reads_replans_it_and_one_it_does_not_read_relinks_it(estate: Path, tmp_path: Path):
    program = estate / "apps" / "app-2" / "__main__.py"  # app-2 reads `label` by name as well
    program.write_text(program.read_text() + "\nif config.get('platform'):\n"
                       "    pulumi.export('seen', pulumi.StackReference(config.require('platform')).get_output('label'))\n")
    assert plan_estate(estate) == 0
    set_config(estate, "platform", "dev", "label", "blue")
    assert plan_estate(estate) == 0
    assert planned(estate) == {f"{PLATFORM}/dev", "synthetic-app-2/dev-1"}
    set_config(estate, "platform", "dev", "label", "green")
    assert plan_estate(estate) == 0
    assert planned(estate) == {f"{PLATFORM}/dev", "synthetic-app-2/dev-1"}  # app-1 relinked again
    fresh = tmp_path / "fresh"
    shutil.copytree(estate, fresh, ignore=shutil.ignore_patterns("out"))
    assert plan_estate(fresh, "--no-cache") == 0
    assert plans(estate / "out" / "plans") == plans(fresh / "out" / "plans")  # byte-identical to a full re-plan


def test_an_app_that_reads_every_output_replans_when_one_is_added(estate: Path):
    program = estate / "apps" / "app-2" / "__main__.py"
    program.write_text(program.read_text() + "\nif config.get('platform'):\n"
                       "    pulumi.export('count', pulumi.StackReference(config.require('platform')).outputs.apply(len))\n")
    assert plan_estate(estate) == 0
    set_config(estate, "platform", "dev", "label", "blue")
    assert plan_estate(estate) == 0
    assert planned(estate) == {f"{PLATFORM}/dev", "synthetic-app-2/dev-1"}


def test_a_run_that_reuses_every_plan_records_each_plans_provenance_as_a_full_run_does(estate: Path):
    import hashlib

    from amsterdam_cloud.scripts.offline.provenance import provenance_path

    assert plan_estate(estate) == 0
    shutil.rmtree(estate / "out" / "plans")  # CI: a fresh checkout with the cache restored
    assert plan_estate(estate) == 0 and planned(estate) == set()
    saved = sorted((estate / "out" / "plans").glob("*.json"))
    assert len(saved) == 12
    for plan in saved:
        sidecar = json.loads(provenance_path(plan).read_text())
        assert sidecar["planSha256"] == hashlib.sha256(plan.read_bytes()).hexdigest(), plan.name
