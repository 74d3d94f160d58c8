"""The naive baseline: the same program under a bare `pulumi.runtime.Mocks` subclass and the SDK's own MockMonitor.

This is what a Pulumi unit test does out of the box: no alias dropping, no garbage-collector tuning, no workers.
Usage: python benchmarks/naive_plan.py PROJECT_DIR STACK [STACK ...]   (stacks one after another, one process)
"""

import asyncio
import json
import resource
import runpy
import sys
import time
from pathlib import Path

import pulumi
import yaml

from amsterdam_cloud.scripts.offline import sdk_seam


class NaiveMocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}_id", dict(args.inputs)

    def call(self, args):
        return {}


def plan(project_dir: Path, stack: str) -> int:
    project = yaml.safe_load((project_dir / "Pulumi.yaml").read_text())
    config = yaml.safe_load((project_dir / f"Pulumi.{stack}.yaml").read_text())["config"]
    asyncio.set_event_loop(asyncio.new_event_loop())
    monitor = pulumi.runtime.mocks.MockMonitor(NaiveMocks())
    sdk_seam.use_mocks(monitor, project["name"], stack)  # `set_mocks`, minus the root stack run_in_stack registers
    pulumi.runtime.set_all_config({k: str(v) for k, v in config.items()})
    sdk_seam.run_plain(lambda: runpy.run_path(str(project_dir / project.get("main", ".")), run_name="__main__"))
    return len(monitor.resources)


if __name__ == "__main__":
    started = time.perf_counter()
    project_dir = Path(sys.argv[1])
    counts = {stack: plan(project_dir, stack) for stack in sys.argv[2:]}
    print(json.dumps({"resources": sum(counts.values()), "seconds": time.perf_counter() - started,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
