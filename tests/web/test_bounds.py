"""Findings 2, 8 and 14 of the hardening probe: what one filler can make the server hold or compute.

Bounds are checked on *work* (cache bytes, rows accepted, a limit refused before rendering), never on time.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from jixiao.model import FORM_LIMITS, Indicator
from jixiao.web.models import ApiToken
from jixiao.web.views import forms

from .conftest import SEED, entry_post


def _cached_chars() -> int:
    """What the result-cell cache holds, counted from its entries (keys and rendered fragments)."""
    return sum(len(html) + sum(len(str(part)) for part in key) for key, html in forms._RESULT_CELLS._rendered.items())


def test_client_row_keys_neither_fill_the_cache_nor_reach_the_page(world: Any) -> None:
    """Finding 2: 25 saves with a 2 MB ``ind_key`` held 239 MB; the server now echoes only keys it issued."""
    record = world.form()
    client = world.client("filler_a1")
    huge = "k" * (2 * 1024 * 1024)
    for i in range(25):
        post = entry_post(world.seed, record.version, overwrite="1")
        post["ind_key"] = [f"{huge}{i}", *post["ind_key"][1:]]
        response = client.post(f"/forms/{record.pk}/save/", post, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert huge not in response.content.decode()
        assert 'id="res-0"' in response.content.decode()  # the row's position instead
    assert _cached_chars() < 2 * 1024 * 1024


def test_the_fragment_cache_is_bounded_by_bytes_as_well_as_entries() -> None:
    from jixiao.web.fragments import Fragments

    cells = Fragments("jixiao/_result.html", limit=10_000, max_bytes=100_000)
    for i in range(200):
        cells.render((str(i), "x" * 5_000), {"key": str(i), "res": None, "oob": False})
        assert cells.bytes <= 100_000 and len(cells._rendered) <= 20
    cells.render(("big", "y" * 200_000), {"key": "big", "res": None, "oob": False})
    assert cells.bytes <= 100_000  # a fragment larger than the whole cache is rendered, never kept


def test_a_form_beyond_the_limits_is_refused_before_anything_is_rendered(world: Any) -> None:
    """Finding 8: 40,000 indicators (960 KB of JSON) made the entry page 12 s / 63 MB and the PDF run 7 minutes."""
    _, key = ApiToken.issue(world.users["filler_a1"], "t")
    data = json.loads(SEED.read_text(encoding="utf-8"))
    data["indicators"] = [{"name": "指标", "weight": 1, "target": "1个", "actual": "1个"}] * 40_000
    response = Client().post(
        f"/api/units/{world.a1.pk}/forms", json.dumps({"form": data}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    assert json.loads(response.content)["place"] == "form: indicators"
    assert f"上限 {FORM_LIMITS.max_indicators} 行" in json.loads(response.content)["detail"]


def test_a_form_at_the_limits_saves_and_exports(world: Any) -> None:
    """Finding 14: ≥ 110 indicators broke autosave (Django's 1,000-field limit); the limits themselves must work."""
    record = world.form()
    longest = Indicator(
        level1="产出指标", level2="数量指标", name="指" * FORM_LIMITS.max_cell_chars, target="≥1个", actual="1个",
        weight=1, score_declared=1, reason="因" * FORM_LIMITS.max_reason_chars,
    )
    big = world.seed.model_copy(update={"indicators": [longest] * FORM_LIMITS.max_indicators})
    client = world.client("filler_a1")
    response = client.post(f"/forms/{record.pk}/save/", entry_post(big, 1), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已保存（第 2 版" in response.content.decode()
    record.refresh_from_db()
    assert len(record.form().indicators) == FORM_LIMITS.max_indicators
    for fmt in ("xlsx", "json"):
        assert client.get(f"/forms/{record.pk}/download.{fmt}").status_code == 200


def test_a_refused_save_is_shown_as_not_saved() -> None:
    """Finding 14: when the server refused the save (400) the page kept showing “已保存”."""
    from pathlib import Path

    script = (Path(forms.__file__).parents[1] / "static" / "jixiao" / "app.js").read_text(encoding="utf-8")
    assert "htmx:responseError" in script and "未保存" in script
