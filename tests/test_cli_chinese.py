"""The command line as a finance officer meets it: help, usage and errors in Chinese, tables that wrap."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from jixiao import __version__
from jixiao.cli import app

from .conftest import EXAMPLES

SEED = str(EXAMPLES / "qiannan-2022.json")
#: typer/click/pydantic English that must never reach a user.
ENGLISH = re.compile(r"Usage:|Show this message|Missing argument|No such (command|option)|Try '|\[default:|"
                     r"\[required\]|<bool>|<int>|<str>|<path>|Invalid value|Input should|Got unexpected|"
                     r"Install completion|Options|Commands|Arguments|Error")
COMMANDS = ["parse", "score", "audit", "export", "batch", "report", "profiles", "checks", "schema", "serve",
            "demo", "createadmin", "import-org"]


def _flat(text: str) -> str:
    """The text without table borders and white space: a wrapped cell reads as one string again."""
    return re.sub(r"[│┃┏┓┗┛┡┩└┘━─┳┻╇┼╭╮╯╰\s]", "", text)


def _run(*args: str, width: int = 80, **kwargs: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(width), "NO_COLOR": "1"}, **kwargs)  # type: ignore[arg-type]
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
@pytest.mark.parametrize("width", [60, 120])  # option names never wrap in typer: 60 columns fit them
def test_help_is_chinese_and_never_cut(command: list[str], width: int) -> None:
    code, text = _run(*command, "--help", width=width)
    assert code == 0, text
    assert "用法：" in text and "显示此帮助并退出" in _flat(text)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert "…" not in text


@pytest.mark.parametrize("command", COMMANDS)
def test_help_at_narrow_widths_keeps_each_line_of_help_whole(command: list[str]) -> None:
    """Below 60 columns an option's help had a dozen columns beside its name and type, two or three
    characters a line; now it has the width under them, and nothing is lost or wider than the screen."""
    code, text = _run(command, "--help", width=40)
    assert code == 0, text
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "│   显示此帮助并退出" in text  # the help option's text on one line, under its name
    assert not ENGLISH.search(text) and "…" not in text
    wide = _flat(_run(command, "--help", width=120)[1])
    for word in ("显示此帮助并退出", "[默认：", "[必填]"):
        assert _flat(text).count(word) == wide.count(word), word


def test_every_command_is_listed_with_its_whole_first_sentence() -> None:
    _, text = _run("--help", width=200)
    for command in COMMANDS:
        assert re.search(rf"│ {command}\s", text), command
    assert "输出 forms / indicators / findings 三张表。" in text


@pytest.mark.parametrize(("args", "expected"), [
    (["scor"], "没有命令“scor”；是否想用：'score'"),
    (["nosuch"], "没有命令“nosuch”"),
    (["score"], "缺少参数 表单文件"),
    (["score", SEED, "--nope"], "没有选项 --nope"),
    (["score", SEED, "extra"], "多余的参数：extra"),
    (["export", SEED, "--to", "docx"], "--to / -t 的值无效：'docx' 不是可选的值"),
    (["export", SEED], "缺少选项 --to / -t"),
    (["batch", SEED, "--workers", "abc"], "--workers / -w 的值无效：应为整数"),
    (["serve", "--port", "x"], "--port 的值无效：应为整数"),
])
def test_usage_errors_are_one_chinese_line_with_usage_and_help_hint(args: list[str], expected: str) -> None:
    code, text = _run(*args)
    assert code == 2
    assert expected in text, text
    assert "用法：" in text and "查看帮助" in text and "错误 " in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_an_option_without_its_value() -> None:
    code, text = _run("score", SEED, "--profile")
    assert code == 2 and "错误 选项 --profile 需要一个值" in text and not ENGLISH.search(text)


def test_version_and_completion() -> None:
    assert _run("--version") == (0, f"jixiao {__version__}\n")
    code, text = _run("--show-completion", "bash")
    assert code == 0 and "complete" in text


def test_findings_table_wraps_message_and_place_at_any_width() -> None:
    findings = json.loads(CliRunner().invoke(app, ["audit", SEED, "--json"]).stdout)["findings"]
    for width in (30, 60, 100):
        code, text = _run("audit", SEED, width=width)
        assert code == 1 and "…" not in text
        cells = _flat(text)
        for finding in findings:  # every character of every message and place is printed, in order per cell
            for part in (finding["message"], finding["location"]):
                assert all(ch in cells for ch in re.sub(r"\s", "", part))
    _, score = _run("score", SEED, width=30)
    assert "…" not in score
