"""Ingest reads only minutes pages it was meant to read, and waits its turn to write (issue 8).

An attacker's manifest named ``../``, absolute and ``~`` paths, symlinks out of its folder and
devices that never end; files that are not minutes were stored and quoted by ``ask``; and two
ingests at once died with "database is locked". Devices and FIFOs are only ever read in a child
process with capped memory and a time-out, so a regression fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import string
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.cli import main
from knowledge.minutes.ingest import ingest_files, read_manifest, sample_manifest_path
from knowledge.store import open_db

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSIX = pytest.mark.skipif(os.name != "posix" or not Path("/dev/zero").exists(), reason="needs /dev/zero")
#: Runs the command line in a child with at most 2 GB of address space: reading /dev/zero fails fast.
_CHILD = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    "from bot.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def page(title: str) -> str:
    """A small ModernGov agenda-item page."""
    return (
        f"Agenda item\n{title}\nTo receive an update on {title.lower()}.\nMinutes:\n"
        "Members welcomed the update.\nRESOLVED: That the update be noted.\n"
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def child(argv: Sequence[str], *, home: Path | None = None, timeout: float = 120) -> subprocess.Popen[str]:
    """Start ``scrutiny-bot ARGV`` in a child process from this checkout."""
    env = dict(os.environ)
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, *argv], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the ingest did not finish in {timeout} s (it is reading something that never ends)")
    return proc.returncode, out, err


def titles(db_path: Path) -> list[str]:
    db = open_db(db_path)
    try:
        return [r[0] for r in db.execute("SELECT title FROM items ORDER BY title").fetchall()]
    finally:
        db.close()


def failure_line(out: str, name: str) -> str:
    """The reason the report gives for the one file, whose path ends with ``name``, it could not ingest."""
    prefix = "  could not ingest "
    found = [ln[len(prefix) :].split(": ", 1) for ln in out.splitlines() if ln.startswith(prefix)]
    reasons = [reason for path, reason in found if path.endswith(name)]
    assert len(reasons) == 1, (name, out)
    return reasons[0]


# --- A: where a manifest may read, what kind of file, how big, and only minutes ----------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder with a manifest; minutes pages beside it, in a fake home and behind a symlink."""
    (tmp_path / "outside.txt").write_text(page("Outside page"), encoding="utf-8")
    (tmp_path / "outside2.txt").write_text(page("Second outside page"), encoding="utf-8")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "x.txt").write_text(page("Home page"), encoding="utf-8")
    folder = tmp_path / "m"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(page("Good page"), encoding="utf-8")
    (folder / "sub" / "inner.txt").write_text(page("Inner page"), encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "outside2.txt")  # inside the folder, leads out
    (folder / "alias.txt").symlink_to(folder / "sub" / "inner.txt")  # inside, and leads inside
    return folder


def write_manifest(folder: Path, *paths: str) -> Path:
    manifest = folder / "manifest.csv"
    manifest.write_text(
        "path,council,body,date,url\n" + "".join(f"{p},,,,\n" for p in paths), encoding="utf-8"
    )
    return manifest


@POSIX
def test_manifest_rows_outside_its_folder_are_refused_and_the_rest_stored(tmp_path, outside):
    absolute = str(tmp_path / "outside.txt")
    manifest = write_manifest(
        outside,
        "good.txt",
        "alias.txt",
        "../outside.txt",
        absolute,
        "~/x.txt",
        "link.txt",
        "/dev/zero",
        "sub",
    )
    db = tmp_path / "x.db"
    code, out, err = finish(
        child(["--db", str(db), "ingest", "--manifest", str(manifest)], home=tmp_path / "home")
    )
    assert code == 1 and "Traceback" not in err, err
    assert "2 file(s) ingested (2 items), 0 unchanged, 6 failed." in out
    for name in ("../outside.txt", absolute, str(tmp_path / "home" / "x.txt"), "link.txt", "/dev/zero"):
        assert "outside the manifest's folder" in failure_line(out, name), name
    assert "leads to" in failure_line(out, "link.txt")  # the symlink's target is named
    assert "a folder, not a regular file" in failure_line(out, os.sep + "sub")
    assert titles(db) == ["Good page", "Inner page"]


def test_read_manifest_marks_the_rows_it_will_not_read(tmp_path, outside):
    manifest = write_manifest(outside, "good.txt", "../outside.txt", "link.txt")
    rows = read_manifest(manifest)
    assert [bool(r.refused) for r in rows] == [False, True, True]
    assert all(not r.refused for r in read_manifest(manifest, allow_outside=True))


@POSIX
def test_allow_outside_reads_outside_minutes_but_never_a_device(tmp_path, outside):
    manifest = write_manifest(outside, "../outside.txt", "link.txt", "/dev/zero")
    db = tmp_path / "x.db"
    argv = ["--db", str(db), "ingest", "--manifest", str(manifest), "--allow-outside"]
    code, out, err = finish(child(argv))
    assert code == 1 and "Traceback" not in err, err
    assert "2 file(s) ingested (2 items), 0 unchanged, 1 failed." in out
    assert "it is a device, not a regular file" in failure_line(out, "/dev/zero")
    assert titles(db) == ["Outside page", "Second outside page"]


@POSIX
def test_devices_and_fifos_named_on_the_command_line_are_not_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(page("Good page"), encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it to read would wait for a writer for ever
    db = tmp_path / "x.db"
    code, out, err = finish(child(["--db", str(db), "ingest", str(good), "/dev/zero", str(fifo)]))
    assert code == 1 and "Traceback" not in err, err
    assert "1 file(s) ingested (1 items), 0 unchanged, 2 failed." in out
    assert "it is a device, not a regular file" in failure_line(out, "/dev/zero")
    assert "it is a pipe (FIFO), not a regular file" in failure_line(out, "pipe.txt")
    assert titles(db) == ["Good page"]


PASSWD = "".join(
    f"{u}:x:{n}:{n}:{u}:/home/{u}:/bin/bash\n"
    for n, u in enumerate(["root", "daemon", "bin", "sys", "alice"])
)
SHADOW = "root:$6$Zq1$V6dEWRnDkYbVrWXkgjL:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n"
HISTORY = (
    "ls -la\ncd /srv/app\ngit status\nexport API_TOKEN=abc123\nssh root@db1\nsudo systemctl restart app\n"
)
_rng = random.Random(8)
RANDOM = "\n".join(
    " ".join("".join(_rng.choice(string.ascii_letters) for _ in range(_rng.randint(2, 9))) for _ in range(12))
    for _ in range(30)
)
CONFIG = "name: ci\npermissions:\n  actions: read\ndecision: yes\nagreed: true\n"


def test_files_that_hold_no_minutes_are_refused_not_stored(tmp_path, capsys):
    names = {
        "passwd": PASSWD,
        "shadow": SHADOW,
        ".bash_history": HISTORY,
        "noise.txt": RANDOM,
        "ci.yml": CONFIG,
    }
    for name, text in names.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "good.txt").write_text(page("Good page"), encoding="utf-8")
    db = tmp_path / "x.db"
    code, out, err = run(
        capsys, "--db", str(db), "ingest", *(str(tmp_path / n) for n in [*names, "good.txt"])
    )
    assert code == 1
    assert "1 file(s) ingested (1 items), 0 unchanged, 5 failed." in out
    for name in names:
        assert "holds no ModernGov minutes" in failure_line(out, name), name
    assert titles(db) == ["Good page"]
    code, out, _ = run(capsys, "--db", str(db), "ask", "what about root daemon bash", "--json")
    answer = json.loads(out)
    assert answer["found"] is False and answer["citations"] == [] and "/bin/bash" not in out


def test_an_oversized_file_is_refused_with_the_cap_in_the_message(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(page("Big page"))
        fh.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB is written
    db = tmp_path / "x.db"
    code, out, _ = run(capsys, "--db", str(db), "ingest", str(big))
    assert code == 1 and "20 MB" in failure_line(out, "big.txt")
    assert titles(db) == []


def test_the_size_cap_is_an_argument(tmp_path):
    (tmp_path / "a.txt").write_text(page("A page"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(page("B page") + "Members noted the report.\n" * 40, encoding="utf-8")
    db = open_db(tmp_path / "x.db")
    try:
        results = ingest_files(db, [tmp_path / "a.txt", tmp_path / "b.txt"], max_bytes=1000)
    finally:
        db.close()
    assert [r.status for r in results] == ["ingested", "failed"]
    assert "more than the 1,000 bytes a file may hold" in results[1].reason


PAGE_SETS = [SHARED / "corpus", SHARED / "qa" / "pages"]


@pytest.mark.skipif(not all(p.is_dir() for p in PAGE_SETS), reason="../shared is not beside this checkout")
def test_every_real_page_and_the_sample_council_still_ingest(tmp_path):
    pages = [p for folder in PAGE_SETS for p in sorted(folder.glob("*.txt"))]
    assert len(pages) > 50
    db = open_db(tmp_path / "x.db")
    try:
        results = ingest_files(db, pages) + ingest_files(db, manifest=sample_manifest_path())
    finally:
        db.close()
    assert [f"{r.path}: {r.reason}" for r in results if r.status != "ingested"] == []


# --- B: two ingests at once, and a database held by someone else -------------------------------


def many_pages(folder: Path, tag: str, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{tag}{i:03}.txt").write_text(page(f"Item {tag} {i}"), encoding="utf-8")
    return folder


def test_two_ingests_at_once_both_finish_and_store_every_file(tmp_path):
    db = tmp_path / "x.db"
    a, b = many_pages(tmp_path / "a", "a", 200), many_pages(tmp_path / "b", "b", 200)
    procs = [child(["--db", str(db), "ingest", str(folder)]) for folder in (a, b)]
    for proc in procs:
        code, out, err = finish(proc)
        assert code == 0 and "Traceback" not in err, err
        assert "200 file(s) ingested (200 items), 0 unchanged, 0 failed." in out
    assert len(titles(db)) == 400


def test_a_file_that_cannot_get_the_write_lock_is_reported_busy(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    open_db(db_path).close()
    pages = many_pages(tmp_path / "p", "p", 3)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding the lock for the whole ingest
    try:
        code, out, err = run(capsys, "--db", str(db_path), "ingest", str(pages), "--wait", "0.1")
        assert code == 1 and "Traceback" not in err
        assert "0 file(s) ingested (0 items), 0 unchanged, 3 failed." in out
        for n in range(3):
            assert "the database was busy" in failure_line(out, f"p00{n}.txt")
        db = open_db(db_path, busy_timeout=0.1)
        try:
            results = ingest_files(db, [pages])
        finally:
            db.close()
        assert [r.status for r in results] == ["failed"] * 3
        assert all(r.reason.startswith("the database was busy") for r in results)
    finally:
        holder.rollback()
        holder.close()
    code, out, _ = run(capsys, "--db", str(db_path), "ingest", str(pages))
    assert code == 0 and "3 file(s) ingested" in out
