"""End-to-end in a real browser (Debian's chromium, headless) against a live server.

A filler creates a form, types indicators and watches the live score; the approver submits; the bureau
reviewer returns it with a comment; the unit fixes and resubmits; the reviewer approves. Screenshots of the
main pages go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.report.browser import CHROMIUM_ARGS
from jixiao.web.models import FormRecord

from .conftest import PASSWORD, REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)
        yield chromium
        chromium.close()


class Session:
    """One person in their own browser context."""

    def __init__(self, browser: Any, base: str, username: str) -> None:
        self.context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()
        #: What the browser refused under the Content-Security-Policy (every page must need nothing it refuses).
        self.refused: list[str] = []
        self.page.on("console", lambda m: self.refused.append(f"{self.page.url}: {m.text[:60]}") if "Content Security Policy" in m.text else None)
        self.base = base
        self.page.goto(f"{base}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base}/")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fill(row: Any, **values: str) -> None:
    """Type into an indicator row's cells (keyword = the cell's aria-label) and leave the row."""
    for label, value in values.items():
        row.locator(f"[aria-label={label}]").fill(value)
    row.locator(f"[aria-label={label}]").blur()


def _expect(locator: Any) -> Any:
    from playwright.sync_api import expect

    return expect(locator)


def test_fill_submit_return_resubmit_approve(live_server: Any, world: Any, browser: Any) -> None:
    base = live_server.url
    filler = Session(browser, base, "filler_a1")
    page = filler.page
    filler.shot("01-home")
    page.click("text=甲一单位")
    page.fill("input[name=year]", "2022")
    page.click("form[action$='/new/'] button")
    page.wait_for_selector("text=2022年度部门整体支出绩效目标自评表")
    record = FormRecord.objects.get(unit=world.a1)

    page.fill("input[aria-label=全年预算数] >> nth=0", "3989.07")
    page.fill("input[aria-label=全年执行数] >> nth=0", "3967.29")
    page.locator("input[aria-label=全年执行数] >> nth=0").blur()
    _expect(page.locator("#panel")).to_contain_text("执行率 99.45")
    row = page.locator("tr.ind-row").nth(0)
    _fill(row, 三级指标="档案数字化数量", 年度指标值="≥300份", 实际完成值="240份", 分值="20", 得分="20")
    # The live result next to the indicator: the proportional score 240/300 × 20 and the over-claim finding.
    _expect(row.locator("td.res strong")).to_have_text("16.00")
    _expect(row.locator("td.res")).to_contain_text("自评 20")
    total_before = page.inner_text("#total")

    page.click("#add-row")
    new = page.locator("tr.ind-row").nth(1)
    _fill(
        new,
        一级指标="满意度指标",
        二级指标="服务对象满意度",
        三级指标="干部群众满意度",
        年度指标值="≥90%",
        实际完成值="95%",
        分值="10",
    )
    _expect(new.locator("td.res strong")).to_have_text("10")
    _expect(page.locator("#total")).not_to_have_text(total_before)
    filler.shot("02-entry-live-score")

    approver = Session(browser, base, "approver_a1")
    approver.page.goto(f"{base}/forms/{record.pk}/")
    approver.page.click("#submit-form")
    approver.page.wait_for_selector("text=已提交")

    reviewer = Session(browser, base, "reviewer_a")
    reviewer.page.click("text=甲财政局 复核看板")
    reviewer.page.wait_for_selector(".charts svg")
    reviewer.shot("03-dashboard")
    reviewer.page.goto(f"{base}/forms/{record.pk}/")
    reviewer.page.fill("textarea[name=comment_0]", "实际完成值请附数字化台账")
    reviewer.shot("04-review")
    reviewer.page.click("#return-form")
    reviewer.page.wait_for_selector("text=已退回")

    page.goto(f"{base}/forms/{record.pk}/")
    page.wait_for_selector("text=审核意见：实际完成值请附数字化台账")
    filler.shot("05-returned-with-comment")
    row = page.locator("tr.ind-row").nth(0)
    _fill(row, 偏差原因="部分档案待移交，已附台账")
    _expect(page.locator(".save-status")).to_contain_text("已保存")

    approver.page.goto(f"{base}/forms/{record.pk}/")
    approver.page.click("#submit-form")
    approver.page.wait_for_selector("text=已提交")
    reviewer.page.goto(f"{base}/forms/{record.pk}/")
    reviewer.page.click("#approve-form")
    reviewer.page.wait_for_selector("text=已通过")
    reviewer.page.goto(f"{base}/forms/{record.pk}/history/")
    reviewer.shot("06-history")

    record.refresh_from_db()
    assert record.status == "approved"
    assert [t.to_status for t in record.transitions.all()] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert record.form().indicators[0].reason == "部分档案待移交，已附台账"
    page.goto(f"{base}/forms/{record.pk}/")
    assert page.locator("textarea[aria-label=三级指标]").first.is_disabled()
    reviewer.page.goto(f"{base}/api/docs")  # the API's own documentation page too
    reviewer.page.wait_for_selector("text=jixiao 预算绩效自评 API")
    for session in (filler, approver, reviewer):
        assert session.refused == [], session.refused
        session.context.close()


def test_conflict_in_the_browser_keeps_input_and_can_overwrite(
    live_server: Any, world: Any, browser: Any
) -> None:
    record = world.form()
    first = Session(browser, live_server.url, "filler_a1")
    second = Session(browser, live_server.url, "approver_a1")
    for session in (first, second):
        session.page.goto(f"{live_server.url}/forms/{record.pk}/")
    first.page.fill("input[name=conclusion]", "甲的结论")
    first.page.locator("input[name=conclusion]").blur()
    _expect(first.page.locator(".save-status")).to_contain_text("已保存（第 2 版")
    second.page.fill("input[name=conclusion]", "乙的结论")
    second.page.locator("input[name=conclusion]").blur()
    _expect(second.page.locator(".save-status")).to_contain_text("保存冲突")
    second.shot("07-conflict")
    assert second.page.input_value("input[name=conclusion]") == "乙的结论"  # nothing lost
    # Typing on does not slip past the conflict: the page still sends the version it shows.
    second.page.fill("input[name=contact_name]", "乙")
    with second.page.expect_response(lambda r: r.url.endswith("/save/")) as answer:
        second.page.locator("input[name=contact_name]").blur()
    assert answer.value.status == 409
    _expect(second.page.locator(".save-status")).to_contain_text("保存冲突：此表已被 filler_a1")
    record.refresh_from_db()
    assert record.version == 2 and record.form().conclusion == "甲的结论"
    second.page.click("#overwrite")
    _expect(second.page.locator(".save-status")).to_contain_text("已保存（第 3 版")
    record.refresh_from_db()
    assert record.form().conclusion == "乙的结论"
    for session in (first, second):
        session.context.close()


def test_copy_screenshots_for_the_guide() -> None:
    """Refresh the e2e screenshots docs/guide.md shows (JIXIAO_UPDATE_GUIDE_IMAGES=1, after an e2e run)."""
    if os.environ.get("JIXIAO_UPDATE_GUIDE_IMAGES") != "1":
        pytest.skip("set JIXIAO_UPDATE_GUIDE_IMAGES=1 to refresh docs/img")
    guide = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    wanted = re.findall(r"img/(0\d-[\w-]+\.png)", guide)
    shots = [ARTIFACTS / name for name in wanted if (ARTIFACTS / name).exists()]
    if not shots:
        pytest.skip("run the e2e test first")
    assert len(shots) == len(wanted), "the guide shows a screenshot the e2e test does not take"
    for shot in shots:
        shutil.copy(shot, REPO / "docs" / "img" / shot.name)
    assert (REPO / "docs" / "img" / "02-entry-live-score.png").stat().st_size > 10_000


def test_names_and_goals_read_in_full_and_read_only_fields_read_as_text(
    live_server: Any, world: Any, browser: Any
) -> None:
    """The seed's long 三级指标 names and its 年度总体目标 (hundreds of characters) are shown whole,
    while the unit edits and once the form is handed over; handed over, its fields are not boxes."""
    record = world.form()
    filler = Session(browser, live_server.url, "filler_a1")
    reviewer = Session(browser, live_server.url, "reviewer_a")
    hidden = "el => el.scrollHeight - el.clientHeight"
    filler.page.goto(f"{live_server.url}/forms/{record.pk}/")
    for area in ("textarea[aria-label=三级指标]", "textarea[name=goals_expected]"):
        for element in filler.page.locator(area).all():
            assert element.evaluate(hidden) <= 2, element.input_value()[:20]
    box = "el => getComputedStyle(el).borderTopColor"
    assert filler.page.locator("input[name=unit]").evaluate(box) != "rgba(0, 0, 0, 0)"  # editable: a box
    from jixiao.web import services

    services.submit(world.users["approver_a1"], record.pk)
    reviewer.page.goto(f"{live_server.url}/forms/{record.pk}/")
    page = reviewer.page
    assert page.locator("textarea[aria-label=三级指标]").first.is_disabled()
    for area in ("textarea[aria-label=三级指标]", "textarea[name=goals_expected]", "textarea[aria-label=偏差原因]"):
        for element in page.locator(area).all():
            assert element.evaluate(hidden) <= 2, element.input_value()[:20]
    for field in ("input[name=unit]", "textarea[name=goals_expected]", "input[aria-label=分值]"):
        element = page.locator(field).first
        assert element.evaluate(box) == "rgba(0, 0, 0, 0)", field
        assert element.evaluate("el => getComputedStyle(el).resize") == "none", field
    reviewer.shot("08-review-read-only")
    for session in (filler, reviewer):
        session.context.close()
