"""Benchmark: `cityctl policy check` on a 10,000-resource stack export vs Checkov on the equivalent ARM template.

    python benchmarks/policy_check.py [--resources 10000] [--runs 5] [--checkov-runs 2]
    python benchmarks/policy_check.py --runs 7 --checkov-runs 0     # ours alone, printed (no Checkov needed)
    python benchmarks/policy_check.py --runs 7 --against main       # ours against the toolkit at another commit

Both are timed whole-process (start-up included), side by side on this machine, alternating runs so that load
from other work hits both alike. Checkov runs from its own virtualenv, benchmarks/.venv-checkov
(`python -m venv benchmarks/.venv-checkov && benchmarks/.venv-checkov/bin/pip install checkov`). Writes
benchmarks/results/policy_check.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITYCTL = ROOT / ".venv" / "bin" / "cityctl"
CHECKOV = ROOT / "benchmarks" / ".venv-checkov" / "bin" / "checkov"
RESULTS = ROOT / "benchmarks" / "results" / "policy_check.md"


CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""The runs' environment: bytecode is written and reused, as for an installed toolkit (pip compiles the wheel);
with PYTHONDONTWRITEBYTECODE set, every run would compile each of its ~300 modules again (~0.3 s)."""


def timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and CPU seconds (user+system of the child) of one whole-process run."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=CHILD_ENV)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5, help="cityctl runs (median reported)")
    parser.add_argument("--checkov-runs", type=int, default=2, help="Checkov runs (median reported)")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--against", metavar="GIT_REF",
                        help="instead of Checkov: the same check by the toolkit at this commit, alternating runs; "
                             "first the reports of both must be byte-identical")
    parser.add_argument("--compare", type=Path, nargs="*", default=[], metavar="PLAN",
                        help="with --against: plans or exports whose reports must also be byte-identical "
                             "(default: out/plans/*.json)")
    parser.add_argument("--new-rules", action="store_true",
                        help="with --against: the change adds rules, so the reports may differ; list which, then time")
    args = parser.parse_args()
    if args.checkov_runs and not args.against and not CHECKOV.exists():
        print(f"{CHECKOV}: missing; create it: python -m venv benchmarks/.venv-checkov && "
              "benchmarks/.venv-checkov/bin/pip install checkov", file=sys.stderr)
        return 2

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "policy_check_generate.py"), "--resources",
                    str(args.resources), "--out-dir", str(args.out_dir)], check=True)
    export, template = args.out_dir / "stack-export.json", args.out_dir / "template.json"
    tiny = args.out_dir / "template-1.json"
    document = json.loads(template.read_text())
    tiny.write_text(json.dumps({**document, "resources": document["resources"][:1]}))

    ours = [str(CITYCTL), "policy", "check", str(export), "--environment", "prod", "--format", "json",
            "--output", str(args.out_dir / "findings.json")]
    if args.against:
        return against(args, ours)
    theirs = [str(CHECKOV), "-f", str(template), "--framework", "arm", "-o", "json", "--quiet", "--compact",
              "--skip-download"]
    startup = [str(CHECKOV), "-f", str(tiny), "--framework", "arm", "-o", "json", "--quiet", "--compact",
               "--skip-download"]

    timed(ours)  # warm the file cache and .pyc files for both
    ours_runs, theirs_runs = [], []
    checkov_out = ""
    for i in range(max(args.runs, args.checkov_runs)):
        if i < args.runs:
            wall, cpu, done = timed(ours)
            if done.returncode not in (0, 1):
                print(done.stderr, file=sys.stderr)
                return 2
            ours_runs.append((wall, cpu))
            print(f"cityctl policy check: {wall:.2f} s wall, {cpu:.2f} s cpu", file=sys.stderr)
        if i < args.checkov_runs:
            wall, cpu, done = timed(theirs)
            checkov_out = done.stdout
            theirs_runs.append((wall, cpu))
            print(f"checkov: {wall:.1f} s wall, {cpu:.1f} s cpu", file=sys.stderr)
    findings = len(json.loads((args.out_dir / "findings.json").read_text()))
    if not args.checkov_runs:  # ours alone: the absolute figure against the one-second goal, nothing written
        walls = [w for w, _ in ours_runs]
        print(f"cityctl policy check, {args.resources} resources, {rule_count()} rules, whole process: best "
              f"{min(walls):.2f} s, median {statistics.median(walls):.2f} s wall, median "
              f"{statistics.median(c for _, c in ours_runs):.2f} s CPU, {findings} findings; runs "
              f"{', '.join(f'{w:.2f}' for w in walls)} s; load average {os.getloadavg()[0]:.1f}; in-process: "
              + stages(export))
        return 0
    start_wall, start_cpu, _ = timed(startup)

    try:
        summary = json.loads(checkov_out)
        summary = summary[0] if isinstance(summary, list) else summary
        checkov_counts = summary.get("summary", {})
    except ValueError:
        checkov_counts = {}
    ours_wall = statistics.median(w for w, _ in ours_runs)
    ours_cpu = statistics.median(c for _, c in ours_runs)
    theirs_wall = statistics.median(w for w, _ in theirs_runs)
    theirs_cpu = statistics.median(c for _, c in theirs_runs)
    ours_best, theirs_best = min(w for w, _ in ours_runs), min(w for w, _ in theirs_runs)
    load = os.getloadavg()

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Policy check throughput: `cityctl policy check` vs Checkov",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average while measuring "
        f"{load[0]:.1f} (other work was running: compare the ratio, not the absolute seconds).",
        "",
        "Command:",
        "",
        "```sh",
        f"python benchmarks/policy_check.py --resources {args.resources} --runs {args.runs} "
        f"--checkov-runs {args.checkov_runs}",
        "```",
        "",
        f"Input: {args.resources} resources (`benchmarks/policy_check_generate.py`): app spokes with NSGs, subnets, "
        "NICs, public IPs, VMs, storage, key vaults, web apps, SQL servers and databases, Cosmos DB, diagnostic "
        "settings and locks, a third of them non-compliant. The same resources as a `pulumi stack export` file "
        f"({export.stat().st_size / 1e6:.1f} MB) for us and as an ARM template ({template.stat().st_size / 1e6:.1f} MB)"
        " for Checkov.",
        "",
        "| Tool | What runs | Wall, best | Wall, median | CPU, median | Findings |",
        "|---|---|---|---|---|---|",
        f"| `cityctl policy check` | {rule_count()} rules, whole process incl. start-up, JSON report | {ours_best:.2f} s "
        f"| {ours_wall:.2f} s | {ours_cpu:.2f} s | {findings} |",
        f"| Checkov {checkov_version()} (`--framework arm`) | its ARM checks, whole process | {theirs_best:.1f} s "
        f"| {theirs_wall:.1f} s | {theirs_cpu:.1f} s | {checkov_counts.get('failed', '?')} failed, "
        f"{checkov_counts.get('passed', '?')} passed |",
        f"| Checkov start-up only (1-resource template) | | {start_wall:.1f} s | | {start_cpu:.1f} s | |",
        "",
        f"**Ratio: `cityctl policy check` is {theirs_best / ours_best:.0f}x faster than Checkov** (best wall-clock "
        f"of each, the run least disturbed by other work on the machine); {theirs_wall / ours_wall:.0f}x on median "
        f"wall-clock, {theirs_cpu / ours_cpu:.0f}x on median CPU time.",
        "",
        "Where our time goes (in-process, best of 5, same input): " + stages(export) + ".",
        "",
        f"Runs: cityctl {', '.join(f'{w:.2f}' for w, _ in ours_runs)} s; Checkov "
        f"{', '.join(f'{w:.1f}' for w, _ in theirs_runs)} s (alternating).",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


def against(args: argparse.Namespace, ours: list[str]) -> int:
    """`cityctl policy check` of this checkout against the same command of the toolkit at `--against` (its
    packages from `git archive`, first on PYTHONPATH), alternating whole-process runs; prints medians and ratio."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        tree, package = Path(folder) / "src", Path(folder) / "amsterdam_cloud"
        tree.mkdir()
        package.mkdir()
        folders = ("core", "components", "policies", "scripts", "stacks")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, *folders], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        for name in folders:
            (package / name).symlink_to(tree / name)
        interpreter = str(ROOT / ".venv" / "bin" / "python")
        python = [interpreter, "-m", "amsterdam_cloud.scripts.cli", *ours[1:]]
        trees = (("this checkout", {}, ROOT), (args.against, {"PYTHONPATH": folder}, tree))
        for name, extra, expected in trees:  # each run must import its own tree (`-m` puts the cwd first)
            found = subprocess.run([interpreter, "-c", "import amsterdam_cloud.policies as p; print(p.__file__)"],
                                   env={**CHILD_ENV, **extra}, cwd=args.out_dir, capture_output=True, text=True,
                                   check=True).stdout.strip()
            if not Path(found).resolve().is_relative_to(expected.resolve()):
                raise SystemExit(f"{name}: imports {found}, not its own tree {expected}")
        inputs = [Path(ours[3]), *(args.compare or sorted((ROOT / "out" / "plans").glob("*.json")))]
        differing = identical_reports(python, trees, inputs, args.out_dir)
        if differing:
            print(f"the reports differ from {args.against}'s: {', '.join(differing)}", file=sys.stderr)
            if not args.new_rules:
                return 1
        else:
            print(f"reports byte-identical with {args.against}'s: json, sarif and junit of {len(inputs)} input(s)")
        runs: dict[str, list[tuple[float, float]]] = {"this checkout": [], args.against: []}
        for round_ in range(args.runs + 1):  # the first round writes both trees' bytecode and is not counted
            for name, extra, _ in trees:
                before = os.times()
                start = time.perf_counter()
                subprocess.run(python, env={**CHILD_ENV, **extra}, cwd=args.out_dir, capture_output=True,
                               check=False)
                wall = time.perf_counter() - start
                after = os.times()
                if round_:
                    runs[name].append((wall, (after.children_user - before.children_user)
                                       + (after.children_system - before.children_system)))
    medians = {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for name, r in runs.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name}: median {wall:.2f} s wall, {cpu:.2f} s CPU (best {min(w for w, _ in runs[name]):.2f} s)")
    ours_cpu, theirs_cpu = medians["this checkout"][1], medians[args.against][1]
    print(f"{args.resources} resources, {args.runs} runs each, load average {os.getloadavg()[0]:.1f}: this checkout "
          f"takes {ours_cpu / theirs_cpu:.2f}x the CPU time of {args.against}")
    return 0


def identical_reports(python: list[str], trees: tuple, inputs: list[Path], out_dir: Path) -> list[str]:
    """The reports (json, sarif, junit; prod levels, a fixed day) that differ between the two trees, by name."""
    differing = []
    for path in inputs:
        for fmt in ("json", "sarif", "junit"):
            texts = []
            for _, extra, _ in trees:
                report = out_dir / f"identical-{len(texts)}.{fmt}"
                report.unlink(missing_ok=True)
                subprocess.run([*python[:3], "policy", "check", str(path.resolve()), "--environment", "prod",
                                "--today", "2026-12-03", "--format", fmt, "--output", str(report)],
                               env={**CHILD_ENV, **extra}, cwd=out_dir, capture_output=True, check=False)
                texts.append(report.read_bytes() if report.exists() else b"(no report)")
            if texts[0] != texts[1]:
                differing.append(f"{path.name} ({fmt})")
    return differing


def rule_count() -> int:
    from amsterdam_cloud.policies.rules import ALL_RULES

    return len(ALL_RULES)


STAGES = """
import gc, json, sys, time
t0 = time.perf_counter()
from amsterdam_cloud.core.documents import load_json
from amsterdam_cloud.policies.checker import check_resources, parse_resources, render
from amsterdam_cloud.policies.waivers import load_waivers
from amsterdam_cloud.scripts.offline.export_shape import check_export
imports = time.perf_counter() - t0
gc.disable()
text = open(sys.argv[1]).read()
best = {}
for _ in range(5):
    a = time.perf_counter(); document = load_json(text, "export", "export"); b = time.perf_counter()
    resources, stack = parse_resources(check_export(document, "export")); c = time.perf_counter()
    result = check_resources(resources, environment="prod", stack=stack, waivers=load_waivers()); d = time.perf_counter()
    render(result, "json"); e = time.perf_counter()
    for key, value in (("load", b - a), ("parse", c - b), ("rules", d - c), ("report", e - d)):
        best[key] = min(best.get(key, 1e9), value)
    del document, resources, result
    gc.collect()
print(json.dumps({"imports": imports, **best}))
"""


def stages(export: Path) -> str:
    """The in-process cost of each stage, best of 5, as a sentence."""
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", STAGES, str(export)],
                          capture_output=True, text=True, check=True)
    t = json.loads(done.stdout)
    return (f"importing the checker and rules {t['imports']:.2f} s (first run), reading the JSON strictly (duplicate "
            f"keys, nesting) {t['load']:.2f} s, checking its shape and building the resource view {t['parse']:.2f} s, "
            f"running the {rule_count()} rules {t['rules']:.2f} s, "
            f"writing the JSON report {t['report']:.2f} s")


def checkov_version() -> str:
    done = subprocess.run([str(CHECKOV), "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
