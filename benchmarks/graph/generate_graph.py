#!/usr/bin/python3
"""Writes a large plan as an edge list (or JSON) for the scheduler benchmarks.

The families are scheduler_benchmark's: "project" (every edge spans at most
1,000 positions of a hidden random order, 8 edges per task) and "random" (8n
edges drawn uniformly among all pairs of a hidden random order, duplicates
dropped). Durations are 1..20 working days; 80% of the dependencies are
plain finish-to-start, the rest any type (FS, SS, FF, SF) with a lag of
-3..5 (--fs-only: all finish-to-start, no lag). Task ids are "T<handle>".
The graph is acyclic by construction; the same seed gives the same file.

    /usr/bin/python3 benchmarks/graph/generate_graph.py --tasks 100000 --out-dir /tmp/g
        [--family project|random] [--format csv|tsv|json] [--seed 1] [--fs-only]

writes OUT_DIR/tasks.csv and OUT_DIR/edges.csv (.tsv), or OUT_DIR/plan.json.
"""
import argparse
import json
import os
import random

EDGES_PER_TASK = 8
SPAN = 1000
TYPES = ("FS", "SS", "FF", "SF")


def generate(family, n, seed, fs_only=False):
    """(durations, [(from, to, type, lag)]) with tasks named by index."""
    rng = random.Random(seed)
    durations = [rng.randint(1, 20) for _ in range(n)]
    hidden = list(range(n))  # hidden[i]: the task at position i of the hidden order
    rng.shuffle(hidden)
    pairs = []
    if family == "project":
        for i in range(n - 1):
            span = min(SPAN, n - 1 - i)
            for d in rng.sample(range(1, span + 1), min(EDGES_PER_TASK, span)):
                pairs.append((hidden[i], hidden[i + d]))
    else:
        seen = set()
        target = min(n * EDGES_PER_TASK, n * (n - 1) // 2)
        while len(seen) < target:
            a, b = rng.randrange(n), rng.randrange(n)
            if a != b:
                seen.add((min(a, b), max(a, b)))
        ordered = sorted(seen)
        rng.shuffle(ordered)
        pairs = [(hidden[a], hidden[b]) for a, b in ordered]
    edges = []
    for p, s in pairs:
        if fs_only or rng.random() < 0.8:
            edges.append((p, s, "FS", 0))
        else:
            edges.append((p, s, TYPES[rng.randrange(4)], rng.randint(-3, 5)))
    return durations, edges


def write(out_dir, fmt, durations, edges):
    os.makedirs(out_dir, exist_ok=True)
    if fmt == "json":
        path = os.path.join(out_dir, "plan.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"tasks": [{"id": "T%d" % i, "duration": d} for i, d in enumerate(durations)],
                       "dependencies": [{"from": "T%d" % p, "to": "T%d" % s, "type": t, "lag": lag}
                                        for p, s, t, lag in edges]}, f)
        return [path]
    sep, ext = ("\t", "tsv") if fmt == "tsv" else (",", "csv")
    tasks_path = os.path.join(out_dir, "tasks." + ext)
    edges_path = os.path.join(out_dir, "edges." + ext)
    with open(tasks_path, "w", encoding="utf-8") as f:
        f.write("id%sduration\n" % sep)
        f.writelines("T%d%s%d\n" % (i, sep, d) for i, d in enumerate(durations))
    with open(edges_path, "w", encoding="utf-8") as f:
        f.write(sep.join(("from", "to", "type", "lag")) + "\n")
        f.writelines("T%d%sT%d%s%s%s%d\n" % (p, sep, s, sep, t, sep, lag)
                     for p, s, t, lag in edges)
    return [tasks_path, edges_path]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, required=True)
    ap.add_argument("--family", choices=("project", "random"), default="project")
    ap.add_argument("--format", choices=("csv", "tsv", "json"), default="csv")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fs-only", action="store_true")
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    if args.tasks < 2:
        ap.error("--tasks: at least 2")
    durations, edges = generate(args.family, args.tasks, args.seed, args.fs_only)
    for path in write(args.out_dir, args.format, durations, edges):
        print(path)
    print("%s: %d tasks, %d dependencies" % (args.family, len(durations), len(edges)))


if __name__ == "__main__":
    main()
