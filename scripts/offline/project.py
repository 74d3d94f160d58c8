"""A Pulumi project on disk (`Pulumi.yaml` and its stack files), and planning one of its stacks offline."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import yaml

from amsterdam_cloud.core.regions import normalize_location
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.errors import UserError, display
from amsterdam_cloud.scripts.offline.project_file import PROJECT_FILE, find_root  # noqa: F401  (re-exported)
from amsterdam_cloud.core.backend import Backend, BackendError, declared_backend, parse_reference
from amsterdam_cloud.core.program_config import read_stack_file

if TYPE_CHECKING:  # the engine and the mocks import the Pulumi SDK: only when a stack is planned (start-up)
    from amsterdam_cloud.scripts.offline.azure_mocks import AzureContext
    from amsterdam_cloud.scripts.offline.plan import Plan

PLANS_DIR_ENV = "CITYCTL_PLANS_DIR"
"""Environment variable naming a shared plans folder (an app team's copy of the platform plans), like --plans-dir."""


@dataclass(frozen=True)
class PulumiProject:
    """What the CLI reads from `Pulumi.yaml`: the name, the program folder and where stack files live."""

    root: Path
    name: str
    program_dir: Path
    stack_config_dir: Path
    origin: str = "--project-dir"
    """How the project was found, for the first line of a plan or deploy (`the current folder`, a parent, ...)."""

    @classmethod
    def load(cls, root: Path, origin: str = "--project-dir") -> "PulumiProject":
        """The project whose `Pulumi.yaml` is in `root` (no search: `discover` searches)."""
        path = root / PROJECT_FILE
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            raise UserError(f"{path}: no Pulumi.yaml; expected a Pulumi project folder") from None
        except yaml.YAMLError as error:
            raise UserError(f"{path}: not valid YAML: {error}".replace("\n", " ")) from None
        if not isinstance(document, dict) or not isinstance(document.get("name"), str):
            raise UserError(f"{path}: name: missing; expected the project name, e.g. `name: amsterdam-platform`")
        return cls(root=root, name=document["name"], program_dir=root / str(document.get("main", ".")),
                   stack_config_dir=root / str(document.get("stackConfigDir", ".")), origin=origin)

    @classmethod
    def discover(cls, project_dir: Path | None = None, start: Path | None = None) -> "PulumiProject":
        """The project as the Pulumi CLI finds it: `project_dir` when given, else the folder `start` (default: the
        current folder) or its nearest parent with a `Pulumi.yaml`."""
        if project_dir is not None:
            return cls.load(project_dir, origin="--project-dir")
        here = (start or Path.cwd()).resolve()
        folder = find_root(here)
        if folder is not None:
            origin = "the current folder" if folder == here else "a parent of the current folder"
            return cls.load(folder, origin=origin)
        raise UserError(f"{here}: no Pulumi.yaml here or in any parent folder; run cityctl inside a Pulumi project "
                        "or pass --project-dir DIR")

    def plans_dir(self, given: Path | None = None) -> Path:
        """Where plans are saved and StackReferences resolve: --plans-dir, else $CITYCTL_PLANS_DIR, else the
        project's own `out/plans`."""
        if given is not None:
            return given
        shared = os.environ.get(PLANS_DIR_ENV)
        return Path(shared) if shared else self.root / "out" / "plans"

    def describe(self, stacks: list[str], plans_dir: Path) -> str:
        """The first line of every plan and deploy: which project, which stack(s), found where, plans where."""
        return (f"project {self.name} ({display(self.root / PROJECT_FILE)}, from {self.origin}), "
                f"stack {', '.join(stacks)}; plans in {display(plans_dir)}")

    def stack_file(self, stack: str) -> Path:
        return self.stack_config_dir / f"Pulumi.{stack}.yaml"

    def stacks(self) -> list[str]:
        """Every stack that has a stack file, in the order environments are promoted where they are known."""
        names = [p.name[len("Pulumi."):-len(".yaml")] for p in self.stack_config_dir.glob("Pulumi.*.yaml")]
        order = {name: index for index, name in enumerate(ENVIRONMENTS)}
        return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def saved_plan_path(plans_dir: Path, project: str, stack: str) -> Path:
    return plans_dir / f"{project}.{stack}.json"


def stack_reference_resolver(plans_dir: Path, current_project: str,
                             backend: Backend) -> Callable[[str], tuple[dict, list[str]]]:
    """StackReference names resolve from saved plans, after `backend` accepts the name as the real one would.

    Saved plans are named by project and stack only, so with Pulumi Cloud (many organizations) one program's
    references must name one organization: another would silently read the first one's stack, so it is refused."""
    organizations: set[str] = set()

    def resolve(name: str) -> tuple[dict[str, Any], list[str]]:
        reference = parse_reference(name, backend, current_project)
        if reference.organization is not None:
            if organizations and reference.organization not in organizations:
                raise BackendError(f"stack reference {name!r}: organization '{reference.organization}', but this "
                                   f"program already references '{min(organizations)}'; the saved plans in "
                                   f"{plans_dir} are one organization's stacks: reference one organization")
            organizations.add(reference.organization)
        path = saved_plan_path(plans_dir, reference.project, reference.stack)
        if not path.is_file():
            raise UserError(f"stack reference {name!r}: no saved plan at {path}; plan that stack first "
                            f"(`cityctl plan {reference.stack}` in the {reference.project} project) or pass "
                            "--plans-dir")
        return saved_outputs(path)

    return resolve


def saved_outputs(path: Path) -> tuple[dict[str, Any], list[str]]:
    """A saved plan's stack outputs, read once per version of the file: every app of an environment references the
    same platform plan, which a worker planning many of them would otherwise parse and check again each time."""
    status = path.stat()
    outputs, secret = _outputs_of_version(path, status.st_ino, status.st_mtime_ns, status.st_size)
    return copy.deepcopy(outputs), list(secret)


@lru_cache(maxsize=64)
def _outputs_of_version(path: Path, inode: int, modified_ns: int, size: int) -> tuple[dict[str, Any], list[str]]:
    """Keyed by the file's identity: plans are only ever replaced by a rename, which gives a new inode."""
    from amsterdam_cloud.scripts.offline.plan import read_export, stack_outputs_of

    return stack_outputs_of(read_export(path))


def azure_context(project: str, stack: str, config: dict[str, Any]) -> AzureContext:
    """Subscription, tenant and location for the mocks, from the stack's own config where it says them."""
    from amsterdam_cloud.scripts.offline.azure_mocks import AzureContext, derived_guid

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


def plan_stack(project: PulumiProject, stack: str, *, plans_dir: Path | None = None,
               offline_speedups: bool = True, inline_program: Callable[[], None] | None = None,
               config_overrides: dict[str, Any] | None = None,
               progress: Callable[[int], None] | None = None,
               stack_outputs: Callable[[str], tuple[dict, list[str]]] | None = None) -> Plan:
    """Plan one stack of a project offline: its stack file's config, the project's program, the city's mocks.
    StackReferences resolve from the saved plans in `plans_dir`, or through `stack_outputs` when given."""
    from amsterdam_cloud.scripts.offline.engine import ProgramRun, run_program

    config = {**read_stack_file(project.stack_file(stack)), **(config_overrides or {})}
    return run_program(ProgramRun(
        program_dir=project.program_dir, project=project.name, stack=stack, config=config,
        context=azure_context(project.name, stack, config),
        stack_outputs=stack_outputs or stack_reference_resolver(project.plans_dir(plans_dir), project.name,
                                                                declared_backend(project.root)),
        offline_speedups=offline_speedups, inline_program=inline_program, progress=progress))
