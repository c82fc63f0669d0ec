"""Golden cases one situation each (OpenFisca style): every ``tests/rules/*.yaml`` case is a pytest item.

A file names a profile (or ``every``); each case has a ``name`` that reads like a footnote of the form, where it
comes from, one indicator (or one funds block) as written on the form, and what must come out:
the score, the method and a phrase of the explanation (and the 折算得分 where a row has a 权重占比). ``last_year`` gives last year's actual of
the same indicator (relative targets).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.model import Form
from jixiao.rules import list_profiles, load_profile
from jixiao.scoring import score


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent.name == "rules":
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A file of cases under one profile, or (``profile: every``) under every shipped profile: then ``score``
    and ``explains`` may be a mapping of profile id to value, with ``other`` for the rest."""

    def collect(self) -> Any:
        data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        profiles = [p.id for p in list_profiles()] if data["profile"] == "every" else [data["profile"]]
        for case in data["cases"]:
            for profile in [case["profile"]] if "profile" in case else profiles:
                spec = {key: _for(value, profile) for key, value in case.items()}
                name = f"{case['name']} [{profile}]"
                yield Case.from_parent(self, name=name, spec=spec, profile=profile)


def _for(value: Any, profile: str) -> Any:
    """A per-profile value (``{national: 1.67, other: 1.72}``) for one profile; plain values stand for all."""
    if isinstance(value, dict) and "other" in value:
        return value.get(profile, value["other"])
    return value


def _form(spec: dict[str, Any], year: int = 2022) -> Form:
    data: dict[str, Any] = {"kind": spec.get("kind", "project"), "year": spec.get("year", year), "indicators": []}
    if "indicator" in spec:
        ind = dict(spec["indicator"])
        ind.setdefault("level1", "产出指标")
        ind.setdefault("level2", "数量指标")
        ind["score_declared"] = ind.pop("declared", None)
        ind["score_converted"] = ind.pop("declared_converted", None)
        data["indicators"] = [ind]
    if "funds" in spec:
        funds = spec["funds"]
        data["funds"] = {"weight": funds.get("weight"), "rate_declared": funds.get("rate"),
                         "score_declared": funds.get("declared"),
                         "rows": [{"label": r[0], "initial": r[1], "budget": r[2], "executed": r[3]}
                                  for r in funds.get("rows", [])]}
    return Form.model_validate(data)


class Case(pytest.Item):
    def __init__(self, *, spec: dict[str, Any], profile: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec, self.profile = spec, profile

    def runtest(self) -> None:
        spec = self.spec
        form = _form(spec)
        previous = None
        if "last_year" in spec:
            previous = _form({"indicator": {**spec["indicator"], "actual": spec["last_year"]}}, year=2021)
        card = score(form, load_profile(self.profile), previous)
        if "indicator" in spec:
            item = card.indicators[0]
            result, method, explanation = item.score, item.method, item.explanation
        else:
            execution = card.execution
            result, explanation = execution.score, execution.explanation
            method = "printed" if execution.printed else ("execution" if execution.rate is not None else "declared")
        assert result == Decimal(str(spec["score"])), f"得分 {result}，应为 {spec['score']}：{explanation}"
        assert method == spec["method"], f"方法 {method}，应为 {spec['method']}：{explanation}"
        assert spec["explains"] in explanation, f"说明中没有“{spec['explains']}”：{explanation}"
        if "converted" in spec:  # 折算得分 (河北 双权重表); null: the score is not folded
            expected = None if spec["converted"] is None else Decimal(str(spec["converted"]))
            assert card.indicators[0].converted == expected, f"折算得分 {card.indicators[0].converted}：{explanation}"

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return f"{self.path.name} / {self.name}（规则 {self.profile}）：{excinfo.value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.profile}: {self.name}"
