"""A real moto server for the migration tests: started once per session on 127.0.0.1, stopped at the end.

Tests talk to it over HTTP exactly as discovery talks to AWS (boto3 with `endpoint_url`), with fake credentials.
`aws_env` resets the server's state and points the environment at it; the estate fixtures seed it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a moto server process that lives for the whole test session."""
    port = _free_port()
    executable = Path(sys.executable).with_name("moto_server")
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([str(executable), "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on port {port}; see {log}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def reset(endpoint: str) -> None:
    """Empty the moto server (every service, every region)."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=120).close()  # a loaded 2-core machine takes a while to empty it


@pytest.fixture(scope="module")
def aws_env(moto_endpoint: str) -> Iterator[str]:
    """An empty moto server and an environment whose AWS calls go to it with fake credentials (per module)."""
    saved = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION",
                                             "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
                                             "AWS_EC2_METADATA_DISABLED")}
    os.environ.update(FAKE_CREDENTIALS, AWS_ENDPOINT_URL=moto_endpoint, AWS_DEFAULT_REGION="eu-west-1",
                      AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/nonexistent/aws-config",
                      AWS_SHARED_CREDENTIALS_FILE="/nonexistent/aws-credentials")
    os.environ.pop("AWS_PROFILE", None)
    reset(moto_endpoint)
    try:
        yield moto_endpoint
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
