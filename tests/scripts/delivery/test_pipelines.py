"""The pipeline definitions: valid by the vendors' schemas, where the CI systems read them, OIDC only, promotion in
order, one per project, a PR gate that fails on a refused diff, caches and pins, and commands that exist."""

from __future__ import annotations

import copy
import json
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
AZURE_DIR = REPO / ".ci" / "azure"
AZURE_PIPELINES = {"platform": AZURE, "workplace": AZURE_DIR / "workplace.yml",
                   "analytics": AZURE_DIR / "analytics.yml", "state-backend": AZURE_DIR / "state-backend.yml"}
APP_TEMPLATE = REPO / "templates" / "app"
APP_PIPELINE_FILES = [APP_TEMPLATE / "azure-pipelines.yml", *sorted(APP_TEMPLATE.glob("pipeline-*.yml"))]
AZURE_FILES = sorted([AZURE, *AZURE_DIR.glob("*.yml"), *APP_PIPELINE_FILES])
WORKFLOWS = REPO / ".github" / "workflows"
GITHUB = WORKFLOWS / "deliver.yml"
GITHUB_FILES = sorted(WORKFLOWS.glob("*.yml"))
ACTIONS = sorted((REPO / ".github" / "actions").glob("*/action.yml"))
ALL_FILES = AZURE_FILES + GITHUB_FILES + ACTIONS
ENVIRONMENTS = ["dev", "test", "acc", "prod"]
FEED = "https://pkgs.dev.azure.com/gemeente-amsterdam/_packaging/amsterdam-cloud/pypi/"


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args], capture_output=True, text=True,
                          timeout=300)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", AZURE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_azure_devops_pipeline_and_template_is_valid_by_its_schema(path):
    # The vendored schema's patterns need the non-unicode regex variant; the transform expands ${{ }} expressions.
    result = _check_jsonschema("--builtin-schema", "vendor.azure-pipelines", "--data-transform", "azure-pipelines",
                               "--regex-variant", "nonunicode", str(path))

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.parametrize("workflow", GITHUB_FILES, ids=lambda p: p.name)
def test_every_github_workflow_is_valid_by_its_schema(workflow):
    result = _check_jsonschema("--builtin-schema", "vendor.github-workflows", str(workflow))

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda p: p.parent.name)
def test_every_local_github_action_is_valid_by_its_schema(action):
    result = _check_jsonschema("--builtin-schema", "vendor.github-actions", str(action))

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_the_schema_check_catches_a_broken_pipeline(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump({"on": "push", "jobs": {"plan": {"steps": [{"run": "true"}]}}}),
                      encoding="utf-8")

    result = _check_jsonschema("--builtin-schema", "vendor.github-workflows", str(broken))

    assert result.returncode == 1  # a job without runs-on is not a workflow


def test_github_workflows_live_where_github_reads_them():
    assert {p.name for p in GITHUB_FILES} >= {"deliver.yml", "plan.yml", "deploy-environment.yml", "release.yml",
                                              "test-latest.yml"}
    elsewhere = [p for p in REPO.rglob("*.yml") if "workflows" in p.parts and not p.is_relative_to(WORKFLOWS)
                 and ".venv" not in p.parts]
    assert elsewhere == []
    for path in GITHUB_FILES:
        for job in _load(path)["jobs"].values():
            used = [job.get("uses", "")] + [step.get("uses", "") for step in job.get("steps", [])]
            for local in (u for u in used if u.startswith("./")):
                target = REPO / local
                assert target.is_file() or (target / "action.yml").is_file(), f"{path.name}: {local}"


def _scripts(node) -> list[str]:
    """The shell scripts of a pipeline: every `run`, `script` and `inlineScript` value."""
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("run", "script", "inlineScript") and isinstance(v, str)]
        return found + [s for v in node.values() for s in _scripts(v)]
    if isinstance(node, list):
        return [s for item in node for s in _scripts(item)]
    return []


def test_no_pipeline_hides_a_failure():
    for path in ALL_FILES:
        for script in _scripts(_load(path)):
            assert "|| true" not in script, f"{path.name}: `|| true` hides a failure:\n{script}"
            assert "curl -fsSL https://get.pulumi.com | sh" not in script, path.name


# --- Azure DevOps ------------------------------------------------------------------------------------------------

def _stages(path: Path) -> list[dict]:
    return _load(path)["stages"]


@pytest.mark.parametrize("project", AZURE_PIPELINES, ids=str)
def test_azure_devops_has_a_pipeline_per_project_that_plans_and_gates_it(project):
    stages = _stages(AZURE_PIPELINES[project])
    plan = next(s for s in stages if s["stage"] == "plan")
    (template,) = plan["jobs"]

    assert template["template"].endswith("plan-jobs.yml")
    assert template["parameters"]["project"] == project
    assert (REPO / template["parameters"]["projectDir"] / "Pulumi.yaml").is_file()


@pytest.mark.parametrize("project", AZURE_PIPELINES, ids=str)
def test_azure_devops_previews_and_deploys_in_separate_stages_in_order(project):
    stages = {s["stage"]: s for s in _stages(AZURE_PIPELINES[project])}
    environments = ["prod"] if project == "state-backend" else ENVIRONMENTS
    previous = None
    for environment in environments:
        preview, deploy = stages[f"preview_{environment}"], stages[f"deploy_{environment}"]
        assert [j["parameters"]["previewOnly"] for j in preview["jobs"] + deploy["jobs"]] == [True, False]
        assert deploy["dependsOn"] == f"preview_{environment}"
        if previous is not None:
            assert preview["dependsOn"] == f"deploy_{previous}"
        previous = environment


def test_azure_devops_approvals_are_asked_in_the_stage_after_the_preview():
    jobs = _load(AZURE_DIR / "deploy-jobs.yml")["jobs"]
    preview, deploy = (next(iter(item.values()))[0] for item in jobs)

    assert "environment" not in preview and preview["job"] == "preview"
    assert deploy["deployment"] == "up"
    assert deploy["environment"] == "amsterdam-${{ parameters.project }}-${{ parameters.environment }}"


def test_azure_devops_caches_pip_on_the_lock_file_and_pins_the_pulumi_cli():
    text = (AZURE_DIR / "install-steps.yml").read_text(encoding="utf-8")

    assert re.search(r"key: 'pip \|.*\.ci/constraints\.txt", text)
    assert "--constraint .ci/constraints.txt" in text
    assert "cat .ci/pulumi-version" in text and "sha256sum --check" in text
    assert re.search(r"key: 'pulumi \|.*\.ci/pulumi-version'", text)


# --- GitHub ------------------------------------------------------------------------------------------------------

def test_github_promotes_each_project_dev_test_acc_prod_platform_first():
    jobs = _load(GITHUB)["jobs"]
    for previous, environment in zip(ENVIRONMENTS, ENVIRONMENTS[1:]):
        assert set(jobs[f"platform-{environment}"]["needs"]) == {f"{p}-{previous}" for p in
                                                                  ("platform", "workplace", "analytics")}
    for project in ("workplace", "analytics"):
        for environment in ENVIRONMENTS:
            job = jobs[f"{project}-{environment}"]
            assert job["needs"] == [f"platform-{environment}"]
            assert job["with"] == {"environment": environment, "project": project,
                                   "project-dir": f"stacks/{project}", "platform-plans": True}
    assert jobs["state-backend-prod"]["with"]["project-dir"] == "stacks/state_backend"
    called = _load(WORKFLOWS / "deploy-environment.yml")["jobs"]
    assert called["deploy"]["environment"] == "${{ inputs.environment }}"
    assert called["deploy"]["needs"] == ["preview"]


def test_github_plans_every_project_on_a_pull_request():
    jobs = _load(GITHUB)["jobs"]
    planned = {job["with"]["project"]: job["with"]["project-dir"] for name, job in jobs.items()
               if job.get("uses") == "./.github/workflows/plan.yml"}

    assert planned == {"platform": ".", "workplace": "stacks/workplace", "analytics": "stacks/analytics",
                       "state-backend": "stacks/state_backend"}


def test_github_caches_pip_on_the_lock_file_and_pins_the_pulumi_cli():
    (action,) = ACTIONS
    steps = _load(action)["runs"]["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    pulumi = next(s for s in steps if s.get("uses", "").startswith("pulumi/actions"))

    assert python["with"]["cache"] == "pip" and ".ci/constraints.txt" in python["with"]["cache-dependency-path"]
    version = next(s for s in steps if s.get("id") == "pulumi-version")
    assert '.ci/pulumi-version' in version["run"]
    assert pulumi["with"]["pulumi-version"] == "${{ steps.pulumi-version.outputs.version }}"
    deploy = _load(WORKFLOWS / "deploy-environment.yml")["jobs"]
    assert {s["with"]["pulumi"] for job in deploy.values() for s in job["steps"]
            if s.get("uses") == "./.github/actions/setup-cityctl"} == {"true"}


# --- Both --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL_FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_no_pipeline_points_every_environment_at_one_state_container_or_key(path):
    # `cityctl deploy <env>` gives the CLI that environment's container and key (core/backend.py); a backend URL or
    # secrets provider set for the whole pipeline would send dev's deploy to prod's state
    text = path.read_text(encoding="utf-8")
    for fixed in ("azblob://", "azurekeyvault://", "PULUMI_BACKEND_URL:", "CITYCTL_SECRETS_PROVIDER:"):
        assert fixed not in text


def test_pipelines_use_workload_identity_federation_and_no_stored_secret():
    for path in ALL_FILES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"client[-_]?secret|ARM_CLIENT_SECRET|secrets\.", text, re.IGNORECASE), path.name
    for path in (AZURE, AZURE_DIR / "workplace.yml", WORKFLOWS / "deploy-environment.yml"):
        assert 'ARM_USE_OIDC: "true"' in path.read_text(encoding="utf-8"), path.name
    assert "id-token: write" in (WORKFLOWS / "deploy-environment.yml").read_text(encoding="utf-8")
    assert "addSpnToEnvironment: true" in (AZURE_DIR / "deploy-jobs.yml").read_text(encoding="utf-8")


def test_pull_requests_publish_sarif_junit_and_a_comment_with_the_gate():
    for path, provider in ((AZURE_DIR / "plan-jobs.yml", "azure-devops"), (WORKFLOWS / "plan.yml", "github")):
        text = path.read_text(encoding="utf-8")
        assert "--format sarif" in text and "--format junit" in text, path.name
        assert "--against" in text and "--summary" in text, path.name
        assert f"scripts.delivery.pr_comment {provider}" in text, path.name


def test_the_newest_sdks_are_tested_on_a_schedule_without_blocking():
    github = _load(WORKFLOWS / "test-latest.yml")
    azure = _load(AZURE_DIR / "test-latest.yml")

    assert "schedule" in github[True] and github["jobs"]["test-latest"]["continue-on-error"] is True
    assert azure["schedules"] and (azure["trigger"], azure["pr"]) == ("none", "none")
    step = next(s for s in azure["jobs"][0]["steps"] if "test-latest" in s.get("script", ""))
    assert step["continueOnError"] == "true"
    assert "scripts/quickstart.sh test-latest" in (WORKFLOWS / "test-latest.yml").read_text(encoding="utf-8")


def test_releases_publish_the_wheel_to_the_feed_the_requirements_name():
    github = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    azure = (AZURE_DIR / "release.yml").read_text(encoding="utf-8")

    assert _load(WORKFLOWS / "release.yml")[True]["push"]["tags"] == ["v*"]
    assert _load(AZURE_DIR / "release.yml")["trigger"]["tags"]["include"] == ["v*"]
    for text in (github, azure):
        assert ".ci/set-version" in text and "pip wheel --no-deps" in text and "twine upload" in text
        assert "pytest -q tests/packaging" in text
    assert FEED + "upload/" in github and "artifactFeed: $(FEED)" in azure and "FEED: amsterdam-cloud" in azure
    for requirements in (REPO / "templates" / "app" / "requirements.txt",
                         REPO / "policies" / "packs" / "amsterdam-baseline" / "requirements.txt"):
        lines = [line for line in requirements.read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith("#")]
        assert lines[0] == f"--index-url {FEED}simple/", requirements
        assert not any(line.startswith(("--extra-index-url", "-e")) for line in lines), requirements


def test_set_version_writes_the_tag_into_the_package_and_the_pack(tmp_path):
    for name in ("pyproject.toml", "policies/packs/amsterdam-baseline/requirements.txt", ".ci/set-version"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((REPO / name).read_text(encoding="utf-8"), encoding="utf-8")

    done = subprocess.run(["bash", str(tmp_path / ".ci" / "set-version"), "v2.3.4"], capture_output=True, text=True)
    bad = subprocess.run(["bash", str(tmp_path / ".ci" / "set-version"), "main"], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert '\nversion = "2.3.4"\n' in (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    pack = (tmp_path / "policies/packs/amsterdam-baseline/requirements.txt").read_text(encoding="utf-8")
    assert "\namsterdam-cloud==2.3.4\n" in pack
    assert bad.returncode == 2 and "not a release tag" in bad.stderr


# --- The commands the pipelines run --------------------------------------------------------------------------------

PLAUSIBLE = {"PROJECT_DIR": ".", "inputs.project-dir": ".", "STACK": "prod", "matrix.stack": "prod",
             "ENVIRONMENT": "prod", "inputs.environment": "prod", "PROJECT": "platform"}


def _cityctl_invocations(path: Path) -> list[list[str]]:
    """Every `cityctl ...` command line in a pipeline's scripts, with variables replaced by a plausible value."""
    commands = []
    for script in _scripts(_load(path)):
        text = script.replace("\\\n", " ")
        text = re.sub(r"\$\{?(\w+)\}?|\$\{\{\s*([\w.-]+)\s*\}\}|\$\(([\w.]+)\)",
                      lambda m: PLAUSIBLE.get(next(g for g in m.groups() if g), "x"), text)
        for match in re.finditer(r"cityctl\"? ([^\n;]+)", text):
            line = match.group(1).split("||")[0].split(" 2>")[0].split(")")[0].split("; then")[0]
            commands.append(shlex.split(line))
    return commands


@pytest.mark.parametrize("path", [p for p in ALL_FILES if any("cityctl " in s for s in _scripts(_load(p)))],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_every_cityctl_command_in_the_pipelines_exists(path):
    invocations = _cityctl_invocations(path)

    assert invocations, f"{path.name} runs no cityctl command"
    for argv in invocations:
        try:
            build_parser().parse_args(argv)
        except SystemExit as done:
            if argv == ["--version"] and done.code == 0:
                continue
            pytest.fail(f"{path.name}: `cityctl {' '.join(argv)}` is not a valid command line")


def _gate_command(path: Path, base: Path, summary: Path) -> list[str]:
    (argv,) = [argv for argv in _cityctl_invocations(path) if argv[:1] == ["plan"] and "--against" in argv]
    argv = list(argv)
    argv[argv.index("--against") + 1] = str(base)
    argv[argv.index("--summary") + 1] = str(summary)
    return argv


@pytest.fixture(scope="module")
def saved_prod_plan(tmp_path_factory) -> Path:
    """The prod stack planned once, as the pipelines plan the target branch."""
    plans = tmp_path_factory.mktemp("base-plans")
    out = plans / "amsterdam-platform.prod.json"
    assert main(["plan", "prod", "--project-dir", str(REPO), "--no-policy", "--no-tree", "--plans-dir", str(plans),
                 "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("path", [AZURE_DIR / "plan-jobs.yml", WORKFLOWS / "plan.yml"], ids=lambda p: p.name)
def test_the_pull_request_gate_passes_an_unchanged_stack_and_writes_the_comment(path, saved_prod_plan, tmp_path,
                                                                                capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    summary = tmp_path / "summary.md"

    code = main([*_gate_command(path, saved_prod_plan, summary), "--plans-dir", str(tmp_path)])

    err = capsys.readouterr().err
    assert code == 0, err[-2000:]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### amsterdam-platform prod: passed") and "**Policy:** policy check passed" in text
    assert "deploy gate allowed" in text


@pytest.mark.parametrize("path", [AZURE_DIR / "plan-jobs.yml", WORKFLOWS / "plan.yml"], ids=lambda p: p.name)
def test_the_pull_request_gate_fails_on_a_refused_diff(path, saved_prod_plan, tmp_path, capsys, monkeypatch):
    base = json.loads(saved_prod_plan.read_text(encoding="utf-8"))
    kept = next(r for r in base["deployment"]["resources"] if r["type"] == "azure-native:keyvault:Vault")
    dropped = copy.deepcopy(kept)
    dropped["urn"] = kept["urn"] + "-archive"  # the base branch has a key vault the PR deletes
    base["deployment"]["resources"].append(dropped)
    (tmp_path / "base.json").write_text(json.dumps(base), encoding="utf-8")
    monkeypatch.chdir(REPO)
    summary = tmp_path / "summary.md"

    code = main([*_gate_command(path, tmp_path / "base.json", summary), "--plans-dir", str(tmp_path)])

    assert code == 1
    assert "deploy gate REFUSED" in capsys.readouterr().err
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### amsterdam-platform prod: refused") and "Possible data loss" in text


def test_deploy_jobs_give_the_policy_pack_this_commits_rules():
    steps = _load(AZURE_DIR / "install-steps.yml")["steps"][-1]["${{ if eq(parameters.pulumi, true) }}"]
    (action,) = ACTIONS
    github = _load(action)["runs"]["steps"][-1]

    for script in (steps[-1]["script"], github["run"]):
        assert "policy pack-dir)" in script and 'python -m venv "$pack/venv"' in script
        assert re.search(r'"\$pack/venv/bin/pip" install .*-e ', script)
    assert github["if"] == "${{ inputs.pulumi == 'true' }}"


# --- One Pulumi CLI version --------------------------------------------------------------------------------------

def _locked(name: str) -> str:
    (line,) = [line for line in (REPO / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines()
               if line.lower().startswith(f"{name}==")]
    return line.split("==", 1)[1]


def test_the_pulumi_cli_version_is_the_locked_sdks_and_every_pipeline_reads_it_from_one_file():
    version = (REPO / ".ci" / "pulumi-version").read_text(encoding="utf-8").strip()

    assert version == _locked("pulumi")  # the CLI and the SDK are released together; the Automation API drives it
    for path in ALL_FILES:
        assert not re.search(r"PULUMI_VERSION:\s*\"?\d", path.read_text(encoding="utf-8")), path.name
        assert not re.search(r"pulumi-version:\s*\"?\d", path.read_text(encoding="utf-8")), path.name


# --- The app repository's pipeline (templates/app) ---------------------------------------------------------------

def _app_steps() -> list[dict]:
    return [step for path in APP_PIPELINE_FILES for step in _walk_steps(_load(path))]


def _walk_steps(node) -> list[dict]:
    if isinstance(node, dict):
        found = [node] if ("task" in node or "script" in node or "publish" in node) else []
        return found + [s for value in node.values() for s in _walk_steps(value)]
    if isinstance(node, list):
        return [s for item in node for s in _walk_steps(item)]
    return []


def test_the_app_pipeline_gates_pull_requests_and_comments_like_the_platforms():
    text = (APP_TEMPLATE / "azure-pipelines.yml").read_text(encoding="utf-8")

    assert "--against" in text and "--summary" in text and "--format sarif" in text and "--format junit" in text
    assert "scripts.delivery.pr_comment azure-devops" in text
    assert "View builds" in text and "Limit job authorization scope" in text  # the cross-project download


def test_the_app_pipeline_installs_with_its_lock_and_caches_pip_and_the_pulumi_cli():
    steps = _app_steps()
    scripts = [s["script"] for s in steps if "script" in s]
    caches = [s["inputs"]["key"] for s in steps if s.get("task") == "Cache@2"]

    assert all("--constraint" in line for script in scripts for line in script.splitlines() if "pip\" install" in
               line or "pip install" in line)
    assert any("constraints.txt" in key and key.startswith("pip") for key in caches)
    assert any(key.startswith("pulumi") and "$(PULUMI_VERSION)" in key for key in caches)
    assert any("sha256sum --check" in script for script in scripts)
    assert {s["artifact"] for s in steps if "publish" in s} >= {"preview-$(ENVIRONMENT)", "deploy-$(ENVIRONMENT)"}


def test_the_app_lock_is_the_toolkits_lock():
    def pins(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]

    assert pins(APP_TEMPLATE / "constraints.txt") == pins(REPO / ".ci" / "constraints.txt"), \
        "regenerate templates/app/constraints.txt from .ci/constraints.txt"


def test_the_app_pipeline_writes_no_token_to_the_agent():
    steps = _app_steps()
    text = "\n".join(path.read_text(encoding="utf-8") for path in APP_PIPELINE_FILES)

    assert ".netrc" not in text
    assert any(s.get("task") == "PipAuthenticate@1" for s in steps)
    holders = [s for s in steps if "System.AccessToken" in json.dumps(s)]
    assert [s["displayName"] for s in holders] == ["Post the Markdown diffs, policy summaries and verdicts"]
