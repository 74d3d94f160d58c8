"""The city's four environments, the one rule that reads an environment from a stack name, and the names Azure
creates per environment that more than one part must agree on."""

from __future__ import annotations

import re

ENVIRONMENTS: tuple[str, ...] = ("dev", "test", "acc", "prod")
"""Every environment, in the order changes travel (DTAP): dev, then test, acc and prod."""

ENVIRONMENT_CHOICES = "|".join(ENVIRONMENTS)
"""The environments as a help text or a pattern's alternation spells them: `dev|test|acc|prod`."""
ENVIRONMENTS_IN_WORDS = f"{', '.join(ENVIRONMENTS[:-1])} or {ENVIRONMENTS[-1]}"
"""The environments as a message names them: `dev, test, acc or prod`."""

STRICT_ENVIRONMENTS: frozenset[str] = frozenset({"acc", "prod"})
"""Where policies are mandatory, an unknown value fails and the deploy gate guards (data loss, waivers)."""

ISOLATED_ENVIRONMENTS: frozenset[str] = frozenset({"prod"})
"""Environments whose stacks read and serve only their own environment: a prod app reads the prod platform only,
and the prod platform serves prod apps only (an app of another environment never reads it)."""

STACK_NAME_ALIASES: dict[str, str] = {
    "development": "dev", "tst": "test", "acceptance": "acc", "acceptatie": "acc",
    "production": "prod", "productie": "prod", "prd": "prod",
}
"""Other words for an environment that stack names use (English and Dutch)."""


def environment_of_stack(stack: str) -> str | None:
    """The environment a stack name names: `prod`, `app-prod`, `org/project/acc` (the last such word wins)."""
    words = [word for word in re.split(r"[^a-z0-9]+", stack.lower()) if word]
    for word in reversed(words):
        word = STACK_NAME_ALIASES.get(word, word)
        if word in ENVIRONMENTS:
            return word
    return None


def container_apps_infrastructure_group(environment: str, owner: str = "amsterdam") -> str:
    """The infrastructure resource group a Container Apps environment names (`infrastructureResourceGroup`): Azure
    creates and manages it, so it carries no tags of ours. `owner` is `amsterdam` for the platform's shared
    environment (which the guardrails leave out of their tag assignments by this name) or an app's name for an app's
    own environment (the name must be unique in the subscription)."""
    return f"rg-{owner}-aca-infra-{environment}"


def platform_resource_group(role: str, environment: str) -> str:
    """The platform stack's resource group of a role (`connectivity`: the hub, its firewall and bastion; `shared`:
    the registry, the shared Container Apps environment and Front Door): the platform program names them so."""
    return f"rg-amsterdam-{role}-{environment}"


PLATFORM_INGRESS_ROLES = ("connectivity", "shared")
"""The platform's groups that hold the city's ways in from the internet by design (the hub's public IPs, the shared
Front Door and WAF): governance leaves them out of corp's denial of public ingress."""


def central_workspace_id(subscription_id: str, environment: str) -> str:
    """An environment's central Log Analytics workspace (`log-amsterdam-<env>` in its management group), derived, so
    the connectivity stack scopes it into the city's Azure Monitor scope without reading the platform's state."""
    return (f"/subscriptions/{subscription_id}/resourceGroups/{platform_resource_group('management', environment)}"
            f"/providers/Microsoft.OperationalInsights/workspaces/{central_workspace_name(environment)}")


def central_workspace_name(environment: str) -> str:
    """The central workspace's name: the platform program creates it so, the pack config names it."""
    return f"log-amsterdam-{environment}"


def collection_endpoint_id(subscription_id: str, environment: str) -> str:
    """An environment's data collection endpoint (`dce-amsterdam-<env>` in its management group), derived as above."""
    return (f"/subscriptions/{subscription_id}/resourceGroups/{platform_resource_group('management', environment)}"
            f"/providers/Microsoft.Insights/dataCollectionEndpoints/{collection_endpoint_name(environment)}")


def collection_endpoint_name(environment: str) -> str:
    """The environment's data collection endpoint's name (3-44 letters, digits and hyphens): fixed, not auto-named,
    so its scope entry's linked id never changes."""
    return f"dce-amsterdam-{environment}"


def app_resource_group(app: str, environment: str) -> str:
    """An app's resource group in an environment: `App` creates it so, whichever subscription the app runs in."""
    return f"rg-{app}-{environment}"


def app_insights_name(app: str, environment: str) -> str:
    """An app's Application Insights component (1-260 characters; an app name has at most 24): fixed, so the
    connectivity stack derives its id to scope it into the city's Azure Monitor scope."""
    return f"appi-{app}-{environment}"


def app_insights_id(subscription_id: str, app: str, environment: str) -> str:
    """An app's Application Insights component in the subscription it runs in (the environment's platform
    subscription, or its team's vended one), derived as above."""
    return (f"/subscriptions/{subscription_id}/resourceGroups/{app_resource_group(app, environment)}"
            f"/providers/Microsoft.Insights/components/{app_insights_name(app, environment)}")
