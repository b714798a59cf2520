#!/usr/bin/env python3
"""Turns scripts/bench.sh's raw wrk lines into bench/results/<stamp>-<db>.{json,md}.

The Markdown holds the endpoint table (throughput, p50/p95/p99, p50 as a multiple of the /health
p50 at the same connection count), the issue's targets checked against the PostgreSQL 16
connection cells, RSS, the leak check and the login-flood comparison.
"""
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--db")
parser.add_argument("--label")
parser.add_argument("--cells", required=True)
parser.add_argument("--extra")
parser.add_argument("--machine", required=True)
parser.add_argument("--counts", default="{}")
parser.add_argument("--settings", default="{}")
parser.add_argument("--growth", action="store_true")
parser.add_argument("--out", required=True)
args = parser.parse_args()


def read_lines(path):
    if not path:
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


machine = json.loads(args.machine)
cells = read_lines(args.cells)


def fmt(value, digits=2):
    return f"{value:,.{digits}f}"


def errors(result):
    return sum(result["errors"].values())


if args.growth:
    lines = [
        "# Data growth (PostgreSQL)",
        "",
        f"Machine: {machine['nproc']} × {machine['cpu']}, {machine['memory_mb']} MB.",
        "",
        "| issues | events | endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for cell in cells:
        r = cell["result"]
        endpoint = "GET /stats/summary" if cell["endpoint"] == "stats" else "GET /issues?status=open&assignee=me"
        lines.append(
            f"| {cell['issues']:,} | {cell['events']:,} | {endpoint} | {cell['connections']} | "
            f"{fmt(r['rps'], 0)} | {fmt(r['p50_ms'])} | {fmt(r['p95_ms'])} | {fmt(r['p99_ms'])} | {errors(r)} |")
    json.dump({"machine": machine, "cells": cells}, open(args.out + ".json", "w"), indent=2)
    open(args.out + ".md", "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {args.out}.json and {args.out}.md")
    sys.exit(0)

extra = read_lines(args.extra)
settings = json.loads(args.settings)
counts = json.loads(args.counts)

health = {c["connections"]: c["result"]["p50_ms"] for c in cells if c["endpoint"] == "health"}
for cell in cells:
    floor = health.get(cell["connections"])
    cell["p50_vs_health"] = round(cell["result"]["p50_ms"] / floor, 2) if floor else None

rss = {}
leak = []
flood = None
for item in extra:
    if "rss_kb_before" in item:
        rss["before_kb"] = item["rss_kb_before"]
    if "rss_kb_after" in item:
        rss["after_matrix_kb"] = item["rss_kb_after"]
    if "leak_run" in item:
        leak.append(item["rss_kb"])
    if "flood" in item:
        flood = item["flood"]


def find(endpoint, connections=16):
    return next((c["result"] for c in cells
                 if c["endpoint"] == endpoint and c["connections"] == connections), None)


# The targets, read at 16 connections.
targets = []


def target(name, result, ok, measured):
    if result is None:
        return
    targets.append({"target": name, "measured": measured, "met": bool(ok) and errors(result) == 0})


g = find("generate")
if g:
    target("POST /prompts/generate p99 < 20 ms", g, g["p99_ms"] < 20, f"{fmt(g['p99_ms'])} ms")
    target("POST /prompts/generate ≥ 1,000 req/s", g, g["rps"] >= 1000, f"{fmt(g['rps'], 0)} req/s")
for endpoint, name in (("issues", "GET /issues?status=open&assignee=me"), ("stats", "GET /stats/summary")):
    r = find(endpoint)
    if r:
        target(f"{name} p99 < 10 ms", r, r["p99_ms"] < 10, f"{fmt(r['p99_ms'])} ms")
for endpoint in ("generate", "issues", "stats", "outputs", "refresh", "health"):
    r = find(endpoint)
    if r:
        label = next(c["label"] for c in cells if c["endpoint"] == endpoint)
        target(f"{label} p95 < 5 ms", r, r["p95_ms"] < 5, f"{fmt(r['p95_ms'])} ms")

document = {
    "db": args.db, "label": args.label, "machine": machine, "settings": settings, "data": counts,
    "cells": cells, "rss": rss, "leak_check_rss_kb": leak, "login_flood": flood,
    "targets_16_connections": targets,
}
json.dump(document, open(args.out + ".json", "w"), indent=2)

lines = [
    f"# Promptsmith benchmark — {args.label}",
    "",
    f"Machine: {machine['nproc']} × {machine['cpu']}, {machine['memory_mb']} MB RAM, "
    f"Linux {machine['kernel']}; wrk and the database share these cores with the server.",
    f"Build: release, commit {settings.get('commit', '?')}; {settings.get('duration_s')} s per "
    f"cell after a 2 s warm-up; LOG_LEVEL={settings.get('log_level')}; "
    f"outputs scanning: {settings.get('outputs_scan')}."
    + (f" PostgreSQL: {settings['durability']}." if settings.get("durability") else ""),
    "Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".",
    "",
    "| endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | p50 / health | errors |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
]
for cell in cells:
    r = cell["result"]
    ratio = "—" if cell["endpoint"] == "health" or cell["p50_vs_health"] is None else f"{cell['p50_vs_health']}×"
    lines.append(
        f"| {cell['label']} | {cell['connections']} | {fmt(r['rps'], 0)} | {fmt(r['p50_ms'])} | "
        f"{fmt(r['p95_ms'])} | {fmt(r['p99_ms'])} | {ratio} | {errors(r) or ''} |")
lines += ["", "Targets (16 connections):", "", "| target | measured | |", "|---|---:|---|"]
for t in targets:
    lines.append(f"| {t['target']} | {t['measured']} | {'met' if t['met'] else '**missed**'} |")
lines.append("")
if rss:
    lines.append(
        f"Server RSS: {rss.get('before_kb', 0) / 1024:.1f} MB before the load, "
        f"{rss.get('after_matrix_kb', 0) / 1024:.1f} MB after the matrix.")
if leak:
    lines.append(
        "Leak check (generate, issues, stats, outputs, refresh at 16 connections, three times): "
        "RSS after each run " + ", ".join(f"{kb / 1024:.1f} MB" for kb in leak) + ".")
if flood:
    a, f, l = flood["issues_alone"], flood["issues_during_login_flood"], flood["login"]
    lines.append(
        f"GET /issues at 16 connections: p99 {fmt(a['p99_ms'])} ms alone, {fmt(f['p99_ms'])} ms "
        f"during a 16-connection login flood ({fmt(l['rps'], 1)} logins/s, login p50 "
        f"{fmt(l['p50_ms'], 0)} ms); p50 {fmt(a['p50_ms'])} → {fmt(f['p50_ms'])} ms.")
open(args.out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
print(f"wrote {args.out}.json and {args.out}.md")
