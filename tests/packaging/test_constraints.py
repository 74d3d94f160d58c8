"""The lock (.ci/constraints.txt): every dependency pyproject.toml names is pinned to one version, and quickstart
(so CI) installs from it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = ROOT / ".ci" / "constraints.txt"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9.+!-]+)$")


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def declared_dependencies() -> list[str]:
    """The project's dependencies and every extra's."""
    extras = PYPROJECT["project"]["optional-dependencies"].values()
    return [*PYPROJECT["project"]["dependencies"], *(dependency for extra in extras for dependency in extra)]


def lock_lines() -> list[str]:
    return [line.strip() for line in LOCK.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_every_line_of_the_lock_pins_one_exact_version():
    bad = [line for line in lock_lines() if not PIN.match(line)]
    assert not bad, f"{LOCK.name}: not a `name==version` pin: {bad}"


def test_the_lock_pins_every_dependency_pyproject_names():
    pinned = {canonical(PIN.match(line).group("name")) for line in lock_lines() if PIN.match(line)}
    missing = sorted({requirement_name(d) for d in declared_dependencies()} - pinned)
    assert not missing, f"{LOCK.name} lacks {missing}; regenerate it: scripts/quickstart.sh lock"


def test_every_pin_is_inside_the_range_pyproject_allows():
    from packaging.requirements import Requirement

    pins = {canonical(m.group("name")): m.group("version") for m in map(PIN.match, lock_lines()) if m}
    outside = [f"{r.name}=={pins[canonical(r.name)]} (pyproject: {r.specifier})"
               for r in map(Requirement, declared_dependencies())
               if canonical(r.name) in pins and not r.specifier.contains(pins[canonical(r.name)], prereleases=True)]
    assert not outside, f"{LOCK.name} pins outside pyproject.toml's bounds: {outside}"


def test_the_lock_never_pins_this_project_itself():
    assert canonical(PYPROJECT["project"]["name"]) not in {requirement_name(line) for line in lock_lines()}


def test_quickstart_installs_from_the_lock_and_reinstalls_when_it_changes():
    script = (ROOT / "scripts" / "quickstart.sh").read_text()
    assert "lock=.ci/constraints.txt" in script
    assert "pip install --quiet -c \"$lock\" -e '.[test]'" in script
    assert 'stamp=".venv/.installed-$(cat pyproject.toml "$lock" | sha256sum' in script
