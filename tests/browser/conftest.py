"""Browser tests: Playwright drives Debian's Chromium against live_server, in a dedicated thread
(Playwright's sync API must not share a thread with the Django ORM). Every page a step ends on is
checked with the vendored axe-core; zero violations are accepted. A failing step saves a
screenshot to test-artifacts/."""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TransactionTestCase
from django.test.utils import override_settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = Path(settings.BASE_DIR, "static/vendor/axe-core/axe.min.js")
AXE_URL = settings.STATIC_URL + "vendor/axe-core/axe.min.js"  # on the page's own origin
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = Path(settings.BASE_DIR, "test-artifacts")


class AccessibilityViolations(AssertionError):
    pass


def axe_violations(page, include: list[str] | None = None) -> list[str]:
    """Run axe-core on the page as it is now: one line per WCAG 2.2 A/AA violation. The page
    may already hold axe. `include`: CSS selectors of the only parts to check (axe then leaves
    out its whole-page rules); the whole page when None."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if page.url.startswith("http"):
            # From the site's own static files: Chromium caches the file and, once it has
            # loaded it a few times, its compiled code, so each page does not compile axe anew.
            page.add_script_tag(url=AXE_URL)
        else:
            page.add_script_tag(path=str(AXE_SOURCE))
    # Only violations are gathered and sent back: axe skips its work on passes, which is most
    # of a run's cost on a long page. axe preloads only media (for no-autoplay-audio), not the
    # stylesheets: copying and parsing them on every run is for css-orientation-lock alone, an
    # experimental rule that the tags leave out.
    violations = page.evaluate(
        """([tags, include]) => {
          const context = include ? {include: include.map(selector => [selector])} : document;
          return axe.run(context, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
            preload: {assets: ['media']},
          }).then(result => result.violations);
        }""",
        [AXE_TAGS, include],
    )
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']}: {violation['help']} {json.dumps(targets)}")
    return lines


def axe_check(page) -> None:
    """Run axe-core on the page as it is now and fail on any WCAG 2.2 A/AA violation."""
    violations = axe_violations(page)
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        lines.extend(f"- {line}" for line in violations)
        raise AccessibilityViolations("\n".join(lines))


class Browser:
    """Runs steps in the Playwright thread: `browser.step(fn)` calls fn(page) there, then
    axe-checks the page the step ended on."""

    def __init__(self, executor, page, base_url, test_name):
        self._executor = executor
        self.page = page
        self.base_url = base_url
        self._test_name = re.sub(r"[^\w.-]+", "_", test_name)

    def step(self, fn, *, check_accessibility=True):
        def run():
            try:
                result = fn(self.page)
                if check_accessibility:
                    self.page.wait_for_load_state("load")
                    axe_check(self.page)
                return result
            except BaseException:
                ARTIFACTS.mkdir(exist_ok=True)
                self.page.screenshot(path=str(ARTIFACTS / f"{self._test_name}.png"), full_page=True)
                raise

        return self._executor.submit(run).result(timeout=120)

    def visit(self, path: str, *, check_accessibility=True):
        return self.step(
            lambda page: page.goto(self.base_url + path), check_accessibility=check_accessibility
        )

    def sign_in(self, email: str, password: str):
        def fill(page):
            page.goto(self.base_url + "/sign-in/")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("load")

        return self.step(fill)

    def sign_out(self):
        return self.step(
            lambda page: page.get_by_role("button", name="Sign out").click(),
            check_accessibility=False,
        )


@pytest.fixture(scope="session")
def playwright_thread():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` "
            "(browser tests never download a browser)."
        )
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
    from playwright.sync_api import sync_playwright

    def start():
        manager = sync_playwright().start()
        browser = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return manager, browser

    manager, chromium = executor.submit(start).result(timeout=60)
    yield executor, chromium

    def stop():
        chromium.close()
        manager.stop()

    executor.submit(stop).result(timeout=60)
    executor.shutdown()


def _browser_on(playwright_thread, base_url: str, test_name: str):
    """A `Browser` in a fresh browser context (desktop width, UK locale) on `base_url`, closed
    when the test is done."""
    executor, chromium = playwright_thread

    def open_page():
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
        )
        context.set_default_timeout(15000)
        return context, context.new_page()

    context, page = executor.submit(open_page).result(timeout=60)
    yield Browser(executor, page, base_url, test_name)
    executor.submit(context.close).result(timeout=60)


@pytest.fixture
def browser(playwright_thread, live_server, request):
    yield from _browser_on(playwright_thread, live_server.url, request.node.name)


class _CommittedDatabase(TransactionTestCase):
    """Committed data for a module's own live server; flushed when the module is done."""

    __test__ = False  # set up and torn down by `module_world`, never collected as a test

    def runTest(self):  # pragma: no cover - never run, only set up and torn down
        pass


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One `world` (tests/conftest.py) for a whole module, committed, with the module's own live
    server: `.world`, `.base_url`. Building a world and flushing the database after it cost
    seconds: once per module instead of once per test. The module's tests share it, so each must
    leave what the others look at alone. The module is marked `django_db` (so that the test
    database is set up) and each test runs in a transaction of its own on the main thread's
    connection: a test reads what the live server commits, but what it writes itself the live
    server never sees, so objects a test needs go in a module-scoped fixture that makes them
    inside `django_db_blocker.unblock()`, as this one does."""
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import build_world, make_programme

    with django_db_blocker.unblock():
        database = _CommittedDatabase()
        database._pre_setup()
        media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("module-media"))
        media.enable()
        server = LiveServer("localhost")
        try:
            world = build_world(make_programme())
            yield type("ModuleWorld", (), {"world": world, "base_url": server.url})
        finally:
            server.stop()
            media.disable()
            database._post_teardown()


@pytest.fixture
def module_browser(playwright_thread, module_world, request):
    """`browser`, on the module's live server, in a fresh browser context for each test."""
    yield from _browser_on(playwright_thread, module_world.base_url, request.node.name)
