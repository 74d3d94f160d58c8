"""The pipeline definitions: valid by the vendors' schemas, OIDC only, promotion in order, and commands that exist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.scripts.cli import build_parser, main

REPO = Path(__file__).resolve().parents[3]
AZURE = REPO / ".ci" / "azure-pipelines.yml"
GITHUB = REPO / ".ci" / "github" / "workflows" / "deploy.yml"
GITHUB_ENVIRONMENT = REPO / ".ci" / "github" / "workflows" / "deploy-environment.yml"
ENVIRONMENTS = ["dev", "test", "acc", "prod"]


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args], capture_output=True, text=True,
                          timeout=300)


def test_the_azure_devops_pipeline_is_valid_by_its_schema():
    # The vendored schema's patterns need the non-unicode regex variant; the transform expands ${{ }} expressions.
    result = _check_jsonschema("--builtin-schema", "vendor.azure-pipelines", "--data-transform", "azure-pipelines",
                               "--regex-variant", "nonunicode", str(AZURE))

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.parametrize("workflow", [GITHUB, GITHUB_ENVIRONMENT], ids=lambda p: p.name)
def test_the_github_workflows_are_valid_by_their_schema(workflow):
    result = _check_jsonschema("--builtin-schema", "vendor.github-workflows", str(workflow))

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_the_schema_check_catches_a_broken_pipeline(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump({"on": "push", "jobs": {"plan": {"steps": [{"run": "true"}]}}}),
                      encoding="utf-8")

    result = _check_jsonschema("--builtin-schema", "vendor.github-workflows", str(broken))

    assert result.returncode == 1  # a job without runs-on is not a workflow


def _azure_stages() -> list[dict]:
    return yaml.safe_load(AZURE.read_text(encoding="utf-8"))["stages"]


def test_azure_devops_promotes_dev_test_acc_prod_in_order():
    deploys = [s for s in _azure_stages() if s["stage"].startswith("deploy_")]

    assert [s["stage"] for s in deploys] == [f"deploy_{e}" for e in ENVIRONMENTS]
    assert [s["dependsOn"] for s in deploys] == ["validate", "deploy_dev", "deploy_test", "deploy_acc"]


def test_azure_devops_deploys_through_environments_after_a_preview():
    for stage in (s for s in _azure_stages() if s["stage"].startswith("deploy_")):
        environment = stage["stage"].removeprefix("deploy_")
        deployment = next(j for j in stage["jobs"] if "deployment" in j)
        assert deployment["environment"] == f"amsterdam-platform-{environment}"
        assert deployment["dependsOn"] == "preview"


def test_github_promotes_dev_test_acc_prod_in_order_through_environments():
    jobs = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))["jobs"]
    chain = ["dev", "test-environment", "acc", "prod"]

    assert [jobs[name]["with"]["environment"] for name in chain] == ENVIRONMENTS
    assert [jobs[name]["needs"] for name in chain[1:]] == [[name] for name in chain[:-1]]
    called = yaml.safe_load(GITHUB_ENVIRONMENT.read_text(encoding="utf-8"))["jobs"]
    assert called["deploy"]["environment"] == "${{ inputs.environment }}"
    assert called["deploy"]["needs"] == ["preview"]


def test_pipelines_use_workload_identity_federation_and_no_stored_secret():
    for path in (AZURE, GITHUB, GITHUB_ENVIRONMENT):
        text = path.read_text(encoding="utf-8")
        assert 'ARM_USE_OIDC: "true"' in text, path.name
        assert not re.search(r"client[-_]?secret|ARM_CLIENT_SECRET|secrets\.", text, re.IGNORECASE), path.name
    assert "id-token: write" in GITHUB_ENVIRONMENT.read_text(encoding="utf-8")
    assert "addSpnToEnvironment: true" in AZURE.read_text(encoding="utf-8")


def test_pull_requests_publish_sarif_and_junit_and_the_plan_diff():
    for path in (AZURE, GITHUB):
        text = path.read_text(encoding="utf-8")
        assert "--format sarif" in text and "--format junit" in text, path.name
        assert "--against" in text, path.name


def _scripts(node) -> list[str]:
    """The shell scripts of a pipeline: every `run`, `script` and `inlineScript` value."""
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("run", "script", "inlineScript") and isinstance(v, str)]
        return found + [s for v in node.values() for s in _scripts(v)]
    if isinstance(node, list):
        return [s for item in node for s in _scripts(item)]
    return []


def _cityctl_invocations(path: Path) -> list[list[str]]:
    """Every `cityctl ...` command line in a pipeline's scripts, with variables replaced by a plausible value."""
    commands = []
    for script in _scripts(yaml.safe_load(path.read_text(encoding="utf-8"))):
        text = script.replace("\\\n", " ")
        text = re.sub(r"\$\{\{\s*(inputs\.environment|matrix\.stack)\s*\}\}|\$\(stack\)|\$STACK", "prod", text)
        text = re.sub(r"\$\{\{[^}]*\}\}|\$\([^)]*\)|\$\{?\w+\}?", "x", text)
        for match in re.finditer(r"cityctl\"? ([^\n]+)", text):
            line = match.group(1).split("||")[0].split(" 2>")[0].split(" )")[0]
            commands.append(shlex.split(line))
    return commands


def _is_plan_diff(argv: list[str]) -> bool:
    return argv[:1] == ["plan"] and "--against" in argv


def _assert_parses(path: Path, argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv)
    except SystemExit:
        pytest.fail(f"{path.name}: `cityctl {' '.join(argv)}` is not a valid command line")


@pytest.mark.parametrize("path", [AZURE, GITHUB, GITHUB_ENVIRONMENT], ids=lambda p: p.name)
def test_every_cityctl_command_in_the_pipelines_exists(path):
    invocations = _cityctl_invocations(path)

    assert invocations, f"{path.name} runs no cityctl command"
    for argv in invocations:
        if not _is_plan_diff(argv):
            _assert_parses(path, argv)


@pytest.fixture(scope="module")
def saved_dev_plan(tmp_path_factory) -> Path:
    """The dev stack planned once, as the pipelines plan the target branch."""
    plans = tmp_path_factory.mktemp("base-plans")
    out = plans / "amsterdam-platform.dev.json"
    assert main(["plan", "dev", "--no-policy", "--no-tree", "--plans-dir", str(plans), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("path", [AZURE, GITHUB], ids=lambda p: p.name)
def test_the_plan_diff_command_of_the_pipelines_runs(path, saved_dev_plan, tmp_path, capsys):
    (argv,) = [argv for argv in _cityctl_invocations(path) if _is_plan_diff(argv)]
    argv = ["dev" if arg == "prod" else str(saved_dev_plan) if arg == "x" else arg for arg in argv]
    capsys.readouterr()

    code = main([*argv, "--plans-dir", str(tmp_path)])

    err = capsys.readouterr().err
    assert code == 0, err[-2000:]
    assert re.search(r"Plan diff .*: \d+ unchanged", err), err[-2000:]
