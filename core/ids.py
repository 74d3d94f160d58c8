"""Identifier shapes Azure and Entra ID use: one pattern, read by config readers, components and rules."""

from __future__ import annotations

import re

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
"""A GUID as Azure returns it (tenant, subscription, object and role definition ids): lowercase, hyphenated."""

GUID_ANY_CASE = re.compile(GUID.pattern, re.IGNORECASE)
"""A GUID as people paste it (the portal shows some ids in upper case); Azure treats the two the same."""
