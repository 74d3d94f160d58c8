"""Fuzzing every input format through `cityctl` itself: whatever the file holds, the run ends with exit 0, 1 or 2,
no traceback, at most one error line, no output file when it failed, and no planted secret in any output.

Each target starts from a valid document of its kind and lets Hypothesis break it: a value replaced by another
JSON or YAML value (wrong types, huge or non-finite numbers, odd text), a key dropped or added, a duplicate key,
deep nesting, an alias bomb, another encoding, or random bytes.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from amsterdam_cloud.policies import settings as pack_settings
from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.delivery import pulumi_cli

REPO = Path(__file__).resolve().parents[2]
PLANTED = "Pl4nted-S3cret-e7d1"
"""A secret the documents carry; it must never appear in stdout, stderr or a written file."""
SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}

# ---------------------------------------------------------------------------------------------------------------
# Breaking documents

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**40, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", "eastus", "westeurope", "CC-1234", "prod", "2026-13-45", "0" * 5000, "1" * 4400,
                     "${PROJECT}", "../../etc/passwd", "\x00", "ü€"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)

NASTY_YAML = [
    "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")),
    "config:\n  k: 1\n  k: 2\n", "[" * 5000 + "]" * 5000, "x: !!python/object:os.system {}\n", "\x00\xff", "- a\n- b\n",
    "just text\n", "",
]


def _paths(document: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the document; a secret is replaced or dropped whole, never opened (a secret whose
    signature is broken off is no secret any more, and its text may be shown as any value)."""
    found = [prefix]
    if isinstance(document, dict) and not set(SIG) & set(document) and "secure" not in document:
        for key, value in document.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, prefix + (index,))
    return found


@st.composite
def mutated(draw, seed: Any) -> Any:
    """The seed with one to three changes at paths drawn from its own structure."""
    document = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            document = draw(values) if action == "replace" else document
            continue
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if action == "replace":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
        else:
            parent.append(draw(values))
    return document


def _dump(document: Any, kind: str) -> str:
    if kind == "json":
        return json.dumps(document, default=str)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@st.composite
def broken_file(draw, seed: Any, kind: str) -> bytes:
    """Bytes of a broken document: a mutated seed in some encoding, a nasty snippet, or random bytes."""
    how = draw(st.sampled_from(["mutated", "mutated", "mutated", "nasty", "bytes", "reencoded"]))
    if how == "nasty":
        return draw(st.sampled_from(NASTY_YAML)).encode("utf-8", "surrogatepass")
    if how == "bytes":
        text = _dump(seed, kind).encode("utf-8")
        position = draw(st.integers(0, len(text)))
        return text[:position] + draw(st.binary(min_size=1, max_size=8)) + text[position:]
    text = _dump(draw(mutated(seed)), kind)
    encoding = "utf-8" if how == "mutated" else draw(st.sampled_from(["utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


# ---------------------------------------------------------------------------------------------------------------
# Running cityctl and judging what it did

@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run(argv: list[str], capsys) -> Outcome:
    try:
        code = main(argv)
    except SystemExit as exited:  # argparse's own usage errors
        code = exited.code if isinstance(exited.code, int) else 2
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def judge(outcome: Outcome, folder: Path, outputs: list[Path]) -> None:
    """The promise of the README, on every run."""
    err = outcome.err
    assert outcome.code in (0, 1, 2), err
    assert "Traceback" not in err and "internal error, please report" not in err, err
    error_lines = [line for line in err.splitlines() if line.startswith("cityctl: ")]
    assert len(error_lines) <= 1, err
    if error_lines:
        assert outcome.code != 0, err
        for output in outputs:
            assert not output.exists(), f"{output} written by a failed run: {err}"
    if outcome.code == 2:
        assert error_lines, f"exit 2 without an error line: {err}"
    assert not [p for p in folder.rglob("*.tmp")], "a temporary file was left behind"
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*")
                      if p.is_file() and p.stat().st_size < 5_000_000 and p not in _INPUTS.get(folder, ()))
    for text in (outcome.out, err, written):
        assert PLANTED not in text, "a planted secret reached an output"


_INPUTS: dict[Path, set[Path]] = {}
"""The files a case wrote as input (they may hold the planted secret by design)."""


def case(write: dict[str, bytes]) -> tuple[Path, Callable[[], None]]:
    folder = Path(tempfile.mkdtemp(prefix="cityctl-fuzz-"))
    _INPUTS[folder] = set()
    for name, data in write.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        _INPUTS[folder].add(path)

    def done() -> None:
        _INPUTS.pop(folder, None)
        shutil.rmtree(folder, ignore_errors=True)

    return folder, done


def shown_secret(value: Any) -> dict[str, Any]:
    return {**SIG, "plaintext": json.dumps(value)}


# ---------------------------------------------------------------------------------------------------------------
# Seeds: one valid document of each kind

def _stack_seed() -> dict:
    seed = yaml.safe_load((REPO / "stacks" / "Pulumi.dev.yaml").read_text(encoding="utf-8"))
    seed["config"]["amsterdam-platform:alertWebhookUrl"] = {"secure": f"v1:{PLANTED}"}
    return seed


def _app_seed() -> dict:
    text = (REPO / "templates" / "app" / "Pulumi.dev.yaml").read_text(encoding="utf-8").replace("${PROJECT}", "demo")
    return yaml.safe_load(text)


def _export_seed() -> dict:
    from tests.scripts.delivery.exports import export, resource_group, storage_account
    return export(resource_group(), storage_account(minimumTlsVersion=shown_secret(f"TLS1_0{PLANTED}"),
                                                    allowBlobPublicAccess=shown_secret(PLANTED)))


WAIVER_SEED = {"waivers": [{"rule": "storage-min-tls12", "resource": "urn:pulumi:prod::*", "stack": "prod",
                            "reason": "legacy client until migration", "owner": "cloud@amsterdam.nl",
                            "approver": "ciso@amsterdam.nl", "approved": "2026-11-20", "expires": "2027-01-31",
                            "ticket": "CLOUD-1"}]}
CMDB_HEADER = ["id", "name", "type", "application", "environment", "owner", "cost_center", "cpu", "memory_gb",
               "engine", "ip", "depends_on"]
CMDB_ROWS = [["web-1", "web-01", "server", "parking", "prod", "parking@amsterdam.nl", "CC-1234", "2", "8", "",
              "10.1.0.4", "db-1"],
             ["db-1", "db-01", "database", "parking", "prod", "parking@amsterdam.nl", "CC-1234", "4", "32",
              "postgres", "10.1.0.5", ""]]


@pytest.fixture(scope="module")
def migration_seeds(tmp_path_factory) -> dict[str, Any]:
    """A valid inventory, mapping and waves file, made by cityctl itself from a two-row CMDB export."""
    folder = tmp_path_factory.mktemp("migration-seeds")
    (folder / "cmdb.csv").write_text("\n".join(",".join(row) for row in [CMDB_HEADER, *CMDB_ROWS]) + "\n")
    assert main(["migrate", "import-cmdb", str(folder / "cmdb.csv"), "--output", str(folder / "inv.yaml")]) == 0
    assert main(["migrate", "map", "--inventory", str(folder / "inv.yaml"), "--output", str(folder / "map.yaml")]) == 0
    assert main(["migrate", "waves", "--mapping", str(folder / "map.yaml"), "--output",
                 str(folder / "waves.yaml")]) == 0
    return {name: yaml.safe_load((folder / f"{name}.yaml").read_text()) for name in ("inv", "map", "waves")} | {
        "map_path": folder / "map.yaml"}


# ---------------------------------------------------------------------------------------------------------------
# The targets

@given(data=st.data())
def test_stack_config(data, capsys):
    folder, done = case({"Pulumi.dev.yaml": data.draw(broken_file(_stack_seed(), "yaml")),
                         "Pulumi.yaml": f"name: amsterdam-platform\nruntime: python\nmain: {REPO / 'stacks'}\n"
                                        .encode()})
    try:
        outputs = [folder / "plan.json"]
        judge(run(["plan", "dev", "--project-dir", str(folder), "--no-policy", "--no-tree", "--out",
                   str(outputs[0]), "--plans-dir", str(folder / "plans")], capsys), folder, outputs)
    finally:
        done()


@given(data=st.data())
def test_app_config(data, capsys, platform_plans):
    plans_dir = platform_plans("dev").parent
    folder, done = case({"Pulumi.dev.yaml": data.draw(broken_file(_app_seed(), "yaml")),
                         "Pulumi.yaml": f"name: demo\nruntime: python\nmain: {REPO / 'templates' / 'app'}\n"
                                        .encode()})
    try:
        outputs = [folder / "plan.json"]
        judge(run(["plan", "dev", "--project-dir", str(folder), "--no-policy", "--no-tree", "--out",
                   str(outputs[0]), "--plans-dir", str(plans_dir)], capsys), folder, outputs)
    finally:
        done()


@given(data=st.data())
def test_waivers(data, capsys):
    folder, done = case({"waivers.yaml": data.draw(broken_file(WAIVER_SEED, "yaml")),
                         "export.json": json.dumps(_export_seed()).encode()})
    try:
        outputs = [folder / "report.json"]
        judge(run(["policy", "check", str(folder / "export.json"), "--environment", "prod", "--waivers",
                   str(folder / "waivers.yaml"), "--format", "json", "--output", str(outputs[0]), "--today",
                   "2026-11-28"], capsys), folder, outputs)
    finally:
        done()


@given(data=st.data())
def test_pack_config(data, capsys, monkeypatch):
    seed = json.loads((pack_settings.CONFIG_DIR / "prod.json").read_text(encoding="utf-8"))
    folder, done = case({"config/prod.json": data.draw(broken_file(seed, "json")),
                         "export.json": json.dumps(_export_seed()).encode()})
    try:
        monkeypatch.setattr(pack_settings, "CONFIG_DIR", folder / "config")
        pack_settings.load_pack_config.cache_clear()
        outputs = [folder / "report.sarif"]
        judge(run(["policy", "check", str(folder / "export.json"), "--environment", "prod", "--format", "sarif",
                   "--output", str(outputs[0]), "--today", "2026-11-28"], capsys), folder, outputs)
    finally:
        monkeypatch.undo()
        pack_settings.load_pack_config.cache_clear()
        done()


@given(data=st.data())
def test_export_in_policy_check(data, capsys):
    folder, done = case({"export.json": data.draw(broken_file(_export_seed(), "json"))})
    try:
        outputs = [folder / "report.xml", folder / "evidence.md"]
        judge(run(["policy", "check", str(folder / "export.json"), "--environment", "prod", "--format", "junit",
                   "--output", str(outputs[0]), "--evidence", str(outputs[1]), "--today", "2026-11-28"], capsys),
              folder, outputs)
    finally:
        done()


@given(data=st.data())
def test_export_as_the_current_state_of_a_deploy(data, capsys, monkeypatch):
    """`--against`: the plan diff and the gate read the export; the CLI calls are stood in for (never reached
    on failure)."""
    planned = _export_seed()
    folder, done = case({"against.json": data.draw(broken_file(_export_seed(), "json")),
                         "plan.json": json.dumps(planned).encode(), "waivers.yaml": b"waivers: []\n"})
    try:
        monkeypatch.setattr(pulumi_cli, "require_cli", lambda: "/opt/pulumi/bin/pulumi")
        monkeypatch.setattr(pulumi_cli, "find_stack", lambda target: target)
        monkeypatch.setattr(pulumi_cli, "preview", lambda stack, target, on_output=None: ({}, []))
        outputs = [folder / "gate.json"]
        outcome = run(["deploy", "dev", "--plan", str(folder / "plan.json"), "--against", str(folder / "against.json"),
                       "--waivers", str(folder / "waivers.yaml"), "--preview-only", "--today", "2026-11-28",
                       "--output", str(outputs[0])], capsys)
        judge(outcome, folder, outputs)
    finally:
        monkeypatch.undo()
        done()


@given(data=st.data())
def test_inventory(data, capsys, migration_seeds):
    folder, done = case({"inv.yaml": data.draw(broken_file(migration_seeds["inv"], "yaml"))})
    try:
        outputs = [folder / "map.yaml"]
        judge(run(["migrate", "map", "--inventory", str(folder / "inv.yaml"), "--output", str(outputs[0])], capsys),
              folder, outputs)
    finally:
        done()


@given(data=st.data())
def test_mapping(data, capsys, migration_seeds):
    folder, done = case({"map.yaml": data.draw(broken_file(migration_seeds["map"], "yaml"))})
    try:
        outputs = [folder / "waves.yaml"]
        judge(run(["migrate", "waves", "--mapping", str(folder / "map.yaml"), "--output", str(outputs[0])], capsys),
              folder, outputs)
    finally:
        done()


@given(data=st.data())
def test_waves(data, capsys, migration_seeds):
    folder, done = case({"waves.yaml": data.draw(broken_file(migration_seeds["waves"], "yaml"))})
    try:
        outputs = [folder / "gen"]
        judge(run(["migrate", "generate", "--mapping", str(migration_seeds["map_path"]), "--waves",
                   str(folder / "waves.yaml"), "--output-dir", str(outputs[0])], capsys), folder, outputs)
    finally:
        done()


cells = st.one_of(st.sampled_from(["", "NaN", "nan", "inf", "-1", "1e400", "9" * 5000, "CC-1234", "eastus",
                                   '"', "a,b", "\u00e9", "db-1", "web-1", "0x10", "10.1.0.999"]),
                  st.text(max_size=12))


@given(rows=st.lists(st.lists(cells, min_size=0, max_size=len(CMDB_HEADER) + 1), max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_cmdb_csv(rows, encoding, delimiter, capsys):
    lines = [CMDB_HEADER, *CMDB_ROWS, *rows]
    text = "\n".join(delimiter.join(row) for row in lines) + "\n"
    folder, done = case({"cmdb.csv": text.encode(encoding, errors="replace")})
    try:
        outputs = [folder / "inv.yaml"]
        judge(run(["migrate", "import-cmdb", str(folder / "cmdb.csv"), "--output", str(outputs[0])], capsys),
              folder, outputs)
    finally:
        done()
