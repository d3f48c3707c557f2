"""The embedded default, SQLite, survives many people writing at once.

A threaded WSGI server (the one `runserver` uses) runs in its own process on a SQLite file, with
the settings the web process would have for `DATABASE_URL=sqlite:///…`; forty people sign in at
the same moment, half of them with a wrong password. Each sign-in writes: a session, the last
sign-in time and its history, an access log; each wrong password a failed-attempt row (read, then
written, in one transaction: the case SQLite answers "database is locked" without waiting).
"""

import http.client
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 40
PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.sqlite_smoke,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="copies the migrated SQLite test database: runs in the SQLite pass",
    ),
]


@pytest.fixture
def migrated_sqlite_file(transactional_db, tmp_path):
    """A SQLite file with every migration applied: a copy of the (in-memory) test database,
    much quicker than running `migrate` again."""
    path = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
    return path


@pytest.fixture
def server(migrated_sqlite_file, tmp_path):
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": str(empty_env_file),
        "DJANGO_SETTINGS_MODULE": "cpw.settings.test",
        "DATABASE_URL": f"sqlite:///{migrated_sqlite_file}",
    }
    log = (tmp_path / "server.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.core.threaded_server", str(PEOPLE), PASSWORD],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        port = process.stdout.readline().strip()
        assert port, f"the server did not start:\n{Path(log.name).read_text()}"
        yield int(port), Path(log.name)
    finally:
        process.kill()
        process.wait(timeout=10)
        log.close()


def _sign_in_page(port: int) -> tuple[str, str]:
    """GET the sign-in page: the CSRF cookie and the form's token."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/sign-in/")
    response = conn.getresponse()
    body = response.read().decode()
    assert response.status == 200, body[:2000]
    cookie = SimpleCookie(response.headers["Set-Cookie"])["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    conn.close()
    return cookie, token


def _sign_in(port: int, number: int, password: str, start: threading.Barrier) -> tuple[int, str]:
    cookie, token = _sign_in_page(port)
    form = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": f"user{number}@example.org",
            "password": password,
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start.wait(timeout=60)
    conn.request(
        "POST",
        "/sign-in/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        },
    )
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    return response.status, body


def test_forty_people_signing_in_at_once_on_sqlite(server, migrated_sqlite_file):
    port, log = server
    start = threading.Barrier(PEOPLE)
    passwords = [PASSWORD if number % 2 == 0 else "a-wrong-password" for number in range(PEOPLE)]

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        futures = [
            pool.submit(_sign_in, port, number, password, start)
            for number, password in enumerate(passwords)
        ]
        results = [future.result() for future in futures]

    statuses = Counter(status for status, _ in results)
    server_log = log.read_text()
    locked = server_log.count("database is locked")
    assert statuses[500] == 0 and locked == 0, (
        f"statuses {dict(statuses)}; 'database is locked' {locked} times in the server log:\n"
        + server_log[-3000:]
    )
    for (status, body), password in zip(results, passwords, strict=True):
        if password == PASSWORD:
            assert status == 302, body[:2000]
        else:
            assert status == 200
            assert "Enter a correct email address and password" in body
    # Nothing was lost: a session for each person signed in, a failed attempt for each of the others.
    with closing(sqlite3.connect(migrated_sqlite_file)) as db:
        sessions = db.execute("SELECT COUNT(*) FROM django_session").fetchone()[0]
        attempts = db.execute("SELECT COUNT(*) FROM axes_accessattempt").fetchone()[0]
        journal_mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert (sessions, attempts) == (PEOPLE // 2, PEOPLE // 2)
    assert journal_mode == "wal"
