"""Full disks and read-only folders, on real file systems.

Each case runs ``corpus`` as a subprocess inside a user and mount namespace
(``unshare -Urm``) with the index on a small tmpfs, so the kernel itself says
ENOSPC or EROFS: nothing of the file system is mocked.
"""

from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WORDS = ["rapina", "Modena", "carabinieri", "furto", "sindaco", "scuola", "neve", "treno"]


def _namespaces() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-Urm",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp",
        ],
        capture_output=True,
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _namespaces(), reason="no user namespaces here")


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("disk") / "articles"
    folder.mkdir()
    rng = random.Random(28)
    for i in range(900):
        body = " ".join(f"{rng.choice(WORDS)}{rng.randrange(3000)}" for _ in range(250))
        (folder / f"a{i:04d}.txt").write_text(
            f"date: 2023-{i % 12 + 1:02d}-01\n\nArticolo {i}\n{body}\n", encoding="utf-8"
        )
    return folder


def in_namespace(mount: Path, script: str) -> str:
    """Run ``script`` (sh) with a 2 MB tmpfs on ``mount``; its stdout and stderr."""
    corpus = f"{shlex.quote(sys.executable)} -m corpus_cli"
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_INDEX", "FORCE_COLOR")}
    env.update(NO_COLOR="1", COLUMNS="400")
    mount.mkdir(exist_ok=True)
    full = f"mount -t tmpfs -o size=2m tmpfs {mount} && C='{corpus}' && {script}"
    done = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", full],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    return done.stdout


def segments_named(toc_listing: str) -> bool:
    """Every segment file in the listing belongs to a segment with a checksum record."""
    names = toc_listing.split()
    owned = {
        n.removeprefix("sources-").removesuffix(".json") for n in names if n.startswith("sources-")
    }
    files = [n for n in names if re.match(r"corpus_[0-9a-z]+\.", n)]
    return all(n.split(".", 1)[0] in owned for n in files) and not any(".toc." in n for n in names)


def test_a_full_disk_during_ingest_and_optimize(tmp_path: Path, articles: Path) -> None:
    ix = tmp_path / "mnt" / "ix"
    out = in_namespace(
        tmp_path / "mnt",
        f"$C --index {ix} ingest {articles}; echo rc=$?; ls {ix}; echo ===; "
        f"$C --index {ix} check; echo rc=$?; "
        f"mount -o remount,size=40m {tmp_path / 'mnt'} && $C --index {ix} ingest {articles}; "
        f"echo rc=$?; $C --index {ix} search --count articolo; "
        # Room for the index but not for a merge of it.
        f"used=$(du -sk {ix} | cut -f1); "
        f"mount -o remount,size=$((used + 100))k {tmp_path / 'mnt'}; "
        f"$C --index {ix} optimize; echo rc=$?; ls {ix}; echo ===; "
        f"$C --index {ix} check; echo rc=$?; $C --index {ix} search --count articolo; "
        f"mount -o remount,size=80m {tmp_path / 'mnt'}; $C --index {ix} optimize; echo rc=$?",
    )
    assert "Traceback" not in out and "unexpected" not in out, out
    first, after_ingest, rest = out.split("===", 2)[0], out.split("===")[1], out.split("===")[2]
    assert "No space left on the disk of" in first and "MB more are needed" in first, out
    assert first.count("rc=1") == 1
    assert segments_named(first.split("rc=1", 1)[1])
    assert "No damage found" in after_ingest
    assert "rc=0" in after_ingest  # the next ingest, with room, completed
    counts = re.findall(r"^(\d+)$", out, re.MULTILINE)
    assert counts and counts[0] == "900", out
    assert "No space left" in after_ingest.split("900", 1)[1], out
    assert segments_named(after_ingest.split("900", 1)[1])
    assert "No damage found" in rest and counts[-1] == "900" and rest.rstrip().endswith("rc=0"), out


def test_a_read_only_folder(tmp_path: Path, articles: Path) -> None:
    mnt = tmp_path / "mnt"
    ix = mnt / "ix"
    small = tmp_path / "small"
    small.mkdir()
    for path in sorted(articles.iterdir())[:5]:
        shutil.copy(path, small)
    out = in_namespace(
        mnt,
        f"$C --index {ix} ingest {small}; mount -o remount,ro {mnt}; "
        f"$C --index {ix} ingest {articles}; echo rc=$?; $C --index {ix} search --count articolo; "
        f"mount -o remount,rw,size=80m {mnt}; $C --index {ix} ingest {articles}; echo rc=$?",
    )
    assert "Traceback" not in out and "unexpected" not in out, out
    assert "is on a read-only file system" in out and "rc=1" in out, out
    assert re.search(r"^5$", out, re.MULTILINE), out
    # Writable again, the next run completes.
    assert "895 added" in out and out.rstrip().endswith("rc=0"), out
