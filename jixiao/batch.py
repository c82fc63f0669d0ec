"""Batch mode (批量复核): score and audit every form under some folders into three tables.

The pipeline, one stage per function:

1. :func:`discover` walks the paths and yields every entry it meets — a file to read or a problem
   (broken symlink, symlink loop, FIFO, unlistable folder) with its reason. Nothing is skipped silently.
2. :class:`Triage` hashes each file (sha256) and decides: empty, too large, unreadable, a duplicate of
   an earlier file, already done in a previous run (cache), or to be processed.
3. :func:`process_chunk` — the only function that runs on workers (process pool or Dask cluster) —
   reads, scores and audits a chunk of files and returns their rows as Arrow record batches plus
   ready-made CSV text and deflated sheet XML, so the parent process only writes bytes. A chunk crosses
   the process boundary as LZ4-compressed Arrow IPC and CSV (:meth:`Chunk.__reduce__`): an eighth of
   the bytes to pipe.
4. A form with a target relative to last year (比上年增长5%) that found no last year's form in its own
   chunk is held back (:func:`awaiting_last_year`) and scored again at the end with the same unit's
   form of the previous year, when the run has one (:class:`Years`); its rows come last.
5. :class:`Sinks` stream the rows into Parquet, CSV (UTF-8 with BOM) and one xlsx workbook
   (:mod:`jixiao.report.xlsxstream`: no cell objects, nothing held per sheet).

Memory stays flat: at most ``window`` chunks are in flight, each of at most 128 forms.
Outputs are written under a temporary folder inside ``--out`` and moved into place at the end, so a
crashed run never leaves half-written tables next to a manifest that claims them. An interrupted run
(Ctrl-C) keeps the Parquet rows of the chunks it finished as a *finished part* (``.resume/``): the next
run takes those forms from it instead of processing them again (:func:`finished_parts`).
"""

from __future__ import annotations

import codecs
import errno
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import stat
import tempfile
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]
import pyarrow.ipc as pa_ipc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from . import __version__
from .analytics import execution_figures
from .audit import Finding, counts, evaluate
from .audit.waivers import Waiver, apply_waivers, is_open
from .errors import InputError, os_reason
from .io import ImportNote, read
from .io.notes import doubted_paths
from .io.sniff import check_known_size
from .model import Form, name_key, unit_key
from .report.spreadsheet import FORMULA_TRIGGER_PATTERN
from .report.xlsxstream import (
    Fragment,
    SheetSeries,
    StreamingWorkbook,
    arrow,
    join_fragments,
    per_value,
    plain_decimal_text,
    rows_fragment,
)
from .rules import AUTO, load_profile, resolve_profile
from .scoring import Scorecard
from .targets import Target

#: Exact decimals in Parquet: 28 integer and 10 fractional digits hold every amount, weight and
#: score a form can carry; a value that does not fit makes its file an error row, never a rounded one.
DECIMAL_SCALE = 10
DECIMAL_TYPE = pa.decimal128(38, DECIMAL_SCALE)
TABLES = ("forms", "indicators", "findings")
FORMATS = ("parquet", "csv", "xlsx")
DEFAULT_FORMATS = FORMATS  # what ``jixiao batch`` writes unless --formats says otherwise
MANIFEST = "manifest.json"
SUMMARY = "summary.json"
#: Where an interrupted run keeps the chunks it finished, one folder per interrupted run (``part-…``).
RESUME_DIR = ".resume"
XLSX_NAME = "jixiao-batch.xlsx"
#: Rows per Parquet row group: a group per chunk costs the parent more CPU and the file more bytes (every
#: group repeats its dictionaries and statistics); larger groups would raise the parent's peak memory.
ROW_GROUP_ROWS = 4096

ColumnKind = Literal["str", "int", "dec", "bool"]
Status = Literal["ok", "error", "duplicate"]

FORM_COLUMNS: list[tuple[str, ColumnKind]] = [
    ("file", "str"), ("status", "str"), ("message", "str"), ("sha256", "str"),
    ("kind", "str"), ("year", "int"), ("unit", "str"), ("department", "str"), ("project", "str"),
    ("profile", "str"), ("total_declared", "dec"), ("total", "dec"), ("national_total", "dec"), ("gap", "dec"),
    ("grade", "str"),
    ("declared_sum", "dec"), ("budget", "dec"), ("executed", "dec"), ("execution_rate", "dec"),
    ("execution_weight", "dec"), ("execution_score", "dec"), ("execution_declared", "dec"),
    ("indicators_weight", "dec"), ("indicators_declared", "dec"), ("indicators_score", "dec"),
    ("n_indicators", "int"), ("errors", "int"), ("warnings", "int"), ("infos", "int"), ("import_notes", "int"),
]
INDICATOR_COLUMNS: list[tuple[str, ColumnKind]] = [
    ("file", "str"), ("sha256", "str"), ("unit", "str"), ("project", "str"), ("year", "int"),
    ("index", "int"), ("level1", "str"), ("level2", "str"), ("name", "str"),
    ("target_text", "str"), ("target_kind", "str"), ("target_op", "str"), ("target_number", "dec"),
    ("target_unit", "str"), ("actual_text", "str"), ("actual_kind", "str"), ("actual_number", "dec"),
    ("actual_unit", "str"), ("weight", "dec"), ("declared", "dec"), ("score", "dec"), ("method", "str"),
    ("met", "bool"),
]
FINDING_COLUMNS: list[tuple[str, ColumnKind]] = [
    ("file", "str"), ("sha256", "str"), ("unit", "str"), ("year", "int"),
    ("code", "str"), ("severity", "str"), ("location", "str"), ("path", "str"), ("message", "str"),
    ("doubt", "bool"), ("waived", "bool"), ("waiver", "str"),
]
COLUMNS: dict[str, list[tuple[str, ColumnKind]]] = {
    "forms": FORM_COLUMNS, "indicators": INDICATOR_COLUMNS, "findings": FINDING_COLUMNS,
}
#: Where each column stands in a row of its table (rows are tuples in the columns' order).
AT: dict[str, dict[str, int]] = {table: {name: i for i, (name, _) in enumerate(cols)} for table, cols in COLUMNS.items()}
FORM_AT = AT["forms"]
_ARROW_TYPES: dict[ColumnKind, pa.DataType] = {
    "str": pa.string(), "int": pa.int64(), "dec": DECIMAL_TYPE, "bool": pa.bool_(),
}
SCHEMAS: dict[str, pa.Schema] = {
    name: pa.schema([(col, _ARROW_TYPES[kind]) for col, kind in cols]) for name, cols in COLUMNS.items()
}

#: Text columns whose values come from jixiao's own vocabulary (codes, kinds, hashes), never from a file.
OWN_VOCABULARY = frozenset({"status", "sha256", "kind", "profile", "grade", "target_kind", "target_op",
                            "actual_kind", "method", "code", "severity"})

#: The values the parent compares per chunk, as Arrow scalars made once (:func:`~jixiao.report.xlsxstream.arrow`).
OK, RELATIVE, DECLARED = arrow("ok"), arrow("relative"), arrow("declared")

#: The formats a worker prepares besides the Arrow batches (Parquet is written from those).
Outputs = frozenset[str]
Row = tuple[Any, ...]
FileRows = tuple[list[Row], list[Row], list[Row]]  # one file's forms, indicators and findings rows


# --- 1. discovery ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    """Something found under the paths: a regular file to read, or a problem with its reason."""

    path: str
    problem: str | None = None
    size: int = 0  # of a file, from the walk's own stat (triage need not stat it again)


def _classify(path: str) -> tuple[str, str | None, tuple[int, int] | None, int]:
    """``("dir"|"file"|"problem", reason, (device, inode), size)`` of one entry, following symlinks."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "problem", "符号链接无效（目标不存在）" if os.path.islink(path) else "文件不存在", None, 0
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a symlink pointing (indirectly) at itself
            return "problem", "符号链接循环（链接指向自身）", None, 0
        return "problem", f"无法访问：{exc.strerror}", None, 0
    key = info.st_dev, info.st_ino
    if stat.S_ISDIR(info.st_mode):
        return "dir", None, key, 0
    if stat.S_ISREG(info.st_mode):
        return "file", None, key, info.st_size
    what = "管道（FIFO）" if stat.S_ISFIFO(info.st_mode) else "套接字或设备文件"
    return "problem", f"不是普通文件（{what}），未读取", key, 0


def discover(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Iterator[Entry]:
    """Every file under ``paths`` (recursively, sorted, symlinks followed) or a problem with its reason.

    A folder reached a second time — a symlink loop or two links to one folder — is reported once as
    a problem instead of being walked again; ``exclude`` folders (the output folder) are not walked.
    """
    excluded = {key for p in exclude if (key := _classify(str(p))[2]) is not None}
    seen: dict[tuple[int, int], str] = {}
    stack: list[str] = [str(p) for p in reversed(list(paths))]
    while stack:
        path = stack.pop()
        kind, reason, key, size = _classify(path)
        if kind == "file":
            yield Entry(path, size=size)
        elif kind == "problem":
            yield Entry(path, reason)
        elif key not in excluded:
            assert key is not None
            if key in seen:
                yield Entry(path, f"符号链接循环或重复的目录（与 {seen[key]} 是同一目录），未重复遍历")
                continue
            seen[key] = path
            try:
                names = sorted(os.listdir(path))
            except OSError as exc:
                yield Entry(path, f"无法列出目录内容：{exc.strerror}")
                continue
            stack.extend(os.path.join(path, name) for name in reversed(names))


# --- 2. triage ---------------------------------------------------------------------------------

@dataclass(slots=True)
class Triage:
    """Decides per file: process, take from the cache, or list with a reason."""

    cached: set[str]
    first_seen: dict[str, str] = field(default_factory=dict)

    def decide(self, entry: Entry) -> tuple[str, str | None, str | None]:
        """``(action, sha256, reason)`` with action ``process`` | ``cached`` | ``duplicate`` | ``error``."""
        if entry.problem is not None:
            return "error", None, entry.problem
        try:
            check_known_size(entry.size, entry.path)  # the importers' own limits: empty and oversized files are not read
            digest = file_sha256(entry.path)
        except InputError as exc:
            return "error", None, str(exc)
        except OSError as exc:
            return "error", None, f"无法读取文件：{exc.strerror}"
        if digest in self.first_seen:
            first = self.first_seen[digest]
            if os.path.realpath(first) == os.path.realpath(entry.path):
                return "duplicate", digest, f"与 {first} 是同一个文件（重复给出或经符号链接到达），只处理一次"
            return "duplicate", digest, f"与 {first} 内容相同（重复文件），只处理一次"
        self.first_seen[digest] = entry.path
        return ("cached" if digest in self.cached else "process"), digest, None


#: Bytes hashed per read: a form is read in one, a large file in steps (``hashlib.file_digest`` would
#: allocate and clear a 256 KB buffer for every file, more than hashing a form costs).
HASH_BLOCK = 1 << 20


def file_sha256(path: str) -> str:
    """The file's sha256, read with the operating system's calls: the parent hashes every file of the run, and a
    Python file object (its buffer, the terminal and position checks it makes on opening) cost a third of that."""
    digest = hashlib.sha256()
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        while block := os.read(descriptor, HASH_BLOCK):
            digest.update(block)
    finally:
        os.close(descriptor)
    return digest.hexdigest()


# --- 3. per-file work (runs on the workers) ------------------------------------------------------

#: How a chunk travels from a worker to the parent: paths, hashes and messages repeat on every row,
#: so LZ4 shrinks the payload about eightfold for less CPU than copying it through a pipe uncompressed.
WIRE_CODEC = pa.Codec("lz4")


@dataclass(slots=True)
class Chunk:
    """The rows of some files, per table: an Arrow record batch and, if asked for, the same rows as CSV
    text and as a deflated sheet fragment."""

    batches: dict[str, pa.RecordBatch]
    csv: dict[str, bytes]
    xlsx: dict[str, Fragment]
    errors: int
    files: int

    def __reduce__(self) -> tuple[Callable[..., Chunk], tuple[Any, ...]]:
        """Pickled (to the parent process or a Dask client) as compressed Arrow IPC and CSV bytes; the sheet
        fragments are deflated already."""
        return unpack_chunk, ([pack_batch(self.batches[n]) for n in TABLES],
                              {n: (len(c), WIRE_CODEC.compress(c, asbytes=True)) for n, c in self.csv.items()},
                              self.xlsx, self.errors, self.files)


def pack_batch(batch: pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    options = pa_ipc.IpcWriteOptions(compression=WIRE_CODEC.name)
    with pa_ipc.new_stream(sink, batch.schema, options=options) as writer:
        writer.write_batch(batch)
    return bytes(sink.getvalue())


def unpack_chunk(batches: list[bytes], csv: dict[str, tuple[int, bytes]], xlsx: dict[str, Fragment], errors: int,
                 files: int) -> Chunk:
    """The parent's copy of a worker's chunk, in memory from ``malloc``: Arrow's default pool would keep
    tens of MB of freed decompression buffers cached, and the parent's peak memory would grow with N."""
    pool = pa.system_memory_pool()
    return Chunk({n: pa_ipc.open_stream(b, memory_pool=pool).read_next_batch()
                  for n, b in zip(TABLES, batches, strict=True)},
                 {n: WIRE_CODEC.decompress(data, decompressed_size=size, asbytes=True, memory_pool=pool)
                  for n, (size, data) in csv.items()},
                 xlsx, errors, files)


def error_row(path: str, status: Status, message: str, sha256: str | None = None) -> Row:
    row: list[Any] = [None] * len(FORM_COLUMNS)
    row[0], row[1], row[2], row[3] = path, status, message, sha256
    return tuple(row)


def form_row(path: str, sha256: str, form: Form, card: Scorecard, findings: list[Finding],
             notes: list[ImportNote]) -> Row:
    gap = None if card.total_declared is None else card.total_declared - card.total
    n = counts(findings)
    return (path, "ok", None, sha256, form.kind, form.year, form.unit, form.department, form.project,
            card.profile, card.total_declared, card.total, card.national_total, gap, card.grade, card.declared_sum,
            *execution_figures(form, card).values(),
            len(card.indicators), n["error"], n["warning"], n["info"], len(notes))


def _target_cells(target: Target) -> tuple[str, str, str | None, Decimal | None, str | None]:
    return target.text, target.kind, target.op, target.number, target.unit


def indicator_rows(path: str, sha256: str, form: Form, card: Scorecard) -> list[Row]:
    rows = []
    for i in card.indicators:
        target_text, target_kind, op, number, unit = _target_cells(i.target)
        actual_text, actual_kind, _, actual_number, actual_unit = _target_cells(i.actual)
        rows.append((path, sha256, form.unit, form.project, form.year, i.index, i.level1, i.level2, i.name,
                     target_text, target_kind, op, number, unit, actual_text, actual_kind, actual_number,
                     actual_unit, i.weight if i.weight_known else None, i.declared, i.score, i.method, i.met))
    return rows


def finding_rows(path: str, sha256: str, form: Form, findings: list[Finding]) -> list[Row]:
    """The importer's notes and the audit's findings; a waived one is listed as waived (审核豁免), never dropped."""
    head = (path, sha256, form.unit, form.year)
    return [(*head, f.code, f.severity, f.location, f.path, f.message, f.doubt, not is_open(f),
             f.waiver.describe() if f.waiver else None) for f in findings]


def check_exact(name: str, rows: list[Row]) -> None:
    """Every decimal fits the Parquet column exactly; otherwise the file is an error, not rounded."""
    columns = [(i, col) for i, (col, kind) in enumerate(COLUMNS[name]) if kind == "dec"]
    for row in rows:
        for i, col in columns:
            value: Decimal | None = row[i]
            if value is None:
                continue
            _sign, digits, exponent = value.as_tuple()
            if (not value.is_finite() or not isinstance(exponent, int) or exponent < -DECIMAL_SCALE
                    or len(digits) + exponent > 38 - DECIMAL_SCALE):
                raise InputError(f"数值 {value} 超出可精确保存的范围（最多 {38 - DECIMAL_SCALE} 位整数、"
                                 f"{DECIMAL_SCALE} 位小数）", f"{row[0]}: {name}.{col}")


@dataclass(frozen=True, slots=True)
class Rules:
    """What every file of a run is judged by: the profile (``auto``: each form's own) and the reviewers' waivers.

    A waiver that names its form (``form``, the file name ``jixiao waive`` was given) applies to that file
    only; one without applies to every form, and lapses wherever the field it waived differs.
    """

    profile_id: str
    waivers: tuple[Waiver, ...] = ()

    def waivers_of(self, path: str) -> list[Waiver]:
        """The waivers that may apply to the file at ``path``: those of its form's identity (judged by
        :func:`~jixiao.audit.waivers.apply_waivers`), and older waivers without one that name its base name."""
        name = Path(path).name
        return [w for w in self.waivers if w.form is None or w.identity is not None or Path(w.form).name == name]

    def digest(self) -> str:
        """What a cached result depends on besides the file: the profile and the waivers."""
        text = json.dumps([self.profile_id, [w.model_dump(mode="json") for w in self.waivers]], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def process_file(path: str, sha256: str, rules: Rules, last_year: str | None = None) -> FileRows:
    """Read, score and audit one file into its rows; any failure becomes an error row with the reason.
    ``last_year`` is the file of the same unit's form of the previous year (relative targets)."""
    try:
        form, notes = read(path)
        previous = read(last_year)[0] if last_year else None
        card, audited = evaluate(form, resolve_profile(rules.profile_id, form), doubted_paths(notes), previous)
        findings = [*(note.as_finding() for note in notes), *audited]
        if rules.waivers:
            findings = apply_waivers(findings, form, rules.waivers_of(path), path)
        return ([form_row(path, sha256, form, card, findings, notes)], indicator_rows(path, sha256, form, card),
                finding_rows(path, sha256, form, findings))
    except InputError as exc:
        return [error_row(path, "error", str(exc), sha256)], [], []
    except Exception as exc:  # defensive: a bug or a hostile file must not stop the batch
        return [error_row(path, "error", f"处理失败（{type(exc).__name__}：{exc}）", sha256)], [], []


def to_batch(name: str, rows: list[Row]) -> pa.RecordBatch:
    schema = SCHEMAS[name]
    if not rows:
        return pa.RecordBatch.from_pylist([], schema=schema)
    columns = list(zip(*rows, strict=True))
    return pa.RecordBatch.from_arrays([pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)],
                                      schema=schema)


def defused(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    return pc.replace_substring_regex(column, FORMULA_TRIGGER_PATTERN, r"'\1")


def csv_bytes(batch: pa.RecordBatch) -> bytes:
    """The rows of a batch as CSV (no header), exact decimals, formulas defused — all in Arrow's C++."""
    if not batch.num_rows:
        return b""
    columns = list(batch.columns)
    decimals = [i for i, c in enumerate(columns) if pa.types.is_decimal(c.type)]
    free_text = [i for i, (name, c) in enumerate(zip(batch.schema.names, columns, strict=True))
                 if name not in OWN_VOCABULARY and pa.types.is_string(c.type)]
    for indices, convert in ((decimals, plain_decimal_text), (free_text, defused)):
        if indices:  # one call over all such columns end to end: each call has a fixed cost (regex compiling)
            converted = per_value(convert, pa.concat_arrays([columns[i] for i in indices]))
            for k, i in enumerate(indices):
                columns[i] = converted.slice(k * batch.num_rows, batch.num_rows)
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(pa.RecordBatch.from_arrays(columns, names=batch.schema.names), sink,
                     pa_csv.WriteOptions(include_header=False))
    return bytes(sink.getvalue())


def chunk_of(batches: dict[str, pa.RecordBatch], outputs: Outputs, errors: int, files: int) -> Chunk:
    """The batches with the CSV text and sheet fragments of the outputs asked for."""
    csv = {n: csv_bytes(b) for n, b in batches.items()} if "csv" in outputs else {}
    xlsx = {n: rows_fragment(b) for n, b in batches.items() if b.num_rows} if "xlsx" in outputs else {}
    return Chunk(batches, csv, xlsx, errors, files)


def make_chunk(tables: dict[str, list[Row]], outputs: Outputs) -> Chunk:
    forms = tables["forms"]
    errors = sum(1 for row in forms if row[FORM_AT["status"]] == "error")
    return chunk_of({n: to_batch(n, rows) for n, rows in tables.items()}, outputs, errors, len(forms))


def exactness_problem(tables: FileRows) -> str | None:
    """Why a file's decimals do not fit the Parquet columns exactly, naming the field; None if they do."""
    try:  # the indicators first: they hold the values as written, the form row only their sums
        for name, rows in (("indicators", tables[1]), ("forms", tables[0]), ("findings", tables[2])):
            check_exact(name, rows)
    except InputError as exc:
        return str(exc)
    return None


def combined(results: list[FileRows]) -> dict[str, list[Row]]:
    return {name: [row for result in results for row in result[i]] for i, name in enumerate(TABLES)}


def storable_or_error(result: FileRows, outputs: Outputs) -> FileRows:
    """A file's rows if they can be stored, else its error row with the reason."""
    try:
        make_chunk(combined([result]), outputs)
        return result
    except Exception as exc:
        path, sha256 = result[0][0][0], result[0][0][3]
        reason = exactness_problem(result) or f"{path}: 无法写入结果表（{type(exc).__name__}：{exc}）"
        return [error_row(path, "error", reason, sha256)], [], []


def process_chunk(items: list[tuple[str, str]], rules: Rules, outputs: Outputs) -> Chunk:
    """The worker task: ``(path, sha256)`` pairs → their rows (on a pool process or a Dask worker)."""
    results = [process_file(path, sha256, rules) for path, sha256 in items]
    try:
        return make_chunk(combined(results), outputs)
    except Exception:  # rare (an inexact decimal, a lone surrogate…): only the culprit files become errors
        return make_chunk(combined([storable_or_error(result, outputs) for result in results]), outputs)


# --- 4. executors ------------------------------------------------------------------------------

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")
Item = TypeVar("Item")


class Pending(Protocol[T_co]):
    """A submitted task: a ``concurrent.futures.Future`` or a ``distributed.Future``."""

    def result(self) -> T_co: ...


class Runner(Protocol):
    rules: Rules
    outputs: Outputs
    slots: int  # tasks that can run at once: how many chunks to keep in flight

    def submit(self, items: list[tuple[str, str]]) -> Pending[Chunk]: ...
    def call(self, task: Callable[..., Any], *args: Any) -> Pending[Any]: ...
    def recover(self, failed: Pending[Any]) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


class InlineRunner:
    """One worker: process in this process (no pickling, no second core)."""

    def __init__(self, rules: Rules, outputs: Outputs) -> None:
        self.rules, self.outputs, self.slots = rules, outputs, 1

    def submit(self, items: list[tuple[str, str]]) -> Future[Chunk]:
        return self.call(process_chunk, items, self.rules, self.outputs)

    def call(self, task: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(task(*args))
        except Exception as exc:  # handled like a failed pool task
            future.set_exception(exc)
        return future

    def recover(self, failed: Pending[Any]) -> None:
        pass

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


def _start_worker() -> None:
    """A pool worker leaves Ctrl-C to the parent: it stops the run once and keeps what is finished (each worker
    would otherwise print its own traceback).

    Its Arrow work runs on its own thread: the pool has a process per core already, and Arrow's thread pool
    only handed each small chunk's columns between threads (futex waits were half a worker's system time).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)


class PoolRunner:
    """A process pool; a worker that dies (a crashing native library) is replaced, the run goes on."""

    task: Callable[[list[tuple[str, str]], Rules, Outputs], Chunk] = staticmethod(process_chunk)

    def __init__(self, rules: Rules, workers: int, outputs: Outputs) -> None:
        self.rules, self.outputs, self.slots = rules, outputs, workers
        self.context = multiprocessing.get_context()  # the platform's start method, named to know if it forks
        self.pool = self._new_pool()
        self.started = False  # whether the pool's first task started its workers
        self.pools: weakref.WeakKeyDictionary[Future[Any], ProcessPoolExecutor] = weakref.WeakKeyDictionary()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.slots, mp_context=self.context, initializer=_start_worker)

    def submit(self, items: list[tuple[str, str]]) -> Future[Chunk]:
        return self.call(self.task, items, self.rules, self.outputs)

    def call(self, task: Callable[..., Any], *args: Any) -> Future[Any]:
        try:
            future = self._submit(task, *args)
        except BrokenProcessPool:
            self._replace()
            future = self._submit(task, *args)
        self.pools[future] = self.pool
        return future

    def _submit(self, task: Callable[..., Any], *args: Any) -> Future[Any]:
        if self.started or self.context.get_start_method() != "fork":
            return self.pool.submit(task, *args)
        # The first task starts the workers, here by forking the parent: with the parent's objects frozen, a
        # worker's garbage collector never walks them, and the memory pages they share with the parent stay
        # shared instead of being copied (a tenth of the workers' page faults and CPU). A worker spawned afresh
        # shares nothing, so other start methods have nothing to freeze.
        gc.freeze()
        try:
            return self.pool.submit(task, *args)
        finally:
            gc.unfreeze()
            self.started = True

    def recover(self, failed: Pending[Any]) -> None:
        """A new pool if ``failed`` ran on the current one: the tasks in flight on a pool that broke all fail, and
        only the first of them replaces it (the others would shut down the new pool and its tasks)."""
        if self.pools.get(failed) is self.pool:  # type: ignore[call-overload]
            self._replace()

    def _replace(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()
        self.started = False

    def close(self) -> None:
        self.pool.shutdown()

    def abort(self) -> None:
        """Stop at once (Ctrl-C): the chunks in flight are dropped, their files are processed next time."""
        processes = dict(getattr(self.pool, "_processes", None) or {})  # the executor has no public handle
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.join()


class DaskRunner:
    """An existing Dask cluster: the same :func:`process_chunk` on every worker (shared file system)."""

    def __init__(self, rules: Rules, address: Any, outputs: Outputs) -> None:
        from distributed import Client

        self.rules, self.outputs = rules, outputs
        try:
            self.client = Client(address)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"无法连接 Dask 集群：{exc}", "--dask") from None
        threads = self.client.nthreads()  # type: ignore[no-untyped-call]
        self.slots = max(1, sum(threads.values()))  # every worker thread of the cluster

    def submit(self, items: list[tuple[str, str]]) -> Pending[Chunk]:
        future: Pending[Chunk] = self.call(process_chunk, items, self.rules, self.outputs)
        return future

    def call(self, task: Callable[..., Any], *args: Any) -> Pending[Any]:
        future: Pending[Any] = self.client.submit(task, *args, pure=False)
        return future

    def recover(self, failed: Pending[Any]) -> None:
        pass

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]

    def abort(self) -> None:
        self.close()


def retried(runner: Runner, task: Pending[T], items: list[Item], alone: Callable[[Item], Pending[T]],
            failed: Callable[[Item, str], T]) -> list[T]:
    """The task's result (a list of one); if the task failed (or its worker died), each of its items is run again
    alone, one after another, and an item failing again is ``failed(item, message)``: only the culprit is lost."""
    try:
        return [task.result()]
    except Exception as exc:
        if isinstance(exc, BrokenProcessPool):
            runner.recover(task)
    results = []
    for item in items:
        single = alone(item)
        try:
            results.append(single.result())
        except Exception as exc:
            if isinstance(exc, BrokenProcessPool):
                runner.recover(single)
            results.append(failed(item, f"处理进程异常退出（{type(exc).__name__}：{exc}）"))
    return results


def resolve(runner: Runner, future: Pending[Chunk], items: list[tuple[str, str]]) -> Chunk:
    """A chunk's result; if its task failed (or its worker died), each file is retried alone, so only
    the culprit becomes an error row."""
    def failed(item: tuple[str, str], message: str) -> Chunk:
        return make_chunk({"forms": [error_row(item[0], "error", message, item[1])], "indicators": [],
                           "findings": []}, runner.outputs)

    chunks = retried(runner, future, items, lambda item: runner.submit([item]), failed)
    return chunks[0] if len(chunks) == 1 else merge_chunks(chunks)


def merge_chunks(chunks: list[Chunk]) -> Chunk:
    return Chunk({n: pa.concat_batches([c.batches[n] for c in chunks]) for n in TABLES},
                 {n: b"".join(c.csv[n] for c in chunks) for n in chunks[0].csv},
                 {n: join_fragments([c.xlsx[n] for c in chunks if n in c.xlsx]) for n in TABLES
                  if any(n in c.xlsx for c in chunks)},
                 sum(c.errors for c in chunks), sum(c.files for c in chunks))


def ordered_results(runner: Runner, chunks: Iterable[list[tuple[str, str]]], window: int) -> Iterator[Chunk]:
    """Results in submission order (deterministic tables) with at most ``window`` chunks in flight."""
    pending: deque[tuple[Pending[Chunk], list[tuple[str, str]]]] = deque()
    for items in chunks:
        pending.append((runner.submit(items), items))
        if len(pending) >= window:
            yield resolve(runner, *pending.popleft())
    while pending:
        yield resolve(runner, *pending.popleft())


# --- 5. writers --------------------------------------------------------------------------------

class Sinks:
    """Streaming writers of the three tables in the chosen formats, inside a staging folder."""

    def __init__(self, staging: Path, formats: Iterable[str]) -> None:
        self.staging, self.formats = staging, set(formats)
        self.done: set[str] = set()  # sha256 of the forms read, scored and audited
        # Parquet is always written: it is the cache of the next run and what `jixiao report` reads.
        # snappy: the codec every Parquet reader has, and half the parent's CPU of zstd.
        self.parquet = {n: pq.ParquetWriter(staging / f"{n}.parquet", SCHEMAS[n], compression="snappy")
                        for n in TABLES}
        self.pending: dict[str, list[pa.RecordBatch]] = {n: [] for n in TABLES}  # the next row group
        self.csv = {n: open(staging / f"{n}.csv", "wb")  # noqa: SIM115
                    for n in TABLES} if "csv" in self.formats else {}
        for n, handle in self.csv.items():  # UTF-8 with BOM: Excel then reads the Chinese correctly
            handle.write(codecs.BOM_UTF8 + (",".join(col for col, _ in COLUMNS[n]) + "\n").encode())
        self.workbook = StreamingWorkbook(staging / XLSX_NAME, staging) if "xlsx" in self.formats else None
        self.sheets = {n: SheetSeries(self.workbook, n, [c for c, _ in COLUMNS[n]])
                       for n in TABLES} if self.workbook else {}

    def write(self, chunk: Chunk) -> None:
        forms = chunk.batches["forms"]
        ok = pc.equal(forms["status"], OK)
        for n in TABLES:
            batch = chunk.batches[n]
            if not batch.num_rows:
                continue
            self.pending[n].append(batch)
            if sum(b.num_rows for b in self.pending[n]) >= ROW_GROUP_ROWS:
                self.flush_parquet(n)
            if n in self.csv:
                self.csv[n].write(chunk.csv[n])
            if n in self.sheets:
                self.sheets[n].append(batch, chunk.xlsx.get(n))
        # last, a second safeguard beside deferred_interrupts: a chunk is done only once all its rows are written
        self.done.update(h for h in forms["sha256"].filter(ok).to_pylist() if h)

    def flush_parquet(self, name: str) -> None:
        if self.pending[name]:
            self.parquet[name].write_table(pa.Table.from_batches(self.pending[name], SCHEMAS[name]))
            self.pending[name] = []

    def close_parquet(self) -> list[Path]:
        for name, writer in self.parquet.items():
            self.flush_parquet(name)
            writer.close()
        return [self.staging / f"{n}.parquet" for n in TABLES]

    def close(self) -> list[Path]:
        self.close_parquet()
        for handle in self.csv.values():
            handle.close()
        if self.workbook is not None:
            for sheets in self.sheets.values():
                if sheets.sheet is None:
                    sheets.start_sheet()  # an empty table still gets its sheet and header
            self.workbook.close()
        return sorted(self.staging.iterdir())


# --- 6. cache ----------------------------------------------------------------------------------

#: What a cached form was scored with besides its own file and the rules: for a form with a target relative
#: to last year (比上年增长5%), the sha256 of last year's form it used, ``""`` for none; None for every other form.
LastYearUsed = str | None


def manifest_text(rules: Rules, done: set[str], last_years: dict[str, str]) -> str:
    """The manifest of tables holding the forms ``done``; ``last_years`` names the last year's form each form
    with a relative target was scored with, so a later run scores it again when that changes."""
    return json.dumps({"jixiao": __version__, "profile": rules.profile_id, "rules": rules.digest(),
                       "done": sorted(done), "last_year": {h: last_years[h] for h in sorted(done & last_years.keys())}},
                      ensure_ascii=False)


def read_manifest(out: Path, rules: Rules) -> dict[str, LastYearUsed]:
    """Content hashes done by an earlier run (or kept in a finished part) with the same profile, waivers and
    engine version, with the last year's form each was scored with."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (data.get("profile") != rules.profile_id or data.get("rules") != rules.digest()
            or data.get("jixiao") != __version__ or not isinstance(data.get("last_year"), dict)):
        return {}  # a manifest without ``last_year`` cannot say which forms depend on another file
    try:  # only what the tables really hold: a file is never "cached" without its rows
        forms = pq.read_table(out / "forms.parquet", columns=["sha256", "status"])
    except (OSError, pa.ArrowException):
        return {}
    stored = set(forms.filter(pc.equal(forms["status"], "ok"))["sha256"].to_pylist())
    used = data["last_year"]
    return {digest: used.get(digest) for digest in stored & set(data.get("done", []))}


def finished_parts(out: Path) -> list[Path]:
    """The folders of finished chunks that interrupted runs kept in ``out`` (a part counts once its manifest
    is written, which is the last thing :func:`keep_finished` does)."""
    try:
        return sorted(p for p in (out / RESUME_DIR).iterdir() if (p / MANIFEST).is_file())
    except OSError:
        return []


def cache_sources(out: Path, rules: Rules) -> dict[str, tuple[Path, LastYearUsed]]:
    """sha256 → the folder whose tables hold that form's rows (a finished part, else the published tables) and
    the last year's form those rows were scored with."""
    sources: dict[str, tuple[Path, LastYearUsed]] = {}
    for folder in [*finished_parts(out), out]:
        for digest, used in read_manifest(folder, rules).items():
            sources.setdefault(digest, (folder, used))
    return sources


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run (已中断): ``kept`` forms were finished and kept for the next run to take."""

    def __init__(self, kept: int) -> None:
        super().__init__(kept)
        self.kept = kept


def keep_finished(out: Path, sinks: Sinks, rules: Rules) -> int:
    """After an interruption, the Parquet rows of the finished chunks as a finished part in ``out/.resume``;
    returns how many forms it holds."""
    written = sinks.close_parquet()
    if not sinks.done:
        return 0
    (out / RESUME_DIR).mkdir(exist_ok=True)
    part = Path(tempfile.mkdtemp(prefix="part-", dir=out / RESUME_DIR))
    for path in written:
        os.replace(path, part / path.name)
    # the forms waiting for last year's form are written at the end only: a part never holds one
    (part / MANIFEST).write_text(manifest_text(rules, sinks.done, {}), encoding="utf-8")
    return len(sinks.done)


def cached_chunks(out: Path, paths: dict[str, str], outputs: Outputs) -> Iterator[Chunk]:
    """The earlier rows of cached files (by sha256), relabelled with the file's current path."""
    if not paths:
        return
    wanted = pa.array(sorted(paths))
    for name in TABLES:
        for batch in pq.ParquetFile(out / f"{name}.parquet").iter_batches(batch_size=4096):
            keep = pc.is_in(batch["sha256"], value_set=wanted)
            if name == "forms":  # errors are retried: an importer may have learnt the format since
                keep = pc.and_(keep, pc.equal(batch["status"], "ok"))
            kept = batch.filter(keep)
            if kept.num_rows:
                files = pa.array([paths[h] for h in kept["sha256"].to_pylist()], pa.string())
                relabelled = pa.RecordBatch.from_arrays([files, *kept.columns[1:]], schema=SCHEMAS[name])
                batches = {n: relabelled if n == name else to_batch(n, []) for n in TABLES}
                yield chunk_of(batches, outputs, 0, 0)


# --- 7. relative targets: last year's form in the same run -------------------------------------

def rows_of(batch: pa.RecordBatch) -> list[Row]:
    return list(zip(*(column.to_pylist() for column in batch.columns), strict=True))


def awaiting_last_year(chunk: Chunk) -> set[str]:
    """Files of a chunk with a relative target (比上年增长5%) left unscored for want of last year's form."""
    rows = chunk.batches["indicators"]
    if not rows.num_rows:
        return set()
    unscored = pc.and_(pc.equal(rows["target_kind"], RELATIVE), pc.equal(rows["method"], DECLARED))
    return set(rows["file"].filter(unscored).to_pylist())


def files_with(chunk: Chunk, digests: set[str]) -> set[str]:
    """The files of a chunk (in any of its tables) whose content hash is one of ``digests``."""
    wanted = pa.array(sorted(digests), pa.string())
    return {path for batch in chunk.batches.values() if batch.num_rows
            for path in batch["file"].filter(pc.is_in(batch["sha256"], value_set=wanted)).to_pylist()}


@dataclass(slots=True)
class Waiting:
    """A form with a relative target (比上年增长5%), held back until every form of the run is known."""

    rows: FileRows
    used: LastYearUsed  # the last year's form its rows were scored with (sha256, "" for none)
    cached: bool  # its rows come from an earlier run's tables


def hold_back(chunk: Chunk, files: set[str], outputs: Outputs, held: dict[str, Waiting], used: Mapping[str, LastYearUsed],
              cached: bool) -> Chunk:
    """The chunk without the rows of ``files``; those rows go to ``held`` by file (to be scored again at the end),
    ``used`` saying by sha256 what they were scored with."""
    kept: dict[str, list[Row]] = {n: [] for n in TABLES}
    for i, name in enumerate(TABLES):
        file, sha256 = AT[name]["file"], AT[name]["sha256"]
        for row in rows_of(chunk.batches[name]):
            if row[file] not in files:
                kept[name].append(row)
                continue
            waiting = held.setdefault(row[file], Waiting(([], [], []), used.get(row[sha256]), cached))
            waiting.rows[i].append(row)
    return make_chunk(kept, outputs)


class Years:
    """Every form read in the run by who it is of (kind, unit, project) and year: where last year's form is."""

    def __init__(self) -> None:
        self.forms: dict[tuple[Any, ...], dict[int, tuple[str, str]]] = {}  # → year → (file, sha256)

    @staticmethod
    def key(kind: Any, unit: Any, project: Any) -> tuple[Any, str]:
        """The form's kind and :func:`jixiao.model.unit_key`: the dashboard's trends group units alike."""
        return kind, unit_key(unit, project)

    def note(self, forms: pa.RecordBatch) -> None:
        columns = [forms[c].to_pylist() for c in ("file", "sha256", "status", "kind", "unit", "project", "year")]
        for path, sha256, status, kind, unit, project, year in zip(*columns, strict=True):
            if status == "ok" and year is not None and name_key(unit):  # a unit of only （盖章） or spaces names none
                self.forms.setdefault(self.key(kind, unit, project), {}).setdefault(year, (path, sha256))

    def last_year(self, form: Row) -> tuple[str, str] | None:
        """The file and sha256 of the same unit's (project's) form of the year before ``form``'s, if the run
        has one."""
        kind, year, unit, project = (form[FORM_AT[c]] for c in ("kind", "year", "unit", "project"))
        return None if year is None else self.forms.get(self.key(kind, unit, project), {}).get(year - 1)


#: A held-back file to score again: its path, its sha256 and the file of last year's form (None: the run has none).
Rescore = tuple[str, str, str | None]


def rescore_files(items: list[Rescore], rules: Rules, outputs: Outputs) -> list[FileRows]:
    """The task for held-back files (on a worker, like :func:`process_chunk`): each scored with last year's form,
    its rows checked to be storable there, once for the piece (a check per file builds a chunk per file)."""
    results = [process_file(path, sha256, rules, last_year) for path, sha256, last_year in items]
    try:
        make_chunk(combined(results), outputs)
        return results
    except Exception:  # rare (an inexact decimal, a lone surrogate…): only the culprit files become errors
        return [storable_or_error(result, outputs) for result in results]


def rescored_with_last_year(held: dict[str, Waiting], years: Years, runner: Runner) -> Iterator[tuple[Waiting, FileRows, str]]:
    """Each held-back file with its rows scored with the run's last year's form (if it has one), and that form's
    sha256 (``""``: none); a file whose rows were scored with that same form keeps them. Those scored again are
    scored on the runner's workers, in pieces, as the other files were."""
    plan: list[tuple[Waiting, str, Rescore | None]] = []
    for path, waiting in held.items():
        form = waiting.rows[0][0]
        previous = years.last_year(form)
        used = previous[1] if previous else ""
        again = None if used == (waiting.used or "") else (path, form[FORM_AT["sha256"]], previous[0] if previous else None)
        plan.append((waiting, used, again))
    scored = iter(rescored(runner, [again for _, _, again in plan if again is not None]))
    for waiting, used, again in plan:
        yield waiting, waiting.rows if again is None else next(scored), used


def rescored(runner: Runner, items: list[Rescore]) -> list[FileRows]:
    """:func:`rescore_files` of ``items`` on the runner, in order; a piece whose task failed (its worker died) is
    tried again a file at a time, so only the culprit becomes an error row."""
    size = max(1, min(MAX_CHUNK, -(-len(items) // (2 * runner.slots))))
    pieces = [items[i:i + size] for i in range(0, len(items), size)]
    def alone(item: Rescore) -> Pending[list[FileRows]]:
        return runner.call(rescore_files, [item], runner.rules, runner.outputs)

    def failed(item: Rescore, message: str) -> list[FileRows]:
        return [([error_row(item[0], "error", message, item[1])], [], [])]

    tasks = [(piece, runner.call(rescore_files, piece, runner.rules, runner.outputs)) for piece in pieces]
    return [rows for piece, task in tasks for scored in retried(runner, task, piece, alone, failed) for rows in scored]


def score_held(held: dict[str, Waiting], years: Years, runner: Runner, summary: Summary,
               last_years: dict[str, str]) -> Chunk:
    """The held-back forms scored with the run's last year's forms, as one chunk; ``last_years`` records by
    sha256 which form each was scored with, ``summary`` counts a cached form scored again as processed."""
    results = []
    for waiting, rows, used in rescored_with_last_year(held, years, runner):  # rows kept or scored again: storable both
        form = rows[0][0]
        redone, failed = rows is not waiting.rows, form[FORM_AT["status"]] == "error"
        summary.cached -= waiting.cached and redone
        summary.processed += (waiting.cached and redone) - failed
        summary.errors += failed
        if not failed:
            last_years[form[FORM_AT["sha256"]]] = used
        results.append(rows)
    return make_chunk(combined(results), runner.outputs)


# --- 8. the run --------------------------------------------------------------------------------

@dataclass(slots=True)
class Summary:
    """What a run did; ``found == processed + cached + errors + duplicates`` always."""

    found: int = 0
    processed: int = 0
    cached: int = 0
    errors: int = 0
    duplicates: int = 0
    resumed: int = 0  # of the cached: taken from the finished part of an interrupted run
    outputs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"found": self.found, "processed": self.processed, "cached": self.cached,
                "resumed": self.resumed, "errors": self.errors, "duplicates": self.duplicates,
                "outputs": self.outputs}


Progress = Callable[[int, int], None]  # (files finished now, errors so far)


MAX_CHUNK = 128


def chunked(items: Iterable[tuple[str, str]], size: Callable[[], int]) -> Iterator[list[tuple[str, str]]]:
    """Lists of items, each as long as ``size()`` says when it starts."""
    chunk: list[tuple[str, str]] = []
    limit = size()
    for item in items:
        chunk.append(item)
        if len(chunk) >= limit:
            yield chunk
            chunk = []
            limit = size()
    if chunk:
        yield chunk


def guided_size(remaining: int, slots: int) -> int:
    """Big chunks while much is left (little per-task cost), ever smaller ones towards the end, so no
    worker sits idle while another finishes a long last chunk."""
    return max(8, min(MAX_CHUNK, remaining // (slots * 4)))


def make_runner(rules: Rules, workers: int, dask: str | None, outputs: Outputs) -> Runner:
    if dask is not None:
        return DaskRunner(rules, dask, outputs)
    if workers <= 1:
        return InlineRunner(rules, outputs)
    return PoolRunner(rules, workers, outputs)


def run_batch(paths: Iterable[str | Path], out: str | Path, profile_id: str = "national", workers: int | None = None,
              force: bool = False, dask: Any = None, formats: Iterable[str] = DEFAULT_FORMATS,
              progress: Progress | None = None, total: Callable[[int], None] | None = None,
              chunk_size: int | None = None, waivers: Iterable[Waiver] = ()) -> Summary:
    """Read, score and audit every form under ``paths`` into tables in ``out``; ``waivers`` (审核豁免) mark
    the findings they waive as waived."""
    if profile_id != AUTO:
        load_profile(profile_id)  # an unknown profile fails before any work
    out = prepare_output(Path(out))
    entries = list(discover(paths, exclude=[out]))
    if total:
        total(len(entries))
    rules = Rules(profile_id, tuple(waivers))
    sources = {} if force else cache_sources(out, rules)
    triage = Triage(set(sources))
    formats = frozenset(formats)
    with output_errors(out):
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        runner = make_runner(rules, workers or os.cpu_count() or 1, dask, formats - {"parquet"})
        try:
            with output_errors(out):
                return _run(entries, out, staging, runner, formats, triage, sources, chunk_size, progress)
        finally:
            runner.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # empty after success; a failed run leaves nothing


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C inside the block takes effect when the block ends: a chunk goes to every table, or (Ctrl-C
    before it) to none. A Ctrl-C between a row group written and its buffer emptied wrote it twice.

    Only the main thread receives signals; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def prepare_output(out: Path) -> Path:
    """The output folder, created if missing; one that cannot be is an :class:`InputError` naming it."""
    with output_errors(out):
        out.mkdir(parents=True, exist_ok=True)
    return out


@contextmanager
def output_errors(out: Path) -> Iterator[None]:
    """What fails on the output side (a read-only or full disk, a path through a file) is an
    :class:`InputError` naming the output folder: the files read are never the cause here, each of their
    errors is a row of the forms table."""
    try:
        yield
    except OSError as exc:
        raise InputError(f"无法写入输出文件夹（{os_reason(exc)}）", str(out)) from None


def _run(entries: list[Entry], out: Path, staging: Path, runner: Runner, formats: Iterable[str], triage: Triage,
         sources: dict[str, tuple[Path, LastYearUsed]], chunk_size: int | None,
         progress: Progress | None) -> Summary:
    """The body of :func:`run_batch`: stream every entry into the sinks, then publish the tables.

    Ctrl-C stops the workers at once and keeps the finished chunks (:class:`Interrupted`).
    """
    summary = Summary(found=len(entries))
    triaged = 0
    sinks = Sinks(staging, formats)
    cached_paths: dict[str, str] = {}
    listed: dict[str, list[Row]] = {"forms": [], "indicators": [], "findings": []}

    def report(done: int, errors: int) -> None:
        summary.errors += errors
        if progress:
            progress(done, summary.errors)

    def to_process() -> Iterator[tuple[str, str]]:
        nonlocal triaged
        for entry in entries:
            triaged += 1
            action, sha256, reason = triage.decide(entry)
            if action == "process":
                assert sha256 is not None
                yield entry.path, sha256
                continue
            if action == "cached":
                assert sha256 is not None
                cached_paths[sha256] = entry.path
                summary.cached += 1
            else:
                status: Status = "duplicate" if action == "duplicate" else "error"
                summary.duplicates += status == "duplicate"
                listed["forms"].append(error_row(entry.path, status, reason or "", sha256))
                report(0, status == "error")
            if progress:
                progress(1, summary.errors)

    def flush_listed() -> None:
        if listed["forms"]:
            with deferred_interrupts():
                sinks.write(make_chunk(listed, runner.outputs))
            listed["forms"] = []

    def size() -> int:
        return chunk_size or guided_size(len(entries) - triaged, runner.slots)

    years, held, last_years = Years(), dict[str, Waiting](), dict[str, str]()
    dependents = {digest: used for digest, (_, used) in sources.items() if used is not None}
    try:
        chunks = chunked(to_process(), size)
        for chunk in ordered_results(runner, chunks, window=max(2, 3 * runner.slots)):
            years.note(chunk.batches["forms"])
            summary.processed += chunk.files - chunk.errors
            report(chunk.files, chunk.errors)
            if waiting := awaiting_last_year(chunk):  # rare: written at the end, once every year has been read
                chunk = hold_back(chunk, waiting, runner.outputs, held, {}, cached=False)
            with deferred_interrupts():
                sinks.write(chunk)
            if len(listed["forms"]) >= (chunk_size or MAX_CHUNK):
                flush_listed()
        flush_listed()
        for folder in [*finished_parts(out), out]:  # the parts first: where a form's rows were found
            here = {digest: path for digest, path in cached_paths.items() if sources[digest][0] == folder}
            summary.resumed += len(here) if folder != out else 0
            relative = here.keys() & dependents.keys()  # scored with a last year's form that may differ now
            for chunk in cached_chunks(folder, here, runner.outputs):
                years.note(chunk.batches["forms"])
                if relative and (waiting := files_with(chunk, relative)):
                    chunk = hold_back(chunk, waiting, runner.outputs, held, dependents, cached=True)
                with deferred_interrupts():
                    sinks.write(chunk)
        if held:
            chunk = score_held(held, years, runner, summary, last_years)
            with deferred_interrupts():
                sinks.write(chunk)
    except KeyboardInterrupt:
        runner.abort()
        raise Interrupted(keep_finished(out, sinks, runner.rules)) from None
    written = sinks.close()
    (out / MANIFEST).unlink(missing_ok=True)  # a crash while publishing must not leave a stale cache
    for path in written:
        os.replace(path, out / path.name)
    summary.outputs = [p.name for p in written]
    (out / MANIFEST).write_text(manifest_text(runner.rules, sinks.done, last_years), encoding="utf-8")
    (out / SUMMARY).write_text(json.dumps(summary.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(out / RESUME_DIR, ignore_errors=True)  # every finished part is in the published tables now
    return summary
