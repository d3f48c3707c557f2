"""Queueing background work safely: refuse up front when the broker is down (so nothing is saved
that would never be processed), and publish only once the database transaction has committed."""

import logging
import threading
from functools import partial

from django.conf import settings
from django.db import connections, transaction

from cpw.celery import app

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The message broker cannot be reached, so background work cannot be queued."""

    user_message = (
        "The portal cannot start background work at the moment, so nothing has been saved. "
        "Try again in a few minutes. If this keeps happening, contact the programme team."
    )


def broker_is_eager() -> bool:
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


def broker_reachable(timeout: float = 2.0) -> bool:
    if broker_is_eager():
        return True

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        logger.warning("Message broker unreachable", exc_info=True)
        return False


def require_queue() -> None:
    """Raise QueueUnavailable before any work is saved if tasks could not be queued."""
    if not broker_reachable():
        raise QueueUnavailable(QueueUnavailable.user_message)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` with the given ids once the surrounding transaction commits."""
    transaction.on_commit(partial(_publish, task, args, kwargs))


def _publish(task, args, kwargs) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # the change is committed; a periodic sweep re-queues what was missed
        logger.exception("Could not queue %s%s", task.name, args)


def enqueue_long_running_on_commit(task, *args) -> None:
    """Queue a long task (a report compile) once the transaction commits. With a broker, as
    `enqueue_on_commit`. With none (the embedded default, tasks run eagerly), it runs in a
    background thread of this process instead of inside the request, so the page that asked
    for it answers at once and can show progress (unless EAGER_LONG_TASKS_IN_THREAD is off, as
    in most tests, where it runs in place)."""
    if broker_is_eager() and getattr(settings, "EAGER_LONG_TASKS_IN_THREAD", True):
        transaction.on_commit(partial(_start_thread, task, args))
    else:
        enqueue_on_commit(task, *args)


def _start_thread(task, args) -> threading.Thread:
    thread = threading.Thread(
        target=_run_in_thread, args=(task, args), name=f"eager-{task.name}", daemon=True
    )
    thread.start()
    return thread


def _run_in_thread(task, args) -> None:
    try:
        task.apply(args=args, throw=False)  # the task records its own failure
    except Exception:  # noqa: BLE001 - a thread has nobody to raise to
        logger.exception("Background %s%s failed", task.name, args)
    finally:
        connections.close_all()  # this thread's own database connections
