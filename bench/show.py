#!/usr/bin/env python3
"""One console line for scripts/bench.sh: `show.py cell NAME CONNS JSON`, `show.py flood A B`."""
import json
import sys

kind = sys.argv[1]
if kind == "cell":
    name, conns, r = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    errors = sum(r["errors"].values())
    print(f"   {name:<9} c={conns:<3} {r['rps']:9.1f} req/s  p50 {r['p50_ms']:8.2f}  "
          f"p95 {r['p95_ms']:8.2f}  p99 {r['p99_ms']:8.2f} ms"
          + (f"  ERRORS {r['errors']}" if errors else ""))
elif kind == "flood":
    a, f = json.loads(sys.argv[2]), json.loads(sys.argv[3])
    print(f"   GET /issues c=16 p99 alone {a['p99_ms']:.2f} ms, "
          f"during a login flood {f['p99_ms']:.2f} ms")
