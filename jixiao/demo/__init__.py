"""演示数据: the demo bureau's units and forms, shipped as package data.

The files beside this module are built by ``scripts/build_demo.py`` from the seed, the real corpus forms
and ``scripts/demo_units.toml`` (README.md here says what each form is); they are read with
:mod:`importlib.resources`, so the demo works from an installed wheel with no repository beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files

from ..io import jsonio
from ..model import Form


@dataclass(frozen=True)
class DemoUnit:
    """One demo unit (演示单位) and this year's form as the demo loads it."""

    name: str
    department: str
    status: str  # draft | submitted | returned | approved
    last_year: bool  # also gets last year's (approved) form
    form: Form
    source: str  # seed | corpus:NNN | draft:NNN (see README.md)
    notes: tuple[str, ...]  # import notes of a draft (what the published text did not contain)
    expect: tuple[str, ...]  # finding codes a deliberately flawed form must produce


def departments() -> list[str]:
    """The demo bureau's departments (主管部门分组), in order."""
    result: list[str] = _manifest()["departments"]
    return result


def not_started() -> list[tuple[str, str]]:
    """Units that have not begun their form yet: (单位, department)."""
    return [(name, department) for name, department in _manifest()["not_started"]]


def units() -> list[DemoUnit]:
    """Every demo unit, in the order of scripts/demo_units.toml."""
    here = files(__name__)
    return [
        DemoUnit(entry["unit"], entry["department"], entry["status"], entry["last_year"],
                 jsonio.loads(here.joinpath(entry["form"]).read_bytes(), entry["form"]), entry["source"],
                 tuple(entry["notes"]), tuple(entry["expect"]))
        for entry in _manifest()["units"]
    ]


def _manifest() -> dict[str, list]:  # type: ignore[type-arg]
    data: dict[str, list] = json.loads(files(__name__).joinpath("units.json").read_text("utf-8"))  # type: ignore[type-arg]
    return data
