#!/usr/bin/python3
"""Your networkx DiGraph, timed in collabflow's scheduler beside Boost Graph,
GraphCycles and networkx: a plan built in networkx with its own attribute
names (days, kind, delay), handed to networkx_benchmark.compare_digraph.

    /usr/bin/python3 benchmarks/graph/digraph_example.py [--tasks 2000]
        [--binary build/release/benchmarks/scheduler_benchmark] [--out result.json]

Needs the library of this checkout (build/<preset>/capi/libcollabflow.so, or
$COLLABFLOW_LIBRARY) for collabflow.TaskGraph.from_networkx, which checks
the graph first.
"""
import argparse
import os
import random
import sys

import networkx as nx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import networkx_benchmark  # noqa: E402


def make_plan(n, seed=7):
    """A project-like DAG: each task feeds up to 4 of the next 50 tasks."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    for v in range(n):
        g.add_node("任务%d" % v, days=rng.randint(1, 10))
    for v in range(n - 1):
        for w in rng.sample(range(v + 1, min(n, v + 51)), min(4, n - 1 - v)):
            kind = rng.choice(["FS", "FS", "FS", "SS", "FF", "SF"])
            g.add_edge("任务%d" % v, "任务%d" % w, kind=kind, delay=rng.randint(-1, 2))
    return g


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--binary", default=networkx_benchmark.DEFAULT_BINARY)
    ap.add_argument("--inserts", type=int, default=50)
    ap.add_argument("--out")
    args = ap.parse_args()
    g = make_plan(args.tasks)
    try:
        networkx_benchmark.compare_digraph(g, duration="days", type="kind", lag="delay",
                                           binary=args.binary, inserts=args.inserts,
                                           out=args.out)
    except networkx_benchmark.BenchmarkError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
