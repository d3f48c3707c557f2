"""Every GET page in the access matrix, opened in Chromium by every role that may see it.

For each (URL, role) cell the page must answer the status the matrix expects (a 500 always
fails), its <title> must be plain text starting with the page's <h1>, axe-core must find no
WCAG 2.2 A/AA violation at 1280 px, and at 375 px the page must be no wider than the viewport.
axe also runs at 375 px on one representative page per app (the first each app's rows list):
running it on every page at both widths doubled the crawl's cost for little more coverage, the
layout being shared. Each page with a form is then submitted empty once: what its error state
adds (the summary, the fields in error) must pass axe-core, and every link in its error summary
must point at an element that exists and move focus there.

To stay inside the time budget the crawl runs once per module (one world, one live server) and
visits each page once per group of roles that see the same page: every cell is first fetched with
Django's test client, and roles whose <title> and <main> are identical for a URL share one browser
visit. Several browsers (WORKERS threads, each with one page, signed in as each role in turn by
swapping the session cookie) visit the pages while the test client fetches the next
ones; each page is resized once (375 px then 1280 px, or the other way round). Each cell is then
its own test, so that a known failure can be marked on exactly that cell (KNOWN_FAILURES).
"""

import hashlib
import os
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.access import ANONYMOUS, Access, all_access_rows, expected_status
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations
from tests.conftest import ROLE_NAMES

# django_db: so that pytest-django sets up the test database for the module's committed world
# (module_world); each test itself only reads the crawl's results.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The role whose visit stands for a group of roles that see the same page, and the role that
# submits a page's form empty: the first of these that may see the page.
ROLE_PREFERENCE = [
    ANONYMOUS,
    "programme_manager",
    "officer",
    "steering_group",
    "councillor",
    "assessor",
    "partner",
    "council_admin",
    "dpo",
    "staff",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _allowed(row: Access, role: str) -> bool:
    if role == ANONYMOUS:
        return row.public
    return expected_status(row, role, method="get", other_programme=False) == row.ok_status


def _rows() -> list[Access]:
    return [row for row in all_access_rows() if row.html and row.method == "get"]


def _row_id(row: Access) -> str:
    return row.url_name + (
        "?" + re.sub(r"[^\w=&-]+", "_", row.query.lstrip("?")) if row.query else ""
    )


def _app(row: Access) -> str:
    """The app a page belongs to: its URL namespace (the site's own pages have none)."""
    return row.url_name.split(":")[0] if ":" in row.url_name else "site"


def _cell_id(row: Access, role: str) -> str:
    return f"{_row_id(row)}-{role}"


# Cells known to fail, each with what fails: a strict xfail, so that a cell that passes while
# marked fails the run. Empty since the phone-width, error-summary and conflict-radio fixes.
KNOWN_FAILURES: dict[str, str] = {}


def _cells():
    for row in _rows():
        for role in sorted(ROLE_NAMES, key=ROLE_PREFERENCE.index):
            if _allowed(row, role):
                cell_id = _cell_id(row, role)
                marks = ()
                if cell_id in KNOWN_FAILURES:
                    reason = f"issue 14: {KNOWN_FAILURES[cell_id]}"
                    marks = pytest.mark.xfail(strict=True, reason=reason)
                yield pytest.param(cell_id, id=cell_id, marks=marks)


# --- What the browser looks at -------------------------------------------------------------

PAGE_FACTS = """() => {
  const h1s = [...document.querySelectorAll('h1')].map(h1 => {
    const copy = h1.cloneNode(true);
    copy.querySelectorAll('[class*="govuk-caption-"]').forEach(caption => caption.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  });
  return {
    title: document.title,
    h1s,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}"""

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"

# The innermost elements that stick out past the viewport's right edge (to name the culprit).
TOO_WIDE = """() => {
  const wide = [...document.querySelectorAll('body *')].filter(
    el => el.getBoundingClientRect().right > window.innerWidth + 1
      && !(el.parentElement && el.parentElement.closest('.app-table-wrapper'))
      && !el.closest('.govuk-visually-hidden'));
  const innermost = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
  return innermost.slice(0, 3).map(el => {
    const classes = [...el.classList].slice(0, 2).map(c => '.' + c).join('');
    const text = el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${classes} "${text}" (${Math.round(el.getBoundingClientRect().right)} px)`;
  });
}"""

# Empties the first POST form in <main> that has something to fill in; false when there is none.
EMPTY_FORM = """() => {
  const fillable = 'input:not([type=hidden]):not([type=submit]):not([type=button])'
    + ':not([type=image]):not([type=reset]), textarea, select';
  const main = document.querySelector('main') || document.body;
  const form = [...main.querySelectorAll('form')].find(
    form => (form.getAttribute('method') || 'get').toLowerCase() === 'post'
      && form.querySelector(fillable));
  if (!form) return false;
  for (const control of form.querySelectorAll(fillable)) {
    if (control.type === 'checkbox' || control.type === 'radio') control.checked = false;
    else if (control.tagName === 'SELECT')
      control.selectedIndex = [...control.options].findIndex(option => option.value === '');
    else control.value = '';
  }
  form.noValidate = true;
  form.setAttribute('data-empty-submit', '');
  return true;
}"""

SUBMIT_EMPTY = """() => {
  const form = document.querySelector('[data-empty-submit]');
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
  form.requestSubmit(button || undefined);
}"""

ERROR_SUMMARY = """() => {
  const summary = document.querySelector('.govuk-error-summary');
  if (!summary) return null;
  const h1 = document.querySelector('h1');
  return {
    before_h1: !h1 || Boolean(summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING),
    links: [...summary.querySelectorAll('a')].map(link => {
      const href = link.getAttribute('href') || '';
      const id = href.startsWith('#') ? decodeURIComponent(href.slice(1)) : null;
      return {href, text: link.textContent.trim(), exists: Boolean(id && document.getElementById(id))};
    }),
  };
}"""

# What an error state adds to a page.
ERROR_PARTS = [".govuk-error-summary", ".govuk-form-group--error", ".govuk-error-message"]

FOCUSED = """href => {
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  return Boolean(target) && document.activeElement === target;
}"""


def _plain(text: str) -> bool:
    return not re.search(r"<[a-zA-Z/!]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", text)


def _redirect_chain(response) -> list[int]:
    statuses = [response.status]
    request = response.request.redirected_from
    while request is not None:
        statuses.insert(0, request.response().status)
        request = request.redirected_from
    return statuses


PHASES: dict[str, float] = {}


_PHASES_LOCK = threading.Lock()


class _phase:
    """Adds the time spent in a block to PHASES[name] (summed over the browsers' threads)."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.started = time.monotonic()

    def __exit__(self, *exc):
        with _PHASES_LOCK:
            PHASES[self.name] = PHASES.get(self.name, 0.0) + time.monotonic() - self.started


def _check_page(page, response, expected: int, *, phone_axe: bool) -> list[str]:
    """The checks every visited page must pass; the failures, as readable lines.

    The page is checked at both widths but resized once: a page that loaded at 375 px is checked
    there first, then at 1280 px, and the next page loads at 1280 px and is checked the other
    way round (each resize lays the page out again)."""
    failures = []
    statuses = _redirect_chain(response) if response is not None else [0]
    # a redirect must end on a page; a page the matrix expects to refuse (400, 403) is that page
    final = expected if 400 <= expected < 500 else 200
    if 500 in statuses or statuses[0] != expected or statuses[-1] != final:
        failures.append(f"status {' -> '.join(map(str, statuses))}, expected {expected}")
    if statuses[-1] >= 500:
        return failures

    def desktop():
        facts = page.evaluate(PAGE_FACTS)
        title, h1s = facts["title"], facts["h1s"]
        if not _plain(title):
            failures.append(f"<title> is not plain text: {title[:120]!r}")
        if len(h1s) != 1:
            failures.append(f"{len(h1s)} <h1> elements: {h1s}")
        elif not title.startswith(h1s[0]):
            failures.append(f"<title> {title[:120]!r} does not start with the <h1> {h1s[0]!r}")
        with _phase("axe desktop"):
            failures.extend(f"axe at 1280 px: {line}" for line in axe_violations(page))

    def phone():
        scroll_width, inner_width = page.evaluate(WIDTH)
        if scroll_width > inner_width:
            culprits = ", ".join(page.evaluate(TOO_WIDE))
            failures.append(f"at 375 px the page is {scroll_width} px wide: {culprits}")
        if phone_axe:
            with _phase("axe phone"):
                failures.extend(f"axe at 375 px: {line}" for line in axe_violations(page))

    if page.viewport_size == PHONE:
        phone()
        with _phase("resize"):
            page.set_viewport_size(DESKTOP)
        desktop()
    else:
        desktop()
        with _phase("resize"):
            page.set_viewport_size(PHONE)
        phone()
    return failures


def _check_empty_submission(page, url: str) -> tuple[bool, list[str]]:
    """Submits the page's form empty. Returns (whether it had a form, failures)."""
    if page.viewport_size != DESKTOP:
        page.set_viewport_size(DESKTOP)
    page.goto(url)
    if not page.evaluate(EMPTY_FORM):
        return False, []
    with page.expect_navigation() as navigation:
        page.evaluate(SUBMIT_EMPTY)
    response = navigation.value
    failures = []
    status = response.status if response else 0
    if status >= 500:
        return True, [f"empty submission: status {status}"]
    summary = page.evaluate(ERROR_SUMMARY)
    if summary is None:
        return True, []  # the form accepts an empty submission: there is no error state
    # The page itself passed axe when it was visited: here axe checks what the error state
    # adds (the summary and the fields in error), at a fraction of a whole-page run's cost.
    with _phase("axe error state"):
        failures.extend(
            f"error state: axe at 1280 px: {line}"
            for line in axe_violations(page, include=ERROR_PARTS)
        )
    title = page.title()
    if not title.startswith("Error: "):
        failures.append(f"error state: <title> {title[:120]!r} does not start with 'Error: '")
    if not summary["before_h1"]:
        failures.append("error state: the error summary is not at the top of the page")
    if not summary["links"]:
        failures.append("error state: the error summary has no links")
    for index, link in enumerate(summary["links"]):
        if not link["exists"]:
            failures.append(
                f"error summary link {link['text']!r} goes to {link['href']!r}, which does not exist"
            )
            continue
        page.locator(".govuk-error-summary a").nth(index).click()
        if not page.evaluate(FOCUSED, link["href"]):
            failures.append(
                f"error summary link {link['text']!r} does not move focus to {link['href']!r}"
            )
    return True, failures


# --- The crawl -------------------------------------------------------------------------------


PROGRESS = os.environ.get("EVERY_PAGE_PROGRESS")  # a file to follow the crawl in


def _progress(line: str) -> None:
    if PROGRESS:
        with open(PROGRESS, "a") as log:
            log.write(f"{time.monotonic():.1f} {line}\n")


@dataclass
class Cell:
    row: Access
    role: str
    url: str
    expected: int
    key: tuple = ()
    failures: list = field(default_factory=list)
    representative: str = ""


def _normalised(response) -> tuple:
    """What makes two roles' answers for one URL the same page."""
    if response.status_code in (301, 302):
        return ("redirect", response.status_code, response.get("Location"))
    html = response.content.decode(errors="replace")
    title = re.search(r"<title>.*?</title>", html, re.S)
    main = re.search(r"<main.*?</main>", html, re.S)
    text = (title.group(0) if title else "") + (main.group(0) if main else html)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'nonce="[^"]*"', "", text)
    return (response.status_code, hashlib.sha256(text.encode()).hexdigest())


@dataclass
class CrawlResult:
    cells: dict
    forms: list
    accepted_empty: list
    seconds: dict
    visits: int
    phone_axe_urls: list
    error_pages: dict = field(default_factory=dict)


# Browsers working at once. Each is a thread with its own Playwright and Chromium (Playwright's
# sync objects belong to the thread that made them) and one context per role, reused for every
# page that role visits. While they work, the test client fetches the next pages: the crawl
# waits on Chromium, on the live server and on the test client at once rather than in turn.
# On SQLite the test database is in memory, and the live server's threads share the test's one
# connection: there one browser works, after the test client is done.
# Two: on the 2-core machine, loaded by other work, two browsers took 12 % less time than one for
# 9 % more CPU; three took 60 % more CPU than one (each Chromium has its own fixed cost).
WORKERS = int(os.environ.get("EVERY_PAGE_WORKERS", "2"))


def _shared_connection() -> bool:
    return connection.vendor == "sqlite"


# Error pages, seen by a partner: (path, expected status).
ERROR_PAGES = [("/overview/", 403), ("/no-such-page/", 404)]


class _Workers:
    """WORKERS threads taking tasks from one queue: `task(page_for)`, where `page_for(role)` is
    that thread's page signed in as the role."""

    def __init__(self, base_url: str, cookies: dict, count: int):
        self.base_url = base_url
        self.cookies = cookies
        self.tasks: queue.Queue = queue.Queue()
        self.errors: list[str] = []
        self.threads = [
            threading.Thread(target=self._work, name=f"every-page-{number}", daemon=True)
            for number in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def _work(self):
        from playwright.sync_api import sync_playwright

        # One context and one page per thread, signed in as each role in turn by swapping the
        # session cookie: every page then loads in the same renderer, whose caches (the parsed
        # stylesheets, the compiled scripts, axe's among them) stay warm, and Chromium keeps one
        # window per thread instead of one per role.
        contexts, pages, current = {}, {}, {}

        def page_for(role):
            if "page" not in pages:
                context = chromium.new_context(viewport=DESKTOP, locale="en-GB", bypass_csp=True)
                context.set_default_timeout(15000)
                contexts["context"], pages["page"] = context, context.new_page()
            if current.get("role", ANONYMOUS + "?") != role:
                context = contexts["context"]
                context.clear_cookies()
                if role in self.cookies:
                    context.add_cookies(
                        [
                            {
                                "name": settings.SESSION_COOKIE_NAME,
                                "value": self.cookies[role],
                                "url": self.base_url,
                            }
                        ]
                    )
                current["role"] = role
            return pages["page"]

        manager = chromium = None
        try:
            manager = sync_playwright().start()
            chromium = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
        while True:
            task = self.tasks.get()
            try:
                if task is None:
                    break
                if chromium is not None:
                    task(page_for)
            except Exception as exc:  # tasks record their own failures; this is a harness bug
                self.errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                self.tasks.task_done()
        for context in contexts.values():
            context.close()
        if chromium is not None:
            chromium.close()
        if manager is not None:
            manager.stop()

    def put(self, task):
        self.tasks.put(task)

    def wait(self):
        """Until every task so far is done."""
        self.tasks.join()

    def stop(self):
        for _ in self.threads:
            self.tasks.put(None)
        for thread in self.threads:
            thread.join()


def _crawl(world, base_url) -> CrawlResult:
    started = time.monotonic()
    rows = _rows()
    clients = {}
    for role in ROLE_NAMES:
        client = Client(raise_request_exception=False)
        if role != ANONYMOUS:
            client.force_login(
                world.users[role], backend="django.contrib.auth.backends.ModelBackend"
            )
        clients[role] = client
    cookies = {
        role: client.cookies[settings.SESSION_COOKIE_NAME].value
        for role, client in clients.items()
        if role != ANONYMOUS
    }
    shared = _shared_connection()
    workers = _Workers(base_url, cookies, 1 if shared else WORKERS)
    waiting = []  # on a shared connection, the visits wait for the test client to finish
    put = waiting.append if shared else workers.put
    visits: list[str] = []
    phone_axe_urls: list[str] = []
    phone_axed: set[str] = set()  # the apps whose representative page axe runs on at 375 px

    def visit(group: list[Cell], phone_axe: bool):
        first = group[0]

        def task(page_for):
            page = page_for(first.role)
            try:
                with _phase("goto"):
                    response = page.goto(base_url + first.url)
                visits.append(first.url)
                with _phase("check"):
                    found = _check_page(page, response, first.expected, phone_axe=phone_axe)
            except Exception as exc:  # a page that hangs or crashes fails its cells
                found = [f"browser: {type(exc).__name__}: {str(exc).splitlines()[0]}"]
            for cell in group:
                cell.representative = first.role
                cell.failures.extend(found)
            _progress(f"{first.url} as {first.role}: {found}")

        return task

    cells: dict[str, Cell] = {}
    form_cells: list[Cell] = []
    for index, row in enumerate(rows):
        url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
        form_chosen = False
        groups: dict[tuple, list[Cell]] = {}
        for role in ROLE_PREFERENCE:
            if not _allowed(row, role):
                continue
            expected = expected_status(row, role, method="get", other_programme=False)
            cell = Cell(row, role, url, expected)
            cells[_cell_id(row, role)] = cell
            response = clients[role].get(url)
            if response.status_code != expected:
                cell.failures.append(
                    f"test client: status {response.status_code}, expected {expected}"
                )
            cell.key = (index, *_normalised(response))
            groups.setdefault(cell.key, []).append(cell)
            if not form_chosen and response.status_code == 200:
                main = re.search(
                    r"<main.*?</main>", response.content.decode(errors="replace"), re.S
                )
                if main and re.search(r'<form[^>]*method="post"', main.group(0), re.I):
                    form_cells.append(cell)
                    form_chosen = True
        # The row's pages go to the browsers at once, while the test client fetches the next.
        for group in groups.values():
            app = _app(group[0].row)
            phone_axe = app not in phone_axed and group[0].expected == 200
            if phone_axe:
                phone_axed.add(app)
                phone_axe_urls.append(group[0].url)
            put(visit(group, phone_axe))
    error_pages: dict[str, list[str]] = {}
    for path, status in ERROR_PAGES:
        error_cell = Cell(Access("error-page", frozenset()), "partner", path, status)
        error_pages[path] = error_cell.failures
        put(visit([error_cell], phone_axe=False))
    prefetched = time.monotonic()
    for task in waiting:
        workers.put(task)
    workers.wait()
    crawled = time.monotonic()

    # Then each form submitted empty: after every page has been seen, because a form that
    # accepts an empty submission may change what other pages show.
    forms, accepted = [], []

    def submit_empty(cell: Cell):
        def task(page_for):
            page = page_for(cell.role)
            try:
                had_form, found = _check_empty_submission(page, base_url + cell.url)
            except Exception as exc:
                had_form, found = True, [f"empty submission: {type(exc).__name__}: {exc}"]
            if had_form:
                forms.append(cell.url)
                if not found and not page.query_selector(".govuk-error-summary"):
                    accepted.append(cell.url)
                cell.failures.extend(found)
                _progress(f"empty form {cell.url} as {cell.role}: {found}")

        return task

    for cell in form_cells:
        workers.put(submit_empty(cell))
    workers.wait()
    workers.stop()
    finished = time.monotonic()
    assert not workers.errors, workers.errors
    return CrawlResult(
        cells=cells,
        forms=sorted(forms),
        accepted_empty=sorted(accepted),
        seconds={
            "test client, browsers alongside": round(prefetched - started, 1),
            "browsers after": round(crawled - prefetched, 1),
            "empty forms": round(finished - crawled, 1),
        },
        visits=len(visits),
        phone_axe_urls=phone_axe_urls,
        error_pages=error_pages,
    )


@pytest.fixture(scope="module")
def crawl(module_world, django_db_blocker):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`")
    started_cpu = time.process_time()
    with django_db_blocker.unblock():
        result = _crawl(module_world.world, module_world.base_url)
    print(
        f"\nEvery page: {len(result.cells)} cells, {result.visits} browser visits, "
        f"{len(result.forms)} forms submitted empty ({len(result.accepted_empty)} accepted it); "
        f"{1 if _shared_connection() else WORKERS} browsers; accepted empty: {result.accepted_empty}; "
        f"axe at 375 px on {result.phone_axe_urls}; seconds {result.seconds}; "
        f"this process's CPU {time.process_time() - started_cpu:.1f} s; phases "
        f"{ {name: round(value, 1) for name, value in PHASES.items()} }"
    )
    return result


@pytest.mark.parametrize("cell_id", list(_cells()))
def test_page(crawl, cell_id):
    cell = crawl.cells[cell_id]
    assert not cell.failures, (
        f"{cell.url} as {cell.role} (browser visit as {cell.representative}, "
        "which sees the same page):\n- " + "\n- ".join(cell.failures)
    )


def test_the_crawl_saw_every_cell_and_some_forms(crawl):
    assert len(crawl.cells) == len(list(_cells()))
    assert len(crawl.forms) > 40
    # axe at 375 px ran on one page of every app
    assert len(crawl.phone_axe_urls) == len({_app(row) for row in _rows()})


@pytest.mark.parametrize("path", [path for path, _ in ERROR_PAGES])
def test_error_pages(crawl, path):
    """A refusal (403) and a page not found (404), as a partner: the status, the title and h1,
    axe and the phone width, as for every page."""
    assert not crawl.error_pages[path], "\n- ".join(crawl.error_pages[path])


def test_every_known_failure_names_a_cell():
    cell_ids = {param.id for param in _cells()}
    assert not set(KNOWN_FAILURES) - cell_ids
