"""Finding 19 of the hardening probe: Markdown export wrote user text raw (a remote image, a javascript: link)."""

from __future__ import annotations

from pathlib import Path

from jixiao.audit import evaluate
from jixiao.model import Form
from jixiao.report import markdown
from jixiao.rules import Profile


def test_user_text_cannot_become_markdown_syntax(seed_form: Form, national: Profile, tmp_path: Path) -> None:
    seed_form.indicators[0].reason = "![t](http://evil.example/p.png) [点我](javascript:alert(1)) *强调* `代码`"
    seed_form.conclusion = "# 标题 [x](http://a)"
    card, findings = evaluate(seed_form, national)
    text = markdown.write(seed_form, card, findings, tmp_path / "r.md").read_text(encoding="utf-8")
    assert "![t](" not in text and "](javascript:" not in text and "](http://a)" not in text
    assert r"\!\[t\]\(http://evil.example/p.png\)" in text  # still readable as written
    assert "\n# 标题" not in text
