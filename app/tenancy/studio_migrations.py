"""Every studio's database to head: in parallel with a bound, resumable, every studio attempted.

Alembic keeps its migration context in module globals, so the jobs are processes, not threads:
`jobs` worker processes, each with one direct connection at a time (no pool, not the serving
slots). The head is computed once; a studio already there costs one query and is skipped, so a
run that stopped halfway is simply run again. A failure is reported and the others go on.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from app.tenancy import migrations


@dataclass(frozen=True)
class StudioMigration:
    subdomain: str
    outcome: str  # "at head", "upgraded from X to Y" or "FAILED: why"
    seconds: float

    @property
    def failed(self) -> bool:
        return self.outcome.startswith("FAILED")


def migrate_studio(subdomain: str, url: str, head: str) -> StudioMigration:
    """One studio's database to `head` (in a worker process)."""
    started = time.monotonic()
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            current = migrations.revision_of(conn)
            if current != head:
                migrations.upgrade("studio", conn)
        outcome = "at head" if current == head else f"upgraded from {current or 'nothing'} to {head}"
    except Exception as exc:  # noqa: BLE001 - reported, and the other studios go on
        outcome = (
            f"FAILED: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        )
    finally:
        engine.dispose()
    return StudioMigration(subdomain, outcome, time.monotonic() - started)


def migrate_studios(urls: Mapping[str, str], jobs: int) -> Iterator[StudioMigration]:
    """Each studio (subdomain -> database URL) migrated to head, as each one finishes."""
    if not urls:
        return
    head = migrations.head("studio")
    # fork: the workers start at once, with the app's modules loaded; they open only their own connections
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(urls)), mp_context=multiprocessing.get_context("fork")
    ) as pool:
        futures = [pool.submit(migrate_studio, subdomain, url, head) for subdomain, url in urls.items()]
        for future in as_completed(futures):
            yield future.result()
