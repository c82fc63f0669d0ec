"""Upload keeps the importer's doubts: highlighted cells, 导入存疑 findings, confirmed or corrected by the filler.

Corpus form 026 (development half) read as text leaves doubts on its 项目名称 (garbled, unlike the title),
on several rows (glued rows whose borders are a guess, an OCR ``^80%``, a row whose declared score breaks its
own arithmetic) and on the list as a whole. The tests take the doubts from the importer's notes, so they
follow the importer as it improves, and check what the web does with them.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.audit import covers
from jixiao.io import jsonio
from jixiao.io.notes import ImportNote
from jixiao.io.text import read_text
from jixiao.web import doubts, services
from jixiao.web.models import ApiToken, FormRecord

from .conftest import REPO, entry_post

CORPUS = REPO / "tests" / "data" / "corpus"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _uploaded(world: Any) -> FormRecord:
    client = world.client("filler_a1")
    content = (CORPUS / "026.txt").read_bytes()
    page = client.post(f"/units/{world.a1.pk}/upload/", {"file": SimpleUploadedFile("026.txt", content)})
    # 026 is 原州区农技中心's form, uploaded into 甲一单位: answer the other-unit question
    token = re.search(r'name="token" value="(\w+)"', page.content.decode())
    assert token is not None
    client.post(f"/units/{world.a1.pk}/upload/confirm/", {"token": token.group(1), "decision": "confirm"})
    return FormRecord.objects.get(unit=world.a1)


FORM, NOTES = read_text(CORPUS / "026.txt")
DOUBTS = list(dict.fromkeys(n.path for n in NOTES if n.path))
#: The row whose declared score is above its weight (the form's own arithmetic broken): doubted by the importer.
ARITH = next(k for k, i in enumerate(FORM.indicators)
             if i.weight is not None and i.score_declared is not None and i.score_declared > i.weight)
ROW = f"indicators[{ARITH}]"


def _rows(paths: list[str]) -> list[str]:
    """The row numbers (data-key) the page highlights for these doubts, in page order."""
    return sorted({m.group(1) for p in paths if (m := re.match(r"indicators\[(\d+)\]", p))}, key=int)


def _doubted_row(page: str) -> list[str]:
    return re.findall(r'<tr class="ind-row" data-key="(\d+)" data-doubt="1" title="导入存疑：', page)


def test_the_form_leaves_the_doubts_these_tests_need() -> None:
    assert {"project", ROW, "indicators"} <= set(DOUBTS) and len(_rows(DOUBTS)) >= 2


def test_upload_keeps_the_doubts_and_the_page_highlights_them(world: Any) -> None:
    record = _uploaded(world)
    noted = next(n for n in NOTES if n.path == ROW)
    assert [d["path"] for d in record.doubts] == DOUBTS
    row = next(d for d in record.doubts if d["path"] == ROW)
    assert row["name"] == FORM.indicators[ARITH].name and row["message"] == noted.message
    page = world.client("filler_a1").get(f"/forms/{record.pk}/").content.decode()
    assert _doubted_row(page) == _rows(DOUBTS)
    assert f"导入存疑</b>：以下 {len(DOUBTS)} 处" in page and f"第{ARITH + 1}个指标" in page and "确认无误" in page
    assert noted.message in page
    key = f'data-key="{ARITH}"'
    row = page[page.index(key) : page.index("</tr>", page.index(key))]
    labelled = re.findall(r'class="finding sev-\w+ doubt" title="(\w+)">\1 导入存疑：', row)
    unlabelled = re.findall(r'class="finding sev-\w+" title="\w+">', row)
    assert labelled and not unlabelled  # every finding on the doubted row says 导入存疑, none blames the unit


def test_confirming_a_doubt_ends_it_and_the_history_says_who(world: Any) -> None:
    record = _uploaded(world)
    filler = world.client("filler_a1")
    response = filler.post(f"/forms/{record.pk}/confirm-doubt/", {"doubt": ROW}, follow=True)
    page = response.content.decode()
    record.refresh_from_db()
    left = [p for p in DOUBTS if p != ROW]
    assert [d["path"] for d in record.doubts] == left and record.version == 2
    latest = record.history.first()
    assert latest.history_user == world.users["filler_a1"]
    assert latest.history_change_reason == f"确认导入存疑：第{ARITH + 1}个指标"
    assert "已确认该字段" in page and _doubted_row(page) == _rows(left) and f"导入存疑</b>：以下 {len(left)} 处" in page
    again = filler.post(f"/forms/{record.pk}/confirm-doubt/", {"doubt": ROW})
    assert again.status_code == 302 and FormRecord.objects.get(pk=record.pk).version == 2  # nothing left to confirm


def test_editing_the_doubted_cell_ends_its_doubt(world: Any) -> None:
    record = _uploaded(world)
    form = record.form()
    post = entry_post(form, record.version)
    post["ind_score_declared"][ARITH] = str(form.indicators[ARITH].weight)
    panel = world.client("filler_a1").post(f"/forms/{record.pk}/save/", post, **HTMX)
    assert panel.status_code == 200
    record.refresh_from_db()
    assert record.form().indicators[ARITH].score_declared == form.indicators[ARITH].weight
    # the row's doubt ends, and so does the list's (edited): the project and the other rows' stay
    assert [d["path"] for d in record.doubts] == [p for p in DOUBTS if p != "indicators" and not covers(ROW, p)]


def test_a_doubt_follows_its_row_when_rows_move_and_stays_until_resolved(world: Any) -> None:
    record = _uploaded(world)
    post = entry_post(record.form(), record.version)
    for field in [k for k in post if k.startswith("ind_")]:
        post[field] = list(reversed(post[field]))
    world.client("filler_a1").post(f"/forms/{record.pk}/save/", post, **HTMX)
    record.refresh_from_db()
    count = len(record.form().indicators)
    moved = [re.sub(r"\[(\d+)\]", lambda m: f"[{count - 1 - int(m.group(1))}]", p, count=1)
             for p in DOUBTS if p.startswith("indicators[")]  # each row's doubt on its row, reversed
    located = [d.path for d in doubts.located(record.doubts, record.form())]
    assert sorted(located) == sorted(["project", *moved])  # the list's doubt ends: the list changed
    page = world.client("filler_a1").get(f"/forms/{record.pk}/").content.decode()
    assert _doubted_row(page) == _rows(moved)


def test_only_who_may_edit_confirms(world: Any) -> None:
    record = _uploaded(world)
    confirm = f"/forms/{record.pk}/confirm-doubt/"
    assert world.client("filler_b1").post(confirm, {"doubt": ROW}).status_code == 404
    assert world.client("filler_a1").get(confirm).status_code == 405
    services.submit(world.users["approver_a1"], record.pk)
    for user in ("filler_a1", "reviewer_a"):  # a submitted form is frozen; the bureau sees but does not confirm
        assert world.client(user).post(confirm, {"doubt": ROW}).status_code == 403
    record.refresh_from_db()
    assert len(record.doubts) == len(DOUBTS) and record.status == "submitted"
    page = world.client("reviewer_a").get(f"/forms/{record.pk}/").content.decode()
    assert _doubted_row(page) == _rows(DOUBTS) and f"导入存疑</b>：以下 {len(DOUBTS)} 处" in page
    assert ">确认无误</button>" not in page


def test_the_api_flags_findings_on_open_doubts(world: Any) -> None:
    record = _uploaded(world)
    _, key = ApiToken.issue(world.users["filler_a1"], "test")
    detail = Client().get(f"/api/forms/{record.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    flagged = [f for f in detail["evaluation"]["findings"] if f["doubt"]]
    assert {f["path"] for f in flagged} >= {f"{ROW}.score_declared", "indicators"}  # its row, and the sums over it
    assert all(any(covers(d["path"], f["path"]) for d in record.doubts) for f in flagged)
    assert not any(f["path"] == "total_declared" for f in flagged)  # the 总分 is no doubted field
    assert all(f["message"].startswith("导入存疑：") for f in flagged)
    assert all(not f["message"].startswith("导入存疑：") for f in detail["evaluation"]["findings"] if not f["doubt"])


def test_the_downloaded_workbook_says_which_findings_rest_on_doubts(world: Any) -> None:
    record = _uploaded(world)
    content = world.client("filler_a1").get(f"/forms/{record.pk}/download.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any(c.startswith("导入存疑：得分") for c in cells)


def test_a_form_without_doubts_shows_no_highlight(world: Any) -> None:
    record = world.form()
    page = world.client("filler_a1").get(f"/forms/{record.pk}/").content.decode()
    assert "data-doubt" not in page and "导入存疑" not in page


# --- the stored doubts, on the seed --------------------------------------------------------------------

def test_doubts_of_fields_in_every_block_are_found_again_and_end_when_edited(seed_form: Any) -> None:
    notes = [ImportNote("I20", "分值存疑", path="indicators[9].weight"),
             ImportNote("I20", "执行数存疑", path="funds.rows[0].executed"),
             ImportNote("I20", "总分存疑", path="total_declared"),
             ImportNote("I20", "不存在的行", path="indicators[99].weight"),
             ImportNote("I01", "文本不完整")]
    stored = doubts.from_notes(seed_form, notes)
    assert [d["path"] for d in stored] == ["indicators[9].weight", "funds.rows[0].executed", "total_declared"]
    assert [d.path for d in doubts.located(stored, seed_form)] == [d["path"] for d in stored]
    edited = jsonio.loads(jsonio.dumps(seed_form))
    edited.funds.rows[0].executed = Decimal("1")
    edited.indicators.insert(0, edited.indicators.pop(9))  # the row moves to the top
    assert [d.path for d in doubts.located(stored, edited)] == ["indicators[0].weight", "total_declared"]
    assert [d["path"] for d in doubts.remaining(stored, edited, confirmed="total_declared")] == ["indicators[9].weight"]


@pytest.mark.parametrize("path", ["indicators[0]", "funds", "contact.name", "goals.actual"])
def test_a_parent_path_is_one_doubt_on_the_whole_part(seed_form: Any, path: str) -> None:
    stored = doubts.from_notes(seed_form, [ImportNote("I20", "存疑", path=path)])
    assert [d.path for d in doubts.located(stored, seed_form)] == [path]
