"""The embedded default's task queue: Huey on a SQLite file, tuned for what the queue holds.

The queue is derived state — every task can be re-derived from the database (reports without a
case are found again at worker start and by a periodic sweep) — so it does not need an fsync per
enqueued task. WAL with synchronous=NORMAL never corrupts the file; at worst a power cut forgets
the last few tasks, which the sweep then redoes. Huey itself offers only OFF (which can corrupt on
power loss) or FULL (an fsync per report submitted).
"""

from __future__ import annotations

import sqlite3

from huey import SqliteHuey
from huey.storage import SqliteStorage


class DerivedStateSqliteStorage(SqliteStorage):
    def _create_connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


class DerivedStateSqliteHuey(SqliteHuey):
    storage_class = DerivedStateSqliteStorage
