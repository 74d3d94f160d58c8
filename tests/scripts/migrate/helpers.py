"""Helpers for the migration tests: account sources whose sessions carry botocore event hooks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Mapping

import boto3
import yaml
from botocore.exceptions import ClientError

from amsterdam_cloud.scripts.migrate.discover import AccountSource
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides


def accounts(*hooks: tuple[str, Callable[..., Any]], label: str = "test account") -> list[AccountSource]:
    """One account source (the moto server's default account) whose session has the given event hooks."""
    def make() -> Any:
        session = boto3.Session(region_name="eu-west-1")
        for event, hook in hooks:
            session.events.register(event, hook)
        return session
    return [AccountSource(label=label, session_factory=make)]


def deny(*, region: str | None = None, service: str | None = None, operation: str | None = None,
         when: Callable[[dict[str, Any]], bool] | None = None) -> tuple[str, Callable[..., Any]]:
    """A `before-call` hook that answers AccessDenied, as IAM would, for one region, service, operation and/or
    item (`when` sees the serialized request botocore is about to send: `lambda r: "/my-bucket" in r["url"]`).

    The call never reaches the server: botocore raises the same ClientError it raises for a real 403.
    """
    def hook(model: Any, params: dict[str, Any], request_signer: Any, **_: Any) -> None:
        if region is not None and request_signer.region_name != region:
            return
        if service is not None and model.service_model.service_name != service:
            return
        if operation is not None and model.name != operation:
            return
        if when is not None and not when(params):
            return
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "User is not authorized to perform "
                                     f"{model.service_model.service_name}:{model.name}"},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, model.name)
    return "before-call", hook


def by_type(inventory: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in inventory["resources"] if r["type"] == kind]


def workload(document: dict[str, Any], wid: str) -> dict[str, Any]:
    return next(w for w in document["workloads"] if w["id"] == wid)


DATABASE_ADMINS = {"displayName": "team-dba", "objectId": "5f0c1e2d-0000-4000-8000-00000000d0ba"}
"""The Entra group every fixture owner administers its databases with (a database without one `needs` it)."""


def database_admins(inventory: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """A `databaseAdminGroups:` table giving each owner tagged in the inventory `DATABASE_ADMINS`."""
    return {w["owner"]: DATABASE_ADMINS for w in inventory["workloads"] if w.get("owner")}


def with_database_admins(inventory: Mapping[str, Any], overrides: Overrides = NONE) -> Overrides:
    """`overrides` plus the inventory owners' database admin group (their own entries win)."""
    return replace(overrides, database_admin_groups={**database_admins(inventory), **overrides.database_admin_groups})


def write_database_admins(inventory: Path, overrides: Path) -> None:
    """Add the inventory owners' `databaseAdminGroups:` to an overrides file (created when missing)."""
    document = yaml.safe_load(overrides.read_text()) if overrides.exists() else None
    document = document or {"schema": "amsterdam.migrate.overrides/v1"}
    groups = database_admins(yaml.safe_load(inventory.read_text()))
    document["databaseAdminGroups"] = {**groups, **document.get("databaseAdminGroups", {})}
    overrides.write_text(yaml.safe_dump(document, sort_keys=False))
