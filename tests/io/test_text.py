"""The text importer on real inputs: the seed (pdftotext layout) and the published-forms corpus."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.io import jsonio
from jixiao.io.accuracy import accuracy, compare
from jixiao.io.notes import doubted
from jixiao.io.text import MAX_TEXT_BYTES, parse_text, read_text
from jixiao.io.textrows import find_header
from jixiao.io.textscan import tokenize
from tests.conftest import DATA
from tests.test_corpus_import import FLOORS

REPO = Path(__file__).resolve().parents[2]


def corpus_cases() -> list[str]:
    corpus = DATA / "corpus"
    return sorted(p.stem for p in corpus.glob("*.txt") if p.with_suffix(".truth.json").exists())


# --- the seed -------------------------------------------------------------------------------


def test_seed_parses_exactly_to_the_transcription(seed_path: Path) -> None:
    form, notes = read_text(seed_path)
    expected = (REPO / "examples" / "qiannan-2022.json").read_text(encoding="utf-8")
    assert jsonio.dumps(form) == expected.rstrip("\n")
    assert notes == []


def test_seed_details_that_pdftotext_scatters(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    delayed = form.indicators[9]
    assert delayed.name == "开展项目个数"
    assert delayed.reason == "1个单位发展专项参照中央和省委做法未开展"  # printed on the lines after its row
    wrapped = form.indicators[20]
    assert wrapped.name.startswith("提高信息传播率") and wrapped.name.endswith("农村基层环境和谐。")
    assert [i.level2 for i in form.indicators[-2:]] == [
        "服务对象满意度"
    ] * 2  # 服务对象 / 满意度 on two lines
    assert form.funds.rows[3].label == "其他资金" and form.funds.rows[3].budget is None
    assert form.contact.name == "屈杰" and form.conclusion is None


def test_seed_provenance_points_at_the_lines(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    lines = seed_path.read_text(encoding="utf-8").splitlines()

    def line_of(path: str) -> str:
        where = form.where(path)
        assert where is not None and where.file == str(seed_path) and where.line is not None
        return lines[where.line - 1]

    assert "大组工网络运维费用" in line_of("indicators[0].name")
    assert line_of("indicators[1].target").startswith("≥300份")
    assert "年度资金总额" in line_of("funds.rows[0]")
    assert "基本支出" in line_of("funds.rows[1]")
    assert "97.5" in line_of("total_declared")
    assert "填报日期" in line_of("filled_on")
    assert "开展项目个数" in line_of("indicators[9].reason")  # a row's other fields point at the row
    assert line_of("conclusion").startswith("绩效")  # 绩效 / 结论 printed on two lines


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_chinese_encodings_parse_identically_and_are_noted(
    seed_path: Path, tmp_path: Path, encoding: str
) -> None:
    text = seed_path.read_text(encoding="utf-8")
    copy = tmp_path / f"seed-{encoding}.txt"
    copy.write_bytes(text.encode(encoding))
    form, notes = read_text(copy)
    assert jsonio.dumps(form) == jsonio.dumps(read_text(seed_path)[0])
    assert [n.code for n in notes] == ["I03"]
    assert str(copy) == notes[0].location.file if notes[0].location else False


def test_bom_and_windows_line_ends_are_harmless(seed_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "seed-bom.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + seed_path.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    form, notes = read_text(copy)
    assert jsonio.dumps(form) == jsonio.dumps(read_text(seed_path)[0])
    assert notes == []


def test_a_text_cut_mid_table_keeps_what_was_read_and_says_where(seed_path: Path) -> None:
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("人员工资支出"))
    form, notes = parse_text("\n".join(lines[: cut + 1]), "cut.txt")
    assert form.indicators[-1].name == "人员工资支出"
    assert form.indicators[-1].actual == "1121.06万元"
    truncated = [n for n in notes if n.code == "I01"]
    assert len(truncated) == 1
    assert truncated[0].location is not None and truncated[0].location.line == cut + 1
    assert "人员工资支出" in truncated[0].message or "1121.06" in truncated[0].message


def test_weight_that_is_not_a_number_is_kept_out_and_noted(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8").replace(
        "服务人才人数 ≥3000人 ≥3000人 2 2", "服务人才人数 ≥3000人 ≥3000人 二 2"
    )
    _form, notes = parse_text(text, "odd.txt")
    odd = [n for n in notes if n.code == "I02"]
    assert odd and "二" in odd[0].message


# --- bad input ---------------------------------------------------------------------------------


def test_empty_file_is_refused_with_its_name(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(InputError) as caught:
        read_text(empty)
    assert caught.value.place == str(empty) and "空" in caught.value.message


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(InputError) as caught:
        read_text(garbage)
    assert caught.value.place == str(garbage)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(InputError) as caught:
        read_text(huge)
    assert caught.value.place == str(huge) and "过大" in caught.value.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_text(tmp_path / "nope.txt")
    assert caught.value.place == str(tmp_path / "nope.txt")


def test_text_without_chinese_is_not_a_form() -> None:
    with pytest.raises(InputError) as caught:
        parse_text("hello world\n1 2 3\n", "hello.txt")
    assert caught.value.place == "hello.txt"


def test_chinese_text_that_is_not_a_form_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_text("购物清单：苹果、香蕉\n", "notes.md")
    assert caught.value.place == "notes.md" and "没有找到绩效自评表" in caught.value.message


# --- the corpus --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", corpus_cases())
def test_corpus_form_parses_and_reports_truncation(data_dir: Path, case: str) -> None:
    path = data_dir / "corpus" / f"{case}.txt"
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    floor = FLOORS[case]
    if floor.get("refused"):
        with pytest.raises(InputError):
            read_text(path)
        return
    form, notes = read_text(path)
    assert any(n.code == "I01" for n in notes) == floor.get("truncation", False)
    assert form.kind == truth["kind"]
    if truth.get("year") is not None:  # read right, or said not read (I21), never silently missing
        assert form.year == truth["year"] or doubted(notes, "year")
    results = compare(form, truth)
    assert results, "the truth asserts fields"
    assert all(
        r.path.startswith(("indicators", "funds", "unit", "project", "kind", "year", "total"))
        for r in results
    )


def test_sichuan_split_target_is_joined(data_dir: Path) -> None:
    form, _ = read_text(data_dir / "corpus" / "005.txt")
    first = form.indicators[0]
    assert (first.name, first.target, first.actual) == ("学生受资助人数", "≧735人次", "735")
    assert first.weight == Decimal(10) and first.score_declared == Decimal(10)
    assert form.funds.total is not None and form.funds.total.initial is None  # the empty 年初预算数 cell
    assert form.funds.total.budget == Decimal("387664.62")


def test_glued_ocr_row_is_cut_into_its_cells(data_dir: Path) -> None:
    form, _ = read_text(data_dir / "corpus" / "012.txt")
    row = next(i for i in form.indicators if i.name == "项目(工程)验收合格率")
    assert (row.weight, row.target, row.actual, row.score_declared) == (
        Decimal(20),
        "100%",
        "100%",
        Decimal(20),
    )
    assert form.funds.rate_declared == "100.00%" and form.total_declared == Decimal(100)


def test_accuracy_function_counts_missing_indicators_as_wrong(seed_path: Path) -> None:
    form, _ = read_text(seed_path)
    truth = json.loads((REPO / "examples" / "qiannan-2022.json").read_text(encoding="utf-8"))
    assert accuracy(compare(form, truth)) == 1.0
    truth["indicators"].append({"name": "不存在的指标", "target": "1个", "weight": 1})
    results = compare(form, truth)
    assert [r.ok for r in results[-3:]] == [False, False, False]


def test_two_forms_on_one_page_reads_the_first_and_notes_the_second(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    form, notes = parse_text(text + "\n" + text.replace("中共黔南州委组织部", "另一个单位"), "two.txt")
    assert jsonio.dumps(form) == jsonio.dumps(read_text(seed_path)[0])
    second = [n for n in notes if n.code == "I04"]
    assert len(second) == 1
    assert second[0].location is not None and second[0].location.line > len(text.splitlines())


def test_fragment_without_header_reads_targets_and_weights(data_dir: Path) -> None:
    form, notes = read_text(data_dir / "corpus" / "014.txt")
    assert [(i.name, i.target, i.weight, i.score_declared) for i in form.indicators[:2]] == [
        ("足额保障率", "=100%", Decimal("22.5"), None),
        ("科目调整次数", "≤10次", Decimal("22.5"), None),
    ]
    assert any(n.code == "I01" and "中间开始" in n.message for n in notes)


def test_sheet_flattened_by_column_pairs_values_with_later_names(data_dir: Path) -> None:
    form, _ = read_text(data_dir / "corpus" / "016.txt")
    paired = {i.name: (i.target, i.weight, i.score_declared) for i in form.indicators}
    assert paired["指标1:配套资金每人每年"] == ("75元", Decimal(10), Decimal(10))
    assert paired["指标1:是否解决建档立卡人 员看病难贵问题"] == ("95%", Decimal(30), Decimal(27))
    assert form.funds.total is not None and form.funds.total.budget == Decimal("65.66")


def test_glued_qualitative_pair_and_traditional_labels(data_dir: Path) -> None:
    form, _ = read_text(data_dir / "corpus" / "035.txt")
    row = next(i for i in form.indicators if i.name.startswith("粮食储备设备维"))
    assert (row.target, row.actual, row.level1) == ("高", "高", "效益指标")
    traditional, _ = read_text(data_dir / "corpus" / "032.txt")
    assert traditional.unit == "黃岡市水土保持與農(nóng)田水利科研所"
    assert traditional.total_declared == Decimal("99.6")


def test_long_hostile_text_is_read_or_refused_cleanly() -> None:
    glued = "产出指标数量指标" + "安装坡面水标尺10≥266米≥266米10" * 200
    form, _ = parse_text(glued, "hostile.txt")
    assert form.indicators[0].target == "≥266米"
    with pytest.raises(InputError, match="上限 300 行") as caught:  # more rows than a form may hold
        parse_text(glued + "安装坡面水标尺10≥266米≥266米10" * 6000, "hostile.txt")
    assert caught.value.place == "hostile.txt"
    with pytest.raises(InputError) as caught:
        parse_text("\x00\x01 年度资金总额", "control.txt")
    assert caught.value.place == "control.txt"


CHONGQING_STYLE = """项目支出绩效自评表
（2023年度）
项目名称 | 测试项目 | 主管部门 | 某局 |
实施单位 | 某单位 |
项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
年度资金总额 | 100 | 120 | 108 | 10 | 90% | 9 |
一级指标 | 二级指标 | 三级指标 | 年初指标值 | 调整指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
产出指标 | 数量指标 | 培训人次 | ≥100人次 | ≥120人次 | 110人次 | 20 | 18 | 调整后目标未完成 |
效益指标 | 社会效益指标 | 群众知晓率 | ≥90% | | 95% | 10 | 10 | |
总分 | 100 | 90 |
"""


def test_cells_by_position_with_adjusted_target_and_reason() -> None:
    form, notes = parse_text(CHONGQING_STYLE, "cq.txt")
    first, second = form.indicators
    assert (first.target, first.actual, first.weight, first.score_declared, first.reason) == (
        "≥100人次",
        "110人次",
        Decimal(20),
        Decimal(18),
        "调整后目标未完成",
    )
    assert (second.actual, second.reason) == ("95%", None)  # the empty 调整指标值 cell keeps the positions
    assert [n.code for n in notes if n.code != "I20"] == ["I05"] and "≥120人次" in notes[0].message
    # a two-row extract: its 分值 and 得分 do not add up to the 总分 100 | 90 it prints
    assert {n.path for n in notes if n.code == "I20"} == {"indicators", "total_declared"}
    assert notes[0].location is not None and notes[0].location.line == 8
    total = form.funds.total
    assert total is not None and (total.initial, total.budget, total.executed) == (100, 120, 108)
    assert (form.project, form.unit, form.department, form.year, form.total_declared) == (
        "测试项目",
        "某单位",
        "某局",
        2023,
        Decimal(90),
    )


def test_header_repeated_after_a_page_break_is_skipped(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("一级指标"))
    repeated = text.replace("\n\n\n\n绩\n效\n指\n标\n", f"\n\f\n{header}\n绩\n效\n指\n标\n", 1)
    assert repeated != text
    form, notes = parse_text(repeated, "paged.txt")
    assert jsonio.dumps(form) == jsonio.dumps(read_text(seed_path)[0])
    assert notes == []


def test_header_of_text_columns_only_cannot_stall_the_reader() -> None:
    form, _ = parse_text(
        "一级指标 三级指标 未完成原因分析\n产出指标 数量指标 100% 名称 ≥1个 1个 2 2\n", "odd-head.txt"
    )
    (row,) = form.indicators  # a value before the name used to make the reader stand still
    assert (row.name.split()[-1], row.target, row.actual, row.weight) == ("名称", "≥1个", "1个", Decimal(2))


def test_a_cell_beyond_the_limits_is_left_out_and_said_not_the_whole_form_refused() -> None:
    """A misread that runs a name over 200 characters or an amount to 30 digits loses that cell (noted
    with its path); the rest of the form is read."""
    name = "培训内容及对象" * 40
    text = "\n".join([
        "项目支出绩效自评表（2022年度）",
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
        f"产出指标 | 数量指标 | {name} | 10人 | 10人 | 50 | 50 |",
        "| | 培训场次 | 10场 | 10场 | 50 | 123456789012345678901234567890 |",
        "总分 | 100 | 100 |",
    ])
    form, notes = parse_text(text, "limits.txt")
    first, second = form.indicators
    assert first.name == name[:200] and (first.weight, second.target, second.score_declared) == (50, "10场", None)
    assert {(n.code, n.path) for n in notes} >= {("I02", "indicators[0].name"), ("I02", "indicators[1].score_declared")}


def test_a_head_value_broken_at_a_space_is_joined_and_doubted() -> None:
    """A narrow cell wrapped by extraction (``襄阳 市中心医院``): the words up to the next label are the
    value, doubted because the join is a guess; the same name printed again is the next cell, not more."""
    text = ("项目支出绩效自评表 项目名称 水旱灾害 防御经费 主管部门 襄阳市 水利局 实施单位 襄阳市水利局 襄阳市水利局\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n产出指标 数量指标 巡查次数 ≥10次 12次 90 90")
    form, notes = parse_text(text, "split.txt")
    assert (form.project, form.unit) == ("水旱灾害 防御经费", "襄阳市水利局")
    assert {n.path for n in notes if n.code == "I20" and "空格" in n.message} == {"project"}


def _seconds(text: str) -> float:
    """The least of two parse times (the machine's other load counts once at most)."""
    times = []
    for _ in range(2):
        start = time.perf_counter()
        parse_text(text, "hostile.txt")
        times.append(time.perf_counter() - start)
    return min(times)


def test_a_long_line_of_values_after_a_label_takes_time_linear_in_its_length() -> None:
    """Figures by the thousand on one line after a label (the words waiting before them are no name once a figure
    joined them): each token is looked at a bounded number of times, so four times the line is about four times
    the time (a scan from every token to the line's end made it sixteen)."""
    head = "项目支出绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n年度资金总额 "
    short, long = _seconds(head + "90% " * 600), _seconds(head + "90% " * 2400)
    assert long < 8 * short, f"{short:.2f}s → {long:.2f}s"


def test_a_header_of_many_one_word_lines_takes_time_linear_in_their_number() -> None:
    """Head words by the thousand, one a line, before the 三级指标 heading (a header printed a cell per line): the
    walk back over them looks at each line once, so four times the lines is about four times the time (a look at
    every token for each line crossed made it sixteen), and the header takes them all."""
    def seconds(count: int) -> float:
        tokens = tokenize([(n, "分值") for n in range(count)] + [(count, "三级指标")])
        times = []
        for _ in range(3):
            start = time.perf_counter()
            header = find_header(tokens)
            times.append(time.perf_counter() - start)
        assert header is not None and header[1] == 0
        return min(times)

    short, long = seconds(2000), seconds(8000)
    assert long < 8 * short + 0.01, f"{short:.3f}s → {long:.3f}s"
