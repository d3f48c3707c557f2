"""Measure a call's time and peak Python memory, to assert an import stays bounded."""

import contextlib
import time
import tracemalloc
from dataclasses import dataclass

MAX_SECONDS = 10
MAX_PEAK_MB = 200


@dataclass
class Measured:
    seconds: float = 0.0
    peak_mb: float = 0.0

    def assert_bounded(self):
        assert self.seconds < MAX_SECONDS, f"took {self.seconds:.1f} s"
        assert self.peak_mb < MAX_PEAK_MB, f"peak memory {self.peak_mb:.0f} MB"


@contextlib.contextmanager
def measured():
    """`with measured() as m: ...` then m.seconds and m.peak_mb (tracemalloc's peak of every
    Python allocation made inside the block, which is where a parsed sheet would live)."""
    result = Measured()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - start
        result.peak_mb = tracemalloc.get_traced_memory()[1] / 1024**2
        tracemalloc.stop()
        print(f"\n  measured: {result.seconds:.2f} s, peak {result.peak_mb:.1f} MB")
