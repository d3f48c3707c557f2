"""`manage.py bench` at a tiny scale: every row is measured and the configured database is untouched.

The command is run as its own process (as a person would run it), with DATABASE_URL pointing at a
small SQLite file that stands in for the configured database.
"""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from cpw.site.management.commands.bench import PAGES
from programmes.models import Risk
from reporting.sections.delivery import RisksSection
from tests.programmes.factories import CommitmentFactory

ROOT = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bench_builds_in_a_scratch_database_and_prints_every_row(tmp_path):
    configured = tmp_path / "configured.sqlite3"
    with sqlite3.connect(configured) as db:
        db.execute("CREATE TABLE sentinel (note TEXT)")
        db.execute("INSERT INTO sentinel VALUES ('the configured database')")
    before = _digest(configured)
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{configured}",
        DJANGO_SETTINGS_MODULE="cpw.settings.test",
        TMPDIR=str(tmp_path),
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--scale", "0.01", "--requests", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for label in ["Report compile", "Report snapshot", *PAGES]:
        row = re.search(rf"^\| {re.escape(label)} +\|(.+)\|$", out, re.MULTILINE)
        assert row, f"no row for {label} in:\n{out}"
        cells = [c.strip() for c in row.group(1).split("|")]
        assert float(cells[0]) > 0  # p95 ms
        if label not in ("Report compile", "Report snapshot"):
            # the page's SQL run again with a raw cursor, and the page's time over it
            assert float(cells[1]) > 0 and float(cells[2]) > 0
            # the rest of the page's time, at both scales
            assert float(cells[3]) == pytest.approx(float(cells[0]) - float(cells[1]), abs=1)
            assert re.fullmatch(r"-?\d+\.\d", cells[4]), cells[4]
        assert int(cells[6]) > 0  # queries
        assert cells[10].startswith(("PASS", "MISS"))
        assert "HTTP" not in cells[10], f"{label} did not load: {cells[10]}"
    assert "Total run time" in out
    # The compile's wall and CPU time with the load it ran under, the PDF's steps, and the
    # once-per-process start-up kept out of the compile's figures.
    assert re.search(
        r"^Report compile: \d+ ms \(\d+ ms of CPU in this process\); snapshot", out, re.M
    )
    assert re.search(r"load average [\d.]+ / [\d.]+ / [\d.]+ \(1, 5, 15 min\)", out)
    assert re.search(r"^  PDF: typesetting \d+ pages \(CPU \d+\)", out, re.M)
    assert re.search(r"^Before the first PDF, once per process .*: \d+ ms", out, re.M)
    # The configured database was neither written nor migrated.
    assert _digest(configured) == before
    with sqlite3.connect(configured) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["sentinel"]
    # The scratch databases were removed afterwards.
    assert not list(tmp_path.glob("cpw_bench_*"))


@pytest.mark.django_db
def test_report_lists_high_risks_with_their_score():
    """Found by the benchmark: the compile crashed as soon as any risk scored high, because the
    query's `score` annotation clashed with the Risk.score property."""
    commitment = CommitmentFactory(title="Warm spaces")
    Risk.objects.create(
        commitment=commitment, description="Volunteers leave", likelihood=4, impact=5
    )
    Risk.objects.create(commitment=commitment, description="Minor delay", likelihood=1, impact=2)

    data = RisksSection().build(
        programme=commitment.plan.programme, period=None, as_of=timezone.now()
    )

    assert [(r["description"], r["score"]) for r in data["rows"]] == [("Volunteers leave", 20)]
