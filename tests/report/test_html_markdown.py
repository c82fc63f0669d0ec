"""The readable report: self-contained, escaped, with the score tree, grade, rate, findings and chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from jixiao.audit import Finding
from jixiao.model import Form
from jixiao.report import html, markdown
from jixiao.scoring import Scorecard

Scored = tuple[Form, Scorecard, list[Finding]]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class _Tags(HTMLParser):
    """Collects tags and attributes, to prove what the browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(document: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(document)
    return parser.tags


def test_html_is_self_contained_and_has_no_script(seed_scored: Scored, tmp_path: Path) -> None:
    form, card, findings = seed_scored
    form.indicators[9].reason = HOSTILE
    document = html.write(form, card, findings, tmp_path / "r.html").read_text(encoding="utf-8")
    found = tags(document)
    assert not [t for t, _ in found if t in ("script", "img", "link", "iframe")]
    assert not [
        a for _, attrs in found for k, a in attrs.items() if k.startswith("on") or k in ("src", "href")
    ]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in document
    outside = document.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in outside and "https://" not in outside  # nothing fetched from the network


def test_html_shows_score_tree_grade_rate_and_findings(seed_scored: Scored, tmp_path: Path) -> None:
    form, card, findings = seed_scored
    document = html.write(form, card, findings, tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"<b>{card.total:f}</b>" in document and f"<b>{card.grade}</b>" in document
    assert "99.45%" in document  # computed execution rate 3967.29/3989.07
    for item in card.indicators:
        assert item.explanation.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in document
    # declared 0.5 vs computed 0.92 for 开展项目个数: the row is flagged
    row = re.search(r'<tr class="flag"><td>数量</td><td>开展项目个数</td>.*?</tr>', document)
    assert row and ">0.5<" in row.group(0) and f">{card.indicators[9].score:f}<" in row.group(0)
    for severity, label in (("error", "错误"), ("warning", "警告"), ("info", "提示")):
        count = sum(1 for f in findings if f.severity == severity)
        assert f'<section class="sev-{severity}"><h3>{label}（{count} 条）</h3>' in document
    for finding in findings:
        assert f'<span class="code">{finding.code}</span>' in document
    assert document.index('class="sev-error"') < document.index('class="sev-warning"')


def test_html_chart_compares_declared_and_computed_blocks(seed_scored: Scored, tmp_path: Path) -> None:
    form, card, findings = seed_scored
    document = html.write(form, card, findings, tmp_path / "r.html").read_text(encoding="utf-8")
    svg = re.search(r"<svg.*?</svg>", document, re.S)
    assert svg is not None
    root = ET.fromstring(svg.group(0))
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    produced = card.blocks[0]
    assert f"{produced.level1} 复核: {float(produced.score):g}" in titles
    assert f"{produced.level1} 申报: {float(produced.declared or 0):g}" in titles


def test_markdown_has_the_same_content_escaped(seed_scored: Scored, tmp_path: Path) -> None:
    form, card, findings = seed_scored
    form.indicators[9].reason = "a|b\n" + HOSTILE
    text = markdown.write(form, card, findings, tmp_path / "r.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "a\\|b<br>&lt;script&gt;" in text
    assert f"| 复核总分 | {card.total:f} |" in text and f"| 等级 | {card.grade} |" in text
    assert "⚠ 数量 | 开展项目个数" in text
    for finding in findings:
        assert f"`{finding.code}`" in text
    header = next(line for line in text.splitlines() if line.startswith("| 二级指标"))
    columns = header.count("|")
    table_rows = [line for line in text.splitlines() if "| 开展项目个数 |" in line]
    assert table_rows and all(line.count("|") - line.count("\\|") == columns for line in table_rows)


def test_report_without_scorecard_shows_declared_only(seed_form: Form, tmp_path: Path) -> None:
    document = html.write(seed_form, None, [], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "复核总分" not in document and "未发现问题" in document
    assert "<b>97.5</b>" in document
