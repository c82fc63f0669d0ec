"""The importer's vocabulary (``vocabulary.toml``): header synonyms by role, level names, label folding.

Every reader asks the same questions of it — which role does this header cell name, is this a
一级指标 name — so a spelling taught once is understood in text, Excel, PDF and Word alike.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

Roles = tuple[tuple[str, tuple[str, ...]], ...]


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed ``vocabulary.toml`` shipped with the package."""
    data: dict[str, Any] = tomllib.loads(
        (resources.files("jixiao.io") / "vocabulary.toml").read_text(encoding="utf-8")
    )
    return data


def roles(section: str) -> Roles:
    """``(role, synonyms)`` pairs of one table (``indicator_columns``, ``funds_columns``, ``goal_columns``)."""
    return tuple((role, tuple(words)) for role, words in vocabulary()[section].items())


@cache
def exact_roles(section: str) -> dict[str, str]:
    """Synonym → role, for a header cell read whole."""
    return {word: role for role, words in roles(section) for word in words}


@cache
def contained_roles(section: str) -> tuple[tuple[str, str], ...]:
    """``(synonym, role)`` longest first: a header cell that contains a synonym names its role.

    Longest first makes the specific spelling win (``调整指标值`` over ``指标值``, ``得分系数``
    over ``得分``) without an order to maintain by hand.
    """
    pairs = [(word, role) for role, words in roles(section) for word in words]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def role_of(label_key: str, section: str, contained: bool = False) -> str | None:
    """The role a header cell's key names: equal to a synonym, else (``contained``) the longest inside it."""
    role = exact_roles(section).get(label_key)
    if role is not None or not contained:
        return role
    return next((r for word, r in contained_roles(section) if word in label_key), None)


def traditional_table() -> dict[int, int]:
    """``str.translate`` table folding the Traditional characters of labels to Simplified."""
    table = vocabulary()["traditional"]
    return str.maketrans(table["from"], table["to"])
