"""The architecture, enforced: the import layers, lint, types on every package, and each shared fact defined once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "components", "policies", "stacks", "scripts")
BIN = Path(sys.executable).parent


def _run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_import_layers_hold():
    result = _run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_finds_nothing():
    result = _run(str(BIN / "ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_every_package_type_checks(tmp_path):
    # The packages install under `amsterdam_cloud.<folder>` (pyproject's package-dir); mypy sees that layout here.
    root = tmp_path / "amsterdam_cloud"
    root.mkdir()
    for package in PACKAGES:
        (root / package).symlink_to(ROOT / package, target_is_directory=True)
    arguments = [f"-p=amsterdam_cloud.{package}" for package in PACKAGES]
    # One cache for every run (mypy re-checks only what changed, by content): the SDKs (azure-native's thousands of
    # modules) are analysed once, not on every run, which takes minutes.
    result = _run(str(BIN / "mypy"), "--ignore-missing-imports", "--follow-imports=silent",
                  f"--cache-dir={ROOT / '.mypy_cache'}", *arguments, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


FACTS = {
    "the environment list": (r"\(\s*\"dev\",\s*\"test\",\s*\"acc\",\s*\"prod\"\s*\)", "core/environments.py"),
    "the platform project's name": (r"^\s*[A-Z_]*PROJECT\s*=\s*\"amsterdam-platform\"", "core/program_config.py"),
    "the governance project's name": (r"^\s*[A-Z_]*PROJECT\s*=\s*\"amsterdam-governance\"",
                                      "core/program_config.py"),
    "the EU regions": (r"^EU_REGIONS\b", "core/regions.py"),
    "the user error": (r"^class UserError\b", "core/errors.py"),
    "the stack-name environment rule": (r"^def environment_of_stack\b", "core/environments.py"),
    "the path shown in messages": (r"^def display\b", "core/errors.py"),
    "the GUID shape": (r"\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}", "core/ids.py"),
    "the BIO levels": (r"\"BBN1\",\s*\"BBN2\",\s*\"BBN3\"", "core/classification.py"),
    "the export format's secret signature": (r"4dabf18193072939515e22adb298388d", "core/export_format.py"),
    "the export format's unknown value": (r"04da6b54-80e4-46f7-96ec-b56ff0331ba9", "core/export_format.py"),
    "the root stack type": (r"^\s*[A-Z_]+\s*=\s*\"pulumi:pulumi:Stack\"", "core/export_format.py"),
    "the stateful-type tables": (r"^(STATEFUL_TYPES|DATA_STORE_TYPES)\b[^=]*=\s*[({]", "core/stateful.py"),
    "the mailbox shape": (r"\^\[\^@\\s\]\+@\[\^@\\s\]\+", "core/ids.py"),
    "the cost center shape": (r"\^CC-\\d\{4,6\}\$", "core/ids.py"),
    "the Log Analytics workspace id shape": (r"OperationalInsights/workspaces/\[\^/\]\+\$", "core/ids.py"),
    "the sign-in principal types": (r"\(\"User\",\s*\"Group\",\s*\"ServicePrincipal\"\)", "core/ids.py"),
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_a_shared_fact_is_defined_in_one_place(fact):
    pattern, home = FACTS[fact]
    found = sorted(str(path.relative_to(ROOT)) for package in PACKAGES for path in (ROOT / package).rglob("*.py")
                   if re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE))
    assert found == [home], f"{fact} is defined in {found}; it belongs in {home} only"


def _modules() -> list[str]:
    """Every module of the installed packages (programs and the pack's entry point run as scripts: not imported)."""
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            if path.name == "__main__.py" or "packs" in relative.parts:
                continue
            parts = relative.parts[:-1] if path.name == "__init__.py" else relative.parts
            names.append(".".join(("amsterdam_cloud", *parts)))
    return names


def test_every_module_imports():
    import importlib

    broken = []
    for name in _modules():
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - every failure is the finding
            broken.append(f"{name}: {type(error).__name__}: {error}")
    assert not broken, "\n".join(broken)
