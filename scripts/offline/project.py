"""A Pulumi project on disk (`Pulumi.yaml` and its stack files), and planning one of its stacks offline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from amsterdam_cloud.policies.regions import normalize_location
from amsterdam_cloud.scripts.errors import UserError
from amsterdam_cloud.scripts.offline.azure_mocks import AzureContext, derived_guid
from amsterdam_cloud.scripts.backend import Backend, declared_backend, parse_reference
from amsterdam_cloud.scripts.offline.engine import ProgramRun, run_program
from amsterdam_cloud.scripts.offline.plan import Plan, read_export, stack_outputs_of
from amsterdam_cloud.stacks.config import read_stack_file

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PLANS_DIR = Path("out/plans")
"""Where `cityctl plan` saves each stack's plan; StackReferences resolve from here."""


@dataclass(frozen=True)
class PulumiProject:
    """What the CLI reads from `Pulumi.yaml`: the name, the program folder and where stack files live."""

    root: Path
    name: str
    program_dir: Path
    stack_config_dir: Path

    @classmethod
    def load(cls, root: Path = REPO_ROOT) -> "PulumiProject":
        path = root / "Pulumi.yaml"
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{path}: no Pulumi.yaml; expected a Pulumi project folder")
        except yaml.YAMLError as error:
            raise UserError(f"{path}: not valid YAML: {error}".replace("\n", " "))
        if not isinstance(document, dict) or not isinstance(document.get("name"), str):
            raise UserError(f"{path}: name: missing; expected the project name, e.g. `name: amsterdam-platform`")
        return cls(root=root, name=document["name"], program_dir=root / str(document.get("main", ".")),
                   stack_config_dir=root / str(document.get("stackConfigDir", ".")))

    def stack_file(self, stack: str) -> Path:
        return self.stack_config_dir / f"Pulumi.{stack}.yaml"

    def stacks(self) -> list[str]:
        """Every stack that has a stack file, in the order environments are promoted where they are known."""
        names = [p.name[len("Pulumi."):-len(".yaml")] for p in self.stack_config_dir.glob("Pulumi.*.yaml")]
        order = {name: index for index, name in enumerate(("dev", "test", "acc", "prod"))}
        return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def saved_plan_path(plans_dir: Path, project: str, stack: str) -> Path:
    return plans_dir / f"{project}.{stack}.json"


def stack_reference_resolver(plans_dir: Path, current_project: str,
                             backend: Backend) -> Callable[[str], tuple[dict, list[str]]]:
    """StackReference names resolve from saved plans, after `backend` accepts the name as the real one would."""

    def resolve(name: str) -> tuple[dict[str, Any], list[str]]:
        reference = parse_reference(name, backend, current_project)
        path = saved_plan_path(plans_dir, reference.project, reference.stack)
        if not path.is_file():
            raise UserError(f"stack reference {name!r}: no saved plan at {path}; plan that stack first "
                            f"(`cityctl plan {reference.stack}` in the {reference.project} project) or pass "
                            "--plans-dir")
        return stack_outputs_of(read_export(path))

    return resolve


def azure_context(project: str, stack: str, config: dict[str, Any]) -> AzureContext:
    """Subscription, tenant and location for the mocks, from the stack's own config where it says them."""
    def first(*keys: str) -> str | None:
        for key in keys:
            value = config.get(key)
            if isinstance(value, str):
                return value
        return None

    return AzureContext(
        subscription_id=first(f"{project}:subscriptionId", "azure-native:subscriptionId")
        or derived_guid("subscription", project, stack),
        tenant_id=first(f"{project}:tenantId", "azure-native:tenantId") or derived_guid("tenant", project),
        location=normalize_location(first(f"{project}:location", "azure-native:location") or "westeurope"))


def plan_stack(project: PulumiProject, stack: str, *, plans_dir: Path = DEFAULT_PLANS_DIR,
               offline_speedups: bool = True, inline_program: Callable[[], None] | None = None,
               config_overrides: dict[str, Any] | None = None,
               progress: Callable[[int], None] | None = None) -> Plan:
    """Plan one stack of a project offline: its stack file's config, the project's program, the city's mocks."""
    config = {**read_stack_file(project.stack_file(stack)), **(config_overrides or {})}
    return run_program(ProgramRun(
        program_dir=project.program_dir, project=project.name, stack=stack, config=config,
        context=azure_context(project.name, stack, config),
        stack_outputs=stack_reference_resolver(plans_dir, project.name, declared_backend(project.root)),
        offline_speedups=offline_speedups, inline_program=inline_program, progress=progress))
