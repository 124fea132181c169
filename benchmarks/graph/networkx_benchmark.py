#!/usr/bin/python3
"""collabflow's scheduler beside Boost Graph, GraphCycles and networkx, on one
graph, in one run: yours, or a generated one.

    /usr/bin/python3 benchmarks/graph/networkx_benchmark.py \\
        --tasks-file tasks.csv --edges-file edges.csv    # an edge list (CSV or TSV)
        | --json plan.json                                # or the JSON form
        | --tasks 100000 [--family project|random]        # or a generated graph
        [--binary build/release/benchmarks/scheduler_benchmark]
        [--inserts 50] [--reschedules 3] [--out result.json]

The graph formats are those of include/collabflow/task_graph_text.h
(benchmarks/README.md, "Your own graph"). scheduler_benchmark reads the
graph first (COLLABFLOW_BENCH_TASKS/_EDGES or _JSON) and refuses bad input
naming the line, before anything is timed; then it times collabflow, Boost
Graph and Abseil's GraphCycles (BM_FileGraph_*), and this script times
networkx on the same graph:

  build      DiGraph from the edge list (nodes with durations, edges with type
             and lag)
  order      nx.topological_sort
  CPM        both passes in Python over that order, with the four dependency
             types and lags (the code a networkx user writes: networkx has no
             CPM); its project finish must equal collabflow's and Boost's
  insert     one edge with the cycle check (nx.has_path from the successor to
             the predecessor, then add_edge), --inserts along and against the
             order
  reschedule one task's duration changed, then the full CPM again (networkx
             has no incremental recompute)

From Python, compare_digraph(g, duration="days", type="kind", lag="lag")
does the same for a networkx DiGraph (benchmarks/graph/digraph_example.py).

It prints one table in CPU time (ratios are the peer's time over
collabflow's, from this run; per-call figures are thread CPU time) and, with
--out, the same as JSON with the raw Google Benchmark output.
"""
import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

import networkx as nx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_graph  # noqa: E402

TYPES = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}
HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BINARY = os.path.join(REPOSITORY, "build", "release", "benchmarks", "scheduler_benchmark")


class BenchmarkError(Exception):
    """The graph was refused (the message names the line) or a run failed."""


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# --- reading the graph (already validated by scheduler_benchmark) -------------

def _records(path):
    sep = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if sep is None:
                sep = "\t" if "\t" in line else ","
            yield [field.strip() for field in line.split(sep)]


def read_edge_list(tasks_path, edges_path):
    ids, durations, index = [], [], {}
    for k, f in enumerate(_records(tasks_path)):
        if k == 0 and f[0].lower() in ("id", "task"):
            continue
        index[f[0]] = len(ids)
        ids.append(f[0])
        durations.append(int(f[1]))
    edges = []
    for k, f in enumerate(_records(edges_path)):
        if k == 0 and f[0].lower() in ("from", "predecessor"):
            continue
        t = TYPES[f[2].upper()] if len(f) > 2 and f[2] else 0
        lag = int(f[3]) if len(f) > 3 and f[3] else 0
        edges.append((index[f[0]], index[f[1]], t, lag))
    return ids, durations, edges


def read_json(path):
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    ids = [t["id"] for t in plan["tasks"]]
    durations = [t["duration"] for t in plan["tasks"]]
    index = {i: k for k, i in enumerate(ids)}
    edges = [(index[d["from"]], index[d["to"]], TYPES[d.get("type", "FS").upper()],
              d.get("lag", 0)) for d in plan.get("dependencies", [])]
    return ids, durations, edges


# --- networkx -------------------------------------------------------------------

def nx_build(durations, edges):
    g = nx.DiGraph()
    g.add_nodes_from((v, {"duration": d}) for v, d in enumerate(durations))
    g.add_edges_from((p, s, {"type": t, "lag": lag}) for p, s, t, lag in edges)
    return g


def nx_cpm(g, order):
    """Early start by a forward pass, late finish by a backward pass; the same
    rules as collabflow's scheduler without constraints or actual dates.
    Returns (project finish, sum of total float) for the cross-check."""
    dur = {v: a["duration"] for v, a in g.nodes(data=True)}
    es = {}
    for v in order:
        e = 0
        for p, a in g.pred[v].items():
            t, lag = a["type"], a["lag"]
            b = es[p] + lag + (0 if t & 1 else dur[p]) - (dur[v] if t & 2 else 0)
            if b > e:
                e = b
        es[v] = e
    finish = max((es[v] + dur[v] for v in order), default=0)
    lf = {}
    for v in reversed(order):
        f = finish
        for s, a in g.succ[v].items():
            t, lag = a["type"], a["lag"]
            # FS: LS(s) - lag; SS: LS(s) - lag + d(v); FF: LF(s) - lag; SF: LF(s) - lag + d(v)
            b = lf[s] - lag - (0 if t & 2 else dur[s]) + (dur[v] if t & 1 else 0)
            if b < f:
                f = b
        lf[v] = f
    return finish, sum(lf[v] - es[v] - dur[v] for v in order)


def nx_insert(g, order, against, count, seed):
    """Per-insert seconds of has_path + add_edge, and accepted/refused."""
    rng = random.Random(seed)
    n = len(order)
    if n < 2:
        return [], 0, 0
    span = min(1000, n - 1)
    times, accepted, refused = [], 0, 0
    for _ in range(count):
        i = rng.randrange(n - span)
        j = i + 1 + rng.randrange(span)
        p, s = (order[j], order[i]) if against else (order[i], order[j])
        t0 = time.thread_time()
        ok = not g.has_edge(p, s) and not nx.has_path(g, s, p)
        if ok:
            g.add_edge(p, s, type=0, lag=0)
        times.append(time.thread_time() - t0)
        accepted += ok
        refused += not ok
    return times, accepted, refused


def time_networkx(durations, edges, inserts, reschedules):
    r = {}
    t0 = time.process_time()
    g = nx_build(durations, edges)
    r["build_s"] = time.process_time() - t0
    t0 = time.process_time()
    order = list(nx.topological_sort(g))
    r["order_s"] = time.process_time() - t0
    t0 = time.process_time()
    r["project_finish"], _ = nx_cpm(g, order)
    r["cpm_s"] = time.process_time() - t0
    r["build_order_cpm_s"] = r["build_s"] + r["order_s"] + r["cpm_s"]
    rng = random.Random(99)
    samples = []
    for _ in range(reschedules):
        v = rng.randrange(len(durations)) if durations else None
        if v is None:
            break
        t0 = time.thread_time()
        g.nodes[v]["duration"] = rng.randint(1, 20)
        nx_cpm(g, order)
        samples.append(time.thread_time() - t0)
    r["reschedule_s"] = samples
    for name, against in (("along", False), ("against", True)):
        h = g.copy()
        times, ok, bad = nx_insert(h, order, against, inserts, 2 if not against else 1)
        r["insert_" + name + "_s"] = times
        r["insert_" + name + "_accepted"], r["insert_" + name + "_refused"] = ok, bad
    return r


# --- scheduler_benchmark ----------------------------------------------------------

def run_binary(binary, env_graph):
    env = dict(os.environ, **env_graph)
    proc = subprocess.run([binary, "--benchmark_filter=BM_FileGraph", "--benchmark_format=json"],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchmarkError(proc.stderr.strip()
                             or "scheduler_benchmark failed (exit %d)" % proc.returncode)
    raw = json.loads(proc.stdout)
    runs = {}
    for b in raw["benchmarks"]:
        if "error_message" in b:
            raise BenchmarkError("%s: %s" % (b["name"], b["error_message"]))
        scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[b["time_unit"]]
        b["seconds"] = b["cpu_time"] * scale
        runs[re.sub(r"/iterations:\d+$", "", b["name"])] = b
    return raw, runs


def ms(x):
    return None if x is None else x * 1e3


def fmt(x, unit="ms"):
    """x in `unit` (ms or us), printed in µs, ms or s as its size asks."""
    if x is None:
        return "—"
    us = x * 1e3 if unit == "ms" else x
    if us < 1000:
        return "%.2f µs" % us if us < 100 else "%.0f µs" % us
    return "%.1f ms" % (us / 1e3) if us < 1e6 else "%.2f s" % (us / 1e6)


def ratio(peer, ours):
    if peer is None or ours is None or ours <= 0:
        return "—"
    return "%.1f×" % (peer / ours)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks-file")
    ap.add_argument("--edges-file")
    ap.add_argument("--json")
    ap.add_argument("--tasks", type=int, help="generate a graph of this many tasks")
    ap.add_argument("--family", choices=("project", "random"), default="project")
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--inserts", type=int, default=50, help="networkx inserts each way")
    ap.add_argument("--reschedules", type=int, default=3, help="networkx reschedules")
    ap.add_argument("--out", help="write the result as JSON")
    args = ap.parse_args()
    sources = [args.json is not None, args.tasks_file is not None or args.edges_file is not None,
               args.tasks is not None]
    if sum(sources) != 1:
        ap.error("give --tasks-file and --edges-file, or --json, or --tasks N")
    if sources[1] and not (args.tasks_file and args.edges_file):
        ap.error("--tasks-file and --edges-file go together")

    scratch = None
    if args.tasks is not None:
        scratch = tempfile.TemporaryDirectory()
        durations, gen_edges = generate_graph.generate(args.family, args.tasks, 4321)
        args.tasks_file, args.edges_file = generate_graph.write(scratch.name, "csv", durations,
                                                                gen_edges)
    if args.json:
        env_graph = {"COLLABFLOW_BENCH_JSON": args.json}
        label = args.json
    else:
        env_graph = {"COLLABFLOW_BENCH_TASKS": args.tasks_file,
                     "COLLABFLOW_BENCH_EDGES": args.edges_file}
        label = ("generated %s graph" % args.family if scratch
                 else "%s + %s" % (args.tasks_file, args.edges_file))
    try:
        return compare(env_graph, label,
                lambda: (read_json(args.json) if args.json
                         else read_edge_list(args.tasks_file, args.edges_file)),
                binary=args.binary, inserts=args.inserts, reschedules=args.reschedules,
                out=args.out)
    except BenchmarkError as e:
        sys.exit(str(e))
    finally:
        if scratch:
            scratch.cleanup()


def compare_digraph(graph, duration="duration", type="type", lag="lag", default_duration=None,
                    binary=DEFAULT_BINARY, inserts=50, reschedules=3, out=None):
    """The same comparison for a networkx DiGraph, from Python: nodes are
    tasks (id ``str(node)``), node attribute ``duration`` their working days,
    edge attributes ``type`` (FS when absent) and ``lag`` (0) their
    dependencies; pass the attribute names your graph uses. The graph is
    checked first by ``collabflow.TaskGraph.from_networkx`` (an error names
    the node or edge), then written to a scratch file in the JSON form and
    timed like a file. Prints the table; returns the result as a dict (the
    JSON of ``--out``)."""
    sys.path.insert(0, os.path.join(REPOSITORY, "bindings", "python"))
    import collabflow  # noqa: E402  (the package of this checkout)

    collabflow.TaskGraph.from_networkx(graph, duration=duration, type=type, lag=lag,
                                       default_duration=default_duration).close()
    index = {node: k for k, node in enumerate(graph.nodes)}
    ids = [str(node) for node in graph.nodes]
    durations = [int(a.get(duration, default_duration)) for _, a in graph.nodes(data=True)]
    names = {v: k for k, v in TYPES.items()}
    edges = []
    for u, v, a in graph.edges(data=True):
        t = a.get(type, "FS")
        edges.append((index[u], index[v], TYPES[t.upper()] if isinstance(t, str) else int(t),
                      int(a.get(lag, 0))))
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "plan.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"tasks": [{"id": i, "duration": d} for i, d in zip(ids, durations)],
                       "dependencies": [{"from": ids[p], "to": ids[s], "type": names[t],
                                         "lag": lg} for p, s, t, lg in edges]},
                      f, ensure_ascii=False)
        return compare({"COLLABFLOW_BENCH_JSON": path}, "networkx DiGraph",
                       lambda: (ids, durations, edges), binary=binary, inserts=inserts,
                       reschedules=reschedules, out=out)


def compare(env_graph, label, read_lists, binary=DEFAULT_BINARY, inserts=50, reschedules=3,
            out=None):
    """Runs scheduler_benchmark on the graph `env_graph` names, then networkx
    on the lists `read_lists()` returns (after the binary has validated the
    graph); prints the table and returns the result."""
    # The binary reads (and validates) the graph first: bad input stops here.
    raw, runs = run_binary(binary, env_graph)
    ids, durations, edges = read_lists()
    nxr = time_networkx(durations, edges, inserts, reschedules)

    def sec(name):
        return runs[name]["seconds"] if name in runs else None

    def counter(name, key):
        return runs[name][key] if name in runs and key in runs[name] else None

    def as_int(x):
        return None if x is None else int(x)

    finishes = {"collabflow": as_int(counter("BM_FileGraph_Ours_Cpm", "project_finish")),
                "boost": as_int(counter("BM_FileGraph_Boost_LongestPath", "project_finish")),
                "networkx": nxr["project_finish"]}
    known = {v for v in finishes.values() if v is not None}
    if len(known) != 1:
        raise BenchmarkError("project finish differs: %s" % finishes)

    def us(samples, q):
        """The q-quantile of samples in seconds, in µs (q = "mean", "max")."""
        if not samples:
            return None
        if q == "mean":
            return statistics.mean(samples) * 1e6
        s = sorted(samples)
        return s[min(len(s) - 1, int(len(s) * q))] * 1e6

    rows = [
        # (phase, collabflow ms, Boost ms, networkx ms, note)
        ("build", ms(sec("BM_FileGraph_Ours_Build")), ms(sec("BM_FileGraph_Boost_Build")),
         ms(nxr["build_s"]), "ours validates, sorts and lays out both adjacency lists"),
        ("order", ms(sec("BM_FileGraph_Ours_Order")), ms(sec("BM_FileGraph_Boost_Order")),
         ms(nxr["order_s"]), "ours keeps the order: this copies it out"),
        ("CPM (full)", ms(sec("BM_FileGraph_Ours_Cpm")),
         ms(sec("BM_FileGraph_Boost_LongestPath")), ms(nxr["cpm_s"]),
         "Boost: the forward pass only (dag_shortest_paths)"),
        ("CPM recompute", ms(sec("BM_FileGraph_Ours_Recompute")),
         ms(sec("BM_FileGraph_Boost_LongestPath")), ms(nxr["cpm_s"]),
         "ours reuses its compiled structure"),
        ("build + order + CPM", ms(sec("BM_FileGraph_Ours_BuildOrderCpm")),
         ms(sec("BM_FileGraph_Boost_BuildOrderLongestPath")), ms(nxr["build_order_cpm_s"]), ""),
    ]
    per_call = []
    for way in ("AlongOrder", "AgainstOrder"):
        key = "along" if way == "AlongOrder" else "against"
        ours = "BM_FileGraph_Ours_InsertEdge/%s" % way
        gc = "BM_FileGraph_GraphCycles_InsertEdge/%s" % way
        samples = nxr["insert_%s_s" % key]
        per_call.append({
            "phase": "insert edge %s the order" % key,
            "collabflow": {q: counter(ours, q + "_us") for q in ("p50", "p99", "max", "mean")},
            "graphcycles": {q: counter(gc, q + "_us") for q in ("p50", "p99", "max", "mean")},
            "networkx": {"p50": us(samples, 0.5), "max": us(samples, 1.0),
                         "mean": us(samples, "mean"), "samples": len(samples)},
            "accepted": {"collabflow": counter(ours, "accepted"),
                         "graphcycles": counter(gc, "accepted"),
                         "networkx": nxr["insert_%s_accepted" % key]},
        })
    resched = nxr["reschedule_s"]
    per_call.append({
        "phase": "reschedule after one duration change",
        "collabflow": {q: counter("BM_FileGraph_Ours_Reschedule", q + "_us")
                       for q in ("p50", "p99", "max", "mean")},
        "boost_full_recompute_us": (None if sec("BM_FileGraph_Boost_LongestPath") is None
                                    else sec("BM_FileGraph_Boost_LongestPath") * 1e6),
        "networkx": {"p50": us(resched, 0.5), "samples": len(resched)},
        "visits_per_op": counter("BM_FileGraph_Ours_Reschedule", "visits_per_op"),
    })

    cpu = cpu_name()
    print("%s: %d tasks, %d dependencies; %s, %d CPUs; project finish %s (all agree)"
          % (label, len(durations), len(edges), cpu, os.cpu_count() or 0, known.pop()))
    header = ("phase", "collabflow", "Boost", "networkx", "Boost/ours", "networkx/ours")
    widths = (38, 12, 12, 12, 11, 13)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for phase, ours, boost, nxv, _ in rows:
        cells = (phase, fmt(ours), fmt(boost), fmt(nxv), ratio(boost, ours), ratio(nxv, ours))
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    print("per call, thread CPU time (collabflow, GraphCycles: %d calls each; networkx: %d "
          "calls)" % (runs.get("BM_FileGraph_Ours_InsertEdge/AlongOrder", {}).get("iterations", 0),
                      inserts))
    for r in per_call[:2]:
        o, g, x = r["collabflow"], r["graphcycles"], r["networkx"]
        print("  %-36s ours p50 %s p99 %s max %s mean %s | GraphCycles p50 %s max %s mean %s "
              "| networkx p50 %s mean %s" % (
                  r["phase"], fmt(o["p50"], "us"), fmt(o["p99"], "us"), fmt(o["max"], "us"),
                  fmt(o["mean"], "us"), fmt(g["p50"], "us"), fmt(g["max"], "us"),
                  fmt(g["mean"], "us"), fmt(x["p50"], "us"), fmt(x["mean"], "us")))
    r = per_call[2]
    print("  %-36s ours p50 %s p99 %s max %s (%.0f tasks visited) | Boost full %s | networkx "
          "full p50 %s" % (r["phase"], fmt(r["collabflow"]["p50"], "us"),
                           fmt(r["collabflow"]["p99"], "us"), fmt(r["collabflow"]["max"], "us"),
                           r["visits_per_op"] or 0, fmt(r["boost_full_recompute_us"], "us"),
                           fmt(r["networkx"]["p50"], "us")))
    result = {"graph": label, "tasks": len(durations), "dependencies": len(edges),
              "cpu": cpu, "cpus": os.cpu_count(), "project_finish": finishes,
              "phases_ms": [{"phase": p, "collabflow": o, "boost": b, "networkx": x,
                             "note": note} for p, o, b, x, note in rows],
              "per_call_us": per_call, "scheduler_benchmark": raw}
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
    return result


if __name__ == "__main__":
    main()
