"""A Hebei double-weight form edited on the entry page keeps its 权重占比 and 折算得分 (hidden fields)."""

from __future__ import annotations

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
    assert page.count('name="ind_weight_share" value="50"') == len(shares) - sum(i % 2 for i, _ in shares)
    response = filler.post(f"/forms/{record.pk}/save/", entry_post(hebei, record.version, conclusion="改了结论"))
    assert response.status_code in (200, 302), response.content.decode()[:500]
    saved = jsonio.loads(FormRecord.objects.get(pk=record.pk).data)
    assert saved.conclusion == "改了结论"
    assert [i.weight_share for i in saved.indicators] == [share for _, share in shares]
    assert [i.score_converted for i in saved.indicators] == [i.score_declared for i in hebei.indicators]
