"""Import accuracy and speed of the text reader on the published-forms corpus, per form and per half.

    PYTHONPATH=. python bench/import_accuracy.py [CORPUS_DIR] [--details] [--ratchet] [--held-out-rows]

For every ``NNN.txt`` with its ``NNN.truth.json``: parse, compare field by field
(:func:`jixiao.io.accuracy.compare`), check that a ``complete: partial`` text is reported
truncated (note ``I01``) and that nothing crashes.  The development half and the held-out half
(``tests/data/split.toml``) are reported separately, each with the confidence's figures: the share
of *undoubted* fields that are right (goal ≥ 99 %) and the share of fields doubted by an import note
(goal ≤ 15 %).  Speed is the parse time per form as a ratio to the baseline of reading and decoding
the same file, measured in the same run.  ``--details`` lists the wrong fields of development forms
only (nobody looks at what goes wrong on a held-out form); the per-form table shows development forms, and
held-out forms only with ``--held-out-rows`` (for the maintainer who checks the ratchet, not for development).

The damage generator (:mod:`jixiao.io.damage`) renders the seed and the development truths in each
extraction shape; per operator the bench prints the share of fields exact, the share right or
doubted (honest: nothing silently wrong) and the share doubted.

``--ratchet`` raises the per-form floors in ``tests/data/import-floors.toml`` to today's figures
(never lowers a floor, never raises the ceiling of silently wrong fields): the test suite then keeps
every form at least this good; likewise the per-operator floors in ``tests/data/damage-floors.toml``.
"""

from __future__ import annotations

import re
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from jixiao.io.accuracy import (
    FieldResult,
    FormMeasure,
    accuracy,
    corpus_texts,
    development_truths,
    doubted_share,
    honest_share,
    measure_damage,
    measure_form,
    measure_template,
    undoubted_precision,
)
from jixiao.io.damage import SHAPES
from jixiao.io.templates import load_templates
from jixiao.io.text import decode, read_text

REPEAT = 5
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FLOORS = DATA / "import-floors.toml"
DAMAGE_FLOORS = DATA / "damage-floors.toml"
TEMPLATE_FLOORS = DATA / "template-floors.toml"
#: The shapes each template of the library is rendered in (the same as tests/io/test_templates.py).
TEMPLATE_SHAPES = ("pipes", "spaces", "glued", "cell_per_line", "one_line", "pipes+header_lost")


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(REPEAT):
        action()
    return (time.perf_counter() - start) / REPEAT


def write_floors(measures: list[FormMeasure]) -> None:
    """Raise each form's floor to today's figure (a ratchet: a floor only goes up)."""
    old = tomllib.loads(FLOORS.read_text(encoding="utf-8")).get("forms", {}) if FLOORS.exists() else {}
    lines = [
        "# Per-form floors of the text importer on the corpus (a ratchet, checked by tests/test_corpus_import.py).",
        "# `bench/import_accuracy.py --ratchet` raises them; lower one only with the reason in the commit message.",
        "# accuracy: share of asserted fields exact (a floor); silent: fields wrong with no import note",
        "# putting them in doubt (a ceiling); refused: the importer refuses the text today;",
        "# truncation: a partial text is reported truncated (I01).",
        "",
        "[forms]",
    ]
    for m in measures:
        floor = max(float(old.get(m.number, {}).get("accuracy", 0)), int(m.accuracy * 100) / 100)
        ceiling = min(int(old.get(m.number, {}).get("silent", m.silently_wrong)), m.silently_wrong)
        entry = [f"accuracy = {floor:.2f}", f"silent = {ceiling}"]
        if m.refused:
            entry.append("refused = true")
        if m.partial:
            entry.append(f"truncation = {'true' if m.truncation_reported else 'false'}")
        lines.append(f'"{m.number}" = {{ {", ".join(entry)} }}')
    FLOORS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _floor(share: float) -> float:
    return int(share * 1000) / 1000


def damage_figures(console: Console) -> dict[str, tuple[float, float, float]]:
    """Per operator: (exact, honest, doubted) shares over the seed and the development truths."""
    truths = development_truths(DATA)
    table = Table(title=f"损坏生成器 — {len(truths)} 张表（种子表 + 开发部分）")
    for column in ("形态", "字段", "正确", "正确或存疑", "存疑"):
        table.add_column(column, justify="right")
    figures = {}
    for name in SHAPES:
        results = measure_damage(truths, name)
        figures[name] = (accuracy(results), honest_share(results), doubted_share(results))
        exact, honest, doubt = figures[name]
        table.add_row(name, str(len(results)), f"{exact:.1%}", f"{honest:.1%}", f"{doubt:.1%}")
    console.print(table)
    return figures


def write_damage_floors(figures: dict[str, tuple[float, float, float]]) -> None:
    """Raise each operator's floors to today's shares (never lower one)."""
    old = tomllib.loads(DAMAGE_FLOORS.read_text(encoding="utf-8")).get("operators", {}) if DAMAGE_FLOORS.exists() else {}
    lines = [
        "# Per-operator floors of the damage generator (a ratchet, checked by tests/io/test_damage.py).",
        "# `bench/import_accuracy.py --ratchet` raises them; lower one only with the reason in the commit message.",
        "# exact: share of fields read right; honest: share right or doubted by an import note (goal 1.0).",
        "",
        "[operators]",
    ]
    for name, (exact, honest, _) in figures.items():
        floor = old.get(name, {})
        key = name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else f'"{name}"'  # TOML's bare-key rule
        lines.append(f"{key} = {{ exact = {max(float(floor.get('exact', 0)), _floor(exact)):.3f}, "
                     f"honest = {max(float(floor.get('honest', 0)), _floor(honest)):.3f} }}")
    DAMAGE_FLOORS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def template_figures(console: Console) -> dict[str, dict[str, tuple[float, float]]]:
    """Per template and shape: (exact, honest) over the seed and the development truths laid out in it."""
    truths = development_truths(DATA)
    table = Table(title=f"表样库 — 每个表样 × 每种形态（{len(truths)} 张表，正确/正确或存疑）")
    table.add_column("表样")
    for shape in TEMPLATE_SHAPES:
        table.add_column(shape, justify="right")
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    for template in load_templates():
        figures[template.id] = {}
        for shape in TEMPLATE_SHAPES:
            results = measure_template(truths, template, shape)
            figures[template.id][shape] = (accuracy(results), honest_share(results))
        table.add_row(template.id, *(f"{e:.1%}/{h:.1%}" for e, h in figures[template.id].values()))
    console.print(table)
    return figures


def write_template_floors(figures: dict[str, dict[str, tuple[float, float]]]) -> None:
    """Raise each template's per-shape floors to today's shares (never lower one)."""
    old = tomllib.loads(TEMPLATE_FLOORS.read_text(encoding="utf-8")).get("templates", {}) \
        if TEMPLATE_FLOORS.exists() else {}
    lines = [
        "# Per-template, per-shape floors of the template library (a ratchet, checked by tests/io/test_templates.py).",
        "# `bench/import_accuracy.py --ratchet` raises them; lower one only with the reason in the commit message.",
        "# exact: share of fields read right; honest: share right or doubted by an import note (goal 1.0).",
    ]
    for template, shapes in figures.items():
        lines += ["", f'[templates."{template}"]']
        for shape, (exact, honest) in shapes.items():
            floor = old.get(template, {}).get(shape, {})
            key = shape if re.fullmatch(r"[A-Za-z0-9_-]+", shape) else f'"{shape}"'
            lines.append(f"{key} = {{ exact = {max(float(floor.get('exact', 0)), _floor(exact)):.3f}, "
                         f"honest = {max(float(floor.get('honest', 0)), _floor(honest)):.3f} }}")
    TEMPLATE_FLOORS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    corpus = Path(next((a for a in argv if not a.startswith("--")), DATA / "corpus"))
    console = Console()
    table = Table(title=f"文本导入准确率 — {corpus.name}")
    for column in ("表", "部分", "字段", "正确", "准确率", "存疑", "静默错", "截断?", "I01", "解析 ms", "解析/读取"):
        table.add_column(column, justify="right")
    measures: list[FormMeasure] = []
    ratios = []
    for path in track(corpus_texts(corpus), description="解析语料", console=console):
        m = measure_form(path, DATA / "split.toml")
        measures.append(m)
        baseline = _timed(lambda p=path: decode(p.read_bytes(), str(p)))
        elapsed = _timed(lambda p=path: _quiet_read(p))
        ratios.append(elapsed / baseline)
        if m.part != "development" and "--held-out-rows" not in argv:
            continue  # the held-out half is reported as a whole: nobody should see what one held-out form does
        table.add_row(
            m.number, "开发" if m.part == "development" else "留出", str(len(m.results)),
            str(sum(r.ok for r in m.results)), "拒绝" if m.refused else f"{m.accuracy:.0%}",
            str(sum(r.doubted for r in m.results)), str(m.silently_wrong), "是" if m.partial else "", "✓" if m.truncation_reported else "",
            f"{elapsed * 1000:.1f}", f"{elapsed / baseline:.0f}×",
        )
        if "--details" in argv and m.part == "development":
            for r in m.results:
                if not r.ok:
                    doubt = "（已存疑）" if r.doubted else ""
                    console.print(f"  [red]{m.number} {r.path}[/]{doubt}: 应为 {r.expected!r}，读到 {r.got!r}")
    console.print(table)
    for part, label in (("development", "开发部分"), ("held-out", "留出部分"), (None, "全部")):
        chosen = [m for m in measures if part is None or m.part == part]
        results: list[FieldResult] = [r for m in chosen for r in m.results]
        ok = sum(r.ok for r in results)
        console.print(
            f"{label}：{len(chosen)} 表，{ok}/{len(results)} 字段正确 = [bold]{accuracy(results):.1%}[/]（按字段）；"
            f"逐表平均 {sum(m.accuracy for m in chosen) / max(1, len(chosen)):.1%}；拒绝 {sum(bool(m.refused) for m in chosen)}"
        )
        undoubted = sum(not r.doubted for r in results)
        console.print(
            f"    置信度：未存疑字段正确率 [bold]{undoubted_precision(results):.1%}[/]（{undoubted} 个未存疑，目标 ≥ 99%）；"
            f"存疑字段占比 [bold]{doubted_share(results):.1%}[/]（目标 ≤ 15%）；"
            f"静默错误 {sum(r.silently_wrong for r in results)} 个"
        )
        groups = silent_groups(results)
        console.print("    静默错误按字段类别：" + "，".join(f"{label} {groups[key]}" for key, label in GROUP_LABELS))
        if fields := silent_fields(results):
            console.print("    静默错误按字段：" + "，".join(f"{path} {n}" for path, n in fields.most_common()))
    unreported = [m.number for m in measures if m.partial and not m.truncation_reported and m.part == "development"]
    hidden = sum(m.partial and not m.truncation_reported and m.part != "development" for m in measures)
    missed = [*unreported, *([f"留出部分 {hidden} 表"] if hidden else [])]
    console.print(f"截断报告：{'全部报告' if not missed else '漏报 ' + ', '.join(missed)}")
    if ratios:
        ratios.sort()
        console.print(f"速度：解析时间 / 读取+解码时间 中位数 {ratios[len(ratios) // 2]:.0f}×，最大 {ratios[-1]:.0f}×")
    figures = damage_figures(console)
    by_template = template_figures(console)
    if "--ratchet" in argv:
        write_floors(measures)
        write_damage_floors(figures)
        write_template_floors(by_template)
        console.print(f"已更新 {FLOORS.relative_to(DATA.parent.parent)}、{DAMAGE_FLOORS.relative_to(DATA.parent.parent)}、"
                      f"{TEMPLATE_FLOORS.relative_to(DATA.parent.parent)}")
    return 0


GROUP_LABELS = (("head", "表头字段"), ("funds", "资金"), ("row", "已读出指标的字段"), ("lost", "未读出的指标"))


def silent_groups(results: list[FieldResult]) -> dict[str, int]:
    """Silent errors by kind of field: header fields, funds, fields of indicators found, indicators not found."""
    groups = dict.fromkeys((key for key, _ in GROUP_LABELS), 0)
    for r in results:
        if r.silently_wrong:
            kind = "lost" if r.path.startswith("indicators") and r.parsed is None else r.path.split("[")[0].split(".")[0]
            groups[{"indicators": "row", "funds": "funds", "lost": "lost"}.get(kind, "head")] += 1
    return groups


_ROW_NUMBER = re.compile(r"\[\d+\]")


def silent_fields(results: list[FieldResult]) -> Counter[str]:
    """Silent errors by field path with the row numbers taken out (``indicators[].weight``), with how the
    field is wrong (``缺失`` nothing read, ``多出`` read where the truth has nothing, ``不同`` another value):
    a count per half, so a held-out failure points at a kind of field without naming a form."""
    fields: Counter[str] = Counter()
    for r in results:
        if r.silently_wrong:
            how = "缺失" if r.got is None else "多出" if r.expected is None else "不同"
            fields[f"{_ROW_NUMBER.sub('[]', r.path)}（{how}）"] += 1
    return fields


def _quiet_read(path: Path) -> object:
    try:
        return read_text(path)
    except Exception:  # a refused text costs its time too
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
