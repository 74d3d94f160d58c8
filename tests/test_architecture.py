"""The architecture, enforced: the import layers, lint, types on every package, and each shared fact defined once."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "components", "policies", "stacks", "scripts")
BIN = Path(sys.executable).parent


def _run(*command: str, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


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
    # modules) are analysed once, on a clean clone, which takes minutes (hence the longer timeout), not on every run.
    result = _run(str(BIN / "mypy"), "--ignore-missing-imports", "--follow-imports=silent",
                  f"--cache-dir={ROOT / '.mypy_cache'}", *arguments, cwd=tmp_path, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


FACTS = {
    "the environment list": (r"\(\s*\"dev\",\s*\"test\",\s*\"acc\",\s*\"prod\"\s*\)|dev\|test\|acc\|prod|dev,test,acc,prod",
                             "core/environments.py"),
    "the platform project's name": (r"^\s*[A-Z_]*PROJECT\s*=\s*\"amsterdam-platform\"", "core/program_config.py"),
    "the governance project's name": (r"^\s*[A-Z_]*PROJECT\s*=\s*\"amsterdam-governance\"",
                                      "core/program_config.py"),
    "the EU regions": (r"^EU_REGIONS\b", "core/regions.py"),
    "the user error": (r"^class UserError\b", "core/errors.py"),
    "the stack-name environment rule": (r"^def environment_of_stack\b", "core/environments.py"),
    "the path shown in messages": (r"^def display\b", "core/errors.py"),
    "the private-link DNS zone names": (r"[\"(]privatelink\.[a-z0-9.{}-]+\"", "core/private_link.py"),
    "the config field readers": (r"^def _?(read_project_keys|section|matching|one_of|boolean|integer)\(",
                                 "core/config_readers.py"),
    "the GUID shape": (r"\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}", "core/ids.py"),
    "the BIO levels": (r"\"BBN1\",\s*\"BBN2\",\s*\"BBN3\"", "core/classification.py"),
    "the export format's secret signature": (r"4dabf18193072939515e22adb298388d", "core/export_format.py"),
    "the export format's unknown value": (r"04da6b54-80e4-46f7-96ec-b56ff0331ba9", "core/export_format.py"),
    "the root stack type": (r"^\s*[A-Z_]+\s*=\s*\"pulumi:pulumi:Stack\"", "core/export_format.py"),
    "the stateful-type tables": (r"^(STATEFUL_TYPES|DATA_STORE_TYPES)\b[^=]*=\s*[({]", "core/stateful.py"),
    "the mailbox shape": (r"\^\[\^@\\{1,2}s;?\]\+@", "core/ids.py"),
    "the cost center shape": (r"\^CC-\\d\{4,6\}\$", "core/ids.py"),
    "the Log Analytics workspace id shape": (r"OperationalInsights/workspaces/\[\^/\]\+\$", "core/ids.py"),
    "the sign-in principal types": (r"\(\"User\",\s*\"Group\",\s*\"ServicePrincipal\"\)", "core/ids.py"),
    "the flexible server SKU tables": (r"^(POSTGRES|MYSQL)_SKUS\b", "core/app_config.py"),
    "the flexible server versions": (r"^\s*[A-Z_]*VERSIONS\s*=\s*\(\s*\"(8\.0\.21|13)\"", "core/app_config.py"),
    "the app config contract's model": (r"^(APP_FIELDS|CONFIG_FIELDS)\b", "core/app_config.py"),
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_a_shared_fact_is_defined_in_one_place(fact):
    pattern, home = FACTS[fact]
    found = sorted(str(path.relative_to(ROOT)) for package in PACKAGES for path in (ROOT / package).rglob("*.py")
                   if re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE))
    assert found == [home], f"{fact} is defined in {found}; it belongs in {home} only"


ENVIRONMENTS_SPELLED = re.compile(r"\bdev\W{1,3}test\W{1,3}acc\W{1,4}(?:or\s+)?prod\b")
"""The four environments in a string: `dev|test|acc|prod`, `dev,test,acc,prod`, `dev, test, acc or prod`."""


def _environment_list_copies(tree: ast.AST, environments: tuple[str, ...]) -> list[int]:
    """Lines of a module that spell the environment list in code: a tuple, list or set of the four names, or a
    string (a help text, a pattern, a message) naming all four; docstrings may name them."""
    documentation = {id(node.value) for node in ast.walk(tree)
                     if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, (ast.Tuple, ast.List, ast.Set))
            and sorted(str(getattr(item, "value", None)) for item in node.elts) == sorted(environments)
            or isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in documentation
            and ENVIRONMENTS_SPELLED.search(node.value)]


def test_the_environment_list_is_spelled_only_in_core_environments():
    from amsterdam_cloud.core.environments import ENVIRONMENTS

    found = [f"{path.relative_to(ROOT)}:{line}" for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
             if path != ROOT / "core" / "environments.py"
             for line in _environment_list_copies(ast.parse(path.read_text(encoding="utf-8")), ENVIRONMENTS)]
    assert found == [], f"the environment list spelled in {found}; build it from core/environments.py"


@pytest.mark.parametrize("spelling", ['EMAIL = re.compile(r"^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$")',
                                      '_MAILBOX = "^[^@\\\\s]+@[^@\\\\s]+\\\\.[a-zA-Z]{2,}$"',
                                      '_EMAIL = re.compile(r"^[^@\\s;]+@[^@\\s;]+\\.[a-z]{2,}$")'])
def test_the_mailbox_guard_finds_raw_escaped_and_separator_refusing_spellings(spelling):
    assert re.search(FACTS["the mailbox shape"][0], spelling, re.MULTILINE)


def test_the_environment_list_guard_finds_each_spelling():
    environments = ("dev", "test", "acc", "prod")
    for code in ('E = ["dev", "test", "acc", "prod"]', "E = {'dev', 'test', 'acc', 'prod'}",
                 'E = ("dev","test","acc","prod",)', 'E = "dev test acc prod".split()',
                 'help = "one of dev, test, acc, prod"', 'm = f"{x} is not dev, test, acc or prod"',
                 'p = r"^(dev|test|acc|prod)$"', 'E = frozenset({"prod", "acc", "test", "dev"})'):
        assert _environment_list_copies(ast.parse(code), environments) == [1], code
    assert _environment_list_copies(ast.parse('"""Each environment (dev, test, acc, prod)."""'), environments) == []


_ENVIRONMENT_NAME = r"[\"'](?:dev|test|acc|prod)[\"']"
ENVIRONMENT_BRANCH = re.compile(rf"(?:==|!=|\bin)\s*[(\[{{]?\s*{_ENVIRONMENT_NAME}|{_ENVIRONMENT_NAME}\s*(?:==|!=|\bin\b)"
                                rf"|(?:^|[{{,])\s*{_ENVIRONMENT_NAME}\s*:")
"""A comparison with an environment's name (`env == "prod"`, `"prod" in (...)`) or a table keyed by one."""


ENVIRONMENT_BRANCHES_ALLOWED = {
    "core/backend.py": ('return CITY_STATE_PROD_SHARE if environment == "prod" else',
                        "a backend name, not a behaviour: prod's state container and key keep the names of the one "
                        "container and key they replaced, which existing stacks' backend URLs and keys already use"),
}
"""The one file allowed to compare an environment's name, with the line and why it is a naming fact."""


def test_no_component_or_stack_branches_on_an_environment_name():
    """Environments differ only through config (the stack files, core/app_operations.yaml): code that compares an
    environment's name, or keys a table by it, hides a difference from the config and from review."""
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for folder in ("core", "components", "stacks", "templates")
             for path in sorted((ROOT / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if ENVIRONMENT_BRANCH.search(line)
             and ENVIRONMENT_BRANCHES_ALLOWED.get(str(path.relative_to(ROOT)), ("\0",))[0] not in line]
    assert found == [], "environment names in code; move the difference into config:\n" + "\n".join(found)


def test_each_allowed_environment_branch_is_still_there():
    """An allow-list entry whose line is gone would silently allow a new branch in its file: drop it instead."""
    for path, (line, _reason) in ENVIRONMENT_BRANCHES_ALLOWED.items():
        assert line in (ROOT / path).read_text(encoding="utf-8"), f"{path} no longer has {line!r}; remove the entry"


def test_the_environment_guard_finds_what_it_is_for():
    for line in ('if environment == "prod":', "suffix = '' if env != 'dev' else x", 'if "prod" in (stack, env):',
                 'if env in ("acc", "prod"):', 'WORKLOADS = {"dev": "DevTest", "prod": "Production"}'):
        assert ENVIRONMENT_BRANCH.search(line), line
    assert not ENVIRONMENT_BRANCH.search('if environment in ISOLATED_ENVIRONMENTS:')


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
