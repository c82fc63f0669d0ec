"""The url-encoded POST parser of the entry page reads every body exactly as Django's QueryDict does."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus, urlencode

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.io import jsonio
from jixiao.web.entry import post_from_form
from jixiao.web.formbody import parsed_form

from .conftest import SEED, entry_post

# Text with the characters forms hold and the ones the encoding treats specially.
TEXT = st.text(alphabet=st.sampled_from("ab 中文≥%+&=;#\x00\ud7ff\u00e9\U0001f600\n"), max_size=12)
# Raw bodies: escapes valid and invalid (broken UTF-8, bad hex), separators, plus signs.
RAW = st.lists(st.sampled_from(["a", "=", "&", "+", "%", "%2", "%E4", "%B8%AD", "%E4%B8%AD", "%ZZ", "%25", "%3D",
                                "%26", "中", ";", "%FF", "%C3", "%A9"]), max_size=30).map("".join)


def same(body: bytes) -> None:
    assert dict(parsed_form(body).lists()) == dict(QueryDict(body).lists())


@given(st.lists(st.tuples(TEXT, TEXT), max_size=20))
@settings(max_examples=300, deadline=None)
def test_any_encoded_fields_read_as_django_reads_them(pairs: list[tuple[str, str]]) -> None:
    same(urlencode(pairs).encode())


@given(RAW)
@settings(max_examples=500, deadline=None)
def test_any_raw_body_reads_as_django_reads_it(body: str) -> None:
    same(body.encode())


def test_the_entry_page_of_the_seed_reads_as_django_reads_it() -> None:
    body = urlencode(post_from_form(jsonio.read(SEED)), doseq=True, quote_via=quote_plus).encode()
    same(body)


def test_too_many_fields_is_refused_as_by_django(world: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    record = world.form()
    response = world.client("filler_a1").post(f"/forms/{record.pk}/save/", entry_post(world.seed, 1))
    assert response.status_code == 400
