"""Killing cleanmt during an in-place batch leaves every file whole: old or new, never torn."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from cleanmt.files import Options, process_bytes

from .conftest import FIXTURES


def test_sigkill_during_in_place_batch_leaves_old_or_new_files(tmp_path, cleaner):
    article = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    folder = tmp_path / "batch"
    folder.mkdir()
    old, new = {}, {}
    for k in range(80):
        data = (f"Documento {k}.\n\n" + article * (1 + k % 4)).encode()
        p = folder / f"doc{k:03d}.md"
        p.write_bytes(data)
        old[p.name] = data
        _, out = process_bytes(str(p), data, cleaner, Options("fix"))
        new[p.name] = out if out is not None else data
    proc = subprocess.Popen([sys.executable, "-m", "cleanmt", "fix", "-q", "-j", "2", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # wait until some files are rewritten, then kill the whole process group mid-run
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = sum((folder / n).read_bytes() == new[n] for n in new)
        if done >= 5 or proc.poll() is not None:
            break
        time.sleep(0.02)
    still_running = proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    states = {"old": 0, "new": 0}
    for name in old:
        data = (folder / name).read_bytes()
        assert data in (old[name], new[name]), f"{name} is torn"
        states["old" if data == old[name] else "new"] += 1
    assert states["new"] >= 1
    if still_running:
        assert states["old"] >= 1  # the kill did land mid-batch
    # leftovers are only our own temporary files, never a half-written target
    assert all(p.name in old or p.name.endswith(".cleanmt-tmp") for p in folder.iterdir())


def _batch(tmp_path, cleaner, n=60):
    article = (FIXTURES / "seed" / "article.raw.txt").read_text(encoding="utf-8")
    folder = tmp_path / "batch"
    folder.mkdir()
    old, new = {}, {}
    for k in range(n):
        data = (f"Documento {k}.\n\n" + article * (1 + k % 3)).encode()
        p = folder / f"doc{k:03d}.md"
        p.write_bytes(data)
        old[p.name] = data
        _, out = process_bytes(str(p), data, cleaner, Options("fix"))
        new[p.name] = out if out is not None else data
    return folder, old, new


def _wait_for_some(folder, new, proc, k=3):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if sum((folder / n).read_bytes() == new[n] for n in new) >= k:
            return
        time.sleep(0.02)


def test_sigterm_during_in_place_batch_leaves_old_or_new_files(tmp_path, cleaner):
    folder, old, new = _batch(tmp_path, cleaner)
    proc = subprocess.Popen([sys.executable, "-m", "cleanmt", "fix", "-q", "-j", "2", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _wait_for_some(folder, new, proc)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()
    for name in old:
        assert (folder / name).read_bytes() in (old[name], new[name]), f"{name} is torn"


def test_ctrl_c_exits_cleanly_with_a_summary(tmp_path, cleaner):
    folder, old, new = _batch(tmp_path, cleaner)
    proc = subprocess.Popen([sys.executable, "-m", "cleanmt", "fix", "-j", "1", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for_some(folder, new, proc)
    running = proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if running:
        assert proc.returncode == 130
        assert "interrupted after" in err and "files" in err
    for name in old:
        assert (folder / name).read_bytes() in (old[name], new[name]), f"{name} is torn"
    assert all(p.name in old for p in folder.iterdir())  # no temporary file left by a clean exit
