"""Driving the real Pulumi CLI through the Automation API: select a stack, export its state, preview, up.

Nothing here decides anything: `gate.py` decides, this module only carries the decision out. The backend and
the secrets provider are the target's (`deploy.py` derives them per environment from `core/backend.py`; the CLI
gets the backend as PULUMI_BACKEND_URL, the stack file keeps its `secretsprovider:`) and Azure credentials come
from workload identity federation (`ARM_USE_OIDC`, `ARM_CLIENT_ID`, `ARM_TENANT_ID`, `ARM_OIDC_TOKEN` or the CI's
token request).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from amsterdam_cloud.core.errors import UserError

if TYPE_CHECKING:
    from amsterdam_cloud.scripts.delivery.plan_diff import PreviewStep

INSTALL_HINT = "https://www.pulumi.com/docs/iac/download-install/"
SECRETS_PROVIDER_ENV = "CITYCTL_SECRETS_PROVIDER"


class CliMissing(UserError):
    """No `pulumi` executable: deploying needs the real CLI."""


class StackMissing(UserError):
    """The backend has no such stack and cityctl may not create it here: it prints the command that does."""

    exit_code = 1


class DeployFailed(UserError):
    """The Pulumi CLI ran and failed (preview, update, or reaching the backend)."""

    exit_code = 1


@dataclass(frozen=True, kw_only=True)
class Target:
    """Where and how to run the CLI for one stack."""

    project_dir: Path
    """The folder with Pulumi.yaml (the CLI's work dir)."""
    stack: str
    """The stack name as the backend knows it (`dev`, or `organization/amsterdam-platform/dev`)."""
    policy_pack: Path
    """The CrossGuard pack folder (`PulumiPolicy.yaml`), passed as `--policy-pack`."""
    policy_pack_config: Path
    """The environment's pack config, passed as `--policy-pack-config`."""
    secrets_provider: str
    """Where a new stack's secrets are encrypted (`--secrets-provider` of `pulumi stack init`): the environment's
    key (`core/backend.py` `city_secrets_provider`) unless the person names another."""
    backend_url: str | None = None
    """The backend the CLI uses (PULUMI_BACKEND_URL): the environment's state container; None: the project's
    `backend.url` as declared (a project on another backend than the city's)."""

    def init_command(self) -> str:
        """The exact command that creates this stack, for a person to run where cityctl may not."""
        login = f"PULUMI_BACKEND_URL='{self.backend_url}' " if self.backend_url else ""
        return f"{login}pulumi stack init {self.stack} --secrets-provider '{self.secrets_provider}'"

    def local_workspace_options(self) -> Any:
        """The Automation API's LocalWorkspace options (a Pulumi workspace, not an Azure one) that point the CLI at
        this target's backend and secrets provider."""
        from pulumi import automation as auto

        return auto.LocalWorkspaceOptions(
            secrets_provider=self.secrets_provider,
            env_vars={"PULUMI_BACKEND_URL": self.backend_url} if self.backend_url else None)


def require_cli() -> str:
    """The path of the `pulumi` executable; a clear stop when there is none."""
    found = shutil.which("pulumi")
    if found is None:
        raise CliMissing("deploy: the Pulumi CLI (`pulumi`) is not installed or not on PATH, and deploying needs "
                         f"it; nothing was deployed. Install it ({INSTALL_HINT}) or, to see what would change "
                         "without it, run `cityctl plan <stack>`")
    _check_version(found)
    return found


def _check_version(executable: str) -> None:
    """Run `pulumi version` with its output captured, so a failing CLI's own stderr reaches the person inside
    cityctl's one error line, labelled as the CLI's, instead of as a stray unlabelled line before it."""
    import subprocess

    try:
        result = subprocess.run([executable, "version"], capture_output=True, text=True, errors="replace")
    except OSError as error:
        raise DeployFailed(f"the Pulumi CLI failed (`pulumi version` could not start: {error.strerror}); check "
                           "`pulumi version` and `pulumi login`") from None
    if result.returncode != 0:
        said = " | ".join(line.strip() for line in result.stderr.splitlines()[-3:] if line.strip()) or "nothing"
        raise DeployFailed(f"the Pulumi CLI failed (`pulumi version` exit {result.returncode}; pulumi said: "
                           f"{said}); check `pulumi version` and `pulumi login`")


def find_stack(target: Target) -> Any | None:
    """The existing stack through the Automation API; None when the backend has no such stack yet."""
    from pulumi import automation as auto

    try:
        return auto.select_stack(stack_name=target.stack, work_dir=str(target.project_dir),
                                 opts=target.local_workspace_options())
    except auto.StackNotFoundError:
        return None
    except auto.CommandError as error:
        raise DeployFailed(f"deploy: could not select stack {target.stack} in {target.project_dir}: "
                           f"{_last_lines(error)}; check `pulumi login` (PULUMI_BACKEND_URL) and the secrets "
                           "provider") from None


def create_stack(target: Target) -> Any:
    """A new stack with the city's secrets provider; only `deploy --create` in dev or test, once the gate allowed it."""
    from pulumi import automation as auto

    try:
        return auto.create_stack(stack_name=target.stack, work_dir=str(target.project_dir),
                                 opts=target.local_workspace_options())
    except auto.CommandError as error:
        raise DeployFailed(f"deploy: could not create stack {target.stack}: {_last_lines(error)}") from None


EMPTY_STATE: dict[str, Any] = {"version": 3, "deployment": {"resources": []}}
"""The state of a stack that does not exist yet: everything in the plan is a create."""


def export_state(stack: Any) -> dict[str, Any]:
    """The stack's current state in the shape of `pulumi stack export` (an empty deployment for a new stack)."""
    from pulumi import automation as auto

    try:
        deployment = stack.export_stack()
    except auto.CommandError as error:
        raise DeployFailed(f"deploy: could not export stack {stack.name}: {_last_lines(error)}") from None
    state = deployment.deployment or {}
    return {"version": deployment.version or 3, "deployment": {**state, "resources": state.get("resources") or []}}


def preview(stack: Any, target: Target,
            on_output: Callable[[str], Any] | None = None) -> tuple[dict[str, int], list["PreviewStep"]]:
    """`pulumi preview --diff` with the pack; the counts by operation and every step, for the gate's second look."""
    from pulumi import automation as auto

    from amsterdam_cloud.scripts.delivery.plan_diff import PreviewStep

    steps: list[PreviewStep] = []

    def record(event: Any) -> None:
        pre = getattr(event, "resource_pre_event", None)
        if pre is None:
            return
        meta = pre.metadata
        op = str(getattr(meta.op, "value", meta.op))
        steps.append(PreviewStep(op=op, urn=meta.urn, type=meta.type, diffs=tuple(meta.diffs or ()),
                                 replace_keys=tuple(meta.keys or ()),
                                 retain_on_delete=bool(meta.old is not None and meta.old.retain_on_delete)))

    try:
        result = stack.preview(policy_packs=[str(target.policy_pack)],
                               policy_pack_configs=[str(target.policy_pack_config)], diff=True,
                               on_output=on_output or _to_stderr, on_event=record, color="never")
    except auto.CommandError as error:
        raise DeployFailed(f"deploy: `pulumi preview` of {target.stack} failed: {_last_lines(error)}") from None
    return _counts(result.change_summary), steps


def up(stack: Any, target: Target, message: str, on_output: Callable[[str], Any] | None = None) -> dict[str, int]:
    """`pulumi up` with the pack; returns the counts by operation."""
    from pulumi import automation as auto

    try:
        result = stack.up(policy_packs=[str(target.policy_pack)],
                          policy_pack_configs=[str(target.policy_pack_config)], diff=True, message=message,
                          on_output=on_output or _to_stderr, color="never", show_secrets=False)
    except auto.CommandError as error:
        raise DeployFailed(f"deploy: `pulumi up` of {target.stack} failed: {_last_lines(error)}") from None
    return _counts(result.summary.resource_changes)


def _counts(summary: Any) -> dict[str, int]:
    return {str(getattr(op, "value", op)): int(count) for op, count in (summary or {}).items()}


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, end="" if line.endswith("\n") else "\n", flush=True)


def _last_lines(error: Exception, count: int = 3) -> str:
    text = getattr(error, "stderr", None) or str(error)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return " | ".join(lines[-count:]) or type(error).__name__
