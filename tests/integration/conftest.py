"""Real Celery workers against Redis and PostgreSQL: a worker is a separate process that reads
the test database (so tests here use transactional_db: their data is committed)."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, queue: str):
        self.queue = queue
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_RESULT_BACKEND": REDIS_URL,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cpw",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        return self

    def kill(self):
        """SIGKILL: the worker dies mid-task with no chance to acknowledge or clean up."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        if self.process and self.process.poll() is not None and self.process.stdout:
            return self.process.stdout.read()
        return ""


@pytest.fixture
def celery_broker(settings):
    """Point this process's Celery app at the real Redis broker (not eager)."""
    from cpw.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield app
    app.conf.update(saved)


@pytest.fixture
def worker_factory(celery_broker):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    workers = []

    def start():
        worker = WorkerProcess(queue).start()
        workers.append(worker)
        return worker

    start.queue = queue
    yield start
    for worker in workers:
        worker.stop()
    from cpw.celery import app

    app.control.purge()


def wait_for(predicate, *, timeout=60.0, interval=0.25, describe="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {describe}")
