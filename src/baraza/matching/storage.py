"""Where derived files live: the embedding cache and the nearest-neighbour index files.

They are local files that SQLite and usearch open by path, and every one is derived state: lost,
it is rebuilt (from the database, or by embedding again). One seam names them all, so a
deployment keeps them together and each test keeps its own.

- `DirectoryFiles(root)`: the files under one directory. Settings use `DATA_DIR`.
- `TemporaryFiles(root)`: the test double, a directory of one test's own that also remembers
  which files were asked for (the `_derived_files` fixture in `baraza/conftest.py`).

`derived_files()` is the one in use: `settings.DERIVED_FILES`, which a test overrides like any
other setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from django.conf import settings

EMBEDDING_CACHE = "embeddings.sqlite3"
REPORT_INDEX = "index/reports.usearch"
FACTCHECK_INDEX = "index/factchecks.usearch"


class DerivedFiles(Protocol):
    def path(self, name: str) -> Path:
        """Where the derived file `name` (such as `REPORT_INDEX`) lives; its folder exists."""
        ...


class DirectoryFiles:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, name: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r})"


class TemporaryFiles(DirectoryFiles):
    """For tests: files under a directory the test owns, and the names that were asked for."""

    def __init__(self, root: Path | str) -> None:
        super().__init__(root)
        self.asked: list[str] = []

    def path(self, name: str) -> Path:
        self.asked.append(name)
        return super().path(name)


def derived_files() -> DerivedFiles:
    files: DerivedFiles = settings.DERIVED_FILES
    return files
