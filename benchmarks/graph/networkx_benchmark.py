#!/usr/bin/python3
"""networkx against collabflow's scheduler on the same graph, in one run.

Generates a project-like plan (every edge spans at most 1,000 positions of a
hidden random order, 8 edges per task; finish-to-start, durations 1..20),
times networkx building the DiGraph, sorting it topologically and computing
the project finish (dag_longest_path_length over a virtual sink), then writes
the same graph to a file and times collabflow's build + topological order +
full CPM on it through scheduler_benchmark's BM_FileGraph_BuildSortCpm. Both
project finishes must agree.

    /usr/bin/python3 benchmarks/graph/networkx_benchmark.py [--tasks 100000]
        [--binary build/release/benchmarks/scheduler_benchmark] [--out result.json]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import networkx as nx

EDGES_PER_TASK = 8
SPAN = 1000


def generate(n, seed=4321):
    rng = random.Random(seed)
    durations = [rng.randint(1, 20) for _ in range(n)]
    hidden = list(range(n))
    rng.shuffle(hidden)
    edges = []
    for i in range(n - 1):
        span = min(SPAN, n - 1 - i)
        for d in rng.sample(range(1, span + 1), min(EDGES_PER_TASK, span)):
            edges.append((hidden[i], hidden[i + d]))
    return durations, edges


def time_networkx(durations, edges):
    n = len(durations)
    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((p, s, durations[p]) for p, s in edges)
    t1 = time.perf_counter()
    order = list(nx.topological_sort(g))
    t2 = time.perf_counter()
    # The project finish: the longest path to a virtual sink that every task
    # reaches with its own duration.
    sink = n
    g.add_weighted_edges_from((t, sink, durations[t]) for t in range(n))
    finish = nx.dag_longest_path_length(g, weight="weight")
    t3 = time.perf_counter()
    assert len(order) == n
    return {"build_s": t1 - t0, "topological_sort_s": t2 - t1, "longest_path_s": t3 - t2,
            "total_s": t3 - t0, "project_finish": finish}


def time_collabflow(binary, durations, edges):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(f"{len(durations)} {len(edges)}\n")
        f.write(" ".join(map(str, durations)) + "\n")
        f.write("\n".join(f"{p} {s}" for p, s in edges) + "\n")
        path = f.name
    try:
        env = dict(os.environ, COLLABFLOW_BENCH_GRAPH=path)
        out = subprocess.run(
            [binary, "--benchmark_filter=BM_FileGraph", "--benchmark_format=json"],
            env=env, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    run = json.loads(out)["benchmarks"][0]
    if "error_message" in run:
        sys.exit(f"collabflow run failed: {run['error_message']}")
    scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[run["time_unit"]]
    return {"total_s": run["real_time"] * scale, "cpu_s": run["cpu_time"] * scale,
            "project_finish": int(run["project_finish"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=100000)
    ap.add_argument("--binary", default="build/release/benchmarks/scheduler_benchmark")
    ap.add_argument("--out")
    args = ap.parse_args()
    durations, edges = generate(args.tasks)
    nxr = time_networkx(durations, edges)
    ours = time_collabflow(args.binary, durations, edges)
    if nxr["project_finish"] != ours["project_finish"]:
        sys.exit(f"project finish differs: networkx {nxr['project_finish']}, "
                 f"collabflow {ours['project_finish']}")
    result = {"tasks": args.tasks, "edges": len(edges), "networkx": nxr, "collabflow": ours,
              "ratio": nxr["total_s"] / ours["total_s"]}
    print(f"project-like {args.tasks} tasks / {len(edges)} edges, same graph, same run")
    print(f"  networkx  build {nxr['build_s']:.3f} s + topological_sort "
          f"{nxr['topological_sort_s']:.3f} s + longest path {nxr['longest_path_s']:.3f} s"
          f" = {nxr['total_s']:.3f} s")
    print(f"  collabflow build + order + full CPM: {ours['total_s'] * 1e3:.1f} ms wall "
          f"({ours['cpu_s'] * 1e3:.1f} ms CPU)")
    print(f"  ratio {result['ratio']:.0f}x; project finish {ours['project_finish']} (both)")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
