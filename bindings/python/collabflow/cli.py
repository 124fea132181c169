"""collabflow: the command-line host over the engine (through the C ABI).

Exit codes: 0 success; 2 usage error (argparse's usage and message: an
unknown option, a missing argument, a time or a number on the command line
that cannot be read); 3 the engine refused or the input is invalid (role,
state, unknown entity; a file that is not UTF-8 or not the JSON expected, a
time in it that cannot be read); 4 data loss (a damaged store); 1 anything
else (a store directory that does not exist, a file that cannot be opened);
141 (128 + SIGPIPE, as a C tool killed by SIGPIPE) when the reader of the
output went away (``collabflow list S | head -1``), quietly. Never a
traceback: an unexpected exception is one line on stderr and exit 1.

Only ``init`` creates a store: every other command refuses a store
directory that does not exist (or holds no journal), and creates nothing.
Read commands take --json for scripts (times ISO 8601 with their offset,
dates ISO 8601, lists always present: collabflow.json_output); tables fit
the terminal (or --width, or $COLUMNS), cutting long cells with "…";
colour is used only on a terminal. ``--help`` and ``--version`` work without
a store, and ``--help`` without the library (it is loaded at first use).

The tool is a JSON host, like a C host without protobuf: commands go in
through the dict path (Engine.execute_json), and the engine's views come
out as the library's own JSON (Engine._query, the call every typed view of
collabflow.engine parses), so --json prints exactly that and a plan of a
million tasks is never turned into dataclasses. Records come from
collabflow.records.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import shutil
import sys
from typing import Any, Dict, Iterable, List, Optional, Sequence, TextIO, Tuple

from . import _ffi, errors, records
from ._codec import to_unix_micros
from .engine import Engine
from .json_output import regular
from .messages import RequestState
from .package_version import package_version
from .progress_bar import Progress
from .table import render

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REFUSED, EXIT_DATA_LOSS = 0, 1, 2, 3, 4
EXIT_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away
DEFAULT_TZ = "Asia/Shanghai"

_REFUSALS = (errors.InvalidArgument, errors.NotFound, errors.AlreadyExists,
             errors.PermissionDenied, errors.FailedPrecondition, errors.ResourceExhausted,
             errors.OutOfRange)


class Style:
    """ANSI colour when writing to a terminal, plain text otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.on = stream.isatty() and os.environ.get("NO_COLOR") is None

    def _wrap(self, code: str, text: str) -> str:
        return "\033[%sm%s\033[0m" % (code, text) if self.on else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def red(self, text: str) -> str:
        return self._wrap("31", text)

    def green(self, text: str) -> str:
        return self._wrap("32", text)

    def yellow(self, text: str) -> str:
        return self._wrap("33", text)


def _tz(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo
    return ZoneInfo(name)


def parse_time(text: Any, tz: str = DEFAULT_TZ, what: str = "time") -> dt.datetime:
    """ISO 8601; a time without an offset is read in ``tz``. InvalidArgument
    naming ``what`` for anything else (not text, not a time, year 10000)."""
    if not isinstance(text, str):
        raise errors.InvalidArgument("%s: expected an ISO 8601 time, got %s"
                                     % (what, json.dumps(text)[:40]))
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        t = t if t.tzinfo is not None else t.replace(tzinfo=_tz(tz))
        t.astimezone(dt.timezone.utc)  # 9999-12-31T23:00-05:00 has no UTC
    except (ValueError, OverflowError) as e:
        raise errors.InvalidArgument("%s: %r is not a time the engine can read (%s)"
                                     % (what, text, e)) from None
    return t


def _time_arg(what: str) -> Any:
    """An argparse type: a time on the command line (see parse_time); one
    it cannot read is a usage error (exit 2)."""

    def parse(text: str) -> dt.datetime:
        try:
            return parse_time(text, what=what)
        except errors.InvalidArgument as e:  # argparse names the argument itself
            raise argparse.ArgumentTypeError(e.message[len(what) + 2:]) from None

    return parse


def _count_arg(low: int, high: int = 2 ** 64 - 1) -> Any:
    """An argparse type: an integer in low..high (a position, a count, a
    width); anything else is a usage error (exit 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError("%r is not an integer" % text) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError("%d is out of range %d..%d" % (value, low, high))
        return value

    return parse


def _state_arg(text: str) -> str:
    """An argparse type: a request state, short ("planned") or full
    ("REQUEST_STATE_PLANNED"), any case; its full name."""
    name = text.upper()
    name = name if name.startswith("REQUEST_STATE_") else "REQUEST_STATE_" + name
    known = [m.proto_name for m in RequestState if m.name != "UNSPECIFIED"]
    if name not in known:
        raise argparse.ArgumentTypeError("%r is not a request state (one of %s)" % (
            text, ", ".join(short_enum(k, "REQUEST_STATE_").lower() for k in known)))
    return name


_JSON_KINDS = {dict: "object", list: "array", str: "string", bool: "boolean",
               type(None): "null"}


def load_json(data: bytes, where: str, expect: type = dict) -> Any:
    """The JSON value of ``data`` (UTF-8), which must be a ``expect`` (an
    object, by default): every JSON input of the tool is read here, and
    anything else is InvalidArgument naming ``where``, never a traceback."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise errors.InvalidArgument("%s: not valid UTF-8 (byte %d)" % (where, e.start)) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise errors.InvalidArgument("%s: not JSON: %s" % (where, e)) from None
    except RecursionError:
        raise errors.InvalidArgument("%s: JSON nested too deeply" % where) from None
    if not isinstance(value, expect):
        raise errors.InvalidArgument("%s: expected a JSON %s, got %s"
                                     % (where, _JSON_KINDS.get(expect, expect.__name__),
                                        _JSON_KINDS.get(type(value), "number")))
    return value


def _json_int(value: Any, where: str) -> int:
    """A JSON integer (not a fraction, a string or a boolean); its range is
    checked by the binding against the C parameter it goes to."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.InvalidArgument("%s: expected an integer, got %s"
                                     % (where, json.dumps(value)[:40]))
    return value


def fmt_date(d: Optional[Dict[str, Any]]) -> str:
    if not d:
        return ""
    return "%04d-%02d-%02d" % (d.get("year", 0), d.get("month", 0), d.get("day", 0))


def fmt_time(rfc3339: Optional[str], tz: str = DEFAULT_TZ) -> str:
    if not rfc3339:
        return ""
    return parse_time(rfc3339).astimezone(_tz(tz)).strftime("%Y-%m-%d %H:%M")


def short_enum(value: Optional[str], prefix: str) -> str:
    if not value:
        return ""
    return value[len(prefix):] if value.startswith(prefix) else value


def party(p: Optional[Dict[str, str]]) -> str:
    if not p:
        return ""
    return p.get("person_id") or p.get("department_id") or ""


def _read(engine: Engine, query: str, *args: Any) -> Dict[str, Any]:
    """The library's JSON of cflow_engine_<query>(..., *args)."""
    return engine._query(getattr(_ffi.lib, "cflow_engine_" + query), *args)


def _feed(engine: Engine, query: str, field: str, key: str, after: int) -> List[Dict[str, Any]]:
    """Every item of the outbox or the event history after `after`, read page
    by page (`key` is the position field)."""
    items: List[Dict[str, Any]] = []
    while True:
        page = _read(engine, query, after, 1024).get(field, [])
        if not page:
            return items
        items += page
        after = int(page[-1][key])


def _print_json(obj: Any, out: TextIO, message: str = "") -> None:
    """Prints ``obj`` as JSON; with ``message`` (a collabflow.v1 message
    name), obj -- or each item of a list obj -- is that message's proto3
    JSON, made regular first (collabflow.json_output: lists always there,
    times and dates ISO 8601). Every --json of the tool prints here."""
    if message:
        tz = _tz(DEFAULT_TZ)
        obj = ([regular(item, message, tz) for item in obj] if isinstance(obj, list)
               else regular(obj, message, tz))
    out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _table(args: argparse.Namespace, headers: Sequence[str], rows: Sequence[Sequence[str]],
           align: Sequence[str] = ()) -> str:
    """A table of the command's output, fitted to its width (args.width)."""
    return render(headers, rows, align=align, width=getattr(args, "width", None))


def _read_for_text(args: argparse.Namespace, out: TextIO, query: str, message: str,
                   *query_args: Any) -> Optional[Dict[str, Any]]:
    """The JSON of cflow_engine_<query>(..., *query_args) from the store (a
    collabflow.v1 ``message``), for the subcommand to print as text; with
    --json, None once it is printed (the subcommand is then done)."""
    with _reader(args.store) as engine:
        view = _read(engine, query, *query_args)
    if args.json:
        _print_json(view, out, message)
        return None
    return view


# ---- scenario files ----

def read_scenario(path: str) -> List[Dict[str, Any]]:
    """JSON lines: each a collabflow.v1.Command (proto3 JSON), or a directive
    {"tick": TIME} / {"acknowledge": POSITION}. Blank lines and lines starting with
    '#' are skipped. Times without an offset are read in Asia/Shanghai."""
    steps = []
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            step = load_json(line, "%s:%d" % (path, number))
            step["_line"] = number
            steps.append(step)
    return steps


def _normalize_time(step: Dict[str, Any]) -> None:
    if "time" in step and isinstance(step["time"], str):
        step["time"] = parse_time(step["time"], what="time").astimezone(
            dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def apply_steps(engine: Engine, steps: Iterable[Dict[str, Any]], path: str, out: TextIO,
                style: Style, keep_going: bool, quiet: bool) -> int:
    steps = list(steps)
    progress = Progress(len(steps), "applying")
    refused = 0
    for step in steps:
        line = step.pop("_line", 0)
        where = "%s:%d" % (path, line)
        try:
            if "tick" in step:
                n = engine.tick(parse_time(step["tick"], what="tick"))
                desc = "tick %s: %d event(s)" % (step["tick"], n)
            elif "acknowledge" in step:
                engine.acknowledge(_json_int(step["acknowledge"], "acknowledge"))
                desc = "acknowledged the outbox up to position %s" % step["acknowledge"]
            else:
                _normalize_time(step)
                result = engine.execute_json(step)
                kind = next((k for k in step if k not in ("actor_id", "time", "request_id")), "?")
                desc = "%s by %s: %s" % (kind, step.get("actor_id", "?"),
                                         ", ".join(result.get("event_kinds", [])))
            if not quiet:
                progress.clear()
                out.write("%s %s\n" % (style.green("ok  "), desc))
        except _REFUSALS as e:
            refused += 1
            progress.clear()
            out.write("%s %s: %s: %s\n" % (style.red("FAIL"), where, e.status, e.message))
            if not keep_going:
                progress.close()
                return EXIT_REFUSED
        progress.step()
    progress.close()
    return EXIT_REFUSED if refused else EXIT_OK


# ---- subcommands ----

def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    if os.path.exists(args.store) and os.listdir(args.store):
        raise errors.AlreadyExists("%s exists and is not empty" % args.store)
    with Engine(args.store) as engine:
        if args.directory:
            with open(args.directory, "rb") as f:
                directory = load_json(f.read(), args.directory)
            engine.execute_json({"actor_id": engine.host_actor,
                                 "update_directory": {"directory": directory}})
    out.write("created store %s\n" % args.store)
    return EXIT_OK


def _is_postgres(store: str) -> bool:
    return store.startswith(("postgresql://", "postgres://"))


def _reader(store: str, **kwargs: Any) -> Engine:
    """An engine to read the store: read-only, so that it reads beside a
    running host. A store written by collabflow 0.1 or 0.2 cannot be read
    until it is converted, which a read-only open never does: it is opened
    to write once (converting it; no host of this version can be holding
    it), then read. A PostgreSQL store is opened as it is (shared by
    design, it has no read-only open: a read beside a host holding it is
    refused)."""
    if _is_postgres(store):
        return Engine(store, **kwargs)
    try:
        return Engine(store, read_only=True, **kwargs)
    except errors.FailedPrecondition as e:
        if "collabflow 0.1 or 0.2" not in str(e):  # the engine's words for it
            raise
    Engine(store).close()
    return Engine(store, read_only=True, **kwargs)


def _open(store: str, bar: Progress, read_only: bool = False) -> Engine:
    """The store's engine, the replay of its journal drawn on `bar` (a
    terminal only); the bar then shows the engine's later journal reads.
    ``read_only``: beside a host that may be holding the store (no lock
    taken, nothing written)."""
    try:
        return _reader(store, progress=bar) if read_only else Engine(store, progress=bar)
    finally:
        bar.close()


def cmd_apply(args: argparse.Namespace, out: TextIO) -> int:
    steps = read_scenario(args.scenario)
    with _open(args.store, Progress(0, "replaying")) as engine:
        return apply_steps(engine, steps, args.scenario, out, Style(out), args.keep_going,
                           args.quiet)


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    view = _read_for_text(args, out, "get_request", "RequestView", args.request.encode("utf-8"))
    if view is None:
        return EXIT_OK
    style = Style(out)
    rec = view["record"]
    req = rec["request"]
    out.write("%s  %s (v%s)\n" % (style.bold(req["topic"]), req["id"], req.get("version", 1)))
    out.write("state      %s\n" % short_enum(rec.get("state"), "REQUEST_STATE_"))
    out.write("initiator  %s   owner %s\n" % (req["initiator_id"],
                                               req.get("owner_id") or req["initiator_id"]))
    out.write("deadline   %s\n\n" % fmt_date(req.get("final_deadline")))
    rows = []
    for r in view.get("receivers", []):
        rows.append([r["receiver_id"], short_enum(r.get("decision"), "DECISION_") or "pending",
                     ", ".join(r.get("may_answer", [])), fmt_time(r.get("due_at"))])
    out.write(_table(args, ["receiver", "decision", "may answer", "due"], rows) + "\n")
    dues = rec.get("open_dues", [])
    if dues:
        out.write("\nopen time rules\n")
        out.write(_table(args, ["key", "owed by", "due"],
                         [[d["key"], ", ".join(d.get("owed_by", [])), fmt_time(d.get("due_at"))]
                          for d in dues]) + "\n")
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace, out: TextIO) -> int:
    with _reader(args.store) as engine:
        request_id = args.request.encode("utf-8")
        view = _read(engine, "schedule", request_id)
        ready = [e["task_id"] for e in _read(engine, "get_request", request_id)["record"].get(
            "executions", []) if e.get("state") == "TASK_STATE_READY"]
    if args.json:
        _print_json(view, out, "ScheduleView")
        return EXIT_OK
    style = Style(out)
    critical = set(view.get("critical_path", []))
    rows = []
    for t in view.get("tasks", []):
        mark = "*" if t["task_id"] in critical else ""
        rows.append([mark + t["task_id"], t["name"], party(t.get("assignee")),
                     str(t.get("duration_days", 0)), fmt_date(t.get("early_start")),
                     fmt_date(t.get("early_finish")), fmt_date(t.get("late_start")),
                     fmt_date(t.get("late_finish")), str(t.get("total_float_days", 0)),
                     t.get("driving_predecessor_id", "")])
    out.write(_table(args, ["task", "name", "assignee", "days", "early start", "early finish",
                            "late start", "late finish", "float", "driver"], rows,
                     align="<<<><<<<><") + "\n")
    out.write("\n* critical path: %s\n" % " -> ".join(view.get("critical_path", [])))
    out.write("ready to start: %s\n" % (", ".join(ready) if ready else "none"))
    out.write("project %s .. %s, deadline %s (slack %s working days)\n" % (
        fmt_date(view.get("project_start")), fmt_date(view.get("project_finish")),
        fmt_date(view.get("final_deadline")), view.get("deadline_slack_days", 0)))
    rows = []
    for m in view.get("milestones", []):
        slack = m.get("slack_days", 0)
        state = ("no task serves it" if not m.get("served") else
                 style.red("late by %d working day(s)" % -slack) if slack < 0 else style.green("ok"))
        rows.append([m["milestone_id"], m["name"], fmt_date(m.get("date")),
                     fmt_date(m.get("forecast")), state])
    if rows:
        out.write("\n" + _table(args, ["milestone", "name", "date", "forecast", "status"], rows)
                  + "\n")
    return EXIT_OK


def cmd_todo(args: argparse.Namespace, out: TextIO) -> int:
    at = args.at or dt.datetime.now(dt.timezone.utc)
    todo = _read_for_text(args, out, "must_do", "MustDoList", args.person.encode("utf-8"),
                          to_unix_micros(at, "--at"))
    if todo is None:
        return EXIT_OK
    style = Style(out)
    rows = [[style.red("overdue") if i.get("overdue") else "", fmt_time(i["due"].get("due_at")),
             i["request_id"], i.get("topic", ""), i["due"]["key"]] for i in todo.get("items", [])]
    if not rows:
        out.write("%s owes nothing\n" % args.person)
        return EXIT_OK
    out.write(_table(args, ["overdue", "due", "request", "topic", "what"], rows) + "\n")
    return EXIT_OK


def cmd_tick(args: argparse.Namespace, out: TextIO) -> int:
    with Engine(args.store) as engine:
        n = engine.tick(args.time)
    out.write("%d event(s)\n" % n)
    return EXIT_OK


def cmd_outbox(args: argparse.Namespace, out: TextIO) -> int:
    with (Engine(args.store) if args.acknowledge else _reader(args.store)) as engine:
        items = _feed(engine, "outbox_read", "notifications", "position", args.after)
        if args.acknowledge and items:
            engine.acknowledge(int(items[-1]["position"]))
    if args.json:
        _print_json(items, out, "Notification")
        return EXIT_OK
    rows = [[n["position"], "%s#%s" % (n.get("request_id", ""), n["id"]),
             short_enum(n.get("kind"), "NOTIFICATION_KIND_"),
             ", ".join(n.get("recipient_ids", [])), n.get("subject", "")] for n in items]
    out.write(_table(args, ["position", "notification", "kind", "to", "subject"], rows,
                     align=">") + "\n")
    return EXIT_OK


def cmd_record(args: argparse.Namespace, out: TextIO) -> int:
    table = _read_for_text(args, out, "process_record", "ProcessRecordTable",
                           args.request.encode("utf-8"))
    if table is None:
        return EXIT_OK
    style = Style(out)
    met_text = {"MET_YES": style.green("met"), "MET_NO": style.red("missed"),
                "MET_NOT_APPLICABLE": "n/a"}
    rows = []
    for s in table.get("steps", []):
        rows.append([str(s.get("step", "")), s.get("name", ""), s.get("responsible_role", ""),
                     s.get("time_requirement", ""), fmt_time(s.get("started_at")),
                     fmt_time(s.get("ended_at")), met_text.get(s.get("met", ""), "open"),
                     "; ".join(s.get("outputs", []))])
    out.write("协作流程记录表  %s\n" % table.get("topic", args.request))
    out.write(_table(args, ["#", "step", "responsible", "time rule", "start", "end", "met",
                            "outputs"], rows) + "\n")
    for s in table.get("steps", []):
        for note in s.get("notes", []):
            out.write("  %s. %s\n" % (s.get("step", ""), note))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    with _reader(args.store) as engine:
        text = records.report(engine, args.request, format=args.format, language=args.lang,
                              now=args.now)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        out.write("wrote %s (%d bytes)\n" % (args.out, len(text.encode("utf-8"))))
    else:
        out.write(text)
    return EXIT_OK


def cmd_archive(args: argparse.Namespace, out: TextIO) -> int:
    bar = Progress(0, "replaying")
    with _open(args.store, bar, read_only=True) as engine:
        bar.label = "exporting"
        try:
            bundle = records.export_archive(engine, args.request)
        finally:
            bar.close()
    checked = records.verify_archive(bundle)  # what we write reads back verified
    with open(args.out, "wb") as f:
        f.write(bundle)
    out.write("wrote %s: %d bytes, %d events, %d manifest entries, verified\n" % (
        args.out, len(bundle), len(checked.events), len(checked.manifest)))
    return EXIT_OK


def cmd_verify_archive(args: argparse.Namespace, out: TextIO) -> int:
    with open(args.file, "rb") as f:
        checked = records.verify_archive(f.read())
    if args.json:
        tz = _tz(DEFAULT_TZ)
        _print_json({"request_id": checked.request_id, "events": len(checked.events),
                     "manifest": [regular(m.to_json(), "ManifestEntry", tz)
                                  for m in checked.manifest]}, out)
    else:
        out.write("ok: %s, %d events, manifest and hash chain verified\n" % (
            checked.request_id, len(checked.events)))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    import hashlib

    def replayed(n: int) -> Engine:
        bar = Progress(0, "replaying (%d/2)" % n)
        engine = _open(args.store, bar, read_only=True)
        bar.label = "verifying (%d/2)" % n
        try:
            records.verify_history(engine)  # the hash chain, event by event
        except BaseException:
            engine.close()
            raise
        finally:
            bar.close()
        return engine

    with replayed(1) as first, replayed(2) as second:
        # On a store other hosts write (PostgreSQL) the second replay may
        # have read more: both are brought to the same position first.
        for _ in range(100):
            states = [_read(e, "state") for e in (first, second)]
            positions = [int(st.get("last_position", 0)) for st in states]
            if positions[0] == positions[1]:
                break
            (first if positions[0] < positions[1] else second).catch_up(max(positions))
        digests = [hashlib.sha256(json.dumps(st, sort_keys=True).encode()).hexdigest()
                   for st in states]
        events = len(_feed(second, "events", "events", "position", 0))
    if digests[0] != digests[1]:
        out.write("replay is NOT deterministic: %s != %s\n" % tuple(digests))
        return EXIT_DATA_LOSS
    if args.json:
        _print_json({"events": events, "state_sha256": digests[0]}, out)
    else:
        out.write("%d events: hash chain intact; replay to state sha256 %s (twice, identical)\n"
                  % (events, digests[0]))
    return EXIT_OK


def generated_plan(n: int) -> Iterable[Tuple[str, int, List[str]]]:
    """A synthetic plan of n tasks (id, duration, predecessors): layers of
    tasks, each depending on two tasks of the layer before, so the schedule
    has real joins and one critical path. At most ~1000 layers, so even the
    largest plan ends within the calendar's years."""
    width = max(8, -(-n // 1000))
    for i in range(n):
        layer, slot = divmod(i, width)
        preds = []
        if layer > 0:
            base = (layer - 1) * width
            preds = sorted({"T%d" % (base + slot), "T%d" % (base + (slot * 3 + 1) % width)})
        yield "T%d" % i, 1 + (i * 7919) % 5, preds


def _read_with_progress(path: str, label: str, chunk: int = 1 << 20) -> bytes:
    """The bytes of `path`, read in chunks with a progress bar over them (a
    million-task plan is ~100 MB of JSON): the bar counts bytes."""
    bar = Progress(os.path.getsize(path), label, unit="bytes")
    parts = []
    try:
        with open(path, "rb") as f:
            while True:
                data = f.read(chunk)
                if not data:
                    break
                parts.append(data)
                bar.advance(len(data))
    finally:
        bar.close()
    return b"".join(parts)


def check_plan_load(args: argparse.Namespace) -> None:
    """Usage (exit 2): a plan FILE or --generate N, one of the two."""
    if (args.file is None) == (args.generate is None):
        args.parser.error("give a plan FILE or --generate N (one of the two)")


def cmd_plan_load(args: argparse.Namespace, out: TextIO) -> int:
    at = args.at or dt.datetime.now(dt.timezone.utc)
    if args.file is not None:
        body = load_json(_read_with_progress(args.file, "reading"), args.file)
        plan = body.get("plan", body)
        if not isinstance(plan, dict):
            raise errors.InvalidArgument("%s: plan: expected a JSON object" % args.file)
        tasks = len(plan.get("tasks", [])) if isinstance(plan.get("tasks"), list) else 0
    else:
        tasks = args.generate
        bar = Progress(tasks, "building")
        try:
            rows = []
            for task_id, days, preds in generated_plan(tasks):
                row: Dict[str, Any] = {"id": task_id, "name": "task " + task_id,
                                       "assignee": {"department_id": args.assignee},
                                       "duration_days": days}
                if preds:
                    row["predecessors"] = [{"predecessor_id": p} for p in preds]
                rows.append(row)
                bar.step()
        finally:
            bar.close()
        plan = {"tasks": rows}
    with _open(args.store, Progress(0, "replaying")) as engine:
        if sys.stderr.isatty():
            sys.stderr.write("publishing %d tasks...\n" % tasks)
        result = engine.execute_json({
            "actor_id": args.actor, "time": at.astimezone(dt.timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"), "request_id": args.request,
            "publish_plan": {"plan": plan, "acknowledge_omissions": args.acknowledge_omissions}})
    if args.json:
        _print_json({"tasks": tasks, "result": regular(result, "CommandResult",
                                                         _tz(DEFAULT_TZ))}, out)
    else:
        out.write("published a plan of %d task(s) for %s: %s\n"
                  % (tasks, args.request, ", ".join(result.get("event_kinds", []))))
    return EXIT_OK


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    """Every request: state, owner, next due time, overdue count at --at.
    Reads every request's view in turn (the engine exposes no summaries
    with owners, and the CLI adds no C API), so it costs what reading each
    request costs; --state and --person filter after the read."""
    at = args.at or dt.datetime.now(dt.timezone.utc)
    tz = _tz(DEFAULT_TZ)
    found = []
    with _reader(args.store) as engine:
        state = _read(engine, "state")
        # The request ids are the keys of the state's summaries (format 2)
        # or of its records (format 1); owners are only in the records.
        ids = sorted(set(state.get("summaries", {})).union(state.get("requests", {})))
        for request_id in ids:
            record = _read(engine, "get_request", request_id.encode("utf-8"))["record"]
            request = record.get("request", {})
            owner = request.get("owner_id") or request.get("initiator_id", "")
            dues = record.get("open_dues", [])
            if args.state and record.get("state") != args.state:
                continue
            if args.person and args.person != owner and not any(
                    args.person in d.get("owed_by", []) for d in dues):
                continue
            times = sorted(parse_time(d["due_at"]) for d in dues if d.get("due_at"))
            found.append({"request_id": request_id, "topic": request.get("topic", ""),
                          "state": record.get("state", "REQUEST_STATE_UNSPECIFIED"),
                          "owner_id": owner,
                          "next_due_at": times[0] if times else None,
                          "overdue": sum(1 for t in times if t <= at),
                          "open_dues": dues})
    if args.json:
        _print_json({"at": at.astimezone(tz).isoformat(), "requests": [
            dict(r, next_due_at=r["next_due_at"] and r["next_due_at"].astimezone(tz).isoformat(),
                 open_dues=[regular(d, "DueItem", tz) for d in r["open_dues"]])
            for r in found]}, out)
        return EXIT_OK
    if not found:
        out.write("no requests%s\n" % ("" if not (args.state or args.person) else
                                        " match"))
        return EXIT_OK
    style = Style(out)
    rows = [[r["request_id"], short_enum(r["state"], "REQUEST_STATE_"), r["owner_id"],
             r["next_due_at"].astimezone(tz).strftime("%Y-%m-%d %H:%M") if r["next_due_at"]
             else "", style.red(str(r["overdue"])) if r["overdue"] else "0", r["topic"]]
            for r in found]
    out.write(_table(args, ["request", "state", "owner", "next due", "overdue", "topic"], rows,
                     align="<<<<><") + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="collabflow", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Exit codes: 0 ok, 1 error, 2 usage, 3 refused, "
                                       "4 data loss, 141 output closed early.")
    p.add_argument("--version", action="store_true",
                   help="print the package's and the library's versions and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, fn: Any, help_text: str, json_flag: bool = False,
            description: str = "") -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=description or help_text,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
        sp.set_defaults(fn=fn, parser=sp)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="machine-readable output")
            sp.add_argument("--width", type=_count_arg(1, 100000), metavar="COLUMNS",
                            help="fit tables in COLUMNS (default: $COLUMNS, else the "
                                 "terminal's width; no limit in a pipe)")
        return sp

    sp = add("init", cmd_init, "create a store (a directory), optionally with a directory file")
    sp.add_argument("store")
    sp.add_argument("--directory", help="JSON collabflow.v1.Directory of people and departments")
    sp = add("apply", cmd_apply, "apply a scenario (JSON lines of commands) to a store")
    sp.add_argument("store")
    sp.add_argument("scenario")
    sp.add_argument("--keep-going", action="store_true", help="continue after a refusal")
    sp.add_argument("--quiet", action="store_true", help="print refusals only")
    sp = add("list", cmd_list, "list the requests: state, owner, next due time, overdue count",
             True, description=(
                 "list the requests: state, owner, next due time, overdue count\n\n"
                 "It reads every request of the store (its state and its record): the\n"
                 "engine does not yet expose request summaries with their owners, so on\n"
                 "a large store this takes as long as reading each request."))
    sp.add_argument("store")
    sp.add_argument("--state", type=_state_arg,
                    help="only requests in this state (e.g. planned, in_progress)")
    sp.add_argument("--person", help="only requests this person owns or owes something in")
    sp.add_argument("--at", type=_time_arg("--at"),
                    help="instant to count overdue items at (default: now)")
    sp = add("status", cmd_status, "show a request: state, receivers, open time rules", True)
    sp.add_argument("store")
    sp.add_argument("request")
    sp = add("schedule", cmd_schedule, "show the plan and its schedule (critical path marked *)",
             True)
    sp.add_argument("store")
    sp.add_argument("request")
    sp = add("todo", cmd_todo, "show what a person owes (must-do list)", True)
    sp.add_argument("store")
    sp.add_argument("person")
    sp.add_argument("--at", type=_time_arg("--at"),
                    help="instant to judge overdue at (default: now)")
    sp = add("tick", cmd_tick, "process the time rules due at an instant")
    sp.add_argument("store")
    sp.add_argument("time", type=_time_arg("time"))
    sp = add("outbox", cmd_outbox, "list notifications for the host to deliver", True)
    sp.add_argument("store")
    sp.add_argument("--after", type=_count_arg(0), default=0,
                    help="a position: list what follows it")
    sp.add_argument("--acknowledge", action="store_true", help="acknowledge what was listed")
    sp = add("record", cmd_record, "print the process record table (协作流程记录表)", True)
    sp.add_argument("store")
    sp.add_argument("request")
    sp = add("report", cmd_report, "write a report: HTML (default), Markdown or the Gantt SVG")
    sp.add_argument("store")
    sp.add_argument("request")
    sp.add_argument("--format", default="html", choices=["html", "md", "svg"])
    sp.add_argument("--lang", default="zh", choices=["zh", "en"])
    sp.add_argument("--now", type=_time_arg("--now"),
                    help="instant of the Gantt chart's today line (default: now)")
    sp.add_argument("--out", help="file to write (default: standard output)")
    sp = add("archive", cmd_archive, "export a request's archive bundle (verified) to a file")
    sp.add_argument("store")
    sp.add_argument("request")
    sp.add_argument("out")
    sp = add("verify-archive", cmd_verify_archive, "verify an archive bundle file", True)
    sp.add_argument("file")
    sp = add("plan-load", cmd_plan_load,
             "publish a plan from a JSON file (collabflow.v1.Plan) or a generated N-task plan",
             True)
    sp.add_argument("store")
    sp.add_argument("request")
    sp.add_argument("file", nargs="?", help="JSON collabflow.v1.Plan (or {\"plan\": ...})")
    sp.add_argument("--generate", type=_count_arg(1, 10 ** 8), metavar="N",
                    help="instead of a file: N tasks in layers (a load test)")
    sp.add_argument("--assignee", default="d-market",
                    help="department of the generated tasks (default d-market)")
    sp.add_argument("--actor", required=True, help="the request's owner, who publishes")
    sp.add_argument("--at", type=_time_arg("--at"), help="instant of publication (default: now)")
    sp.add_argument("--acknowledge-omissions", action="store_true",
                    help="publish even if a goal, milestone or resource is not served")
    sp.set_defaults(check=check_plan_load)
    sp = add("verify", cmd_verify,
             "verify a store: the hash chain, and replay twice to the same state", True)
    sp.add_argument("store")
    return p


class StoreMissing(Exception):
    """The store a command names is not there (only ``init`` creates one)."""


def require_store(path: str) -> None:
    """Refuses a store directory that does not exist or holds no journal:
    opening it would create a store, and only ``init`` does that. (The C
    API has no open-existing-only option; the check is here.) A
    PostgreSQL store (a postgresql:// URI) is the database's to check."""
    if _is_postgres(path):
        return
    if not os.path.isdir(path):
        raise StoreMissing("store %s does not exist (`collabflow init %s` creates one)"
                           % (path, path))
    if not glob.glob(os.path.join(glob.escape(path), "journal-*.cfj")):
        raise StoreMissing("%s is not a collabflow store (it holds no journal-*.cfj)" % path)


def table_width(requested: Optional[int], out: TextIO) -> Optional[int]:
    """The columns tables fit in: --width, else $COLUMNS, else the
    terminal's width when writing to one; None (no limit) in a pipe."""
    if requested:
        return requested
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


def print_version(out: TextIO) -> int:
    """The package's version and the library's (version, ABI, path)."""
    out.write("collabflow %s (Python package)\n" % package_version())
    try:
        out.write("libcollabflow %s (ABI %d) at %s\n" % (
            _ffi.lib.cflow_version().decode(), _ffi.lib.cflow_abi_version(),
            _ffi.lib.loaded_path()))
    except (errors.LibraryNotFound, errors.AbiMismatch) as e:
        sys.stderr.write("error: %s\n" % e)
        return EXIT_ERROR
    return EXIT_OK


def _quiet_closed_output(out: TextIO) -> None:
    """The reader of ``out`` went away: later writes (and the flush at exit)
    go to /dev/null, so Python prints no BrokenPipeError at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
        pass  # not a file descriptor (a StringIO): nothing is flushed at exit


def main(argv: Optional[List[str]] = None, out: Optional[TextIO] = None) -> int:
    out = sys.stdout if out is None else out
    try:
        code = _run(argv, out)
        out.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        _quiet_closed_output(out)
        return EXIT_PIPE


def _run(argv: Optional[List[str]], out: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.version:
            return print_version(out)
        if args.command is None:
            parser.error("the following arguments are required: COMMAND")
        if getattr(args, "check", None):
            args.check(args)  # a command's own usage checks
    except SystemExit as e:  # argparse: --help (0) or a usage error (2)
        return int(e.code or 0)
    style = Style(sys.stderr)
    try:
        if hasattr(args, "width"):
            args.width = table_width(args.width, out)
        if hasattr(args, "store") and args.command != "init":
            require_store(args.store)
        return int(args.fn(args, out))
    except BrokenPipeError:
        raise
    except StoreMissing as e:
        sys.stderr.write("%s %s\n" % (style.red("error:"), e))
        return EXIT_ERROR
    except errors.DataLoss as e:
        sys.stderr.write("%s %s\n" % (style.red("data loss:"), e.message))
        return EXIT_DATA_LOSS
    except _REFUSALS as e:
        sys.stderr.write("%s %s: %s\n" % (style.red("refused:"), e.status, e.message))
        return EXIT_REFUSED
    except (errors.Error, OSError) as e:
        sys.stderr.write("%s %s\n" % (style.red("error:"), e))
        return EXIT_ERROR
    except Exception as e:  # a bug: one line, never a traceback
        sys.stderr.write("%s %s: %s\n" % (style.red("internal error:"), type(e).__name__, e))
        return EXIT_ERROR
