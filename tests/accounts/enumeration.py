"""Helpers for the tests that a visitor cannot tell known from unknown accounts."""

import re
import time

VARYING = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r'nonce="[^"]+"'),
]


def comparable(response, typed: str = "") -> str:
    """The page as a visitor sees it, less what differs on every request (CSRF token, CSP
    nonce) and the address they typed themselves."""
    text = response.content.decode()
    for pattern in VARYING:
        text = pattern.sub("", text)
    return text.replace(typed, "<typed>") if typed else text


def fastest_seconds(*actions, times: int = 9) -> list[float]:
    """The fastest time of each action over `times` runs, taken in turns (known, unknown,
    known, ...) so that warming up weighs on both alike. The fastest run is the one a busy
    machine (parallel tests, CI) disturbed least: what the code itself costs."""
    durations: list[list[float]] = [[] for _ in actions]
    for _ in range(times):
        for action, taken in zip(actions, durations, strict=True):
            started = time.perf_counter()
            action()
            taken.append(time.perf_counter() - started)
    return [min(taken) for taken in durations]


def similar(first: float, second: float, factor: float = 2) -> bool:
    return max(first, second) / min(first, second) < factor
