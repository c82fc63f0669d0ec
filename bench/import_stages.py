"""How far the text importer gets, counted over each half of the corpus as a whole (导入阶段统计).

``bench/import_accuracy.py`` says how many fields come back right; this says where the texts go: how
many have an indicator header found on a line, how many each repair stage rewrites, how many are read
with no indicator row, how many truth rows are found by name, which import notes they get, and for texts
whose header was found but no row read, why each line after the header gave no row (``zero_rows_reject:``).  Every
figure is a count over a half (development, held-out), never a form's: the held-out half guides the
next general mechanism without anyone looking at a held-out form.

Run: ``.venv/bin/python bench/import_stages.py [--quick] [corpus-dir]`` (``scripts/test.sh`` runs it with ``--quick``).
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jixiao.errors import InputError
from jixiao.io.accuracy import compare, corpus_part, corpus_texts, match_indicators
from jixiao.io.damage import tables
from jixiao.io.text import decode, read_text
from jixiao.io.textfunds import START_LABELS, TOTAL_LABELS, header_places, headings
from jixiao.io.textglued import is_glued
from jixiao.io.textlabels import TABLE_END, Column, head_cell, is_level, key
from jixiao.io.textorder import header_of, name_head
from jixiao.io.textrepair import STAGES, repair
from jixiao.io.textrows import NUMERIC_COLUMNS, TEXT_COLUMNS, find_header
from jixiao.io.textscan import Token, is_number, is_value, labels_re, tokenize
from jixiao.io.vocabulary import vocabulary
from jixiao.model import Form

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
ONE_LINE_SHARE = 0.5  # a text whose longest line holds this share of its characters is "on one line"


def _extra_kind(longer: str, name: str, names: list[str]) -> str:
    """What a parsed name holds beyond the truth name inside it, and on which side."""
    before, _, after = longer.partition(name)
    side = "before" if before and not after else "after" if after and not before else "both"
    extra = before + after
    if any(m and m != name and m in extra for m in names):
        return f"{side}:another_name"
    if is_level(key(extra)) or any(is_level(key(extra[:n])) for n in range(2, len(extra) + 1)):
        return f"{side}:a_level_label"
    if re.search(r"\d", extra):
        return f"{side}:figures"
    return f"{side}:other_text({len(extra)}字)"


def _figures(value: object) -> set[str]:
    """The digit runs a printed value shows (``≥15人`` → {"15"}), to look for on a line."""
    return set(re.findall(r"\d+(?:\.\d+)?", str(value))) if value is not None else set()


def _line_shapes(name: str, row: dict[str, object], raw: list[str], names: list[str]) -> list[str]:
    """The shape of the lines around a truth row that was not found: how many names share its line, how the
    line's cells are separated, and where the row's own figures stand (its line, the next lines, nowhere)."""
    at = next((n for n, line in enumerate(raw) if name in line), None)
    if at is None:
        return ["name_broken_over_lines"]
    line = raw[at]
    sharing = sum(m in line for m in names if m)
    shapes = [f"names_on_its_line:{sharing if sharing < 4 else '4+'}"]
    shapes.append("cells:pipes" if "|" in line else "cells:wide_spaces" if re.search(r"\S {2,}\S|\t", line)
                  else "cells:single_spaces" if " " in line.strip() else "cells:none")
    own = _figures(row.get("weight")) | _figures(row.get("score_declared"))
    after = " ".join(raw[at + 1 : at + 4])
    numbers = set(re.findall(r"\d+(?:\.\d+)?", line))
    shapes.append("figures:on_its_line" if own and own <= numbers else
                  "figures:on_the_next_lines" if own and own <= set(re.findall(r"\d+(?:\.\d+)?", after)) else
                  "figures:partly_or_elsewhere" if own else "figures:none_in_truth")
    shapes.append(f"name_starts_line:{line.lstrip(' |').startswith(name)}")
    return shapes


def _line_reason(line: list[Token], columns: list[str], numeric: list[int]) -> str:
    """Why a line after the indicator header gave no row, by its shape against the header's columns: too few
    or too many cells, a figure missing where the header has a 分值/得分 column, no figure at all, only labels."""
    words = [t for t in line if t.key]
    if not words:
        return "blank"
    if all(is_level(t.key) or head_cell(t.text) is not None for t in words):
        return "labels_or_header_words_only"
    if not any(is_number(t.text) or is_value(t.text) for t in words):
        return "no_value"
    if any(t.cell for t in line):
        cells = [t for t in line if t.cell]
        if len(cells) < len(columns):
            return f"cells:fewer_than_header({len(columns) - len(cells)}_less)"
        if len(cells) > len(columns) + 1:  # the trailing border's empty cell is not one more
            return "cells:more_than_header"
        if any(n < len(cells) and not is_number(cells[n].text) for n in numeric):
            return "cells:no_figure_under_a_figure_column"
        return "cells:fit_the_header"
    if sum(is_number(t.text) for t in words) < len(numeric):
        return "words:fewer_figures_than_figure_columns"
    values = sum(is_number(t.text) or is_value(t.text) for t in words)
    kept = len([c for c in columns if c not in {t.value for t in TEXT_COLUMNS} and c != "三级指标"])
    return f"words:{'fewer' if values < kept else 'as_many' if values == kept else 'more'}_values_than_value_columns"


def zero_row_reasons(lines: list[tuple[int, str]], place: str) -> Counter[str]:
    """For a text read with no indicator row: the header the row reader finds (none, or its columns), then per
    line between it and the table's end why no row was read there (:func:`_line_reason`)."""
    tokens = tokenize(repair(lines, place).lines)
    header = find_header(tokens)
    if header is None:
        return Counter({"zero_rows_reject:no_header_in_tokens": 1})
    columns, first, end = header
    kept = [c.value for c in columns if c not in TEXT_COLUMNS and c is not Column.NAME]
    numeric = [n for n, c in enumerate(c for c in columns if c not in TEXT_COLUMNS) if c in NUMERIC_COLUMNS]
    reasons: Counter[str] = Counter({f"zero_rows_reject:header_value_columns:{len(kept)}": 1,
                                     f"zero_rows_reject:header_in_{'cells' if tokens[first].cell else 'words'}": 1})
    by_line: dict[int, list[Token]] = {}
    for token in tokens[end:]:
        if token.key and TABLE_END.match(token.key):
            break
        by_line.setdefault(token.line, []).append(token)
    if not by_line:
        reasons["zero_rows_reject:nothing_after_the_header"] += 1
        # what stops it: a table-end word right after the header, or the text's end (the header's cells ran to it)
        reasons[f"zero_rows_reject:nothing_after:{'text_end' if end >= len(tokens) else 'table_end_word'}"] += 1
        header_tokens = tokens[first:end]
        reasons[f"zero_rows_reject:nothing_after:header_cells:{min(len(header_tokens), 20)}"] += 1
        reasons[f"zero_rows_reject:nothing_after:header_lines:{len({t.line for t in header_tokens})}"] += 1
        figures_before = sum(is_number(t.text) or is_value(t.text) for t in tokens[:first])
        reasons[f"zero_rows_reject:nothing_after:figs_before:{min(figures_before // 10 * 10, 100)}+"] += 1
    for line in by_line.values():
        reasons[f"zero_rows_reject:line:{_line_reason(line, [c.value for c in columns], numeric)}"] += 1
    return reasons


def text_counts(path: Path) -> Counter[str]:
    """What one text shows on its way through the importer, as counters to add up over a half."""
    counts: Counter[str] = Counter(texts=1)
    text, _ = decode(path.read_bytes(), str(path))
    lines = list(enumerate(text.splitlines(), start=1))  # the corpus's metadata lines too: no stage takes them
    longest = max((len(t) for _, t in lines), default=0)
    counts["one_line"] += longest >= ONE_LINE_SHARE * max(1, sum(len(t) for _, t in lines))
    counts["pipes"] += any("|" in t for _, t in lines)
    counts["name_head"] += any(name_head(t.split()) is not None for _, t in lines)
    counts["header_plan"] += any(header_of(t.split()) is not None for _, t in lines)
    for name, stage in STAGES:
        done = stage(lines, str(path))
        counts[f"stage:{name}"] += done.lines != lines
        lines = done.lines
    counts["head_cell"] += any(head_cell(w) is not None for _, t in lines for w in t.replace("|", " ").split())
    if not counts["head_cell"]:
        words = [w for _, t in lines for w in t.replace("|", " ").split()]
        counts["no_head_cell:level_label"] += any(is_level(key(w)) for w in words)
        counts["no_head_cell:traditional"] += any(c in text for c, _ in tables()["traditional"].values())
        counts["no_head_cell:word_指标"] += "指标" in text
        counts["no_head_cell:word_分值_or_权重"] += "分值" in text or "权重" in text
        counts["no_head_cell:word_得分"] += "得分" in text
        counts["no_head_cell:lines>20"] += len(lines) > 20
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    expected = truth.get("indicators") or []
    counts["truth_rows"] += len(expected)
    flat = [re.sub(r"\s|\|", "", t) for _, t in lines]
    names = [re.sub(r"\s", "", str(row.get("name") or "")) for row in expected]
    counts["truth_names_in_a_line"] += sum(any(n in line for line in flat) for n in names if n)
    counts["truth_names_in_text"] += sum(n in "".join(flat) for n in names if n)
    raw = [t for _, t in lines]
    counts["truth_names_unbroken"] += sum(any(n in line for line in raw) for n in names if n)
    holders = [[line for line in flat if n in line] for n in names if n]
    counts["truth_rows_a_line_each"] += sum(
        len(held) == 1 and sum(m in held[0] for m in names if m) == 1 for held in holders)
    try:
        form, notes = read_text(path)
    except InputError:
        counts["refused"] += 1
        return counts
    counts["rows_read"] += len(form.indicators)
    counts["zero_rows"] += not form.indicators
    if not form.indicators:
        counts["zero_rows_no_head_cell"] += not counts["head_cell"]
        counts["zero_rows_pipes"] += counts["pipes"]
        counts["zero_rows_one_line"] += counts["one_line"]
        counts["zero_rows_name_head"] += counts["name_head"]
        counts["zero_rows_header_plan"] += counts["header_plan"]
        counts["zero_rows_markdown_rule"] += any(re.fullmatch(r"[\s|:\-]*-{3,}[\s|:\-]*", t) for t in raw)
        counts["zero_rows_truth_names_in_pipe_lines"] += sum(
            any(n in line and "|" in line for line in raw) for n in names if n)
        counts["zero_rows_truth_rows"] += len(names)
        counts["zero_rows_text_partial"] += "# complete: partial" in text  # the corpus's own metadata line
        if counts["name_head"] or counts["header_plan"]:
            counts.update(zero_row_reasons(list(enumerate(text.splitlines(), start=1)), str(path)))
    matched = match_indicators(form, expected)
    counts["truth_rows_found"] += len(matched)
    reader = _reader_of(lines)
    read = [re.sub(r"\s", "", i.name) for n, i in enumerate(form.indicators) if n not in matched.values()]
    for index, name in enumerate(names):
        if index in matched or not name:
            continue
        held = [line for line in raw if name in line]
        counts["missing:in_a_pipe_line"] += any("|" in line for line in held)
        counts[f"missing:reader:{reader}"] += 1
        counts["missing:in_a_text_with_pipes"] += counts["pipes"]
        counts["missing:on_the_header_line"] += any(name_head(line.split()) is not None for line in held)
        counts["missing:in_a_text_without_name_head"] += not counts["name_head"]
        counts["missing:on_a_line_with_other_names"] += any(sum(m in line for m in names if m) > 1 for line in held)
        counts["missing:read_as_part_of_it"] += any(r and r != name and r in name for r in read)
        counts.update(f"missing:{shape}" for shape in _line_shapes(name, expected[index], raw, names))
        for longer in (r for r in read if name in r and r != name):
            counts["missing:read_within_a_longer_name"] += 1
            counts[f"longer:{_extra_kind(longer, name, names)}"] += 1
            inside = sum(m in longer for m in names if m)
            counts[f"longer:holds_{inside if inside < 3 else '3+'}_truth_names"] += 1
    for code in {n.code for n in notes}:
        counts[f"note:{code}"] += 1
    return counts + funds_counts(text, truth, form)


def _reader_of(lines: list[tuple[int, str]]) -> str:
    """Which reader the text's indicator table goes to: found header (glued or not), or none (the plans)."""
    tokens = tokenize(lines)
    header = "header" if find_header(tokens) is not None else "no_header"
    return f"{header}+{'glued' if is_glued(tokens) else 'cells'}"


def _printed(value: object) -> str | None:
    """A truth amount as a text prints it (``9.48``, ``880``), None when not asserted."""
    return None if value is None else str(value).removesuffix(".0")


def funds_counts(text: str, truth: dict[str, object], form: Form) -> Counter[str]:
    """For a form whose funds fields are read wrong: which fields, and what its funds block shows (``funds:``)."""
    counts: Counter[str] = Counter()
    wrong = [r.path.removeprefix("funds.") for r in compare(form, truth) if r.path.startswith("funds.") and not r.ok]
    if not wrong:
        return counts
    counts["funds:forms_wrong"] += 1
    for field in wrong:
        counts[f"funds:wrong:{field}"] += 1
    flat = re.sub(r"\s|\|", "", text)
    counts["funds:has_total_label"] += bool(re.search(labels_re(TOTAL_LABELS), flat))
    counts["funds:has_start_label"] += bool(re.search(labels_re(START_LABELS), flat))
    after_start, dense = header_places(text)
    counts["funds:headings_after_start_label"] += after_start
    counts["funds:dense_headings"] += dense
    heads = headings(text)
    counts[f"funds:heading_kinds_in_text:{len({kind for kind, *_ in heads})}"] += 1
    counts["funds:heading_followed_by_a_figure"] += sum(
        bool(re.match(r"[\s|:：(（)）%万元]*\d", text[end:])) for *_, end in heads) >= 2
    gaps = sorted(b[1] - a[2] for a, b in itertools.pairwise(heads))
    median = gaps[len(gaps) // 2] if gaps else None
    bucket = "none" if median is None else "<=12" if median <= 12 else "<=40" if median <= 40 else "40+"
    counts[f"funds:heading_gap_median:{bucket}"] += 1
    counts["funds:labels_block_words"] += any(w in flat for ws in vocabulary()["funds_labels"].values() for w in ws)
    funds = truth.get("funds") or {}
    total = ((funds.get("rows") or [{}]) if isinstance(funds, dict) else [{}])[0]
    budget = _printed(total.get("budget")) if isinstance(total, dict) else None
    if budget is None:
        counts["funds:budget_not_asserted"] += 1
        return counts
    at = flat.find(budget)
    counts[f"funds:budget_printed:{at >= 0}"] += 1
    if at >= 0:
        counts["funds:budget_glued_to_digits"] += bool(re.search(rf"\d{re.escape(budget)}|{re.escape(budget)}\d", flat))
        start = re.search(labels_re(START_LABELS), flat)
        if start:
            gap = at - start.end()
            counts[f"funds:budget_after_start_label:{'before' if gap < 0 else '<60' if gap < 60 else '<200' if gap < 200 else '200+'}"] += 1
        counts["funds:budget_in_yuan_or_wan_suffix"] += bool(re.match(r"(万元|元|万)", flat[at + len(budget):]))
    return counts


def main(argv: list[str]) -> int:
    paths = [a for a in argv if a != "--quick"]  # "--quick": the same counts (they take a second or two)
    corpus = Path(paths[0]) if paths else DATA / "corpus"
    halves: dict[str, Counter[str]] = {"development": Counter(), "held-out": Counter()}
    for path in corpus_texts(corpus):
        halves[corpus_part(path.stem, DATA / "split.toml")] += text_counts(path)
    table = Table(title=f"导入阶段统计（按半数汇总，不列单表）— {corpus.name}")
    table.add_column("计数")
    for part in halves:
        table.add_column("开发部分" if part == "development" else "留出部分", justify="right")
    for count in sorted(set().union(*halves.values()), key=lambda k: (":" in k, k)):
        table.add_row(count, *(str(halves[part][count]) for part in halves))
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
