"""``python -m jixiao`` and the ``jixiao`` command.

The command line is imported inside :func:`main`, so that Ctrl-C while it loads (typer, rich, pydantic:
a few tenths of a second) ends like Ctrl-C in a command — one line, exit 130 — not in a traceback.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import resources


def main() -> None:
    try:
        from .cli import main as command_line
    except KeyboardInterrupt:
        # the catalogue read beside this file: importing jixiao.cli again to find it would load it all again
        catalogue = tomllib.loads(resources.files(__package__ or "jixiao").joinpath("cli", "zh.toml")
                                  .read_text(encoding="utf-8"))
        print(catalogue["usage"]["interrupted"], file=sys.stderr)
        sys.exit(130)
    command_line()


if __name__ == "__main__":
    main()
