"""A 2 GiB file that is one single line fails early with a clear error and bounded memory, leaving nothing."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

SIZE = 2 << 30  # 2 GiB, sparse after the first 16 MiB of text
RSS_LIMIT_KB = 600 * 1024

SCRIPT = """
import sys
from pathlib import Path
from yaosu.errors import Invalid
from yaosu.ids import new_id
from yaosu.node.readers import open_source
from yaosu.node.vault import Vault

vault = Vault.for_data_dir(Path(sys.argv[1]))
try:
    vault.write(new_id(), open_source(sys.argv[2]))
except Invalid as exc:
    print(exc.code)
    sys.exit(3)
sys.exit(0)
"""


def _single_line_file(path: Path, head: bytes) -> Path:
    with path.open("wb") as fh:
        fh.write(head + b"x" * (16 << 20))
        fh.truncate(SIZE)
    return path


@pytest.mark.parametrize(("name", "head"), [("huge.csv", b""), ("huge.tsv", b"a\tb\n1\t2\n"),
                                            ("huge.jsonl", b'{"a": "')])
def test_two_gib_single_line_fails_fast_with_bounded_rss(name: str, head: bytes, tmp_path: Path) -> None:
    path = _single_line_file(tmp_path / name, head)
    assert path.stat().st_size == SIZE
    node = tmp_path / "node"
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(node), str(path)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 3, done.stderr
    assert done.stdout.strip() == "row_too_long"
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < RSS_LIMIT_KB, f"peak RSS {peak_kb / 1024:.0f} MiB"
    assert not any(p.is_file() for p in (node / "vault").rglob("*"))
