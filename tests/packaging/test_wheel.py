"""The wheel is the toolkit app teams install: built from the sources, installed into a fresh venv outside the
checkout with its dependencies at the lock's versions (.ci/constraints.txt), it plans and checks an app rendered
from the template with no checkout in reach.

Measured here (shared 2-core machine): the install into the fresh venv takes 24-39 s with pip's cache warm (CI
keys that cache on the lock), 1 min 45 s cold; the venv is 487 MB, most of it pulumi-azure-native.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
LOCK = ROOT / ".ci" / "constraints.txt"
APP = "parkeer"

COMMANDS = {
    "version": ("--version",),
    "pack-dir": ("policy", "pack-dir"),
    "plan dev": ("plan", "dev", "--plans-dir", "plans"),
    "plan prod": ("plan", "prod", "--plans-dir", "plans"),
    "check": ("policy", "check", f"plans/{APP}.prod.json"),
}
"""What an app team types in its repository, exactly as README.md's app-team section shows it."""
SECRETS = "--secrets-provider 'azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state'"
DEV_SECRETS = "--secrets-provider 'azurekeyvault://kv-ams-pulumi-state.vault.azure.net/keys/pulumi-state-dev'"
"""Each environment's stacks are encrypted with that environment's key (core/backend.py `city_secrets_provider`)."""
PULUMI_STEPS = (
    f'pulumi new <toolkit>/templates/app --name {APP} --description "Parkeervergunningen" --stack dev {DEV_SECRETS}',
    f"pulumi stack init prod {SECRETS}",
    "pulumi config set app:owner parkeren@amsterdam.nl --stack prod",
)
"""The Pulumi CLI steps `_render_template` stands in for, in README.md's order: a stack exists (with the city's
secrets provider) before its config is set."""

pytestmark = pytest.mark.slow


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{argv}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built (as CI builds it) from a copy of only what pyproject.toml packages: no stray checkout file."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "venv", ".venv", "out")
    for folder in sorted(set(PYPROJECT["tool"]["setuptools"]["package-dir"].values())):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(source)])
    (built,) = dist.glob("amsterdam_cloud-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory) -> Path:
    """A new venv in a temp folder outside the checkout, with the wheel and its dependencies installed from the
    index at the lock's versions (as an app team installs it, from the feed); returns its bin folder."""
    home = tmp_path_factory.mktemp("venv-home")
    assert not home.resolve().is_relative_to(ROOT)
    venv = home / "venv"
    _run([sys._base_executable, "-m", "venv", "--without-pip", str(venv)])
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
          "--constraint", str(LOCK), str(wheel)])
    return venv / "bin"


def _render_template(destination: Path) -> Path:
    """The app template rendered as `pulumi new ... --stack dev` renders it, with the owner and cost centre also set
    for prod (the renderer of tests/templates)."""
    spec = importlib.util.spec_from_file_location(
        "app_template_renderer", ROOT / "tests" / "templates" / "test_app_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.render(destination, project=APP, description="Parkeervergunningen")  # answers the prompts for dev
    return module.config_set(destination, "prod", module.ANSWERS)  # `pulumi config set ... --stack prod`


@pytest.fixture(scope="module")
def app_repository(fresh_venv, platform_plans, tmp_path_factory) -> dict:
    """A new app repository outside the checkout: the rendered template, and the platform plans in `plans/`
    (as an app team downloads them from the platform pipeline)."""
    folder = _render_template(tmp_path_factory.mktemp("repos") / APP)
    plans = folder / "plans"
    plans.mkdir()
    for environment in ("dev", "prod"):
        shutil.copy(platform_plans(environment), plans / platform_plans(environment).name)
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "CITYCTL_PLANS_DIR")}
    env["PATH"] = os.pathsep.join([str(fresh_venv), "/usr/bin", "/bin"])
    return {"dir": folder, "env": env}


def _cityctl(repository: dict, *argv: str) -> subprocess.CompletedProcess:
    """`cityctl ARGV` as an app team types it in its repository: the wheel's command, the repository as cwd."""
    return subprocess.run(["cityctl", *argv], cwd=repository["dir"], env=repository["env"], capture_output=True,
                          text=True, timeout=900)


def test_the_wheel_carries_the_pack_and_the_platform_data(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    pack = "amsterdam_cloud/policies/packs/amsterdam-baseline/"
    for needed in (f"{pack}PulumiPolicy.yaml", f"{pack}__main__.py", f"{pack}requirements.txt",
                   f"{pack}config/prod.json", "amsterdam_cloud/policies/waivers.yaml",
                   "amsterdam_cloud/scripts/cli.py"):
        assert needed in names, needed
    assert not any(name.startswith(("amsterdam_cloud/tests/", "tests/")) for name in names)


def test_cityctl_version_is_the_wheels_version(app_repository):
    result = _cityctl(app_repository, *COMMANDS["version"])

    assert (result.returncode, result.stdout.strip()) == (0, f"cityctl {VERSION}")


def test_the_toolkit_runs_from_the_fresh_venv_not_the_checkout(app_repository, fresh_venv):
    result = _cityctl(app_repository, *COMMANDS["pack-dir"])

    pack = Path(result.stdout.strip())
    assert result.returncode == 0, result.stderr
    assert pack.is_relative_to(fresh_venv.parent) and not pack.resolve().is_relative_to(ROOT)
    assert (pack / "PulumiPolicy.yaml").is_file()
    assert f"amsterdam-cloud=={VERSION}" in (pack / "requirements.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_an_app_team_plans_its_stacks_from_its_own_repository(app_repository, stack):
    result = _cityctl(app_repository, *COMMANDS[f"plan {stack}"])

    assert result.returncode == 0, result.stderr[-3000:]
    first = result.stderr.splitlines()[0]
    assert f"project {APP} (Pulumi.yaml, from the current folder), stack {stack}; plans in plans" in first
    assert "No violations." in result.stderr
    assert (app_repository["dir"] / "plans" / f"{APP}.{stack}.json").is_file()
    assert "Traceback" not in result.stderr


def test_an_app_team_checks_its_plan_against_the_installed_pack(app_repository):
    assert _cityctl(app_repository, *COMMANDS["plan prod"]).returncode == 0

    result = _cityctl(app_repository, *COMMANDS["check"])

    assert result.returncode == 0, result.stderr[-3000:]
    assert "No violations." in result.stderr


def test_the_readme_shows_app_teams_the_commands_as_tested():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For app teams"):]
    section = section[:section.index("\n## ", 1)]

    for argv in COMMANDS.values():
        assert f"\ncityctl {' '.join(argv)}" in section, argv
    pulumi_lines = [line.split("   #")[0].rstrip() for line in section.splitlines() if line.startswith("pulumi ")]
    assert tuple(pulumi_lines) == PULUMI_STEPS


def test_the_template_pins_a_version_range_that_admits_this_release():
    from packaging.requirements import Requirement

    lines = (ROOT / "templates" / "app" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    (pin,) = [Requirement(line) for line in lines if line.startswith("amsterdam-cloud")]

    assert VERSION in pin.specifier and not pin.specifier.contains("999.0")
