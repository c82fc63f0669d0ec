"""A Hebei double-weight form shows, edits and keeps its 权重占比 and 折算得分 on the entry page; a national form
keeps them (empty) in hidden fields."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.io import jsonio
from jixiao.web import services
from jixiao.web.models import FormRecord

from .conftest import entry_post


def test_editing_a_hebei_form_on_the_page_keeps_its_shares(world: Any) -> None:
    shares = [(i, Decimal(100 if i % 2 else 50)) for i in range(len(world.seed.indicators))]
    hebei = world.seed.model_copy(update={"indicators": [
        ind.model_copy(update={"weight_share": share, "score_converted": ind.score_declared})
        for ind, (_, share) in zip(world.seed.indicators, shares, strict=True)]})
    record = services.create_form(world.users["filler_a1"], world.a1, hebei).record
    filler = world.client("filler_a1")
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    shown = re.findall(r'name="ind_weight_share"[^>]*value="50"', page)
    assert len(shown) == len(shares) - sum(i % 2 for i, _ in shares)
    response = filler.post(f"/forms/{record.pk}/save/", entry_post(hebei, record.version, conclusion="改了结论"))
    assert response.status_code in (200, 302), response.content.decode()[:500]
    saved = jsonio.loads(FormRecord.objects.get(pk=record.pk).data)
    assert saved.conclusion == "改了结论"
    assert [i.weight_share for i in saved.indicators] == [share for _, share in shares]
    assert [i.score_converted for i in saved.indicators] == [i.score_declared for i in hebei.indicators]


def _hebei(world: Any) -> Any:
    return world.seed.model_copy(update={"indicators": [
        ind.model_copy(update={"weight_share": Decimal(50), "score_converted": ind.score_declared})
        for ind in world.seed.indicators]})


def test_a_hebei_form_shows_and_saves_its_shares_as_columns_of_the_page(world: Any) -> None:
    hebei = _hebei(world)
    record = services.create_form(world.users["filler_a1"], world.a1, hebei).record
    filler = world.client("filler_a1")
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert "<th>权重占比</th><th>折算得分</th>" in page
    assert page.count('aria-label="权重占比"') == page.count('aria-label="折算得分"') == len(hebei.indicators)
    assert 'type="hidden" name="ind_weight_share"' not in page
    new_row = filler.get(f"/forms/{record.pk}/row/").content.decode()
    assert 'aria-label="权重占比"' in new_row and 'aria-label="折算得分"' in new_row
    shares = ["60"] + [str(i.weight_share) for i in hebei.indicators[1:]]
    converted = ["1.5"] + [str(i.score_converted) for i in hebei.indicators[1:]]
    post = entry_post(hebei, record.version, ind_weight_share=shares, ind_score_converted=converted)
    assert filler.post(f"/forms/{record.pk}/save/", post, HTTP_HX_REQUEST="true").status_code == 200
    saved = FormRecord.objects.get(pk=record.pk).form().indicators[0]
    assert (saved.weight_share, saved.score_converted) == (Decimal(60), Decimal("1.5"))


def test_a_national_form_keeps_the_shares_hidden(world: Any) -> None:
    record = world.form()
    filler = world.client("filler_a1")
    page = filler.get(f"/forms/{record.pk}/").content.decode()
    assert "权重占比" not in page and page.count('type="hidden" name="ind_weight_share"') == len(world.seed.indicators)
    assert 'aria-label="权重占比"' not in filler.get(f"/forms/{record.pk}/row/").content.decode()
