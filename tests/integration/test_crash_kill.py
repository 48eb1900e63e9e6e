"""A writer killed with SIGKILL at random moments never loses a committed answer."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from voicereflect.journal.store import Journal

# The child commits answers one by one and prints each id only after its commit returned,
# so every printed id is a promise the journal must keep.
CHILD = """
import sys
from pathlib import Path
from voicereflect.journal.store import Journal

path, run, passphrase = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or None
with Journal.open(path, passphrase) as journal:
    session = journal.start_session("kill-test", "en", float(run))
    n = 0
    while True:
        words = " ".join(f"w{run}x{n}x{k}" for k in range(n % 40))
        entry = journal.add_entry(session, f"s{n}", "prompt", f"run{run} n{n} {words}", at=n)
        print(entry, run, n, flush=True)
        n += 1
"""

RUNS = 50


def _child(path: Path, run: int, passphrase: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(run), passphrase],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _kill_repeatedly(path: Path, runs: int, passphrase: str, seed: int) -> dict[int, str]:
    rng = random.Random(seed)
    promised: dict[int, str] = {}
    for run in range(runs):
        child = _child(path, run, passphrase)
        assert child.stdout is not None
        seen: list[str] = []
        if run % 3 == 0:
            # A random moment in the child's life: during start-up, opening, migrating or
            # writing (a timeout here is the randomness, not synchronisation).
            try:
                child.wait(timeout=rng.uniform(0.0, 0.4))
            except subprocess.TimeoutExpired:
                pass
        else:
            # After a random number of commits, i.e. while the next one is in flight.
            for _ in range(rng.randint(0, 25)):
                line = child.stdout.readline()
                if not line:
                    break
                seen.append(line)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        seen += child.stdout.read().splitlines(keepends=True)
        child.stdout.close()
        for line in seen:
            if not line.endswith("\n"):
                continue  # the kill cut the child's report short: a commit, not yet a promise
            entry, _, n = line.split()
            promised[int(entry)] = f"run{run} n{n} "
        with Journal.open(path, passphrase or None) as journal:
            assert journal.integrity_check() == "ok", f"run {run}"
            for entry_id, prefix in promised.items():
                answer = journal._conn.execute(
                    "SELECT answer FROM entries WHERE id = ?", (entry_id,)
                ).fetchone()
                assert answer is not None, f"run {run}: committed entry {entry_id} lost"
                assert answer[0].startswith(prefix)
    return promised


def test_kill_during_answers_keeps_every_committed_answer(tmp_path: Path) -> None:
    promised = _kill_repeatedly(tmp_path / "journal.db", RUNS, "", seed=20261127)
    assert len(promised) > RUNS  # the kills really landed among commits


def test_kill_during_encrypted_answers_keeps_every_committed_answer(tmp_path: Path) -> None:
    # Fewer runs: every open of an encrypted journal pays SQLCipher's key derivation.
    promised = _kill_repeatedly(tmp_path / "journal.db", 8, "kill test pass", seed=5)
    assert len(promised) > 8
