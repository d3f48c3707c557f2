"""python manage.py bench: build a county-scale dataset in a scratch database and time the pages.

How the scratch database is used: for the life of this command (its own process), the `default`
connection alias is pointed at a scratch database (a temporary SQLite file, or a new
`cpw_bench_<random>` PostgreSQL database with --database-url), migrated, filled and measured, then
dropped and the alias restored. The configured database is never opened: the swap happens before
any query, so every service, selector and view runs unchanged against the scratch data. Run it as
its own process (not inside a test's database transaction); tests run it with subprocess.
"""

import contextlib
import gc
import os
import secrets
import shutil
import statistics
import tempfile
import time
import tracemalloc

from asgiref.local import Local
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.services import api_token_create
from cpw.accounts.models import User
from cpw.environment import database_config
from cpw.site.benchmark import build_dataset
from evaluation.models import Metric, SurveyWave
from funds.models import Fund
from programmes.models import Programme, ReportingPeriod
from reporting.models import QuarterlyReport
from reporting.printed import pdf_page_count, pdf_warm_up, printed_report, typeset
from reporting.render import render_xlsx
from reporting.sections import configured_sections
from reporting.services import build_snapshot, report_compile_now

# The compile end to end (snapshot, PDF, XLSX, saved), and the snapshot alone (every section's
# data read and frozen): issue 13's targets.
COMPILE_SECONDS, SNAPSHOT_SECONDS, COMPILE_MB, PAGE_MS, API_MS = 1.5, 0.3, 300.0, 150.0, 100.0
# The read API's lists, a page of 100 rows each, read with a personal token as a BI tool does.
API_PAGES = [
    "API commitments (100)",
    "API activities (100)",
    "API grants (100)",
    "API observations (100)",
]
# Page p95 over the p95 of the same SQL run with a raw cursor: the target for list and dashboard
# pages at county scale (the rest of a page's time is Python: views, templates, formatting).
FLOOR_RATIO = 1.5
API_REPEATS = 3
PAGE_TARGETS_MS = {"Survey results": 100.0}
PAGES = [
    "Steering report page",
    "Steering dashboard",
    "Programme overview",
    "RAG grid (plan)",
    "My work",
    "Groundbreakers index",
    "Fund dashboard",
    "Application list",
    "Evaluation dashboard",
    "Metric page",
    "Survey results",
    *API_PAGES,
    "Privacy page",
    "Cookies page",
]
# Pages whose floor ratio is a target (list and dashboard pages); the others are shown only.
FLOOR_TARGET_PAGES = {
    "Steering dashboard",
    "Programme overview",
    "RAG grid (plan)",
    "My work",
    "Groundbreakers index",
    "Fund dashboard",
    "Application list",
    "Evaluation dashboard",
}


def _reset_connections(databases: dict) -> None:
    connections.close_all()
    settings.DATABASES = databases
    connections._settings = None
    connections.__dict__.pop("settings", None)
    connections._connections = Local(connections.thread_critical)


@contextlib.contextmanager
def scratch_database(database_url: str | None, sqlite_template: str | None = None):
    """Point the `default` alias at a new, empty scratch database for the duration (SQLite: a
    copy of `sqlite_template`, an already migrated scratch file, when given)."""
    original = settings.DATABASES
    tmpdir = None
    admin_url = None
    if database_url:
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise ValueError("--database-url must be a postgres:// URL")
        name = f"cpw_bench_{secrets.token_hex(4)}"
        base = database_config(database_url)
        admin_url = dict(base, NAME="postgres")
        _exec_admin(admin_url, f'CREATE DATABASE "{name}"')
        config = dict(base, NAME=name)
    else:
        tmpdir = tempfile.mkdtemp(prefix="cpw_bench_")
        name = os.path.join(tmpdir, "bench.sqlite3")
        if sqlite_template and os.path.exists(sqlite_template):
            shutil.copyfile(sqlite_template, name)
        config = database_config(f"sqlite:///{name}")
    config.setdefault("ATOMIC_REQUESTS", False)
    config["TEST"] = {}
    _reset_connections({"default": config})
    try:
        yield name
    finally:
        _reset_connections(original)
        if admin_url:
            _exec_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


def create_schema() -> None:
    """The scratch database's tables, made from the models as the test suite makes its own
    (`--nomigrations`): about 5 s instead of the 35 s that replaying every migration takes, for
    the same tables (the migrations hold no data steps, and `make checks` proves that they match
    the models)."""
    original = settings.MIGRATION_MODULES
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    finally:
        settings.MIGRATION_MODULES = original


def _exec_admin(config: dict, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server's maintenance database (outside a transaction)."""
    try:
        import psycopg as driver
    except ImportError:
        import psycopg2 as driver
    conn = driver.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def _page_urls():
    manager = User.objects.get(email="manager@demo.cpw.test")
    officer = User.objects.get(email="officer@demo.cpw.test")
    programme = Programme.objects.order_by("pk").first()

    fund = (
        Fund.objects.filter(programme=programme, kind="standard")
        .annotate(n=Count("rounds__applications"))
        .order_by("-n")
        .first()
    )
    metric = (
        Metric.objects.filter(framework__programme=programme)
        .annotate(n=Count("observations"))
        .order_by("-n")
        .first()
    )
    wave = (
        SurveyWave.objects.filter(framework__programme=programme)
        .annotate(n=Count("responses"))
        .order_by("-n")
        .first()
    )
    report = QuarterlyReport.objects.order_by("-pk").first()
    slug = programme.slug
    return [
        ("Steering report page", manager, reverse("reports:detail", args=[report.pk])),
        ("Steering dashboard", manager, reverse("reports:steering")),
        ("Programme overview", manager, reverse("programmes:overview")),
        ("RAG grid (plan)", manager, reverse("programmes:plan", args=[slug])),
        ("My work", officer, reverse("programmes:my-work")),
        ("Groundbreakers index", manager, reverse("groundbreakers:index")),
        ("Fund dashboard", manager, reverse("funds:fund-dashboard", args=[fund.slug])),
        ("Application list", manager, reverse("funds:application-list", args=[fund.slug])),
        ("Evaluation dashboard", manager, reverse("evaluation:dashboard", args=[slug])),
        ("Metric page", manager, reverse("evaluation:metric", args=[slug, metric.pk])),
        ("Survey results", manager, reverse("evaluation:survey-results", args=[slug, wave.pk])),
        *[
            (label, manager, f"{reverse(name)}?programme={slug}&page_size=100")
            for label, name in zip(
                API_PAGES,
                [
                    "api:commitment-list",
                    "api:activity-list",
                    "api:grant-list",
                    "api:observation-list",
                ],
                strict=True,
            )
        ],
        ("Privacy page", manager, reverse("privacy")),
        # Static text: what any page costs a signed-in user before its own data (the session,
        # the user and their roles, the council, the navigation and the GOV.UK layout).
        ("Cookies page", manager, reverse("cookies")),
    ]


class QueryCounter:
    """Counts every query on the default connection (CaptureQueriesContext keeps at most 9,000,
    so it under-counts a compile that runs more)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.count


class QueryRecorder:
    """Keeps every statement a request runs on the default connection, with its parameters, to
    run them again with a raw cursor (the page's SQL floor)."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def sql_floor(statements, *, repeats: int) -> list[float]:
    """Seconds to run the captured statements (and fetch every row) with a raw cursor, once per
    repeat, in a transaction that is rolled back so that a statement that writes (a session, a
    last-seen time, an API token's use) leaves nothing behind. The page's own transaction
    control (SQLite's BEGIN, savepoints) is left out: the floor is the data work."""
    connection = connections["default"]
    statements = [
        s for s in statements if not s[0].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]
    times = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the driver's own cursor: no Django wrapper, no debug logging
            for _ in range(repeats):
                started = time.perf_counter()
                for sql, params, many in statements:
                    if many:
                        raw.executemany(sql, params)
                    else:
                        raw.execute(sql, params) if params is not None else raw.execute(sql)
                    if raw.description is not None:
                        raw.fetchall()
                times.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    return times


def analyze_database() -> bool:
    """Settle the freshly loaded PostgreSQL data as a live database's autovacuum would have:
    planner statistics (the plans measured are those a live database would use) and the tables
    vacuumed (their visibility maps and hint bits set). Left to itself, autovacuum would start on
    the new tables a minute or so later, in the middle of the measurements, and take a core of
    this two-core machine from the pages being timed."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return True


@contextlib.contextmanager
def count_queries():
    counter = QueryCounter()
    with connections["default"].execute_wrapper(counter):
        yield counter


def section_breakdown(*, programme, period) -> list[tuple[str, float, int]]:
    """Time and query count of each report section's build, to show where a slow compile goes."""
    rows = []
    for section in configured_sections():
        with count_queries() as counter:
            started = time.perf_counter()
            section.build(programme=programme, period=period, as_of=timezone.now())
            rows.append((section.title, (time.perf_counter() - started) * 1000, len(counter)))
    return rows


def render_breakdown(snapshot: dict) -> list[tuple[str, float, int]]:
    """render_pdf's steps timed one by one (the printed report's blocks, then typesetting them
    into the PDF), then the spreadsheet; each with the CPU time this process spent on it."""
    rows = []
    state = {}
    steps = (
        ("PDF: the printed report", lambda: state.update(document=printed_report(snapshot))),
        ("PDF: typesetting", lambda: state.update(pdf=typeset(state["document"]))),
        ("Writing the spreadsheet", lambda: render_xlsx(snapshot)),
    )
    for title, step in steps:
        started, cpu_started = time.perf_counter(), time.process_time()
        step()  # as render_pdf does
        cpu_ms = (time.process_time() - cpu_started) * 1000
        if title == "PDF: typesetting":
            title = f"PDF: typesetting {pdf_page_count(state['pdf'])} pages"
        rows.append((f"{title} (CPU {cpu_ms:.0f})", (time.perf_counter() - started) * 1000, 0))
    return rows


def pdf_start_up_ms() -> float:
    """What this process pays once before its first PDF (the typesetter and its fonts): a
    worker pays it when it starts (reporting.tasks), so the compile figures leave it out."""
    started = time.perf_counter()
    pdf_warm_up()
    return (time.perf_counter() - started) * 1000


def _as_served(response) -> None:
    """Cut the test client's tie from a response to itself (`response.json`, a partial holding
    the response): a reference cycle no web server makes, which would leave everything the page
    was given to the cycle collector's next full collection instead of freeing it as the
    response goes. Done after the request is timed."""
    response.__dict__.pop("json", None)


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(0.95 * len(values)) - 1))]


def measure(*, requests: int, detail: bool = True) -> dict:
    """Compile one programme-period, then request each page `requests` times. Without `detail`
    (the small comparison run, which only needs query counts) the memory compile and the
    rendering breakdown are skipped."""
    results = {}
    programme = Programme.objects.order_by("pk").first()
    period = (
        ReportingPeriod.objects.filter(programme=programme, end__lt=_today())
        .order_by("-start")
        .first()
    )
    manager = User.objects.get(email="manager@demo.cpw.test")
    # Timed without tracemalloc (it slows pure-Python code such as the PDF layout several
    # times over), then compiled again (version 2) under tracemalloc for the peak memory.
    load = os.getloadavg()
    with count_queries() as ctx:
        started, cpu_started = time.perf_counter(), time.process_time()
        report = report_compile_now(
            programme=programme, period=period, user=manager, trigger="manual"
        )
        elapsed = time.perf_counter() - started
        compile_cpu_ms = (time.process_time() - cpu_started) * 1000
    started, cpu_started = time.perf_counter(), time.process_time()
    with count_queries() as snapshot_queries:
        build_snapshot(programme=programme, period=period)
    snapshot_ms = (time.perf_counter() - started) * 1000
    snapshot_cpu_ms = (time.process_time() - cpu_started) * 1000
    peak = 0
    if detail:
        tracemalloc.start()
        report_compile_now(programme=programme, period=period, user=manager, trigger="manual")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    results["Report compile"] = {
        "ms": elapsed * 1000,
        "mb": peak / 2**20,
        "queries": len(ctx),
        "status": 200,
        "label": f"{programme.short_name or programme.name} {period.label}",
        "snapshot_ms": snapshot_ms,
        "snapshot_queries": len(snapshot_queries),
        "cpu_ms": compile_cpu_ms,
        "snapshot_cpu_ms": snapshot_cpu_ms,
        "load": load,
        "sections": section_breakdown(programme=programme, period=period)
        + (render_breakdown(report.snapshot) if detail else []),
    }
    clients = {}
    token_key = api_token_create(user=manager, name="bench", days=1)[1]
    for label, user, url in _page_urls():
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            client.force_login(user)
        # API pages are read with a token (its lookup and use log are part of the time)
        headers = {"Authorization": f"Bearer {token_key}"} if label in API_PAGES else {}
        client.get(url, headers=headers)  # warm up (template loading, caches)
        times = []
        # The API rows' p95 is taken over more requests: one collection of the cycle collector
        # costs a few of them tens of milliseconds, and of 20 requests the 19th would be one.
        repeats = requests * API_REPEATS if label in API_PAGES else requests
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append(time.perf_counter() - started)
            _as_served(response)
        tracemalloc.start()
        with count_queries() as ctx:
            response = client.get(url, headers=headers)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        recorder = QueryRecorder()
        with connections["default"].execute_wrapper(recorder):
            client.get(url, headers=headers)
        floor = sql_floor(recorder.statements, repeats=max(1, repeats))
        results[label] = {
            "ms": _p95(times) * 1000,
            "sql_ms": _p95(floor) * 1000,
            "python_ms": (_p95(times) - _p95(floor)) * 1000,
            "ratio": _p95(times) / max(_p95(floor), 1e-6),
            "median_ms": statistics.median(times) * 1000,
            "mb": peak / 2**20,
            "queries": len(ctx),
            "status": response.status_code,
            "bytes": len(response.content),
            "url": url,
        }
    return results


def _today():
    return timezone.localdate()


class Command(BaseCommand):
    help = (
        "Build a county-scale dataset in a scratch database (never the configured one) and print "
        "the report compile's and each dashboard page's time, peak memory and query count."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0 = county scale")
        parser.add_argument(
            "--compare-scale",
            type=float,
            default=0.05,
            help="Smaller dataset whose query counts are compared (at most half of --scale)",
        )
        parser.add_argument("--requests", type=int, default=20, help="Requests per page (p95)")
        parser.add_argument(
            "--database-url",
            default=None,
            help="postgres://user@host:port/any: a scratch cpw_bench_<random> database is "
            "created there and dropped afterwards. Default: a temporary SQLite file.",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, compare_scale, requests, database_url, seed, **options):
        # Pages are timed as users meet them: DEBUG off (no query log, no template debug
        # data) and no test-client instrumentation (setup_test_environment's copy of every
        # template's context). Any email goes to memory.
        settings.DEBUG = False
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        settings.API_RATE = "1000000/min"  # the bench measures the API, not its rate limit
        started = time.perf_counter()
        compare_scale = min(compare_scale, scale / 2)
        start_up_ms = pdf_start_up_ms()
        runs = {}
        template_dir = tempfile.mkdtemp(prefix="cpw_bench_template_")
        template = os.path.join(template_dir, "migrated.sqlite3")
        try:
            for name, run_scale in (("small", compare_scale), ("full", scale)):
                runs[name] = self._run(name, run_scale, database_url, template, requests, seed)
        finally:
            shutil.rmtree(template_dir, ignore_errors=True)
        self._table(runs, scale, compare_scale, requests)
        self.stdout.write(
            f"Before the first PDF, once per process (a worker at start-up): {start_up_ms:.0f} ms "
            "(not in the compile figures)"
        )
        self.stdout.write(f"Total run time: {time.perf_counter() - started:.0f} s")

    def _run(self, name, run_scale, database_url, template, requests, seed):
        with scratch_database(database_url, sqlite_template=template) as db_name:
            self.stdout.write(f"[{name}] scale {run_scale:g}: making the tables in {db_name}")
            t0 = time.perf_counter()
            create_schema()
            if not database_url and not os.path.exists(template):
                shutil.copyfile(db_name, template)
            t1 = time.perf_counter()
            built = build_dataset(scale=run_scale, seed=seed)
            analysed = analyze_database()
            t2 = time.perf_counter()
            self.stdout.write(
                f"[{name}] tables {t1 - t0:.0f} s, build {t2 - t1:.0f} s"
                + (" (then VACUUM ANALYZE)" if analysed else "")
                + ": "
                + ", ".join(f"{k} {v:,}" for k, v in built.items()),
            )
            full = name == "full"
            # As a web process does at start-up (cpw/wsgi.py): what exists before the first
            # request (here the building of the data too) is frozen out of the collector's way.
            gc.collect()
            gc.freeze()
            try:
                # The small run times its pages too, for how a page's Python grows with data.
                result = measure(requests=requests, detail=full)
            finally:
                gc.unfreeze()
            self.stdout.write(f"[{name}] measured in {time.perf_counter() - t2:.0f} s")
            return result

    def _table(self, runs, scale, compare_scale, requests):
        full, small = runs["full"], runs["small"]
        header = (
            f"| {'Measure':<22} | {'p95 ms':>8} | {'SQL p95 ms':>10} | {'floor ×':>7} | "
            f"{'Python ms':>9} | {'Python small':>12} | "
            f"{'peak MB':>7} | {'queries':>7} | {'queries small':>13} | {'same':<4} | "
            f"{'target':<26} | result |"
        )
        self.stdout.write("")
        self.stdout.write(
            f"Scale {scale:g} (compared with {compare_scale:g}); pages: p95 of {requests} "
            "requests in the Django test client; SQL: p95 of the same page's captured "
            "statements run with a raw cursor; floor × = page p95 ÷ SQL p95; Python ms = page "
            f"p95 − SQL p95, at scale {scale:g} and at {compare_scale:g} (small)"
        )
        self.stdout.write(header)
        self.stdout.write("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
        compile_row = full["Report compile"]
        full["Report snapshot"] = {
            "ms": compile_row["snapshot_ms"],
            "mb": 0.0,
            "queries": compile_row["snapshot_queries"],
            "status": 200,
        }
        small["Report snapshot"] = {"queries": small["Report compile"]["snapshot_queries"]}
        for label in ["Report compile", "Report snapshot", *PAGES]:
            row, other = full[label], small[label]
            sql, ratio, python, python_small = "", "", "", ""
            if "python_ms" in row:
                python, python_small = f"{row['python_ms']:.1f}", f"{other['python_ms']:.1f}"
            if label == "Report compile":
                ok = row["ms"] <= COMPILE_SECONDS * 1000 and row["mb"] < COMPILE_MB
                target = f"<= {COMPILE_SECONDS:g} s, < {COMPILE_MB:g} MB"
            elif label == "Report snapshot":
                ok = row["ms"] <= SNAPSHOT_SECONDS * 1000
                target = f"<= {SNAPSHOT_SECONDS:g} s"
            elif label in API_PAGES:
                ok = row["ms"] < API_MS and row["status"] == 200
                target = "p95 < 100 ms"
                sql, ratio = f"{row['sql_ms']:.1f}", f"{row['ratio']:.1f}"
            else:
                limit = PAGE_TARGETS_MS.get(label, PAGE_MS)
                ok = row["ms"] < limit and row["status"] == 200
                target = f"p95 < {limit:.0f} ms"
                if label in FLOOR_TARGET_PAGES:
                    ok = ok and row["ratio"] <= FLOOR_RATIO
                    target += f", ≤ {FLOOR_RATIO:g}× floor"
                sql, ratio = f"{row['sql_ms']:.1f}", f"{row['ratio']:.1f}"
            same = row["queries"] == other["queries"]
            result = "PASS" if ok and same else "MISS"
            if row["status"] != 200:
                result += f" (HTTP {row['status']})"
            self.stdout.write(
                f"| {label:<22} | {row['ms']:>8.0f} | {sql:>10} | {ratio:>7} | {python:>9} | "
                f"{python_small:>12} | {row['mb']:>7.1f} | "
                f"{row['queries']:>7} | {other['queries']:>13} | {'yes' if same else 'no':<4} | "
                f"{target:<26} | {result} |"
            )
        self.stdout.write("")
        load = " / ".join(f"{value:.2f}" for value in compile_row["load"])
        self.stdout.write(
            f"Report compile: {compile_row['ms']:.0f} ms ({compile_row['cpu_ms']:.0f} ms of CPU "
            f"in this process); snapshot "
            f"{compile_row['snapshot_ms']:.0f} ms ({compile_row['snapshot_cpu_ms']:.0f} ms of "
            f"CPU); load average {load} (1, 5, 15 min) on {os.cpu_count()} CPUs when it began"
        )
        self.stdout.write(f"Report compile ({full['Report compile']['label']}) by section:")
        small_sections = {t: q for t, _, q in small["Report compile"]["sections"]}
        for title, ms, queries in full["Report compile"]["sections"]:
            self.stdout.write(
                f"  {title:<34} {ms:>8.0f} ms {queries:>6} queries"
                + (f" (small: {small_sections[title]})" if title in small_sections else "")
            )
