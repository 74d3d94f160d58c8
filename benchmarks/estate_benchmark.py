"""The estate plan (`cityctl plan --estate`): full, incremental and sharded, side by side with the baselines.

    .venv/bin/python benchmarks/estate_benchmark.py                              # 800 stacks, 40,800 resources
    .venv/bin/python benchmarks/estate_benchmark.py --stacks 40 --runs 1         # a quick look

Every figure is a whole process tree (imports, workers), wall time, and peak memory sampled every 200 ms as the sum
over the tree of PSS (each page shared by the forked workers counted once, in shares) and of RSS (shared pages
counted in every process: an upper bound), and CPU seconds (user + system of the tree, from wait4:
CPU / cores is what the wall time would be on an idle machine with perfect parallelism). Medians of --runs, the machine's load average beside each case.
Baselines, in the same run: what the toolkit did before the estate command (`cityctl plan --all` per project, the
platform first, everything planned every time) and the naive SDK mocks (`naive_plan.py`, one process, stacks one after
another) on the platform's stacks, scaled to the estate's resources. Writes benchmarks/results/estate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from estate_generate import ENVIRONMENTS, generate, set_config  # noqa: E402

PYTHON = sys.executable
CITYCTL = str(Path(PYTHON).with_name("cityctl"))
ESTATE = [CITYCTL, "plan", "--estate"]


def _tree(root: int) -> list[int]:
    from amsterdam_cloud.scripts.signals import descendants

    return [root, *descendants(root)]


def _memory(pids: list[int]) -> tuple[int, int]:
    """(PSS, RSS) of these processes in KiB; a process that just ended counts 0."""
    pss = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as stream:
                for line in stream:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
    return pss, rss


def measure(commands: list[list[str]]) -> dict:
    """Run the commands at once (one for a plain case, N for N shards); wall time until the last ends, peak PSS and
    RSS of all their process trees together, exit codes."""
    load = os.getloadavg()[0]
    peak = [0, 0]
    started = time.perf_counter()
    logs = [tempfile.TemporaryFile() for _ in commands]  # files, not pipes: a long report never blocks a run
    # Each command in its own session, as on its own CI agent: Linux's autogroup scheduling shares the CPU between
    # sessions, so N shard processes of one session got one session's share while other work ran (a 1.0x "speed-up").
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
                 for command, log in zip(commands, logs)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pss, rss = _memory([pid for process in processes for pid in _tree(process.pid)])
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors, cpu = [], 0.0
    for process, log in zip(processes, logs):  # reaped with the CPU of the workers it waited for
        _, status, usage = os.wait4(process.pid, 0)
        log.seek(0)
        errors.append(log.read().decode(errors="replace"))
        log.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    codes = [process.returncode for process in processes]
    for code, stderr, command in zip(codes, errors, commands):
        if code not in (0, 1):
            raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{stderr[-3000:]}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 1), "peak_pss_mib": round(peak[0] / 1024), "peak_rss_mib": round(peak[1] / 1024),
            "exit": max(codes), "load": round(load, 2), "tail": errors[0].strip().splitlines()[-2:]}


def median(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]
    return {**middle, "seconds": round(statistics.median(run["seconds"] for run in runs), 2),
            "all_seconds": [run["seconds"] for run in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5)
    parser.add_argument("--stacks", type=int, default=800)
    parser.add_argument("--resources", type=int, default=51, help="per stack (default 51: 40,800 in 800 stacks)")
    parser.add_argument("--runs", type=int, default=3, help="runs per quick case, the median reported (default 3)")
    parser.add_argument("--full-runs", type=int, default=3,
                        help="runs of the full-estate cases (--no-cache, shards), the median reported (default 3)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-baselines", action="store_true", help="only the estate command's own cases")
    parser.add_argument("--skip-shards", action="store_true", help="leave out the N=2 vs N=1 shard case")
    parser.add_argument("--policy-resources", type=int, default=0, metavar="N",
                        help="also time `cityctl policy check` of an N-resource export (policy_check_generate.py)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "estate.md")
    args = parser.parse_args()

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="estate-bench-") as temporary:
        work = Path(temporary)
        root = work / "estate"
        made = generate(root, projects=args.projects, stacks=args.stacks, resources=args.resources)
        shape = f"{made['stacks']} stacks, {made['resources']:,} resources, {made['projects']} projects"
        estate = [*ESTATE, str(root), "--environment", "dev", "--workers", str(args.workers)]

        def case(name: str, runs: list[dict], baseline: dict | None = None, note: str = "") -> None:
            row = {"case": name, "result": median(runs), "baseline": baseline, "note": note}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)

        full = [measure([[*estate, "--no-cache"]]) for _ in range(args.full_runs)]
        baseline_all = naive_scaled = None
        if not args.skip_baselines:
            baseline_all = median([measure_all_projects(root, work / "plans-all") for _ in range(1)])
            naive_scaled = naive_platform(root, made["resources"])
        case(f"full estate ({shape}), policy check included, --no-cache", full, baseline_all,
             "baseline: `cityctl plan --all` per project, the platform first (before this command)"
             if baseline_all else "")
        if naive_scaled:
            rows.append({"case": "naive SDK mocks (naive_plan.py) on the platform's 4 stacks, scaled to the estate",
                         "result": naive_scaled, "baseline": None,
                         "note": f"extrapolated (seconds x resources ratio); the full estate is "
                                 f"{naive_scaled['seconds'] / median(full)['seconds']:.1f}x faster"})

        unchanged = [measure([estate]) for _ in range(args.runs)]
        case("nothing changed (every stack reused)", unchanged, median(full))
        app_runs = []
        for run in range(args.runs):
            set_config(root, "apps/app-1", "dev-1", "resources", str(args.resources + 5 * (run + 1)))
            app_runs.append(measure([estate]))
        case("one app's config changed: that stack re-planned, the rest reused", app_runs, median(full))
        platform_runs = []
        for run in range(args.full_runs):
            set_config(root, "platform", "dev", "label", f"run-{run}")
            platform_runs.append(measure([estate]))
        dependents = sum(1 for path in root.glob("apps/*/Pulumi.dev-*.yaml"))
        case(f"one platform output changed (dev): it and its {dependents} dependents re-planned", platform_runs,
             median(full), f"{dependents + 1} of {made['stacks']} stacks")

        shard_one, shard_two = [], []
        for _ in range(0 if args.skip_shards else args.full_runs):
            copies = []
            for index in (1, 2):
                copy = work / f"agent-{index}"
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(root, copy, ignore=shutil.ignore_patterns("out"))
                copies.append(copy)
            single = [*ESTATE, str(copies[0]), "--environment", "dev", "--workers", "1", "--no-cache"]
            shard_one.append(measure([[*single, "--shard", "1/1"]]))
            shard_two.append(measure([[*ESTATE, str(copy), "--environment", "dev", "--workers", "1", "--no-cache",
                                       "--shard", f"{index}/2"] for index, copy in enumerate(copies, 1)]))
        if shard_two:
            case("shards: N=2 processes (`--shard 1/2` and `2/2` at once, one worker each)", shard_two,
                 median(shard_one), "baseline: N=1 (`--shard 1/1`, one worker)")
        if args.policy_resources:
            subprocess.run([PYTHON, str(HERE / "policy_check_generate.py"), "--resources", str(args.policy_resources),
                            "--out-dir", str(work / "policy")], check=True, stdout=subprocess.DEVNULL)
            check = [CITYCTL, "policy", "check", str(work / "policy" / "stack-export.json"), "--environment", "prod",
                     "--format", "json", "--output", str(work / "policy" / "findings.json")]
            measure([check])  # warm the file cache
            case(f"`cityctl policy check` of {args.policy_resources:,} resources (policy_check_generate.py export)",
                 [measure([check]) for _ in range(args.runs)], None, "whole process; exit 1: violations found")
    write_report(rows, args)


def measure_all_projects(root: Path, plans: Path) -> dict:
    """The baseline: `cityctl plan --all` of each project, the platform first, every stack every time."""
    shutil.rmtree(plans, ignore_errors=True)
    projects = [root / "platform", *sorted((root / "apps").iterdir())]
    script = " && ".join(f"{CITYCTL} plan --all --project-dir {p} --plans-dir {plans} --environment dev --no-tree"
                         for p in projects)
    return measure([["sh", "-c", script.replace(" && ", " ; ")]])


def naive_platform(root: Path, estate_resources: int) -> dict:
    """naive_plan.py over the platform's stacks (no references: the naive mocks cannot answer one), scaled."""
    run = measure([[PYTHON, str(HERE / "naive_plan.py"), str(root / "platform"), *ENVIRONMENTS]])
    planned = sum(int(line.split('"')[1]) for path in (root / "platform").glob("Pulumi.*.yaml")
                  for line in path.read_text().splitlines() if "synthetic:resources" in line)
    factor = estate_resources / planned
    return {**run, "seconds": round(run["seconds"] * factor, 1), "measured_seconds": run["seconds"],
            "resources_measured": planned}


def write_report(rows: list[dict], args: argparse.Namespace) -> None:
    lines = ["# Estate plan benchmark", "",
             f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, shared with other work (load average in each row). Command: "
             f"`.venv/bin/python benchmarks/estate_benchmark.py {' '.join(sys.argv[1:])}`.", "",
             "| case | median s (runs) | CPU s | peak PSS MiB | peak RSS MiB | baseline s | ratio | load | note |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        result, base = row["result"], row["baseline"]
        ratio = f"{base['seconds'] / result['seconds']:.1f}x" if base else "-"
        lines.append(f"| {row['case']} | {result['seconds']} ({', '.join(map(str, result.get('all_seconds', [])))}) "
                     f"| {result['cpu_seconds']} | {result['peak_pss_mib']} | {result['peak_rss_mib']} | {base['seconds'] if base else '-'} | "
                     f"{ratio} | {result['load']} | {row['note']} |")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n\n```json\n" + json.dumps(rows, indent=2) + "\n```\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
