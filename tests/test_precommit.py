"""The hooks with the real pre-commit, in a temporary git repository pointing at this one."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

GARBLED = "# Notícia\n\nA Xiaomi e o novo painço , hoje.\n"
FIXED = "# Notícia\n\nA Xiaomi e a nova Xiaomi, hoje.\n"

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None or not (ROOT / ".git").exists(),
                                reason="needs pre-commit and this repository's git history")


def _run(cwd, *cmd, env=None, check=True):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory):
    """PRE_COMMIT_HOME shared by the tests, so the hook's environment is built once."""
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.setdefault("GIT_AUTHOR_NAME", "t")
    env.setdefault("GIT_AUTHOR_EMAIL", "t@example.org")
    env.setdefault("GIT_COMMITTER_NAME", "t")
    env.setdefault("GIT_COMMITTER_EMAIL", "t@example.org")
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


def _repo(tmp_path: Path, env, hook_id: str) -> Path:
    rev = _run(ROOT, "git", "rev-parse", "HEAD").stdout.strip()
    repo = tmp_path / "docs-repo"
    repo.mkdir()
    _run(repo, "git", "init", "-q", env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {rev}\n  hooks:\n  - id: {hook_id}\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.cleanmt]\nexclude = ["drafts"]\n', encoding="utf-8")
    _run(repo, "git", "add", ".", env=env)
    _run(repo, "git", "commit", "-q", "-m", "config", env=env)
    _run(repo, "pre-commit", "install", env=env)
    return repo


def test_fix_hook_stops_the_commit_and_fixes_the_file(tmp_path, hook_env):
    repo = _repo(tmp_path, hook_env, "cleanmt")
    (repo / "news.md").write_text(GARBLED, encoding="utf-8")
    _run(repo, "git", "add", "news.md", env=hook_env)
    r = _run(repo, "git", "commit", "-m", "add news", env=hook_env, check=False)
    assert r.returncode != 0, r.stdout + r.stderr
    assert (repo / "news.md").read_text(encoding="utf-8") == FIXED
    # the fixed file commits
    _run(repo, "git", "add", "news.md", env=hook_env)
    r = _run(repo, "git", "commit", "-m", "add news", env=hook_env, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_hook_fails_without_changing_the_file(tmp_path, hook_env):
    repo = _repo(tmp_path, hook_env, "cleanmt-check")
    (repo / "news.md").write_text(GARBLED, encoding="utf-8")
    _run(repo, "git", "add", "news.md", env=hook_env)
    r = _run(repo, "git", "commit", "-m", "add news", env=hook_env, check=False)
    assert r.returncode != 0
    assert "xiaomi-painco" in r.stdout + r.stderr
    assert (repo / "news.md").read_text(encoding="utf-8") == GARBLED


def test_clean_file_passes_and_excluded_file_is_left_alone(tmp_path, hook_env):
    repo = _repo(tmp_path, hook_env, "cleanmt")
    (repo / "ok.md").write_text(FIXED, encoding="utf-8")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "raw.md").write_text(GARBLED, encoding="utf-8")
    _run(repo, "git", "add", ".", env=hook_env)
    r = _run(repo, "git", "commit", "-m", "add", env=hook_env, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (repo / "drafts" / "raw.md").read_text(encoding="utf-8") == GARBLED
