"""Bring the repository's copy of the real-form corpus and the seed in step with a shared folder.

    python scripts/sync_corpus.py PATH/TO/shared      # copies corpus/ and seed/ into tests/data/

The repository owns its test data: tests, benchmarks and the demo read only ``tests/data`` and the
package.  Run this when new forms appear in the shared folder; it adds new files, updates changed ones,
reports files that exist only in the repository, and never edits a text.
"""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def sync(shared: Path) -> list[str]:
    """Copy ``shared/corpus`` and ``shared/seed`` into ``tests/data``; return what changed."""
    changes = []
    for part in ("corpus", "seed"):
        source, target = shared / part, DATA / part
        if not source.is_dir():
            raise SystemExit(f"没有找到 {source}")
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(source.iterdir()):
            copy = target / path.name
            if path.is_file() and not (copy.exists() and filecmp.cmp(path, copy, shallow=False)):
                changes.append(f"{'更新' if copy.exists() else '新增'} {part}/{path.name}")
                shutil.copyfile(path, copy)
        for copy in sorted(target.iterdir()):
            if not (source / copy.name).exists():
                changes.append(f"仅在仓库中 {part}/{copy.name}")
    return changes


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for line in sync(Path(sys.argv[1])) or ["语料已同步，无变化"]:
        print(line)
