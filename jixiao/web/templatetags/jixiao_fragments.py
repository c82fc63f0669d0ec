"""The live save's panel pieces from :class:`jixiao.web.fragments.Fragments`: the evaluation summary
(``{% evaluation_summary evaluation %}``) and a block's findings sent out of band (``{% block_findings block
findings %}``). Between two saves they mostly read the same, and rendering them again was most of the panel's
template time."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from django import template

from ..engine import Evaluation, FindingView
from ..fragments import Fragments

register = template.Library()

_SUMMARY = Fragments("jixiao/_summary.html")
_BLOCKS = Fragments("jixiao/_block_findings.html")


def _shown(findings: Sequence[FindingView]) -> tuple[Hashable, ...]:
    """What the templates display of findings (their path is not shown)."""
    return tuple((f.code, f.severity, f.location, f.message, f.doubt, f.waived) for f in findings)


@register.simple_tag
def evaluation_summary(evaluation: Evaluation) -> str:
    """Total, grade, figures, counts and the list of findings (``_summary.html``)."""
    e = evaluation
    shown = (str(e.total), e.grade, str(e.total_declared), str(e.execution_rate), str(e.execution_score),
             e.execution_explanation, e.total_explanation, _shown(e.findings))
    return _SUMMARY.render(shown, {"evaluation": e})


@register.simple_tag
def block_findings(block: str, findings: Sequence[FindingView]) -> str:
    """The findings of one block of the page, to replace the page's (``hx-swap-oob``)."""
    return _BLOCKS.render((block, _shown(findings)), {"block": block, "findings": findings, "oob": True})
