"""Format detection by content, the --format option and the `jixiao parse` command."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import InputError
from jixiao.io import jsonio, read, read_bytes
from jixiao.io.sniff import HEAD_BYTES, WHOLE_BYTES, sniff, sniff_read
from jixiao.model import Form

Truth = Callable[[str], str]
AsTruth = Callable[[Form], str]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "qiannan-2022.json"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("seed.xlsx", "xlsx"), ("seed.xls", "xls"), ("seed.docx", "docx"), ("seed.pdf", "pdf")],
)
def test_format_is_judged_by_content_not_extension(
    name: str, expected: str, tmp_path: Path, seed_json: str
) -> None:
    disguised = tmp_path / "form.txt"
    shutil.copy(FIXTURES / name, disguised)
    assert sniff(disguised) == expected
    assert jsonio.dumps(read(disguised)[0]) == seed_json


def test_json_and_text_are_told_apart(tmp_path: Path) -> None:
    assert sniff(EXAMPLE) == "json"
    text = tmp_path / "form.xls"  # an HTML/text table saved as .xls is common
    text.write_text("部门整体支出绩效目标自评表\n（2022年度）\n", encoding="gb18030")
    assert sniff(text) == "text"


def test_json_goes_through_the_canonical_reader(seed_json: str) -> None:
    form, notes = read(EXAMPLE)
    assert jsonio.dumps(form) == seed_json and notes == []


def test_a_small_form_is_read_once(tmp_path: Path, seed_json: str) -> None:
    """Sniffing reads a small file whole and the JSON or text reader takes those bytes: the file is opened once
    (a batch reads every file; twice cost a worker a tenth of its time)."""
    spaced = tmp_path / "spaced.json"  # longer than the head sniffing judges by
    spaced.write_text(seed_json.replace("\n", "\n" + " " * 20), encoding="utf-8")
    assert spaced.stat().st_size > HEAD_BYTES
    assert sniff_read(spaced) == ("json", spaced.read_bytes())
    opened: list[object] = []
    real_open = Path.open

    def counted(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "open", counted)
        form, _ = read(spaced)
    assert jsonio.dumps(form) == seed_json and opened == [spaced]


def test_a_large_form_is_read_by_its_reader(tmp_path: Path, seed_json: str) -> None:
    """A file above the whole-read size is sniffed by its head; the JSON reader reads it itself."""
    large = tmp_path / "large.json"  # white space after the form is still valid JSON
    large.write_text(seed_json + " " * WHOLE_BYTES, encoding="utf-8")
    assert sniff_read(large) == ("json", None)
    assert jsonio.dumps(read(large)[0]) == seed_json


def test_format_option_must_agree_with_the_content() -> None:
    with pytest.raises(InputError) as caught:
        read(FIXTURES / "seed.xlsx", format="pdf")
    assert "xlsx" in caught.value.message and caught.value.place == str(FIXTURES / "seed.xlsx")
    with pytest.raises(InputError):
        read(FIXTURES / "seed.xlsx", format="csv")


def test_explicit_format_reads(seed_json: str) -> None:
    assert jsonio.dumps(read(FIXTURES / "seed.xls", format="xls")[0]) == seed_json


runner = CliRunner()


def test_parse_prints_canonical_json(seed_json: str) -> None:
    result = runner.invoke(app, ["parse", str(FIXTURES / "seed.docx")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == seed_json


def test_parse_writes_the_output_file_and_notes_go_to_stderr(tmp_path: Path, seed_json: str) -> None:
    out = tmp_path / "form.json"
    result = runner.invoke(app, ["parse", str(FIXTURES / "two-forms.xlsx"), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text("utf-8").strip() == seed_json
    assert result.stdout == ""
    assert "I11" in result.stderr and "中江水利" in result.stderr


def test_parse_sheet_option(truth_json: Truth, as_truth: AsTruth) -> None:
    result = runner.invoke(app, ["parse", str(FIXTURES / "two-forms.xlsx"), "--sheet", "中江水利"])
    assert result.exit_code == 0
    assert as_truth(jsonio.loads(result.stdout)) == truth_json("012")


def test_bytes_are_read_under_their_own_name(seed_json: str) -> None:
    form, _ = read_bytes((FIXTURES / "seed.xlsx").read_bytes(), "上传.xlsx")
    assert jsonio.dumps(form) == seed_json
    where = form.where("indicators[0].target")
    assert where is not None and where.file == "上传.xlsx"
    with pytest.raises(InputError) as caught:
        read_bytes(b"", "empty.xlsx")
    assert caught.value.place == "empty.xlsx"


def test_parse_reads_stdin(seed_json: str) -> None:
    result = runner.invoke(app, ["parse", "-"], input=(FIXTURES / "seed.docx").read_bytes())
    assert result.exit_code == 0
    assert result.stdout.strip() == seed_json
    bad = runner.invoke(app, ["parse", "-"], input=b"\x00\x01garbage")
    assert bad.exit_code == 2 and "<stdin>" in bad.stderr
