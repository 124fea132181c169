"""collabflow: the command-line host over the engine (through the C ABI).

Exit codes: 0 success; 2 usage error; 3 the engine refused or the input is
invalid (role, state, unknown entity; a file that is not UTF-8 or not the
JSON expected, a time that cannot be read); 4 data loss (a damaged store);
1 anything else (e.g. a file that cannot be opened). Never a traceback: an
unexpected exception is one line on stderr and exit 1.
Read commands take --json for scripts; colour is used only on a terminal.

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
import json
import os
import sys
from typing import Any, Dict, Iterable, List, Optional, TextIO, Tuple

from . import _ffi, errors, records
from ._codec import to_unix_micros
from .engine import Engine
from .table import render

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REFUSED, EXIT_DATA_LOSS = 0, 1, 2, 3, 4
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


class Progress:
    """A one-line progress bar on a terminal's stderr; silent in pipes.

    Either counted here (``step()``), or fed by the library while it reads
    a store's journal: pass the object as ``Engine(progress=...)``, which
    calls it with (done, total) about 100 times per pass; ``label`` may be
    changed between passes ("replaying", "verifying", ...)."""

    def __init__(self, total: int, label: str, stream: Optional[TextIO] = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total, self.label, self.done = max(total, 1), label, 0
        self.tty = self.stream.isatty()
        self.on = self.tty and total > 20
        self.drawn = False

    def step(self) -> None:
        self.done += 1
        if self.on and (self.done % max(1, self.total // 100) == 0 or self.done == self.total):
            self._draw()

    def __call__(self, done: int, total: int) -> bool:
        """The engine's progress callback; never asks to stop."""
        self.done, self.total = done, max(total, 1)
        if self.tty and total > 20:
            self._draw()
        return False

    def _draw(self) -> None:
        filled = int(30 * self.done / self.total)
        self.stream.write("\r%s [%s%s] %d/%d" % (self.label, "#" * filled, "." * (30 - filled),
                                                 self.done, self.total))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
        self.drawn = False


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


def _print_json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _read_for_text(args: argparse.Namespace, out: TextIO, query: str,
                   *query_args: Any) -> Optional[Dict[str, Any]]:
    """The JSON of cflow_engine_<query>(..., *query_args) from the store, for
    the subcommand to print as text; with --json, None once it is printed as
    it is (the subcommand is then done)."""
    with Engine(args.store) as engine:
        view = _read(engine, query, *query_args)
    if args.json:
        _print_json(view, out)
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
                out.write("%s %s\n" % (style.green("ok  "), desc))
        except _REFUSALS as e:
            refused += 1
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


def _open(store: str, bar: Progress) -> Engine:
    """The store's engine, the replay of its journal drawn on `bar` (a
    terminal only); the bar then shows the engine's later journal reads."""
    try:
        return Engine(store, progress=bar)
    finally:
        bar.close()


def cmd_apply(args: argparse.Namespace, out: TextIO) -> int:
    steps = read_scenario(args.scenario)
    with _open(args.store, Progress(0, "replaying")) as engine:
        return apply_steps(engine, steps, args.scenario, out, Style(out), args.keep_going,
                           args.quiet)


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    view = _read_for_text(args, out, "get_request", args.request.encode("utf-8"))
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
    out.write(render(["receiver", "decision", "may answer", "due"], rows) + "\n")
    dues = rec.get("open_dues", [])
    if dues:
        out.write("\nopen time rules\n")
        out.write(render(["key", "owed by", "due"],
                         [[d["key"], ", ".join(d.get("owed_by", [])), fmt_time(d.get("due_at"))]
                          for d in dues]) + "\n")
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace, out: TextIO) -> int:
    with Engine(args.store) as engine:
        request_id = args.request.encode("utf-8")
        view = _read(engine, "schedule", request_id)
        ready = [e["task_id"] for e in _read(engine, "get_request", request_id)["record"].get(
            "executions", []) if e.get("state") == "TASK_STATE_READY"]
    if args.json:
        _print_json(view, out)
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
    out.write(render(["task", "name", "assignee", "days", "early start", "early finish",
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
        out.write("\n" + render(["milestone", "name", "date", "forecast", ""], rows) + "\n")
    return EXIT_OK


def cmd_todo(args: argparse.Namespace, out: TextIO) -> int:
    at = parse_time(args.at, what="--at") if args.at else dt.datetime.now(dt.timezone.utc)
    todo = _read_for_text(args, out, "must_do", args.person.encode("utf-8"),
                          to_unix_micros(at, "--at"))
    if todo is None:
        return EXIT_OK
    style = Style(out)
    rows = [[style.red("overdue") if i.get("overdue") else "", fmt_time(i["due"].get("due_at")),
             i["request_id"], i.get("topic", ""), i["due"]["key"]] for i in todo.get("items", [])]
    if not rows:
        out.write("%s owes nothing\n" % args.person)
        return EXIT_OK
    out.write(render(["", "due", "request", "topic", "what"], rows) + "\n")
    return EXIT_OK


def cmd_tick(args: argparse.Namespace, out: TextIO) -> int:
    with Engine(args.store) as engine:
        n = engine.tick(parse_time(args.time, what="time"))
    out.write("%d event(s)\n" % n)
    return EXIT_OK


def cmd_outbox(args: argparse.Namespace, out: TextIO) -> int:
    with Engine(args.store) as engine:
        items = _feed(engine, "outbox_read", "notifications", "position", args.after)
        if args.acknowledge and items:
            engine.acknowledge(int(items[-1]["position"]))
    if args.json:
        _print_json(items, out)
        return EXIT_OK
    rows = [[n["position"], "%s#%s" % (n.get("request_id", ""), n["id"]),
             short_enum(n.get("kind"), "NOTIFICATION_KIND_"),
             ", ".join(n.get("recipient_ids", [])), n.get("subject", "")] for n in items]
    out.write(render(["position", "notification", "kind", "to", "subject"], rows, align=">")
              + "\n")
    return EXIT_OK


def cmd_record(args: argparse.Namespace, out: TextIO) -> int:
    table = _read_for_text(args, out, "process_record", args.request.encode("utf-8"))
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
    out.write(render(["#", "step", "responsible", "time rule", "start", "end", "", "outputs"],
                     rows) + "\n")
    for s in table.get("steps", []):
        for note in s.get("notes", []):
            out.write("  %s. %s\n" % (s.get("step", ""), note))
    return EXIT_OK


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    now = parse_time(args.now, what="--now") if args.now else None
    with Engine(args.store) as engine:
        text = records.report(engine, args.request, format=args.format, language=args.lang,
                              now=now)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        out.write("wrote %s (%d bytes)\n" % (args.out, len(text.encode("utf-8"))))
    else:
        out.write(text)
    return EXIT_OK


def cmd_archive(args: argparse.Namespace, out: TextIO) -> int:
    bar = Progress(0, "replaying")
    with _open(args.store, bar) as engine:
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
        _print_json({"request_id": checked.request_id, "events": len(checked.events),
                     "manifest": [m.to_json() for m in checked.manifest]}, out)
    else:
        out.write("ok: %s, %d events, manifest and hash chain verified\n" % (
            checked.request_id, len(checked.events)))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    import hashlib
    digests = []
    for n in (1, 2):
        bar = Progress(0, "replaying (%d/2)" % n)
        with _open(args.store, bar) as engine:
            bar.label = "verifying (%d/2)" % n
            try:
                records.verify_history(engine)  # the hash chain, event by event
            finally:
                bar.close()
            digests.append(hashlib.sha256(
                json.dumps(_read(engine, "state"), sort_keys=True).encode()).hexdigest())
            events = len(_feed(engine, "events", "events", "position", 0))
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
    million-task plan is ~100 MB of JSON)."""
    total = os.path.getsize(path)
    bar = Progress(max(1, (total + chunk - 1) // chunk), label)
    parts = []
    try:
        with open(path, "rb") as f:
            while True:
                data = f.read(chunk)
                if not data:
                    break
                parts.append(data)
                bar.step()
    finally:
        bar.close()
    return b"".join(parts)


def cmd_plan_load(args: argparse.Namespace, out: TextIO) -> int:
    at = parse_time(args.at, what="--at") if args.at else dt.datetime.now(dt.timezone.utc)
    if (args.file is None) == (args.generate is None):
        raise errors.InvalidArgument("give a plan FILE or --generate N (one of the two)")
    if args.file is not None:
        body = load_json(_read_with_progress(args.file, "reading"), args.file)
        plan = body.get("plan", body)
        if not isinstance(plan, dict):
            raise errors.InvalidArgument("%s: plan: expected a JSON object" % args.file)
        tasks = len(plan.get("tasks", [])) if isinstance(plan.get("tasks"), list) else 0
    else:
        if args.generate < 1:
            raise errors.InvalidArgument("--generate: need at least 1 task")
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
        _print_json({"tasks": tasks, "result": result}, out)
    else:
        out.write("published a plan of %d task(s) for %s: %s\n"
                  % (tasks, args.request, ", ".join(result.get("event_kinds", []))))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="collabflow", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Exit codes: 0 ok, 1 error, 2 usage, 3 refused, "
                                       "4 data loss.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def add(name: str, fn: Any, help_text: str, json_flag: bool = False) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(fn=fn)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="machine-readable output")
        return sp

    sp = add("init", cmd_init, "create a store (a directory), optionally with a directory file")
    sp.add_argument("store")
    sp.add_argument("--directory", help="JSON collabflow.v1.Directory of people and departments")
    sp = add("apply", cmd_apply, "apply a scenario (JSON lines of commands) to a store")
    sp.add_argument("store")
    sp.add_argument("scenario")
    sp.add_argument("--keep-going", action="store_true", help="continue after a refusal")
    sp.add_argument("--quiet", action="store_true", help="print refusals only")
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
    sp.add_argument("--at", help="instant to judge overdue at (default: now)")
    sp = add("tick", cmd_tick, "process the time rules due at an instant")
    sp.add_argument("store")
    sp.add_argument("time")
    sp = add("outbox", cmd_outbox, "list notifications for the host to deliver", True)
    sp.add_argument("store")
    sp.add_argument("--after", type=int, default=0, help="a position: list what follows it")
    sp.add_argument("--acknowledge", action="store_true", help="acknowledge what was listed")
    sp = add("record", cmd_record, "print the process record table (协作流程记录表)", True)
    sp.add_argument("store")
    sp.add_argument("request")
    sp = add("report", cmd_report, "write a report: HTML (default), Markdown or the Gantt SVG")
    sp.add_argument("store")
    sp.add_argument("request")
    sp.add_argument("--format", default="html", choices=["html", "md", "svg"])
    sp.add_argument("--lang", default="zh", choices=["zh", "en"])
    sp.add_argument("--now", help="instant of the Gantt chart's today line (default: now)")
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
    sp.add_argument("--generate", type=int, metavar="N",
                    help="instead of a file: N tasks in layers (a load test)")
    sp.add_argument("--assignee", default="d-market",
                    help="department of the generated tasks (default d-market)")
    sp.add_argument("--actor", required=True, help="the request's owner, who publishes")
    sp.add_argument("--at", help="instant of publication (default: now)")
    sp.add_argument("--acknowledge-omissions", action="store_true",
                    help="publish even if a goal, milestone or resource is not served")
    sp = add("verify", cmd_verify,
             "verify a store: the hash chain, and replay twice to the same state", True)
    sp.add_argument("store")
    return p


def main(argv: Optional[List[str]] = None, out: TextIO = sys.stdout) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse: --help (0) or a usage error (2)
        return int(e.code or 0)
    style = Style(sys.stderr)
    try:
        return int(args.fn(args, out))
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
