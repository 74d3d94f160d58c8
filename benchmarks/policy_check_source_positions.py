"""What recording source positions costs the offline plan: the synthetic stack planned whole-process with
`scripts/offline/source_locations.py` (each resource's program line, for SARIF) against the same plan with the
previous empty stack trace, alternating runs, median wall time of each and their ratio.

    .venv/bin/python benchmarks/policy_check_source_positions.py --resources 1000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_benchmark import PYTHON, make_project, measure  # noqa: E402  (the same project and timing as the plan's)

DRIVER = """
import sys
from amsterdam_cloud.scripts.offline import source_locations
if sys.argv[1] == "without":  # the previous behaviour: the SDK captured an empty stack trace per resource
    from pulumi.runtime.proto import source_pb2
    source_locations.stack_trace = source_pb2.StackTrace
from amsterdam_cloud.scripts.cli import main
sys.exit(main(sys.argv[2:]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "synthetic", {"bench": args.resources})
        plans = Path(folder) / "plans"
        command = ["plan", "bench", "--no-policy", "--project-dir", str(project), "--plans-dir", str(plans)]
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(args.runs):
            for variant in ("without", "with"):
                times[variant].append(measure([PYTHON, "-c", DRIVER, variant, *command])["seconds"])
    median = {variant: statistics.median(values) for variant, values in times.items()}
    print(f"{args.resources} resources, {args.runs} runs each: with source positions median {median['with']:.2f} s "
          f"{times['with']}, without {median['without']:.2f} s {times['without']}; "
          f"cost {100 * (median['with'] / median['without'] - 1):+.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
