"""No secret is ever stored: secrets planted in ECS, Lambda and EC2 user data never reach a migration document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.core import secrets

from .estate import PLANTED_SECRETS, seed_secret_estate
from .helpers import write_database_admins


@pytest.fixture(scope="module")
def run(aws_env: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    hosts = seed_secret_estate(aws_env)
    folder = tmp_path_factory.mktemp("secrets")
    (folder / "overrides.yaml").write_text("schema: amsterdam.migrate.overrides/v1\n"
                                           "workloads: {vault/prod: {strategy: replatform}}\n")
    codes = [
        main(["migrate", "discover", "--region", "eu-west-1", "-o", str(folder / "inventory.yaml"), "--quiet"]),
    ]
    write_database_admins(folder / "inventory.yaml", folder / "overrides.yaml")
    codes += [
        main(["migrate", "map", "-i", str(folder / "inventory.yaml"), "-o", str(folder / "mapping.yaml"),
              "--overrides", str(folder / "overrides.yaml")]),
        main(["migrate", "waves", "-m", str(folder / "mapping.yaml"), "-o", str(folder / "waves.yaml"),
              "--overrides", str(folder / "overrides.yaml")]),
        main(["migrate", "generate", "-m", str(folder / "mapping.yaml"), "-w", str(folder / "waves.yaml"),
              "-o", str(folder / "apps"), "--overrides", str(folder / "overrides.yaml")]),
    ]
    return {"codes": codes, "folder": folder, "hosts": hosts}


def test_no_planted_secret_appears_in_any_document(run):
    assert run["codes"] == [0, 0, 0, 0]
    documents = {p: p.read_text(encoding="utf-8").lower() for p in Path(run["folder"]).rglob("*.yaml")}
    assert len(documents) >= 6  # inventory, mapping, waves, summary, the app's stack config and data-copy plan
    leaks = [(where, str(path.name)) for where, secret in PLANTED_SECRETS.items()
             for path, text in documents.items() if secret.lower() in text]
    assert leaks == []


def test_the_hosts_in_non_secret_variables_are_still_found(run):
    inventory = yaml.safe_load((run["folder"] / "inventory.yaml").read_text())
    hosts = {h for r in inventory["resources"] for h in r["properties"].get("connectsToHosts", [])}
    assert hosts == {run["hosts"]["db_host"].lower(), run["hosts"]["smtp_host"]}


def test_secret_variable_names_are_kept_but_their_values_are_not_read():
    assert secrets.hosts_from_environment({"DB_PASSWORD": "winter.grachten.fietsen", "SECRET_KEY": "a.b.example",
                                           "API_HOST": "api.amsterdam.nl"}) == ["api.amsterdam.nl"]


def test_a_token_that_looks_like_a_host_name_is_dropped():
    token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwZXJtaXRzIn0.signature"
    assert secrets.hosts_in([f"Bearer {token}", "https://data.amsterdam.nl/api"]) == ["data.amsterdam.nl"]


def test_hosts_in_configuration_values_are_extracted_without_the_rest():
    found = secrets.hosts_in(["postgresql://u:secret@db.example.internal:5432/x", "redis:6379", "plain text",
                              "https://API.example.nl/v1", "ops@amsterdam.nl"])
    assert found == ["api.example.nl", "db.example.internal"]
