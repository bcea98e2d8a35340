from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

import pytest

import cleanmt

ROOT = Path(__file__).resolve().parent.parent
# the command line caches compiled glossaries; tests use a cache of their own
os.environ.setdefault("CLEANMT_CACHE_DIR", tempfile.mkdtemp(prefix="cleanmt-test-cache-"))
FIXTURES = ROOT / "fixtures"


def load_cases(name: str) -> list[dict]:
    with open(FIXTURES / "cases" / f"{name}.toml", "rb") as f:
        return tomllib.load(f)["case"]


@pytest.fixture(scope="session")
def cleaner() -> cleanmt.Cleaner:
    return cleanmt.Cleaner()


@pytest.fixture(scope="session")
def eager_cleaner() -> cleanmt.Cleaner:
    """All bundled entries, document triggers assumed present and every proposal made, evidence or
    not (for short examples: they test what an entry matches, not the evidence it needs)."""
    return cleanmt.Cleaner(assume_triggers=True, check_examples=False, level="suggest")


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p
