"""The template library (表样库, ``templates.toml``): the layouts real forms come in, as data.

A :class:`Template` is the indicator table's data columns as printed, the profile that scores the
template and where it is published.  :func:`columns` turns the printed headers into the damage
generator's ``(header, truth field)`` plan through the vocabulary, so a template entry is only
words: a header the vocabulary does not know fails to load (:func:`load_templates`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from .textlabels import key
from .vocabulary import role_of

#: Vocabulary role → the truth field a rendered cell holds (roles without one print empty cells).
FIELD_OF_ROLE = {"name": "name", "target": "target", "value": "target", "actual": "actual",
                 "weight": "weight", "score": "score_declared"}


class Template(BaseModel):
    """One layout of the form (表样): its title, indicator columns in order, profile and source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    profile: str
    source: str
    indicator_columns: tuple[str, ...] = Field(min_length=2)


@cache
def load_templates() -> tuple[Template, ...]:
    """Every shipped template; a header the vocabulary cannot place is an error here, not a silent blank."""
    data = tomllib.loads((resources.files("jixiao.io") / "templates.toml").read_text(encoding="utf-8"))
    shipped = tuple(Template(**entry) for entry in data["template"])
    for template in shipped:
        unknown = [h for h in template.indicator_columns if role_of(key(h), "indicator_columns") is None]
        if unknown:
            raise ValueError(f"表样 {template.id} 的列名不在词表中：{'、'.join(unknown)}")
    return shipped


def columns(template: Template) -> tuple[tuple[str, str], ...]:
    """The damage generator's column plan: (printed header, truth field or ``""`` for an empty column)."""
    return tuple((header, FIELD_OF_ROLE.get(role_of(key(header), "indicator_columns") or "", ""))
                 for header in template.indicator_columns)
