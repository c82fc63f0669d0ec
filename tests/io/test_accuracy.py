"""The accuracy measure's confidence figures: which fields an import note puts in doubt, on real parses."""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.io.accuracy import compare, doubted_share, silently_wrong, undoubted_precision
from jixiao.io.notes import MISSING_ROWS, ImportNote
from jixiao.io.text import read_text

from ..conftest import EXAMPLES


def test_each_field_knows_its_path_in_the_parsed_form(seed_path: Path) -> None:
    form, notes = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    truth["indicators"].reverse()  # the truth's order no longer matches the parsed one
    results = {r.path: r for r in compare(form, truth, notes)}
    last = len(form.indicators) - 1
    assert results["indicators[0].weight"].parsed == f"indicators[{last}].weight"
    assert results["indicators[0].weight"].got == form.indicators[last].weight
    assert results["funds.rows[0].executed"].parsed == "funds.rows[0].executed"
    assert results["total_declared"].parsed == "total_declared"

def test_a_note_on_a_wrong_field_makes_it_doubted_not_silent(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    form.indicators[3].weight = (form.indicators[3].weight or 0) + 1  # a misread the importer is unsure of
    form.total_declared = (form.total_declared or 0) + 1  # one it is sure of
    plain = compare(form, truth)
    assert silently_wrong(plain) == 2 and doubted_share(plain) == 0
    noted = compare(form, truth, [ImportNote("I20", "分值读法不唯一", path="indicators[3].weight")])
    assert silently_wrong(noted) == 1
    assert [r.path for r in noted if r.doubted] == ["indicators[3].weight"]
    assert undoubted_precision(noted) == (len(noted) - 2) / (len(noted) - 1)

def test_a_parent_path_doubts_every_field_under_it(seed_path: Path) -> None:
    form, notes = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    row = compare(form, truth, [*notes, ImportNote("I20", "整行存疑", path="indicators[2]")])
    assert {r.path.split(".")[1] for r in row if r.doubted} >= {"name", "weight", "target"}
    assert all(r.parsed.startswith("indicators[2].") for r in row if r.doubted and r.parsed)
    funds = compare(form, truth, [ImportNote("I20", "资金表存疑", path="funds")])
    assert {r.path for r in funds if r.doubted} == {r.path for r in funds if r.path.startswith("funds")}

def test_an_indicator_not_found_is_doubted_only_by_a_note_on_the_list(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    truth["indicators"].append({"name": "不存在的指标", "target": "1个", "weight": 1})
    missing = [r for r in compare(form, truth) if r.parsed is None]
    assert len(missing) == 3 and all(r.silently_wrong for r in missing)
    listed = [r for r in compare(form, truth, [ImportNote("I20", "指标行数存疑", path="indicators")]) if r.parsed is None]
    assert all(r.doubted and not r.silently_wrong for r in listed)


def test_a_note_on_the_rows_not_read_doubts_the_missing_row_and_no_row_read(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    truth["indicators"].append({"name": "不存在的指标", "target": "1个", "weight": 1})
    results = compare(form, truth, [ImportNote("I25", "可能漏读指标", path=MISSING_ROWS)])
    assert all(r.doubted for r in results if r.parsed is None)
    assert not any(r.doubted for r in results if r.parsed is not None)


def test_a_note_on_a_row_read_with_a_garbled_name_warns_about_the_truth_row_in_its_place(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    form.indicators[3].name = "按时完成省委组织部2、州委交办"  # a page marker inside the name: not found by name
    silent = [r for r in compare(form, truth) if r.path.startswith("indicators[3].")]
    assert silent and all(r.parsed is None and r.silently_wrong for r in silent)
    noted = [r for r in compare(form, truth, [ImportNote("I20", "该行存疑", path="indicators[3]")])
             if r.path.startswith("indicators[3].")]
    assert all(r.doubted and not r.ok and r.parsed is None for r in noted)
    assert [r.ok for r in noted][1:] == [False] * (len(noted) - 1)  # a stand-in never makes a field right
    del form.indicators[4]  # now two truth rows share one parsed stand-in: no pairing, no doubt borrowed
    ambiguous = [r for r in compare(form, truth, [ImportNote("I20", "该行存疑", path="indicators[3]")])
                 if r.path.startswith(("indicators[3].", "indicators[4]."))]
    assert ambiguous and not any(r.doubted for r in ambiguous)


def test_fragments_all_doubted_warn_about_the_truth_rows_read_into_them(seed_path: Path) -> None:
    """A row read as two fragments (more parsed rows than truth rows between two anchors): when every
    fragment is doubted as a whole the truth row has a doubted row in its place; otherwise it is silent."""
    form, _ = read_text(seed_path)
    truth = json.loads((EXAMPLES / "qiannan-2022.json").read_text(encoding="utf-8"))
    fragment = form.indicators[3].model_copy(update={"name": "按时完成省委组织部"})
    form.indicators[3] = form.indicators[3].model_copy(update={"name": "州委交办 2、"})
    form.indicators.insert(4, fragment)
    both = [ImportNote("I20", "该行存疑", path="indicators[3]"), ImportNote("I20", "该行存疑", path="indicators[4]")]
    row = [r for r in compare(form, truth, both) if r.path.startswith("indicators[3].")]
    assert row and all(r.doubted and not r.ok for r in row)
    one = [r for r in compare(form, truth, both[:1]) if r.path.startswith("indicators[3].")]
    assert one and not any(r.doubted for r in one)
