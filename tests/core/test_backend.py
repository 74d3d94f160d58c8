"""StackReference names as each backend kind parses them (pulumi/pulumi `pkg/backend/diy` ParseReference and
`httpstate` parseStackName), the backend declaration in Pulumi.yaml, and a consumer planned with a wrong reference."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.core.backend import (PULUMI_CLOUD_URL, Backend, BackendError, StackName, backend_of,
                                         city_state_share, environment_backend_url,
                                                    declared_backend, parse_reference, reference_to)
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.offline.project import stack_reference_resolver

REPO = Path(__file__).resolve().parents[2]
AZBLOB = Backend(url="azblob://pulumi-state?storage_account=stamsterdampulumistate", declared_in="Pulumi.yaml")
CLOUD = Backend(url=PULUMI_CLOUD_URL, declared_in="Pulumi.yaml")


@pytest.mark.parametrize(("name", "expected"), [
    ("dev", StackName(None, "amsterdam-workplace", "dev")),
    ("organization/dev", StackName("organization", "amsterdam-workplace", "dev")),
    ("organization/amsterdam-platform/prod", StackName("organization", "amsterdam-platform", "prod")),
])
def test_a_self_managed_backend_takes_its_one_organization_or_none(name, expected):
    assert parse_reference(name, AZBLOB, "amsterdam-workplace") == expected


@pytest.mark.parametrize(("name", "fix"), [
    ("amsterdam/amsterdam-platform/dev", "use organization/amsterdam-platform/dev"),
    ("amsterdam-platform/dev", "use organization/amsterdam-platform/dev"),
])
def test_a_self_managed_backend_refuses_another_organization_naming_the_rule_and_the_fix(name, fix):
    with pytest.raises(BackendError) as refused:
        parse_reference(name, AZBLOB, "amsterdam-workplace")
    message = str(refused.value)
    assert message.startswith(f"stack reference {name!r}: the self-managed backend azblob://pulumi-state")
    assert "organization name must be 'organization'" in message and message.endswith(fix)
    assert "\n" not in message


@pytest.mark.parametrize(("name", "expected"), [
    ("prod", StackName(None, "amsterdam-analytics", "prod")),
    ("amsterdam/prod", StackName("amsterdam", "amsterdam-analytics", "prod")),
    ("amsterdam/amsterdam-platform/prod", StackName("amsterdam", "amsterdam-platform", "prod")),
])
def test_pulumi_cloud_takes_any_organization(name, expected):
    assert parse_reference(name, CLOUD, "amsterdam-analytics") == expected


@pytest.mark.parametrize("name", ["", "a/b/c/d", "organization//dev", "organization/amsterdam platform/dev",
                                  "x" * 101])
@pytest.mark.parametrize("backend", [AZBLOB, CLOUD])
def test_a_malformed_name_is_refused_by_either_backend(name, backend):
    with pytest.raises(BackendError, match=r"is not 1-3 names of letters, digits"):
        parse_reference(name, backend, "amsterdam-workplace")


def test_a_consumer_names_the_platform_of_its_own_environment():
    assert reference_to("amsterdam-platform", "acc", None, AZBLOB, "amsterdam-workplace") == \
        "organization/amsterdam-platform/acc"
    with pytest.raises(BackendError, match=r"is amsterdam-platform/dev; expected amsterdam-platform/acc: "
                                           r"use organization/amsterdam-platform/acc$"):
        reference_to("amsterdam-platform", "acc", "organization/amsterdam-platform/dev", AZBLOB, "x")
    with pytest.raises(BackendError, match=r"Pulumi Cloud backend .* needs the organization"):
        reference_to("amsterdam-platform", "acc", None, CLOUD, "x")


def test_a_project_stack_slip_on_pulumi_cloud_is_fixed_with_an_organization_not_the_project_twice():
    with pytest.raises(BackendError) as refused:
        reference_to("amsterdam-platform", "dev", "amsterdam-platform/dev", CLOUD, "amsterdam-workplace")
    message = str(refused.value)
    assert "read as <org>/<stack>" in message and message.endswith("use <org>/amsterdam-platform/dev")
    assert "amsterdam-platform/amsterdam-platform" not in message


def test_a_wrong_stack_on_pulumi_cloud_keeps_the_given_organization_in_the_fix():
    with pytest.raises(BackendError, match=r"use amsterdam/amsterdam-platform/acc$"):
        reference_to("amsterdam-platform", "acc", "amsterdam/amsterdam-platform/dev", CLOUD, "amsterdam-workplace")


def test_pulumi_cloud_references_to_two_organizations_are_refused_not_read_from_one_plan(tmp_path):
    resolve = stack_reference_resolver(tmp_path, "amsterdam-workplace", CLOUD)
    with pytest.raises(UserError, match="no saved plan"):  # accepted: the first organization
        resolve("amsterdam/amsterdam-platform/dev")
    with pytest.raises(BackendError, match=r"organization 'other', but this program already references "
                                           r"'amsterdam'.* reference one organization$"):
        resolve("other/amsterdam-platform/dev")


def test_a_project_without_a_backend_uses_pulumi_cloud_like_the_cli():
    backend = backend_of({"name": "x", "runtime": "python"}, "x/Pulumi.yaml")
    assert backend.url == PULUMI_CLOUD_URL and not backend.self_managed


@pytest.mark.parametrize("section", [{"url": "ftp://state"}, {"url": 42}, "azblob://x", {"uri": "azblob://x"}])
def test_a_malformed_backend_declaration_names_the_file_and_key(section):
    with pytest.raises(BackendError, match=r"^x/Pulumi.yaml: backend.url: .*; expected"):
        backend_of({"name": "x", "backend": section}, "x/Pulumi.yaml")


def test_an_unreadable_project_file_is_named_with_the_fix(tmp_path):
    with pytest.raises(BackendError, match=r"Pulumi.yaml: no Pulumi.yaml; expected a Pulumi project folder"):
        declared_backend(tmp_path)
    (tmp_path / "Pulumi.yaml").write_text("name: [unclosed\n")
    with pytest.raises(BackendError, match=r"Pulumi.yaml: not valid YAML: "):
        declared_backend(tmp_path)


def test_every_project_declares_the_state_backend_the_state_backend_stack_creates():
    """One backend for every project (the platform's StackReferences only resolve inside it): the URL the state
    backend stack exports as `loginUrl`."""
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

    state_backend = plan_stack(PulumiProject.load(REPO / "stacks" / "state_backend"), "prod")
    login_url = state_backend.stack_outputs["loginUrl"]
    projects = [REPO, REPO / "stacks" / "workplace", REPO / "stacks" / "analytics", REPO / "stacks" / "state_backend",
                REPO / "templates" / "app"]
    assert {str(p.relative_to(REPO)): declared_backend(p).url for p in projects} == \
        {str(p.relative_to(REPO)): login_url for p in projects}


def write_consumer(folder: Path, *, backend_url: str | None, reference: str) -> Path:
    """A small project whose program reads one output of the platform's dev stack through `reference`."""
    folder.mkdir()
    document = {"name": "consumer", "runtime": "python"}
    if backend_url is not None:
        document["backend"] = {"url": backend_url}
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(document))
    (folder / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": {"azure-native:location": "westeurope"}}))
    (folder / "__main__.py").write_text(
        "import pulumi\n\n"
        f"platform = pulumi.StackReference({reference!r})\n"
        "pulumi.export('hub', platform.get_output('hubVirtualNetworkId'))\n")
    return folder


def cityctl_plan(folder: Path, plans_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "amsterdam_cloud.scripts.cli", "plan", "dev", "--project-dir",
                           str(folder), "--plans-dir", str(plans_dir), "--no-policy", "--no-tree"],
                          capture_output=True, text=True, timeout=300, cwd=folder)


@pytest.fixture
def plans_dir(tmp_path, platform_plans) -> Path:
    directory = tmp_path / "plans"
    directory.mkdir()
    (directory / "amsterdam-platform.dev.json").write_bytes(platform_plans("dev").read_bytes())
    return directory


def test_cityctl_plan_refuses_a_reference_the_self_managed_backend_would_refuse_with_exit_2(tmp_path, plans_dir):
    consumer = write_consumer(tmp_path / "consumer", backend_url=AZBLOB.url,
                              reference="amsterdam/amsterdam-platform/dev")
    result = cityctl_plan(consumer, plans_dir)
    assert result.returncode == 2, result.stderr
    error = [line for line in result.stderr.splitlines() if "stack reference" in line]
    assert len(error) == 1 and "Traceback" not in result.stderr
    assert "'amsterdam/amsterdam-platform/dev'" in error[0] and "self-managed backend azblob://" in error[0]
    assert "organization name must be 'organization'" in error[0]
    assert error[0].endswith("use organization/amsterdam-platform/dev")


def test_cityctl_plan_accepts_the_pulumi_cloud_form_where_the_project_declares_pulumi_cloud(tmp_path, plans_dir):
    consumer = write_consumer(tmp_path / "consumer", backend_url=PULUMI_CLOUD_URL,
                              reference="amsterdam/amsterdam-platform/dev")
    result = cityctl_plan(consumer, plans_dir)
    assert result.returncode == 0, result.stderr
    saved = (plans_dir / "consumer.dev.json").read_text()
    assert "/virtualNetworks/" in saved  # the platform's hub id, read through the reference


_REFERENCE = re.compile(r"[A-Za-z0-9_.<>{}$-]+/amsterdam-platform/[A-Za-z0-9_.<>{}$-]+")
_PLACEHOLDERS = ("<env>", "<environment>", "<stack>", "{environment}", "{stack}")
_SKIPPED = {".git", ".venv", "venv", "out", "tests", "__pycache__", "build", "dist"}


def _committed_texts():
    for path in sorted(REPO.rglob("*")):
        parts = set(path.relative_to(REPO).parts)
        if path.is_file() and path.suffix in {".yaml", ".yml", ".md", ".py", ".json", ".toml"} \
                and not parts & _SKIPPED and not any(part.endswith(".egg-info") for part in parts):
            yield path, path.read_text(encoding="utf-8")


def _backend_of_file(path: Path):
    """The backend of the project the file belongs to: the nearest Pulumi.yaml above it."""
    folder = path.parent
    while not (folder / "Pulumi.yaml").is_file():
        folder = folder.parent
    return declared_backend(folder), folder


def _generated_stack_files() -> dict[str, str]:
    """What `cityctl migrate generate` writes, with its defaults, for one ECS workload of each environment."""
    from amsterdam_cloud.scripts.migrate import generate, mapping, strategy
    from amsterdam_cloud.scripts.migrate.inventory import build, resource

    records = [resource(id=f"arn:svc:{env}", type="aws:ecs:service", name="api", source="aws", account="1",
                        region="eu-west-1", properties={"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2"},
                        tags={"application": "permits", "environment": env, "owner": "permits@amsterdam.nl",
                              "cost-center": "CC-4120", "data-classification": "BBN2"})
               for env in ("development", "test", "acceptance", "production")]
    written, _ = generate.plan_files(mapping.map_inventory(build(records), strategy.load()), generate.Options())
    return {name: text for name, text in written.items() if "/Pulumi." in name}


def test_no_committed_config_default_prompt_doc_or_generator_output_names_a_reference_its_backend_refuses():
    from amsterdam_cloud.stacks.analytics import config as analytics
    from amsterdam_cloud.stacks.workplace import config as workplace

    found: list[tuple[str, str, Backend]] = []
    for path, text in _committed_texts():
        backend, _ = _backend_of_file(path)
        found += [(str(path.relative_to(REPO)), match, backend) for match in _REFERENCE.findall(text)]
    template_backend = declared_backend(REPO / "templates" / "app")
    generated = _generated_stack_files()
    found += [(name, yaml.safe_load(text)["config"]["app:platformStack"], template_backend)
              for name, text in generated.items()]
    for module, project in ((workplace, "amsterdam-workplace"), (analytics, "amsterdam-analytics")):
        for environment in ("dev", "test", "acc", "prod"):
            raw = {k: v for k, v in module.read_stack_file(module.STACKS_DIR / f"Pulumi.{environment}.yaml").items()
                   if not k.endswith(":platformStack")}
            found.append((f"{project} default ({environment})",
                          module.parse(raw, "x", environment).platform_stack, declared_backend(module.STACKS_DIR)))
    refused = []
    for where, reference, backend in found:
        for placeholder in _PLACEHOLDERS:
            reference = reference.replace(placeholder, "dev")
        try:
            parse_reference(reference, backend, "amsterdam-platform")
        except BackendError as error:
            refused.append(f"{where}: {error}")
    assert len(generated) == 4 and len(found) > 30
    assert refused == []


@pytest.mark.parametrize("environment", ["dev", "test", "acc", "prod"])
def test_a_project_on_the_city_backend_keeps_each_environment_in_its_own_container(environment):
    url = environment_backend_url(AZBLOB, environment)

    assert url == f"azblob://{city_state_share(environment)}?storage_account=stamsterdampulumistate"
    assert (url == AZBLOB.url) is (environment == "prod")  # prod keeps the container it always had


@pytest.mark.parametrize("url", ["https://api.pulumi.com", "file:///tmp/state", "azblob://state?storage_account=other"])
def test_a_project_on_another_backend_keeps_the_one_it_declares(url):
    assert environment_backend_url(Backend(url=url, declared_in="Pulumi.yaml"), "dev") is None
