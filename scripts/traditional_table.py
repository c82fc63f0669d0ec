"""Regenerate the ``[traditional]`` table of ``jixiao/io/vocabulary.toml`` from OpenCC's dictionaries.

Every Chinese character of the labels jixiao reads (the vocabulary, the template library, the export
layouts) is converted to Traditional as printed in Taiwan, Hong Kong and by OpenCC's standard table; each
form that differs from the Simplified one is folded back to it.  One character for one, so offsets into
the text still hold.  Run after adding labels: ``.venv/bin/python scripts/traditional_table.py``
(``opencc`` is in the ``dev`` extra; jixiao itself needs only the table it writes).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "jixiao" / "io" / "vocabulary.toml"
LABEL_FILES = (VOCABULARY, ROOT / "jixiao" / "io" / "templates.toml", *sorted((ROOT / "jixiao" / "report" / "layouts").glob("*.toml")))
CONFIGS = ("s2t", "s2tw", "s2hk")
_TABLE = re.compile(r'^(\[traditional\]\n(?:#.*\n)*)from = "[^"]*"\nto = "[^"]*"\n', re.MULTILINE)


def label_characters(files: tuple[Path, ...] = LABEL_FILES) -> set[str]:
    """The Chinese characters of the label files (comments included: they name labels too)."""
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    text = _TABLE.sub("", text)  # not the table itself
    return {c for c in text if "\u4e00" <= c <= "\u9fff"}


def folding(characters: set[str]) -> dict[str, str]:
    """Traditional → Simplified for every character whose OpenCC Traditional forms differ from it."""
    import opencc

    converters = [opencc.OpenCC(config) for config in CONFIGS]
    fold: dict[str, str] = {}
    for simple in sorted(characters):
        for converter in converters:
            for form in converter.convert(simple):
                if form != simple and "\u4e00" <= form <= "\u9fff" and len(form) == 1:
                    fold.setdefault(form, simple)
    return fold


def write(fold: dict[str, str], path: Path = VOCABULARY) -> None:
    text = path.read_text(encoding="utf-8")
    pairs = sorted(fold.items())
    table = f'from = "{"".join(t for t, _ in pairs)}"\nto = "{"".join(s for _, s in pairs)}"\n'
    new, count = _TABLE.subn(lambda m: m.group(1) + table, text)
    if count != 1:
        sys.exit(f"{path}: no [traditional] table found")
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    existing = dict(zip(*(re.search(rf'^{k} = "([^"]*)"', VOCABULARY.read_text(encoding="utf-8"), re.MULTILINE)
                          .group(1) for k in ("from", "to")), strict=True))  # type: ignore[union-attr]
    fold = existing | folding(label_characters())
    write(fold)
    print(f"{VOCABULARY.relative_to(ROOT)}: {len(fold)} characters folded ({len(fold) - len(existing)} new)")
