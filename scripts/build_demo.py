"""Build the demo bureau's data (jixiao/demo/) from the seed, the corpus truths and scripts/demo_units.toml.

    python scripts/build_demo.py           # rewrite jixiao/demo/ (forms NN.json, units.json, README.md)
    python scripts/build_demo.py --check   # exit 1 if the shipped files are not what this builds

Run it when the corpus grows or demo_units.toml changes. Each unit's form is the source's truth with its
annotations dropped, its text tidied (line-wrap spaces, pinyin glosses, Traditional characters) and the
unit's ``set`` values applied; what the demo added is said in the form's 绩效结论, a partial form stays a
草稿 with its import notes. Held-out forms (tests/data/split.toml) are refused.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import simplejson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jixiao.io import jsonio  # noqa: E402
from jixiao.model import Form  # noqa: E402

CURATION = REPO / "scripts" / "demo_units.toml"
CORPUS = REPO / "tests" / "data" / "corpus"
SEED = REPO / "examples" / "qiannan-2022.json"
OUT = REPO / "jixiao" / "demo"
MODEL_KEYS = set(Form.model_fields) - {"provenance"}
STATUSES = {"draft": "草稿", "submitted": "已提交", "returned": "已退回", "approved": "已审核"}
#: A space left by line wrapping between two Chinese characters (“成 品粮”).
WRAP_SPACE = re.compile(r"(?<=[\u3400-\u9fff（）、：])\s+(?=[\u3400-\u9fff（）、：])")
#: A pinyin gloss injected after a character (“農(nóng)”).
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
PATH_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def held_out(number: int) -> bool:
    """Whether corpus form ``number`` is held out (split.toml): nobody builds anything from it."""
    rule = tomllib.loads((REPO / "tests" / "data" / "split.toml").read_text("utf-8"))["rule"]
    parity = 1 if rule["held_out_parity"] == "odd" else 0
    return number > rule["first_set_last"] and number % 2 == parity


def corpus_text_says(number: str, completeness: str) -> bool:
    head = (CORPUS / f"{number}.txt").read_text("utf-8").splitlines()[:3]
    return f"# complete: {completeness}" in head


def read_source(source: str) -> dict[str, Any]:
    """The source's data: the seed, or a corpus truth (complete for ``corpus:``, partial for ``draft:``)."""
    if source == "seed":
        data: dict[str, Any] = simplejson.loads(SEED.read_text("utf-8"), use_decimal=True)
        return data
    kind, _, number = source.partition(":")
    if kind not in ("corpus", "draft") or not number.isdigit():
        raise SystemExit(f"{CURATION.name}: 无法识别的来源 {source!r}")
    if held_out(int(number)):
        raise SystemExit(f"{CURATION.name}: {number} 是留出检验的表（split.toml），不能用于演示数据")
    if not corpus_text_says(number, "yes" if kind == "corpus" else "partial"):
        raise SystemExit(f"{CURATION.name}: {source}：语料元数据中的完整性与来源类型不符")
    truth = simplejson.loads((CORPUS / f"{number}.truth.json").read_text("utf-8"), use_decimal=True)
    return {key: value for key, value in truth.items() if key in MODEL_KEYS}


def tidy(value: Any, simplify: dict[int, str]) -> Any:
    """Strings without line-wrap spaces, pinyin glosses and Traditional characters, recursively."""
    if isinstance(value, str):
        return WRAP_SPACE.sub("", PINYIN.sub("", value)).translate(simplify).strip()
    if isinstance(value, list):
        return [tidy(v, simplify) for v in value]
    if isinstance(value, dict):
        return {k: tidy(v, simplify) for k, v in value.items()}
    return value


def assign(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``indicators[3].weight`` (a list may grow by one at its end: a row the demo adds)."""
    steps: list[str | int] = [name or int(index) for name, index in PATH_STEP.findall(path)]
    where: Any = data
    for step, following in itertools.pairwise(steps):
        if isinstance(step, str):
            where = where.setdefault(step, [] if isinstance(following, int) else {})
        else:
            where = where[step]
    last = steps[-1]
    if isinstance(last, int) and last == len(where):
        where.append(value)
    else:
        where[last] = value


def decimal_value(value: Any) -> Any:
    """TOML floats as the decimals they were written as (2.48 stays 2.48)."""
    if isinstance(value, float):
        return simplejson.loads(repr(value), use_decimal=True)
    if isinstance(value, dict):
        return {k: decimal_value(v) for k, v in value.items()}
    return value


def build_form(unit: dict[str, Any], simplify: dict[int, str]) -> Form:
    data = tidy(read_source(unit["source"]), simplify)
    data["unit"] = unit["name"]
    for path, value in unit.get("set", {}).items():
        assign(data, path, decimal_value(value))
    if completed := unit.get("completed"):
        data["conclusion"] = f"{data.get('conclusion') or ''}（演示数据说明：{completed}）"
    return jsonio.form_from_data(data, f"{CURATION.name} {unit['name']}")


def check_unit(unit: dict[str, Any], departments: list[str]) -> None:
    where = f"{CURATION.name} {unit.get('name')}"
    if unit.get("department") not in departments or unit.get("status") not in STATUSES:
        raise SystemExit(f"{where}: department 或 status 无效")
    draft = str(unit["source"]).startswith("draft:")
    if draft != (unit["status"] == "draft") or draft != bool(unit.get("notes")):
        raise SystemExit(f"{where}: 不完整的表只能作为带导入提示的草稿（draft:NNN、status = \"draft\"、notes）")
    if bool(unit.get("flaws")) != bool(unit.get("expect")):
        raise SystemExit(f"{where}: flaws 与 expect 须同时给出")


def readme(units: list[dict[str, Any]]) -> str:
    lines = [
        "# 演示数据",
        "",
        "`jixiao demo` 载入的演示财政局：每个单位一张本年度的表（部分单位另有上一年度已审核的表）。",
        "本目录由 `scripts/build_demo.py` 根据 `scripts/demo_units.toml`、种子表和 `tests/data/corpus`",
        "中的真实表生成，请勿手工修改；测试 `tests/test_demo_data.py` 核对两者一致。",
        "",
        "- 完整的真实表原样使用（只去掉换行留下的空格、拼音注音和繁体字）；原表缺的内容由演示数据补齐的，",
        "  在该表的绩效结论末尾写明“演示数据说明”。",
        "- 只公开了一部分的表作为草稿载入，并带导入提示，说明原文缺了什么。",
        "- 故意出错的表演示复核能发现什么，错误如下。",
        "",
        "| 文件 | 单位 | 来源 | 状态 | 说明 |",
        "|---|---|---|---|---|",
    ]
    for number, unit in enumerate(units, start=1):
        source = unit["source"]
        origin = ("种子表" if source == "seed" else
                  f"语料 {source.partition(':')[2]}" + ("（不完整）" if source.startswith("draft:") else ""))
        if unit.get("flaws"):
            origin += "，故意改错"
        about = "".join(unit.get("flaws", [])) or unit.get("completed", "") or (
            "草稿，带导入提示" if unit.get("notes") else "原表")
        lines.append(f"| {number:02d}.json | {unit['name']} | {origin} | {STATUSES[unit['status']]} | {about} |")
    return "\n".join(lines) + "\n"


def build() -> dict[str, str]:
    """Every file of jixiao/demo/ this builds (name → text)."""
    curation = tomllib.loads(CURATION.read_text("utf-8"))
    pairs = curation["simplify"]
    simplify = str.maketrans(pairs[0::2], pairs[1::2])
    files: dict[str, str] = {}
    manifest = []
    for number, unit in enumerate(curation["unit"], start=1):
        check_unit(unit, curation["departments"])
        name = f"{number:02d}.json"
        files[name] = jsonio.dumps(build_form(unit, simplify)) + "\n"
        manifest.append({
            "form": name, "unit": unit["name"], "department": unit["department"], "status": unit["status"],
            "last_year": unit["last_year"], "source": unit["source"], "notes": unit.get("notes", []),
            "expect": unit.get("expect", []),
        })
    files["units.json"] = json.dumps({"departments": curation["departments"], "units": manifest,
                                      "not_started": curation["not_started"]},
                                     ensure_ascii=False, indent=1) + "\n"
    files["README.md"] = readme(curation["unit"])
    return files


def main(argv: list[str]) -> int:
    files = build()
    shipped = {p.name for p in OUT.iterdir() if p.suffix in (".json", ".md")} if OUT.is_dir() else set()
    if "--check" in argv:
        stale = sorted(n for n in files if not (OUT / n).is_file() or (OUT / n).read_text("utf-8") != files[n])
        stale += sorted(shipped - set(files))
        if stale:
            print("演示数据与 scripts/build_demo.py 生成的不一致：" + "、".join(stale), file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(exist_ok=True)
    for name in shipped - set(files):
        (OUT / name).unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, "utf-8")
    print(f"已生成 {len(files)} 个文件到 jixiao/demo/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
