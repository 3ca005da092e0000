"""Helpers for the importer tests: exports written as text, sites to import into."""

from __future__ import annotations

from pathlib import Path

import pytest

@pytest.fixture
def export(tmp_path: Path):
    """Write an export outside any site (as in ~/Downloads) and return its path."""

    def write(text: str | bytes, name: str = "export.csv") -> Path:
        folder = tmp_path / "Downloads"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return write
