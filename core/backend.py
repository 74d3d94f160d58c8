"""The state backend a project declares (`Pulumi.yaml` `backend: url:`) and the StackReference names it accepts.

The offline engine resolves references with it and the stack configs validate theirs with it, so it sits outside
`scripts/offline` (programs never import the engine).

The Pulumi CLI parses a StackReference name by the kind of backend the project uses (pulumi/pulumi,
`pkg/backend/diy` and `pkg/backend/httpstate`), and the offline plan must refuse what the real one refuses:

- self-managed (DIY: `azblob://`, `file://`, `s3://`, `gs://`): `<stack>`, `organization/<stack>` or
  `organization/<project>/<stack>`; the organization is always `organization`, any other fails with
  "organization name must be 'organization'" (pulumi/pulumi#12173, #13980);
- Pulumi Cloud (`https://...`, or no backend declared, which is the CLI's default): `<stack>`, `<org>/<stack>`
  or `<org>/<project>/<stack>`.

A bare `<stack>` or a two-part name means the current project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from amsterdam_cloud.core.errors import UserError, display

DIY_SCHEMES = ("azblob", "file", "s3", "gs")
"""URL schemes of the self-managed backends the CLI knows."""
DIY_ORGANIZATION = "organization"
"""The one organization of a self-managed backend."""
PULUMI_CLOUD_URL = "https://api.pulumi.com"
"""The CLI's default backend when a project declares none."""
CITY_STATE_ACCOUNT = "stamsterdampulumistate"
"""The storage account of the city's state backend (stacks/state_backend `storageAccountName`)."""
CITY_STATE_VAULT = "kv-ams-pulumi-state"
"""The Key Vault of its secrets keys (stacks/state_backend `keyVaultName`)."""
CITY_STATE_PROD_SHARE = "pulumi-state"
"""prod's container and key: the names of the one container and key it replaced (the one-stack projects live there)."""


def city_state_share(environment: str) -> str:
    """The container and key name of `environment` in the city's state backend (stacks/state_backend
    `environments`): `pulumi-state-<env>`, prod's `pulumi-state`. Each environment's CI identities use only theirs."""
    return CITY_STATE_PROD_SHARE if environment == "prod" else f"{CITY_STATE_PROD_SHARE}-{environment}"


def city_backend_url(environment: str) -> str:
    """The URL `pulumi login` (or PULUMI_BACKEND_URL) takes for `environment`'s stacks."""
    return f"azblob://{city_state_share(environment)}?storage_account={CITY_STATE_ACCOUNT}"


def city_secrets_provider(environment: str) -> str:
    """The `--secrets-provider` a stack of `environment` is created with: that environment's key."""
    return f"azurekeyvault://{CITY_STATE_VAULT}.vault.azure.net/keys/{city_state_share(environment)}"


def environment_backend_url(backend: "Backend", environment: str) -> str | None:
    """Where `environment`'s stacks of a project on `backend` live: that environment's container when the project
    declares the city's state backend (its Pulumi.yaml names prod's container), None when it declares another
    backend (which then serves every environment as declared)."""
    on_city_backend = backend.url.startswith("azblob://") and \
        backend.url.endswith(f"?storage_account={CITY_STATE_ACCOUNT}")
    return city_backend_url(environment) if on_city_backend else None


_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
"""Project and stack names as the CLI accepts them (tokens.ValidateProjectName, tokens.ParseStackName)."""


class BackendError(UserError):
    """A backend declaration or a StackReference name the declared backend would refuse."""


@dataclass(frozen=True)
class Backend:
    """The backend a project's stacks live in, and where that was declared."""

    url: str
    """The URL as `pulumi login` takes it; PULUMI_CLOUD_URL when the project declares none."""
    declared_in: str
    """The Pulumi.yaml that says so (for messages)."""

    @property
    def self_managed(self) -> bool:
        return self.url.split("://", 1)[0] in DIY_SCHEMES

    def describe(self) -> str:
        kind = "self-managed backend" if self.self_managed else "Pulumi Cloud backend"
        return f"the {kind} {self.url} ({self.declared_in})"

    def rule(self) -> str:
        if self.self_managed:
            return (f"a self-managed backend has the one organization '{DIY_ORGANIZATION}' (the CLI: "
                    f"\"organization name must be '{DIY_ORGANIZATION}'\"); a reference is "
                    f"{DIY_ORGANIZATION}/<project>/<stack>, or <stack> in the same project")
        return "Pulumi Cloud takes <org>/<project>/<stack>, or <stack> or <org>/<stack> in the same project"

    def reference(self, project: str, stack: str, organization: str | None = None) -> str:
        """The full name of `project`/`stack` in this backend (Pulumi Cloud needs the organization)."""
        if self.self_managed:
            return f"{DIY_ORGANIZATION}/{project}/{stack}"
        if organization is None:
            raise BackendError(f"{self.describe()} needs the organization: set <org>/{project}/{stack}")
        return f"{organization}/{project}/{stack}"


@dataclass(frozen=True)
class StackName:
    """A StackReference name as the backend resolves it."""

    organization: str | None
    """None: the current (Pulumi Cloud: default) organization."""
    project: str
    stack: str


def backend_of(document: Mapping[str, Any], declared_in: str) -> Backend:
    """The backend a parsed `Pulumi.yaml` declares; Pulumi Cloud (the CLI's default) when it declares none."""
    section = document.get("backend")
    if section is None:
        return Backend(url=PULUMI_CLOUD_URL, declared_in=f"{declared_in}: no backend: declared")
    url = section.get("url") if isinstance(section, Mapping) else None
    if not isinstance(url, str) or "://" not in url:
        raise BackendError(f"{declared_in}: backend.url: {url!r}; expected the URL `pulumi login` takes, e.g. "
                           "azblob://pulumi-state?storage_account=stamsterdampulumistate")
    scheme = url.split("://", 1)[0]
    if scheme not in DIY_SCHEMES + ("https", "http"):
        raise BackendError(f"{declared_in}: backend.url: {url!r}; expected a {', '.join(DIY_SCHEMES)}:// "
                           f"(self-managed) or https:// (Pulumi Cloud) URL")
    return Backend(url=url, declared_in=declared_in)


def declared_backend(project_root: Path) -> Backend:
    """The backend declared in `<project_root>/Pulumi.yaml`."""
    path = project_root / "Pulumi.yaml"
    shown = display(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackendError(f"{shown}: no Pulumi.yaml; expected a Pulumi project folder") from None
    except yaml.YAMLError as error:
        raise BackendError(f"{shown}: not valid YAML: {error}".replace("\n", " ")) from None
    if not isinstance(document, Mapping):
        raise BackendError(f"{shown}: expected a mapping with name:, runtime: and backend:")
    return backend_of(document, shown)


def parse_reference(name: str, backend: Backend, current_project: str) -> StackName:
    """Resolve a StackReference name the way `backend` does; a name it refuses is a BackendError (one line:
    the reference, the backend, the rule, the fix)."""
    parts = name.split("/") if isinstance(name, str) else []
    if not 1 <= len(parts) <= 3 or not all(_NAME.match(part) for part in parts):
        raise _refused(name, backend, "it is not 1-3 names of letters, digits, '-', '_' and '.' split by '/'",
                       _suggestion(parts, backend, current_project))
    organization = parts[0] if len(parts) >= 2 else None
    project = parts[1] if len(parts) == 3 else current_project
    if backend.self_managed and organization not in (None, DIY_ORGANIZATION):
        raise _refused(name, backend, f"its organization is '{organization}'",
                       _suggestion(parts, backend, current_project))
    return StackName(organization=organization, project=project, stack=parts[-1])


def reference_to(project: str, stack: str, given: str | None, backend: Backend, current_project: str) -> str:
    """The reference a consumer's config names for `project`/`stack`: `given` once the backend accepts it and it
    names that stack; unset, the backend's full name of it."""
    if given is None:
        return backend.reference(project, stack)
    reference = parse_reference(given, backend, current_project)
    if (reference.project, reference.stack) != (project, stack):
        slip = reference.organization == project  # `<project>/<stack>`: the backend reads `<org>/<stack>`
        organization = "<org>" if slip or reference.organization is None else reference.organization
        read_as = f" (read as <org>/<stack>: stack {stack} of this project)" if slip else ""
        raise BackendError(f"{given!r} is {reference.project}/{reference.stack}{read_as}; expected "
                           f"{project}/{stack}: use {backend.reference(project, stack, organization)}")
    return given


def _suggestion(parts: list[str], backend: Backend, current_project: str) -> str:
    if backend.self_managed and len(parts) >= 2 and all(_NAME.match(part) for part in parts):
        # `<project>/<stack>` is the usual slip: the CLI reads its first part as the organization
        return f"use {DIY_ORGANIZATION}/{parts[-2]}/{parts[-1]}"
    return f"use {backend.reference(current_project, '<stack>', '<org>')}"


def _refused(name: Any, backend: Backend, problem: str, fix: str) -> BackendError:
    return BackendError(f"stack reference {name!r}: {backend.describe()} refuses it: {problem}; "
                        f"{backend.rule()}; {fix}")
