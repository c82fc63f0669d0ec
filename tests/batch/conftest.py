"""Fixtures for batch mode: folders of real forms (the seed and the corpus ground truths as canonical JSON)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import simplejson

from jixiao.batch import run_batch
from jixiao.report.dashboard import load_tables

from ..conftest import DATA, EXAMPLES, corpus_truth
from ..test_corpus_import import FLOORS

SEED_JSON = EXAMPLES / "qiannan-2022.json"
#: What ``corpus_folder`` holds: the seed, each corpus form as JSON and as its published text.
FILES = 1 + 2 * len(list((DATA / "corpus").glob("*.truth.json")))
#: Corpus texts the importer refuses today (tests/data/import-floors.toml): batch reports them as errors.
REFUSED = sum(bool(floor.get("refused")) for floor in FLOORS.values())
READ = FILES - REFUSED  # a refused file is an error row and is tried again on the next run


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(simplejson.dumps(data, use_decimal=True, ensure_ascii=False), encoding="utf-8")
    return path


def seed_data() -> dict[str, Any]:
    data: dict[str, Any] = simplejson.loads(SEED_JSON.read_text(encoding="utf-8"), use_decimal=True)
    return data


@pytest.fixture()
def corpus_folder(tmp_path: Path, data_dir: Path) -> Path:
    """The seed, the corpus forms as canonical JSON (from their ground truth), and the corpus texts as published."""
    folder = tmp_path / "forms"
    (folder / "corpus").mkdir(parents=True)
    shutil.copy(SEED_JSON, folder / "seed.json")
    for truth in sorted((data_dir / "corpus").glob("*.truth.json")):
        number = truth.name.split(".")[0]
        write_json(folder / "corpus" / f"{number}.json", corpus_truth(truth))
        shutil.copy(truth.with_name(f"{number}.txt"), folder / "corpus" / f"{number}.txt")
    return folder


Tables = dict[str, list[dict[str, Any]]]


@pytest.fixture()
def batch_run(tmp_path: Path) -> Callable[..., tuple[Any, Tables]]:
    """Run a batch into tmp/out and load the three tables."""

    def run(*paths: Path, out: Path | None = None, **options: Any) -> tuple[Any, Tables]:
        target = out or tmp_path / "out"
        options.setdefault("workers", 1)
        summary = run_batch(list(paths), target, **options)
        return summary, load_tables(target)

    return run
