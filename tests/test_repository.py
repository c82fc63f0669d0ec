"""The repository stands on its own: its test data is complete, split as written, and names no machine."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.io.accuracy import corpus_part
from tests.conftest import DATA, REPO

#: An absolute path of a developer's or CI machine (home, work or temp folders), quoted or bare.
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|Users|tmp/bash_jobs|mnt/data)/[\w.-]")

#: A folder beside the checkout (where the corpus came from): a clone from a public host has nothing there.
BESIDE_THE_CHECKOUT = re.compile(r"\.\./shared/")


#: Folders that are made on the machine, not shipped (virtualenvs, caches, build output).
NOT_SHIPPED = {".git", ".venv", ".hypothesis", "build", "dist", "data", "test-artifacts", "node_modules"}


def tracked_files() -> list[Path]:
    """The files of the source tree (a clone or an unpacked sdist), without what setup and runs leave."""
    return [
        p
        for p in REPO.rglob("*")
        if not NOT_SHIPPED.intersection(p.relative_to(REPO).parts[:1])
        and not any((part.startswith(".") and part.endswith("cache")) or part == "__pycache__" for part in p.parts)
        and not p.name.endswith(".egg-info")
        and ".egg-info" not in str(p)
    ]


def test_no_file_names_a_path_of_a_machine() -> None:
    offenders = []
    for path in tracked_files():
        if path.suffix in {".ttf", ".png", ".pdf", ".xlsx", ".xls", ".docx"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in MACHINE_PATH.finditer(text)]
        offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in BESIDE_THE_CHECKOUT.finditer(text)]
    assert offenders == []


def test_every_corpus_text_has_its_truth_and_metadata() -> None:
    texts = sorted((DATA / "corpus").glob("*.txt"))
    assert len(texts) >= 37
    for text in texts:
        assert text.with_suffix(".truth.json").exists(), text.name
        head = text.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("# source: ") and head[2] in ("# complete: yes", "# complete: partial")
    assert list((DATA / "seed").glob("*.txt"))


def test_the_split_keeps_a_held_out_half_of_the_later_forms() -> None:
    split = DATA / "split.toml"
    parts = {t.stem: corpus_part(t.stem, split) for t in (DATA / "corpus").glob("*.txt")}
    assert all(parts[n] == "development" for n in parts if int(n) <= 38)
    later = [n for n in parts if int(n) > 38]
    held = [n for n in later if parts[n] == "held-out"]
    assert held and len(held) >= len(later) // 2 - 1
    assert corpus_part("043", split) == "held-out" and corpus_part("042", split) == "development"
