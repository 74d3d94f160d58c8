"""The lead's report: an HTML page whose structure and tables are checked, a CSV Excel reads, and a screenshot
where the distribution's headless Chromium is installed."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.scripts.migrate import mapping, report, strategy, waves
from amsterdam_cloud.scripts.migrate.yaml_documents import write_yaml
from amsterdam_cloud.scripts.migrate.inventory import build, resource

OWNER = {"owner": "permits@amsterdam.nl", "cost-center": "CC-4120", "data-classification": "BBN2"}


def estate() -> tuple[dict, dict]:
    def service(app: str, env: str, **extra) -> dict:
        return resource(id=f"arn:svc:{app}:{env}", type="aws:ecs:service", name=f"{app}-api", source="aws",
                        account="1", region=extra.pop("region", "eu-west-1"),
                        tags={"application": app, "environment": env, **OWNER, **extra},
                        properties={"image": "nginx:1.27", "desiredCount": 1})
    records = [service("permits", "dev"), service("permits", "prod"), service("archive", "prod", **{"owner": "Team X"}),
               resource(id="arn:aws:s3:::scans", type="aws:s3:bucket", name="scans", source="aws", account="1",
                        region="us-east-1", tags={"application": "payments", "environment": "prod", **OWNER},
                        properties={}),
               resource(id="arn:aws:ec2:eu-west-1:1:instance/i-x", type="aws:ec2:instance",
                        name="<script>alert(1)</script>", source="aws", account="1", region="eu-west-1", tags={},
                        properties={"instanceType": "t3.micro", "vcpu": 2, "memoryGiB": 1.0})]
    mapped = mapping.map_inventory(build(records), strategy.load())
    return mapped, waves.plan(mapped)


class Page(HTMLParser):
    """The tables (by id: header and rows), the SVG's workload boxes, and any script element."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list]] = {}
        self.boxes: list[str] = []
        self.scripts = 0
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self._table = attributes["id"]
            self.tables[self._table] = {"header": [], "rows": []}
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "rect" and attributes.get("class") == "workload":
            self.boxes.append(attributes["data-workload"])
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append("".join(self._cell or []))
            self._cell = None
        elif tag == "tr" and self._table:
            self.tables[self._table]["header" if self._in_head else "rows"].append(self._row)
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._table = None


@pytest.fixture
def written(tmp_path: Path) -> Path:
    mapped, plan = estate()
    write_yaml(tmp_path / "mapping.yaml", mapped)
    write_yaml(tmp_path / "waves.yaml", plan)
    assert main(["migrate", "report", "-m", str(tmp_path / "mapping.yaml"), "-w", str(tmp_path / "waves.yaml"),
                 "-o", str(tmp_path / "report"), "--status", str(tmp_path / "none.yaml")]) == 0
    return tmp_path / "report"


def test_the_html_report_has_the_workload_wave_and_unplaced_tables(written):
    page = Page()
    page.feed((written / "report.html").read_text(encoding="utf-8"))
    assert set(page.tables) == {"workloads", "waves", "unplaced"}
    assert page.tables["workloads"]["header"] == [list(report.CSV_COLUMNS)]
    by_id = {row[0]: dict(zip(report.CSV_COLUMNS, row)) for row in page.tables["workloads"]["rows"]}
    assert set(by_id) == {"permits/dev", "permits/prod", "archive/prod", "payments/prod"}
    assert (by_id["permits/dev"]["wave"], by_id["permits/prod"]["wave"]) == ("1", "2")  # dev before prod
    assert by_id["archive/prod"]["needs"] == "under owners: Team X: <team mailbox>@amsterdam.nl"
    assert by_id["payments/prod"]["provisional"] == "yes"
    assert [row[2] for row in page.tables["unplaced"]["rows"]] == ["<script>alert(1)</script>"]


def test_the_dependency_graph_draws_every_workload_and_no_script_gets_in(written):
    page = Page()
    page.feed((written / "report.html").read_text(encoding="utf-8"))
    assert sorted(page.boxes) == ["archive/prod", "payments/prod", "permits/dev", "permits/prod"]
    assert page.scripts == 0


def test_the_csv_has_one_row_per_workload_with_the_same_columns(written):
    table = list(csv.DictReader(io.StringIO((written / "workloads.csv").read_text(encoding="utf-8"))))
    assert [row["workload"] for row in table] == ["archive/prod", "payments/prod", "permits/dev", "permits/prod"]
    assert tuple(table[0]) == report.CSV_COLUMNS


CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)


@pytest.mark.skipif(CHROMIUM is None, reason="the distribution's headless Chromium is not installed")
def test_the_report_renders_to_a_screenshot_in_headless_chromium(written, tmp_path):
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                    "--window-size=1400,1200", (written / "report.html").as_uri()], check=True, timeout=120,
                   capture_output=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_each_wave_gets_a_runbook_with_owners_steps_and_rollback_and_provisional_ones_are_not_started(written):
    books = sorted(p.name for p in written.glob("runbook-wave-*.md"))
    assert books == ["runbook-wave-1.md", "runbook-wave-2.md"]
    first = (written / "runbook-wave-1.md").read_text()
    assert "## permits/dev (replatform), owner permits@amsterdam.nl" in first
    assert "Rollback: point DNS and clients back at the source" in first
    assert "## payments/prod" in first and "Provisional, do not start: blocked: data-outside-eu" in first


def test_a_container_apps_size_is_shown_as_generated_memory_following_the_vcpu():
    assert report.target_label({"component": "container-app", "cpu": 1, "memoryGiB": 4}) == "Container App 2 vCPU / 4 GiB"
