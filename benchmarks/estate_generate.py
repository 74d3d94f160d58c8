"""A synthetic estate: one platform project with a stack per environment and app projects whose stacks reference
their environment's platform stack, every stack the synthetic program (`synthetic/__main__.py`) of N resources.

    .venv/bin/python benchmarks/estate_generate.py OUT --projects 5 --stacks 800 --resources 51

makes OUT/platform (dev, test, acc, prod) and OUT/apps/app-1 ... app-(P-1), the other stacks spread evenly over
them and named `<env>-<n>`, each referencing `organization/synthetic-platform/<env>`. Every project declares the
city's self-managed backend, so the references are checked as the real backend reads them.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENVIRONMENTS = ("dev", "test", "acc", "prod")
PROJECT_FILE = """name: {name}
runtime: python
main: .
backend:
  url: azblob://pulumi-state?storage_account=stamsterdampulumistate
"""


def generate(root: Path, *, projects: int, stacks: int, resources: int) -> dict[str, int]:
    """Write the estate under `root` (replacing it); the count of projects, stacks and resources made."""
    if projects < 2 or stacks < len(ENVIRONMENTS) + projects - 1:
        raise SystemExit("estate_generate: need at least 2 projects and a stack per environment plus one per app")
    if root.exists():
        shutil.rmtree(root)
    _project(root / "platform", "synthetic-platform",
             {env: {"synthetic:resources": str(resources)} for env in ENVIRONMENTS})
    apps = projects - 1
    remaining = stacks - len(ENVIRONMENTS)
    for app in range(1, apps + 1):
        count = remaining // apps + (1 if app <= remaining % apps else 0)
        configs = {}
        for number in range(count):
            environment = ENVIRONMENTS[number % len(ENVIRONMENTS)]
            configs[f"{environment}-{number // len(ENVIRONMENTS) + 1}"] = {
                "synthetic:resources": str(resources),
                "synthetic:platform": f"organization/synthetic-platform/{environment}"}
        _project(root / "apps" / f"app-{app}", f"synthetic-app-{app}", configs)
    return {"projects": projects, "stacks": stacks, "resources": stacks * resources}


def _project(folder: Path, name: str, stacks: dict[str, dict[str, str]]) -> None:
    folder.mkdir(parents=True)
    shutil.copy(HERE / "synthetic" / "__main__.py", folder / "__main__.py")
    (folder / "Pulumi.yaml").write_text(PROJECT_FILE.format(name=name))
    for stack, config in stacks.items():
        lines = "".join(f'  {key}: "{value}"\n' for key, value in config.items())
        (folder / f"Pulumi.{stack}.yaml").write_text(f"config:\n{lines}")


def set_config(root: Path, folder: str, stack: str, key: str, value: str) -> None:
    """Set `synthetic:<key>` in a generated stack file (what the benchmark and the tests change between runs)."""
    path = root / folder / f"Pulumi.{stack}.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"  synthetic:{key}:")]
    path.write_text("\n".join(lines + [f'  synthetic:{key}: "{value}"']) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the folder to write the estate to (replaced)")
    parser.add_argument("--projects", type=int, default=5, help="projects, the platform included (default 5)")
    parser.add_argument("--stacks", type=int, default=800, help="stacks in all (default 800)")
    parser.add_argument("--resources", type=int, default=51,
                        help="resources per stack, the resource group included (default 51; 5n+1 is exact)")
    args = parser.parse_args()
    print(generate(args.root, projects=args.projects, stacks=args.stacks, resources=args.resources))


if __name__ == "__main__":
    main()
