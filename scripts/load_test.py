"""Load test: the three most used pages under concurrent signed-in clients, served by gunicorn.

    python scripts/load_test.py --database-url postgres://cpw:cpw@127.0.0.1:5432/postgres \
        [--scale 1] [--duration 30] [--clients 10 50] [--workers 3]

What it does, all on 127.0.0.1 and all removed afterwards:
1. creates a scratch PostgreSQL database `cpw_bench_<random>` (as `manage.py bench` does: the
   configured database is never touched), makes its tables from the models, builds the county-scale data
   (cpw/site/benchmark.py, times --scale) and runs VACUUM ANALYZE;
2. collects the static files and starts gunicorn (`cpw.wsgi`, --workers sync workers) under the
   production settings (DJANGO_ENV=production: persistent database connections, DEBUG off),
   with a secret key of its own;
3. signs in the demo officer, programme manager and steering-group member (a session each,
   written to the database as signing in would) and, for each page (officer's My work, manager's
   programme overview, steering dashboard) and each number of clients, runs that many client
   threads for --duration seconds, each requesting the page again as soon as it has an answer;
4. prints requests per second, p50/p95/p99 and errors (any answer but 200, or no answer).

The clients are Python threads in this process (the standard library's http.client, no extra
package), on the same machine as the server: on two cores they take some of the CPU the server
would otherwise have, so the figures are a floor for what the server does with cores of its own.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("My work", "officer@demo.cpw.test", "programmes:my-work"),
    ("Programme overview", "manager@demo.cpw.test", "programmes:overview"),
    ("Steering dashboard", "steering@demo.cpw.test", "reports:steering"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], fraction: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(fraction * len(values)) - 1))]


def drive(*, port: int, path: str, session_key: str, clients: int, duration: float) -> dict:
    """`clients` threads request `path` back to back for `duration` seconds."""
    headers = {
        "Host": "127.0.0.1",
        "Cookie": f"sessionid={session_key}",
        # The production settings only answer over HTTPS; as behind the TLS proxy, say so.
        "X-Forwarded-Proto": "https",
    }
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + duration

    def client():
        mine, wrong = [], []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status != 200:
                    wrong.append(f"HTTP {response.status}")
                    continue
            except OSError as exc:
                wrong.append(type(exc).__name__)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            times.extend(mine)
            errors.extend(wrong)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(times),
        "rps": len(times) / elapsed,
        "p50": _percentile(times, 0.50) * 1000,
        "p95": _percentile(times, 0.95) * 1000,
        "p99": _percentile(times, 0.99) * 1000,
        "mean": statistics.mean(times) * 1000 if times else float("nan"),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def _sessions(emails) -> dict[str, str]:
    """A signed-in session for each user, saved in the database as `login()` would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from cpw.accounts.models import User

    keys = {}
    for email in emails:
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys[email] = session.session_key
    return keys


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request(
                "GET", "/healthz", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
            )
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/any")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    secret_key = secrets.token_urlsafe(50)
    os.environ["SECRET_KEY"] = secret_key  # the sessions made here must be valid in gunicorn
    os.environ["DJANGO_SETTINGS_MODULE"] = "cpw.settings.test"
    import django

    django.setup()
    from django.db import connections
    from django.urls import reverse

    from cpw.environment import database_config
    from cpw.site.benchmark import build_dataset
    from cpw.site.management.commands.bench import (
        analyze_database,
        create_schema,
        scratch_database,
    )

    python = Path(sys.executable)
    gunicorn = python.parent / "gunicorn"
    results = []
    with scratch_database(args.database_url) as name:
        started = time.perf_counter()
        create_schema()
        built = build_dataset(scale=args.scale, seed=args.seed)
        analyze_database()
        print(
            f"Built {name} at scale {args.scale:g} in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in built.items()),
            flush=True,
        )
        sessions = _sessions([email for _, email, _ in PAGES])
        paths = {label: reverse(url_name) for label, _, url_name in PAGES}
        config = database_config(args.database_url)
        url = (
            f"postgres://{config.get('USER') or ''}"
            + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
            + f"@{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}/{name}"
        )
        connections.close_all()  # the scratch database is dropped at the end: let go of it
        port = _free_port()
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DJANGO_ENV": "production",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": url,
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [str(python), "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(gunicorn),
                "cpw.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_until_up(port, server)
            for label, email, _ in PAGES:
                # one request each first: workers load templates and open their connection
                drive(
                    port=port,
                    path=paths[label],
                    session_key=sessions[email],
                    clients=3,
                    duration=1,
                )
            for clients in args.clients:
                for label, email, _ in PAGES:
                    row = drive(
                        port=port,
                        path=paths[label],
                        session_key=sessions[email],
                        clients=clients,
                        duration=args.duration,
                    )
                    results.append((label, clients, row))
                    print(
                        f"  {label:<20} {clients:>3} clients: {row['rps']:6.1f} req/s "
                        f"p95 {row['p95']:6.0f} ms, {row['errors']} errors",
                        flush=True,
                    )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    print()
    print(
        f"gunicorn {args.workers} sync workers, production settings, PostgreSQL, scale "
        f"{args.scale:g}, {args.duration:g} s per run, clients on the same machine"
    )
    print(
        "| page                 | clients | requests | req/s  | p50 ms | p95 ms | p99 ms | errors |"
    )
    print(
        "|----------------------|---------|----------|--------|--------|--------|--------|--------|"
    )
    for label, clients, row in results:
        print(
            f"| {label:<20} | {clients:>7} | {row['requests']:>8} | {row['rps']:>6.1f} | "
            f"{row['p50']:>6.0f} | {row['p95']:>6.0f} | {row['p99']:>6.0f} | "
            f"{row['errors']:>6} |" + (f" {', '.join(row['error_kinds'])}" if row["errors"] else "")
        )
    return 1 if any(row["errors"] for _, _, row in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
