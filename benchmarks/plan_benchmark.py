"""Offline plan speed and memory: `cityctl plan` against the naive SDK-mocks baseline, side by side in one run.

Every figure is a whole process (imports included), measured here with wall time and the peak resident set size
of the process tree (os.wait4). The baseline is `benchmarks/naive_plan.py`: the same synthetic program under a bare
`pulumi.runtime.Mocks` subclass and the SDK's own MockMonitor.

    .venv/bin/python benchmarks/plan_benchmark.py                 # all cases, writes benchmarks/results/plan.md
    .venv/bin/python benchmarks/plan_benchmark.py --sizes 100 --estate 0   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
CITYCTL = str(Path(PYTHON).with_name("cityctl"))


def make_project(root: Path, stacks: dict[str, int]) -> Path:
    """A Pulumi project running the synthetic program, one stack file per (name, resource count)."""
    root.mkdir(parents=True)
    shutil.copy(HERE / "synthetic" / "__main__.py", root / "__main__.py")
    (root / "Pulumi.yaml").write_text("name: synthetic\nruntime: python\nmain: .\n")
    for stack, count in stacks.items():
        (root / f"Pulumi.{stack}.yaml").write_text(f'config:\n  synthetic:resources: "{count}"\n')
    return root


def measure(command: list[str]) -> dict:
    """Run a command; its wall time, the peak RSS of its process tree and its exit code."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a long report must never block the command
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        log.seek(0)
        stderr = log.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 is a policy verdict on synthetic resources; anything else is a broken run
        raise SystemExit(f"benchmark command failed ({code}): {' '.join(command)}\n{stderr[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024), "exit": code}


def naive(project: Path, stacks: list[str]) -> dict:
    return measure([PYTHON, str(HERE / "naive_plan.py"), str(project), *stacks])


def cityctl(project: Path, plans: Path, stacks: list[str] | None, *extra: str) -> dict:
    target = stacks if stacks else ["--all"]
    return measure([CITYCTL, "plan", *target, "--project-dir", str(project), "--plans-dir", str(plans),
                    "--no-tree", *extra])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 3000],
                        help="resources in the single-stack cases (default: 100 1000 3000)")
    parser.add_argument("--estate", type=int, default=3000,
                        help="resources of the multi-stack estate for `plan --all`, 0 to skip (default: 3000)")
    parser.add_argument("--estate-stacks", type=int, default=6, help="stacks the estate is split into (default 6)")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "plan.md")
    args = parser.parse_args()

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as temporary:
        work = Path(temporary)
        plans = work / "plans"
        tiny = make_project(work / "tiny", {"tiny": 6})
        cold = cityctl(tiny, plans, ["tiny"], "--environment", "dev")
        rows.append({"case": "cold start: `cityctl plan` of a 6-resource stack, policy check included",
                     "cityctl": cold})
        print(f"cold start: {cold}", file=sys.stderr)
        for size in args.sizes:
            project = make_project(work / f"single-{size}", {"bench": size})
            fast = cityctl(project, plans, ["bench"], "--no-policy")
            base = naive(project, ["bench"])
            rows.append({"case": f"one stack of {size} resources", "naive": base, "cityctl": fast})
            print(f"{size}: naive {base} cityctl {fast}", file=sys.stderr)
        if args.estate:
            per_stack = args.estate // args.estate_stacks
            names = [f"part{i}" for i in range(1, args.estate_stacks + 1)]
            project = make_project(work / "estate", {name: per_stack for name in names})
            fast = cityctl(project, plans, None, "--environment", "dev")
            base = naive(project, names)
            rows.append({"case": f"estate of {per_stack * len(names)} resources in {len(names)} stacks: "
                                 "`cityctl plan --all` (policy check included) vs naive one after another",
                         "naive": base, "cityctl": fast})
            print(f"estate: naive {base} cityctl {fast}", file=sys.stderr)
    write_report(rows, args.output)


def write_report(rows: list[dict], output: Path) -> None:
    lines = ["# Offline plan benchmark", "",
             f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}. Command: `.venv/bin/python benchmarks/plan_benchmark.py`.", "",
             "| case | naive s | naive peak MiB | cityctl s | cityctl peak MiB | speed-up |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        base, fast = row.get("naive"), row["cityctl"]
        ratio = f"{base['seconds'] / fast['seconds']:.1f}x" if base else "n/a"
        lines.append(f"| {row['case']} | {base['seconds'] if base else '-'} | {base['peak_mib'] if base else '-'} | "
                     f"{fast['seconds']} | {fast['peak_mib']} | {ratio} |")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n\n```json\n" + json.dumps(rows, indent=2) + "\n```\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
