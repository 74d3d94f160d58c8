"""Identifier shapes Azure and Entra ID use: one pattern, read by config readers, components and rules."""

from __future__ import annotations

import re

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
"""A GUID as Azure returns it (tenant, subscription, object and role definition ids): lowercase, hyphenated."""

GUID_ANY_CASE = re.compile(GUID.pattern, re.IGNORECASE)
"""A GUID as people paste it (the portal shows some ids in upper case); Azure treats the two the same."""

LOG_ANALYTICS_WORKSPACE_ID = re.compile(r"^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/"
                                        r"Microsoft.OperationalInsights/workspaces/[^/]+$", re.IGNORECASE)
"""The ARM id of a Log Analytics workspace (the central one stacks send diagnostics to); any case, as ARM ids are."""

RESOURCE_GROUP_ID = re.compile(r"^/subscriptions/[0-9a-fA-F-]{36}/resource[Gg]roups/[^/]+$")
"""The ARM id of a resource group (the hub's connectivity groups the pack config names); case spelt out in the
pattern, not as a flag, since the pack's JSON schema reuses it."""

EMAIL = re.compile(r"^[^@\s;]+@[^@\s;]+\.[a-z]{2,}$")
"""A mailbox address as config gives it (owners, alert recipients): one @, a domain with a top-level part."""

COST_CENTER = re.compile(r"^CC-\d{4,6}$")
"""The city's cost center code, as the mandatory `cost-center` tag carries it: CC- and four to six digits."""

EMAIL_ANY_CASE = re.compile(EMAIL.pattern, re.IGNORECASE)
"""A mailbox address as people type it in files they write by hand (waivers, migration overrides): any case."""

SIGN_IN_PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal")
"""The `principalType` of a person, a group or a pipeline (a deployer, an Entra administrator); ARM answers
UnmatchedPrincipalType when it does not match the principal."""
