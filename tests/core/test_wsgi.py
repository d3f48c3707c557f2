"""The web process's start-up: every view is imported before the first request, and what
start-up made is frozen out of the cycle collector's way (cpw/wsgi.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_process_loads_every_view_then_freezes_its_start_up_objects():
    show = (
        "import gc, json, sys; from django.conf import settings; "
        "print(json.dumps([gc.get_freeze_count(), settings.ROOT_URLCONF in sys.modules, "
        "'programmes.views' in sys.modules]))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cpw.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", f"import cpw.wsgi; {show}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    frozen, urlconf_loaded, views_loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert urlconf_loaded and views_loaded
    assert frozen > 50_000  # Django, the portal's apps and every view module
