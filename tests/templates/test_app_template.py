"""The app template: `pulumi new` accepts it, and what it renders plans offline against the platform stack's plan
with zero policy violations, for the example stacks of every environment and for a config the migration wrote."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path
from tests.scripts.migrate.helpers import with_database_admins as admin_overrides

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "app"
ENVIRONMENTS = ("dev", "test", "acc", "prod")


def template_document() -> dict:
    return yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())


ANSWERS = {"app:owner": "parkeren@amsterdam.nl", "app:costCenter": "CC-4120"}
"""What an app team types at the prompts that have no default."""


def render(destination: Path, *, project: str, description: str, stack: str = "dev",
           prompts: dict[str, str] | None = None, config: dict[str, str] | None = None) -> Path:
    """What `pulumi new <template> --name <project> --description <description> --stack <stack>` does: copy the
    files with ${PROJECT} and ${DESCRIPTION} substituted (the CLI substitutes nothing else), drop the `template:`
    section, and write each prompted config value (the answer given, else the prompt's default; a prompt without
    a default must be answered) into the new stack's config file; then `pulumi config set` each of `config`."""
    destination.mkdir(parents=True)
    for source in TEMPLATE.iterdir():
        if source.is_file():
            text = source.read_text().replace("${PROJECT}", project).replace("${DESCRIPTION}", description)
            (destination / source.name).write_text(text)
    project_file = yaml.safe_load((destination / "Pulumi.yaml").read_text())
    questions = project_file.pop("template")["config"]
    (destination / "Pulumi.yaml").write_text(yaml.safe_dump(project_file, sort_keys=False))
    given = {**ANSWERS, **(prompts or {})}
    answers = {key: given[key] if key in given else question["default"] for key, question in questions.items()}
    return config_set(destination, stack, {**answers, **(config or {})})


def config_set(project_dir: Path, stack: str, values: dict[str, str]) -> Path:
    """What `pulumi config set KEY VALUE --stack <stack>` does for each value: it lands in that stack's file (how an
    app team answers the template's questions for a stack `pulumi new` did not create)."""
    stack_file = project_dir / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(stack_file.read_text()) if stack_file.exists() else {"config": {}}
    document["config"].update(values)
    stack_file.write_text(yaml.safe_dump(document, sort_keys=False))
    return project_dir


@pytest.fixture
def plans_dir(tmp_path, platform_plans):
    directory = tmp_path / "plans"
    directory.mkdir()
    for environment in ENVIRONMENTS:
        shutil.copy(platform_plans(environment), saved_plan_path(directory, "amsterdam-platform", environment))
    return directory


def test_template_asks_for_the_owner_and_cost_centre_without_a_placeholder_default():
    section = template_document()["template"]
    assert section["description"]
    assert set(section["config"]) == {"azure-native:location", "app:owner", "app:costCenter"}
    assert all(prompt.get("description") for prompt in section["config"].values())
    assert "default" not in section["config"]["app:owner"] and "default" not in section["config"]["app:costCenter"]


def test_project_is_a_python_program_named_by_pulumi_new():
    document = template_document()
    assert (document["name"], document["description"], document["runtime"]["name"]) == (
        "${PROJECT}", "${DESCRIPTION}", "python")
    assert (TEMPLATE / "__main__.py").is_file() and (TEMPLATE / "requirements.txt").is_file()


def test_program_is_a_few_lines_using_app():
    code = [line for line in (TEMPLATE / "__main__.py").read_text().splitlines()
            if line.strip() and not line.startswith(("#", '"""', "contract", "import", "from"))]
    assert len(code) <= 9 and any("App(" in line for line in code)  # the App call takes two lines


def test_rendering_leaves_no_placeholder(tmp_path):
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen")
    texts = {f.name: f.read_text() for f in rendered.iterdir()}
    placeholder = re.compile(r"\$\{[A-Z_]+\}")  # `pulumi new`'s; `${{ ... }}` are Azure Pipelines' own
    assert not [name for name, text in texts.items() if placeholder.search(text) or "CC-0000" in text or
                "team@" in text]
    assert "template" not in yaml.safe_load(texts["Pulumi.yaml"])


def test_rendered_repository_has_a_readme_with_five_commands_and_a_gitignore(tmp_path):
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen")
    readme = (rendered / "README.md").read_text()
    assert readme.startswith("# parkeer\n")
    block = readme.split("## The first five commands", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = block.strip().splitlines()
    assert len(commands) == 5 and "cityctl plan dev" in commands[1] and "app:owner" in commands[3]
    ignored = (rendered / ".gitignore").read_text().splitlines()
    assert {".venv/", "__pycache__/", "out/"} <= set(ignored)
    assert yaml.safe_load((rendered / "Pulumi.yaml").read_text())["runtime"]["options"]["virtualenv"] + "/" in ignored


def test_the_prompted_owner_and_cost_centre_reach_the_tags(tmp_path, plans_dir):
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack="acc",
                      prompts={"app:owner": "vergunningen@amsterdam.nl", "app:costCenter": "CC-7781"})
    tags = plan_stack(PulumiProject.load(rendered), "acc", plans_dir=plans_dir).named("app-rg").inputs["tags"]
    assert (tags["owner"], tags["cost-center"]) == ("vergunningen@amsterdam.nl", "CC-7781")


@pytest.mark.parametrize(("key", "value"), [("app:owner", "parkeren"), ("app:costCenter", "4120")])
def test_a_malformed_prompt_answer_fails_the_plan_naming_the_key(tmp_path, plans_dir, key, value):
    from amsterdam_cloud.core.errors import UserError

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen",
                      prompts={key: value})
    with pytest.raises(UserError, match=rf"Pulumi.dev.yaml: {key}: '{value}'; expected"):
        plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)


def test_a_stack_pulumi_new_did_not_create_asks_for_the_owner_until_it_is_set(tmp_path, plans_dir):
    from amsterdam_cloud.core.errors import UserError

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack="dev")
    with pytest.raises(UserError, match=r"Pulumi.prod.yaml: app:owner: missing; .*pulumi config set app:owner"):
        plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    config_set(rendered, "prod", ANSWERS)  # the README's fourth command
    plan = plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    assert plan.of_type("pulumi:pulumi:StackReference")[0].id == "organization/amsterdam-platform/prod"


def test_rendered_template_plans_with_zero_violations(tmp_path, plans_dir, violations):
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen")
    plan = plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)
    assert plan.of_type("azure-native:app:ContainerApp") and violations(plan, "dev") == []
    assert plan.stack_outputs["resourceGroupName"] == "rg-parkeer-dev"
    assert plan.stack_outputs["keyVaultUri"].startswith("https://")


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_stack_pulumi_new_creates_reads_its_own_environments_platform_with_zero_violations(
        tmp_path, plans_dir, violations, environment):
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack=environment)
    plan = plan_stack(PulumiProject.load(rendered), environment, plans_dir=plans_dir)
    reference = plan.of_type("pulumi:pulumi:StackReference")[0]
    assert reference.id == f"organization/amsterdam-platform/{environment}"
    assert plan.named("app-rg").inputs["tags"]["environment"] == environment
    assert violations(plan, environment) == []


def test_an_app_on_the_platform_creates_the_components_the_connectivity_stack_scopes_and_writes_none_itself(
        tmp_path, plans_dir):
    from amsterdam_cloud.stacks.config import load as load_platform

    # an app on the platform deploys into its environment's platform subscription: the template's stack files say so
    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen")
    created = {}
    for environment in ENVIRONMENTS:
        if environment != "dev":
            config_set(rendered, environment, ANSWERS)
        plan = plan_stack(PulumiProject.load(rendered), environment, plans_dir=plans_dir)
        [component] = plan.of_type("azure-native:applicationinsights:Component")
        created[environment] = component.id
        assert plan.stack_outputs["subscriptionId"] == load_platform(environment).subscription_id
        assert plan.of_type("azure-native:monitor:PrivateLinkScopedResource") == []
    assert created == connectivity_scopes_on_the_platform("parkeer")


def test_an_app_on_the_platform_deploying_into_another_subscription_is_refused_naming_the_key(tmp_path, plans_dir):
    # the connectivity stack would scope a component in the platform's subscription that this app never creates
    from amsterdam_cloud.stacks.config import load as load_platform

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen",
                      config={"azure-native:subscriptionId": "0000000a-0000-4000-8000-00000000000a"})
    with pytest.raises(Exception, match="azure-native:subscriptionId: the app deploys into 0000000a-.* the dev "
                                        f"platform's subscription is {load_platform('dev').subscription_id}"):
        plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)


def test_the_templates_stack_files_pin_each_environments_platform_subscription():
    from amsterdam_cloud.stacks.config import load as load_platform

    for environment in ENVIRONMENTS:
        stack_file = yaml.safe_load((TEMPLATE / f"Pulumi.{environment}.yaml").read_text(encoding="utf-8"))
        assert stack_file["config"]["azure-native:subscriptionId"] == load_platform(environment).subscription_id


def connectivity_scopes_on_the_platform(app: str) -> dict[str, str]:
    """The component ids the connectivity stack derives for `app` listed on the platform in every environment."""
    from amsterdam_cloud.stacks.connectivity.config import STACKS_DIR, parse
    from amsterdam_cloud.stacks.config import read_stack_file

    raw = read_stack_file(STACKS_DIR / "Pulumi.prod.yaml")
    raw["amsterdam-connectivity:apps"] = {app: {"environments": list(ENVIRONMENTS)}}
    return {scoped.environment: scoped.component_id
            for scoped in parse(raw, "stacks/connectivity/Pulumi.prod.yaml", "prod").apps}


def test_an_override_picks_another_non_prod_platform(tmp_path, plans_dir):
    from amsterdam_cloud.stacks.config import load as load_platform

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack="dev",
                      config={"app:platformStack": "organization/amsterdam-platform/test",  # and its subscription
                              "azure-native:subscriptionId": load_platform("test").subscription_id})
    stack_file = rendered / "Pulumi.dev.yaml"  # the image comes from the environment's registry too
    stack_file.write_text(stack_file.read_text().replace("cramsterdamdev.azurecr.io", "cramsterdamtest.azurecr.io"))
    plan = plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)
    assert plan.named("app-rg").inputs["tags"]["environment"] == "test"


@pytest.mark.parametrize(("stack", "platform"), [("prod", "acc"), ("prod", "dev"), ("test", "prod")])
def test_a_prod_app_and_a_non_prod_platform_never_meet(tmp_path, plans_dir, stack, platform):
    from amsterdam_cloud.core.errors import UserError

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack=stack,
                      config={"app:platformStack": f"organization/amsterdam-platform/{platform}"})
    with pytest.raises(UserError, match=rf"Pulumi.{stack}.yaml: app:platformStack: .* is the {platform} platform, "
                                        rf"but this is the {stack} stack"):
        plan_stack(PulumiProject.load(rendered), stack, plans_dir=plans_dir)


def test_a_stack_not_named_after_an_environment_needs_the_platform_stack(tmp_path, plans_dir):
    from amsterdam_cloud.core.errors import UserError

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack="feature")
    (rendered / "Pulumi.feature.yaml").write_text(
        (rendered / "Pulumi.dev.yaml").read_text() + "\n".join(f"  {k}: {v}" for k, v in ANSWERS.items()) + "\n")
    with pytest.raises(UserError, match=r"Pulumi.feature.yaml: app:platformStack: missing; the stack 'feature'"):
        plan_stack(PulumiProject.load(rendered), "feature", plans_dir=plans_dir)


def test_an_image_from_another_environments_registry_fails_the_plan_naming_the_key(tmp_path, plans_dir):
    from amsterdam_cloud.core.errors import UserError

    from amsterdam_cloud.stacks.config import load as load_platform

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen", stack="dev",
                      config={"app:platformStack": "organization/amsterdam-platform/test",  # and its subscription
                              "azure-native:subscriptionId": load_platform("test").subscription_id})
    with pytest.raises(UserError, match=r"Pulumi.dev.yaml: app:app.image: .* cramsterdamtest.azurecr.io"):
        plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)


def test_bad_config_fails_the_plan_naming_the_stack_file_and_key(tmp_path, plans_dir):
    from amsterdam_cloud.core.errors import UserError

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen")
    stack_file = rendered / "Pulumi.dev.yaml"
    stack_file.write_text(stack_file.read_text().replace("exposure: internal", "exposure: internet"))
    with pytest.raises(UserError, match=r"Pulumi.dev.yaml: app:app.exposure"):
        plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)


@pytest.mark.parametrize(("old", "new", "key"), [
    ("exposure: internal", "exposure:\n      secure: v1:SUPERSECRETcipher", "app:app"),
    ("app:owner: parkeren@amsterdam.nl", "app:owner:\n    secure: v1:SUPERSECRETcipher", "app:owner"),
])
def test_a_secure_value_in_the_app_config_is_never_printed_only_named(tmp_path, plans_dir, old, new, key):
    from amsterdam_cloud.core.errors import UserError

    rendered = render(tmp_path / "parkeer", project="parkeer", description="Parkeervergunningen")
    stack_file = rendered / "Pulumi.dev.yaml"
    assert old in stack_file.read_text()
    stack_file.write_text(stack_file.read_text().replace(old, new))
    with pytest.raises(UserError) as raised:
        plan_stack(PulumiProject.load(rendered), "dev", plans_dir=plans_dir)
    assert f"Pulumi.dev.yaml: {key}: a secret value" in str(raised.value)
    assert "SUPERSECRET" not in str(raised.value) and "cipher" not in str(raised.value)


def generated_stack_file(*, mysql: bool = False) -> tuple[str, dict]:
    """A stack file written by the migration code path (`cityctl migrate generate`) for one ECS workload (with
    an RDS MySQL database when `mysql`)."""
    from amsterdam_cloud.scripts.migrate import generate, mapping, strategy
    from amsterdam_cloud.scripts.migrate.inventory import build, resource

    tags = {"application": "permits", "environment": "production", "owner": "permits@amsterdam.nl",
            "cost-center": "CC-4120", "data-classification": "BBN2", "algorithm-register-id": "90127488"}
    records = [
        resource(id="arn:svc", type="aws:ecs:service", name="api", source="aws", account="1", region="eu-west-1",
                 tags=tags, properties={"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2",
                                        "desiredCount": 3}),
        resource(id="arn:aws:s3:::permits-docs", type="aws:s3:bucket", name="Permits_Docs", source="aws",
                 account="1", region="eu-west-1", tags=tags, properties={})]
    if mysql:
        records.append(resource(id="arn:db:mysql", type="aws:rds:instance", name="db", source="aws", account="1",
                                region="eu-west-1", tags=tags, properties={
                                    "engine": "mysql", "engineVersion": "5.7.44", "instanceClass": "db.t3.medium",
                                    "allocatedStorageGiB": 50}))
    inventory = build(records)
    document = mapping.map_inventory(inventory, strategy.load(), overrides=admin_overrides(inventory))
    written, _ = generate.plan_files(document, generate.Options())
    name = next(path for path in written if path.endswith("/Pulumi.prod.yaml"))
    return name, yaml.safe_load(written[name])


def test_config_written_by_the_migration_plans_with_zero_violations(tmp_path, plans_dir, violations):
    name, document = generated_stack_file()
    rendered = render(tmp_path / "permits", project="permits", description="Vergunningen", stack="prod",
                      config={"app:platformStack": document["config"]["app:platformStack"]})
    (rendered / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    plan = plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    app = plan.named("app-ca-app").inputs
    assert app["template"]["containers"][0]["image"] == document["config"]["app:app"]["image"]
    assert plan.named("app-rg").inputs["tags"]["migrated-from"] == document["config"]["app:app"]["source"]["workload"]
    assert violations(plan, "prod") == []


def test_config_written_by_the_migration_for_rds_mysql_plans_with_zero_violations(tmp_path, plans_dir, violations):
    name, document = generated_stack_file(mysql=True)
    mysql = document["config"]["app:app"]["data"]["mysql"]
    assert mysql and mysql["version"] == "8.0.21"
    rendered = render(tmp_path / "permits", project="permits", description="Vergunningen", stack="prod",
                      config={"app:platformStack": document["config"]["app:platformStack"]})
    (rendered / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    plan = plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    server = plan.named("app-mysql-server").inputs
    assert (server["sku"]["name"], server["version"]) == (mysql["sku"], "8.0.21")
    assert server["highAvailability"]["mode"] == "ZoneRedundant"
    assert violations(plan, "prod") == []


def test_config_written_by_the_migration_pulls_from_the_platform_registry(tmp_path, plans_dir):
    name, document = generated_stack_file()
    rendered = render(tmp_path / "permits", project="permits", description="Vergunningen", stack="prod",
                      config={"app:platformStack": document["config"]["app:platformStack"]})
    (rendered / "Pulumi.prod.yaml").write_text(yaml.safe_dump(document))
    plan = plan_stack(PulumiProject.load(rendered), "prod", plans_dir=plans_dir)
    import json

    from amsterdam_cloud.scripts.offline.plan import stack_outputs_of

    platform, _ = stack_outputs_of(json.loads(saved_plan_path(plans_dir, "amsterdam-platform", "prod").read_text()))
    assert document["config"]["app:app"]["image"].startswith(platform["containerRegistryLoginServer"] + "/")
    assert plan.named("app-ca-app").inputs["configuration"]["registries"][0]["server"] == \
        platform["containerRegistryLoginServer"]
    assert plan.named("app-acr-role-0").inputs["scope"] == platform["containerRegistryId"]



def test_one_virtualenv_name_in_the_template_its_readme_pipeline_and_gitignore():
    virtualenv = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())["runtime"]["options"]["virtualenv"]
    assert virtualenv == ".venv"  # the platform's own (scripts/quickstart.sh)
    assert f"{virtualenv}/" in (TEMPLATE / ".gitignore").read_text().splitlines()
    for name in ("README.md", "azure-pipelines.yml"):
        text = (TEMPLATE / name).read_text()
        named = set(re.findall(r"(?<![\w$/])([.\w]*venv)\b", text)) - {"venv"}  # `python -m venv` is the module
        assert named == {virtualenv}, (name, named)


def test_an_app_teams_data_loss_waiver_in_its_own_waivers_file_lets_the_prod_gate_pass(tmp_path, plans_dir,
                                                                                      capsys):
    """The PR gate of the app's pipeline (`cityctl plan prod --against`) refuses the deletion of a database in
    prod, naming the app's waivers.yaml; a plan-data-loss waiver added there lets it through."""
    import json

    from amsterdam_cloud.scripts.cli import main

    rendered = config_set(render(tmp_path / "parkeer", project="parkeer", description="P"), "prod", ANSWERS)
    base = tmp_path / "base.json"
    assert main(["plan", "prod", "--project-dir", str(rendered), "--plans-dir", str(plans_dir), "--no-tree",
                 "--no-policy", "--out", str(base)]) == 0
    state = json.loads(base.read_text())
    database = next(r for r in state["deployment"]["resources"] if r["type"].endswith(":Database"))
    gone = {**database, "urn": database["urn"] + "-old"}
    state["deployment"]["resources"].append(gone)
    base.write_text(json.dumps(state))
    gate = ["plan", "prod", "--project-dir", str(rendered), "--plans-dir", str(plans_dir), "--no-tree",
            "--against", str(base)]
    capsys.readouterr()

    assert main(gate) == 1
    assert f"waiver for {gone['urn']} to {rendered / 'waivers.yaml'}" in capsys.readouterr().err

    (rendered / "waivers.yaml").write_text(f"""waivers:
  - rule: plan-data-loss
    resource: "{gone['urn']}"
    stack: prod
    reason: The old database was migrated into the new one and verified (CLOUD-1510).
    owner: parkeren@amsterdam.nl
    approver: ciso@amsterdam.nl
    approved: {dt.date.today()}
    ticket: CLOUD-1510
    expires: {dt.date.today() + dt.timedelta(days=14)}
""")
    assert main(gate) == 0
    assert "allowed with waiver" in capsys.readouterr().err.lower()
