"""A plan's provenance sidecar: `cityctl plan` records the project's commit beside the plan (never inside it), and
the evidence report names that commit only while the record is of the very plan checked."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.offline.plan_cache import sha256_text as sha256_of
from amsterdam_cloud.scripts.offline.provenance import NOT_RECORDED, plan_commit, provenance_path, write_provenance
from tests.policies.rule_fixtures import city_tags, export_of, resource
from tests.scripts.offline.test_estate_plan import estate  # noqa: F401  (the synthetic estate fixture)


def _git_project(root: Path) -> str:
    """A committed git checkout at `root`; returns its HEAD."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: parkeer\nruntime: python\n")
    (root / ".gitignore").write_text("out/\n")  # as the app template's: plans are no source
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.email=t@amsterdam.nl", "-c", "user.name=t", "commit", "-q", "-m", "first"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, capture_output=True)
    return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()


def _plan(path: Path) -> str:
    text = json.dumps(export_of(resource("azure-native:storage:StorageAccount", "data",
                                         {"location": "westeurope", "tags": city_tags()})))
    path.write_text(text)
    return text


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_sidecar_sits_beside_the_plan_under_its_own_name():
    assert provenance_path(Path("out/plans/amsterdam-platform.dev.json")) == Path(
        "out/plans/amsterdam-platform.dev.json.provenance")


def test_the_recorded_commit_is_named_while_the_plan_is_the_one_recorded(tmp_path):
    head = _git_project(tmp_path / "app")
    plan = tmp_path / "app" / "out" / "parkeer.prod.json"
    plan.parent.mkdir(parents=True)
    write_provenance(plan, sha256_of(_plan(plan)), tmp_path / "app")
    assert plan_commit(plan, _sha(plan)).startswith(f"{head} (the project's checkout when the plan was made; toolkit ")


def test_an_untracked_file_in_the_checkout_makes_the_plan_dirty(tmp_path):
    from amsterdam_cloud.scripts.offline import provenance

    head = _git_project(tmp_path / "app")
    (tmp_path / "app" / "Pulumi.prod.yaml").write_text("config: {}\n")  # a stack file not yet added
    provenance._checkout_state.cache_clear()
    plan = tmp_path / "app" / "out" / "parkeer.prod.json"
    plan.parent.mkdir()
    write_provenance(plan, sha256_of(_plan(plan)), tmp_path / "app")
    assert plan_commit(plan, _sha(plan)).startswith(f"{head} (the project's checkout when the plan was made, with "
                                                    "uncommitted changes")


def test_a_plan_changed_since_its_record_says_the_commit_was_not_recorded(tmp_path):
    _git_project(tmp_path / "app")
    plan = tmp_path / "app" / "out" / "parkeer.prod.json"
    plan.parent.mkdir()
    write_provenance(plan, sha256_of(_plan(plan)), tmp_path / "app")
    plan.write_text(plan.read_text() + " ")
    assert plan_commit(plan, _sha(plan)) == f"{NOT_RECORDED} (parkeer.prod.json.provenance is of another plan: " \
                                            "the plan changed since)"


def test_a_plan_without_a_record_never_borrows_the_checkers_commit(tmp_path, monkeypatch):
    plan = tmp_path / "prod.json"
    _plan(plan)
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
    assert main(["policy", "check", str(plan), "--evidence", str(tmp_path / "evidence.md")]) == 1
    text = (tmp_path / "evidence.md").read_text()
    assert f"- **Commit:** {NOT_RECORDED} (no prod.json.provenance beside the plan)" in text
    assert "0123456789abcdef" not in text


def test_cityctl_plan_writes_the_sidecar_and_the_plan_stays_byte_identical(tmp_path, capsys):
    assert main(["plan", "test", "--plans-dir", str(tmp_path), "--no-policy", "--no-tree"]) == 0
    plan = tmp_path / "amsterdam-platform.test.json"
    first = plan.read_bytes()
    record = json.loads(provenance_path(plan).read_text())
    assert record["planSha256"] == _sha(plan) and record["format"] == "cityctl-plan-provenance/1"
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert record["commit"] == (head or None) and isinstance(record["dirty"], bool)
    assert main(["plan", "test", "--plans-dir", str(tmp_path), "--no-policy", "--no-tree"]) == 0
    assert plan.read_bytes() == first
    capsys.readouterr()
    main(["policy", "check", str(plan), "--evidence", str(tmp_path / "evidence.md")])
    assert f"- **Commit:** {head} (the project's checkout when the plan was made" in (tmp_path / "evidence.md").read_text()


def test_a_glob_over_the_plans_takes_no_sidecar_for_a_plan(tmp_path):
    plan = tmp_path / "prod.json"
    write_provenance(plan, sha256_of(_plan(plan)), tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["prod.json"]


def test_a_plan_the_estate_cache_restores_into_a_fresh_plans_folder_has_its_provenance(estate):  # noqa: F811
    """CI restores the cache into a fresh checkout: a reused plan is this commit's too, and says so."""
    import shutil

    from tests.scripts.offline.test_estate_plan import plan_estate

    assert plan_estate(estate) == 0
    shutil.rmtree(estate / "out" / "plans")
    assert plan_estate(estate) == 0
    document = json.loads((estate / "out" / "estate" / "estate.json").read_text())
    plans = sorted((estate / "out" / "plans").glob("*.json"))
    assert document["reused"] == len(plans) == 12
    assert all(json.loads(provenance_path(p).read_text())["planSha256"] == _sha(p) for p in plans)


def test_a_sidecar_that_already_holds_the_record_is_left_as_it_is_and_a_stale_one_is_replaced(tmp_path):
    """A reused plan's sidecar of the same checkout is not written again (799 of them when one app changed)."""
    from amsterdam_cloud.scripts.offline.provenance import provenance_path

    _git_project(tmp_path / "app")
    plan = tmp_path / "app" / "out" / "parkeer.prod.json"
    plan.parent.mkdir()
    write_provenance(plan, sha256_of(_plan(plan)), tmp_path / "app")
    first = provenance_path(plan).stat().st_ino
    write_provenance(plan, sha256_of(_plan(plan)), tmp_path / "app")
    assert provenance_path(plan).stat().st_ino == first
    write_provenance(plan, "0" * 64, tmp_path / "app")
    assert provenance_path(plan).stat().st_ino != first and '"planSha256": "' + "0" * 64 in provenance_path(
        plan).read_text()
