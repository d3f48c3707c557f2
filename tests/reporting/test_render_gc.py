"""Writing the PDF pauses Python's cycle collector (about a quarter of WeasyPrint's CPU time at
county scale) and always turns it back on, also when the render fails or several threads write
PDFs at once; it never turns on a collector that was off."""

import gc
import threading

import pytest

from reporting import render


@pytest.fixture(autouse=True)
def _collector_restored():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_is_off_while_the_pdf_is_written_and_on_again_after(monkeypatch):
    seen = []

    class FakeHTML:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self, **options):
            seen.append((gc.isenabled(), options))
            return b"%PDF-fake"

    monkeypatch.setattr("weasyprint.HTML", FakeHTML)
    monkeypatch.setattr(render, "render_pdf_html", lambda snapshot: "<p>x</p>")
    gc.enable()
    assert render.render_pdf({}) == b"%PDF-fake"
    assert seen == [(False, {"pdf_tags": True, "pdf_variant": "pdf/ua-1"})]
    assert gc.isenabled()


def test_the_collector_comes_back_after_a_failure_and_stays_off_if_it_was():
    gc.enable()
    with pytest.raises(RuntimeError), render.cyclic_gc_paused():
        raise RuntimeError("layout failed")
    assert gc.isenabled()

    gc.disable()
    with render.cyclic_gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_threads_share_the_pause_and_the_last_one_out_turns_it_back_on():
    gc.enable()
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    states = {}

    def first():
        with render.cyclic_gc_paused():
            first_in.set()
            first_may_leave.wait(5)
        states["after first left"] = gc.isenabled()
        second_in.set()

    def second():
        first_in.wait(5)
        with render.cyclic_gc_paused():
            first_may_leave.set()
            second_in.wait(5)  # the first has left; this one is still writing
            states["while second writes"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert states == {"after first left": False, "while second writes": False}
    assert gc.isenabled()
