"""gunicorn's hooks (`--config=python:app.gunicorn_conf`): the app's metrics listener and its workers' files.

The listener runs in the master, once the app is loaded (`--preload`) and before the workers are
forked: it outlives any worker and reads every worker's values from PROMETHEUS_MULTIPROC_DIR.
"""

from app import metrics


def when_ready(server) -> None:
    metrics.serve()


def child_exit(server, worker) -> None:
    metrics.worker_exited(worker.pid)
