"""The cold estate plan (`plan --estate --no-cache`, references known) of this checkout against an earlier commit,
alternating runs on the same synthetic estate; CPU seconds of the whole process tree are the figure to compare on a
shared machine.

    .venv/bin/python benchmarks/estate_against.py 0c7c15d --stacks 120 --rounds 2
    .venv/bin/python benchmarks/estate_against.py b0ce0b4 --new 5d7819f --stacks 120 --rounds 2   # two commits

Each commit's toolkit is `git archive`d into a temporary folder and put first on PYTHONPATH (the same venv, so the
same SDK); one warm-up run each learns the reference graph (its cache) before the measured `--no-cache` runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from estate_generate import generate  # noqa: E402

PACKAGES = ("core", "components", "policies", "scripts", "stacks")
CITYCTL = str(Path(sys.executable).with_name("cityctl"))


def toolkit(commit: str, folder: Path) -> Path:
    """`amsterdam_cloud` of `commit` under `folder`, importable with `folder / "py"` on PYTHONPATH."""
    source, package = folder / "src", folder / "py" / "amsterdam_cloud"
    source.mkdir(parents=True)
    package.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=HERE.parent, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    for name in PACKAGES:
        (package / name).symlink_to(source / name, target_is_directory=True)
    return folder / "py"


def run(path: Path, estate: Path, *extra: str) -> dict:
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen([CITYCTL, "plan", "--estate", str(estate), "--environment", "dev", "--workers", "2",
                                *extra], env=dict(os.environ, PYTHONPATH=str(path)), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"estate_against: the run failed with PYTHONPATH={path}")
    return {"wall": round(time.perf_counter() - started, 2), "cpu": round(usage.ru_utime + usage.ru_stime, 2),
            "load": round(load, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("against", help="the earlier commit")
    parser.add_argument("--new", default="HEAD", help="the later commit (default HEAD: this checkout's)")
    parser.add_argument("--stacks", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=2, help="measured runs of each (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="estate-against-") as temporary:
        work = Path(temporary)
        generate(work / "estate", projects=5, stacks=args.stacks, resources=51)
        codes = {args.against: toolkit(args.against, work / "old"), args.new: toolkit(args.new, work / "new")}
        estates = {}
        for name in codes:
            estates[name] = work / f"estate-{name}"
            shutil.copytree(work / "estate", estates[name])
            print(name, "warm-up", run(codes[name], estates[name]), file=sys.stderr, flush=True)
        runs: dict[str, list[dict]] = {name: [] for name in codes}
        for round_ in range(args.rounds):
            for name in list(codes) if round_ % 2 == 0 else list(codes)[::-1]:
                runs[name].append(run(codes[name], estates[name], "--no-cache"))
                print(name, runs[name][-1], file=sys.stderr, flush=True)
        for name, measured in runs.items():
            print(f"{name}: median CPU {statistics.median(r['cpu'] for r in measured):.2f} s, median wall "
                  f"{statistics.median(r['wall'] for r in measured):.2f} s, runs {measured}")


if __name__ == "__main__":
    main()
