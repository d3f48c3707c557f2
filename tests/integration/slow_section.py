import time

from reporting.blocks import para
from reporting.sections import ReportSection, Sheet


class SlowSection(ReportSection):
    key = "slow"
    title = "A slow section (integration tests only)"
    template = "reports/sections/programme.html"
    seconds = 6

    def build(self, *, programme, period, as_of) -> dict:
        time.sleep(self.seconds)
        return {"waited_seconds": self.seconds}

    def sheets(self, data) -> list[Sheet]:
        return [Sheet("Slow", ["Waited (seconds)"], [[data["waited_seconds"]]])]

    def printed(self, data) -> list[dict]:
        return [para(f"Waited {data['waited_seconds']} seconds.")]
