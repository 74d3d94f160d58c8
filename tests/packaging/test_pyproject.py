"""The installable project: every package is listed, its data files are shipped, Pulumi.yaml is what the CLI reads."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MAPPED = PYPROJECT["tool"]["setuptools"]["package-dir"]


def packages_on_disk() -> set[str]:
    found = set()
    for package, folder in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([package, *relative.parts]))
    return found


def test_every_package_on_disk_is_listed_so_a_wheel_ships_it():
    assert packages_on_disk() == set(PYPROJECT["tool"]["setuptools"]["packages"])


def test_import_root_is_unambiguous():
    assert all(name.startswith("amsterdam_cloud.") for name in PYPROJECT["tool"]["setuptools"]["packages"])
    assert set(MAPPED.values()) == {"core", "components", "policies", "scripts", "stacks"}


def shipped(data: str) -> bool:
    """Whether setuptools' package-data globs (relative to the deepest package holding the file) pick it up."""
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]
    path = ROOT / data
    for package, folder in MAPPED.items():
        if not data.startswith(folder + "/"):
            continue
        holder = path.parent
        while not (holder / "__init__.py").is_file():
            holder = holder.parent
        name = ".".join([package, *holder.relative_to(ROOT / folder).parts])
        relative = path.relative_to(holder).as_posix()
        return any(fnmatch.fnmatch(relative, pattern) and ("/" in pattern or "/" not in relative)
                   for pattern in [*globs.get("*", []), *globs.get(name, [])])
    return False


def test_data_files_the_code_reads_are_package_data():
    for data in ("core/algorithm_register.yaml", "policies/waivers.yaml", "policies/azure_types.json",
                 "policies/packs/amsterdam-baseline/config/prod.json", "scripts/migrate/strategy_rules.yaml",
                 "stacks/Pulumi.dev.yaml"):
        assert (ROOT / data).is_file(), data
        assert shipped(data), f"{data} is read at run time but not in [tool.setuptools.package-data]"


def test_console_command_is_cityctl():
    assert PYPROJECT["project"]["scripts"] == {"cityctl": "amsterdam_cloud.scripts.cli:main"}


def test_pulumi_yaml_is_what_the_cli_accepts():
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["name"] == "amsterdam-platform"
    assert project["runtime"]["name"] == "python"
    assert project["main"] == "stacks/" and project["stackConfigDir"] == "stacks"
    assert (ROOT / project["main"] / "__main__.py").is_file()
