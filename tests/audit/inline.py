"""A form written inline, one line per field, as a reviewer would describe it (beancount's tiny ledgers).

    年度: 2022
    资金: 年度资金总额 | 100 | 100 | 100          (label | 年初预算数 | 全年预算数 | 全年执行数; one line per row)
    资金分值: 10 / 执行率: 100% / 执行率得分: 10
    指标: 产出指标 | 数量指标 | 培训人次 | ≥100人次 | 90人次 | 50 | 45 | 原因
    折算: 培训人次 | 100 | 45                    (河北 双权重表: 名称 | 权重占比 | 折算得分)
    总分: 95

:func:`variant` takes a base form text and lines that replace the base's line with the same key (an 指标
line: with the same name), add a line the base does not have, or, written ``- 指标: 名称``, remove one
(``- 指标: *`` removes every indicator).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.model import Form


def _amount(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def _key(line: str) -> tuple[str, str]:
    key, _, value = line.partition(":")
    key = key.strip()
    if key in ("指标", "折算"):  # one line per indicator, named in its 3rd / 1st cell
        return key, value.split("|")[2 if key == "指标" else 0].strip()
    return key, ""


def variant(base: str, *changes: str) -> str:
    """``base`` with ``changes`` applied line by line (see the module docstring)."""
    lines = [line.strip() for line in base.strip().splitlines() if line.strip()]
    for change in changes:
        change = change.strip()
        if change.startswith("- "):
            key, _, name = (part.strip() for part in change[2:].partition(":"))
            lines = [line for line in lines
                     if not (_key(line)[0] == key and (key != "指标" or name in ("*", _key(line)[1])))]
            continue
        key = _key(change)
        if key[0] == "资金":  # a funds line replaces the row of the same label
            label = change.partition(":")[2].split("|")[0].strip()
            same = [i for i, line in enumerate(lines)
                    if _key(line)[0] == "资金" and line.partition(":")[2].split("|")[0].strip() == label]
        else:
            same = [i for i, line in enumerate(lines) if _key(line) == key]
        if same:
            lines[same[0]] = change
        else:
            lines.append(change)
    return "\n".join(lines)


def form(text: str) -> Form:
    """The form an inline text describes."""
    data: dict[str, Any] = {"kind": "project", "indicators": [], "funds": {"rows": []}, "goals": {},
                            "contact": {}}
    for line in text.strip().splitlines():
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if key == "年度":
            data["year"] = int(value)
        elif key == "单位":
            data["unit"] = value
        elif key == "联系人":
            name, _, phone = value.partition("/")
            data["contact"] = {"name": name.strip() or None, "phone": phone.strip() or None}
        elif key == "资金":
            label, initial, budget, executed = (p.strip() for p in value.split("|"))
            data["funds"]["rows"].append({"label": label, "initial": _amount(initial), "budget": _amount(budget),
                                          "executed": _amount(executed)})
        elif key == "资金分值":
            data["funds"]["weight"] = _amount(value)
        elif key == "执行率":
            data["funds"]["rate_declared"] = value
        elif key == "执行率得分":
            data["funds"]["score_declared"] = _amount(value)
        elif key == "预期目标":
            data["goals"]["expected"] = value
        elif key == "实际完成":
            data["goals"]["actual"] = value
        elif key == "指标":
            level1, level2, name, target, actual, weight, score, *reason = (p.strip() for p in value.split("|"))
            data["indicators"].append({
                "level1": level1, "level2": level2, "name": name, "target": target or None, "actual": actual or None,
                "weight": _amount(weight), "score_declared": _amount(score), "reason": "|".join(reason) or None})
        elif key == "折算":  # 河北 双权重表: name | 权重占比 | 折算得分 of an 指标 line above
            name, share, converted = (p.strip() for p in value.split("|"))
            row = next(i for i in data["indicators"] if i["name"] == name)
            row["weight_share"], row["score_converted"] = _amount(share), _amount(converted)
        elif key == "总分":
            data["total_declared"] = _amount(value)
        elif key == "结论":
            data["conclusion"] = value
        else:
            raise ValueError(f"inline form: unknown key {key!r}")
    return Form.model_validate(data)
