#!/usr/bin/env bash
# Benchmarks the Templating target in release mode: median and p99 of parse+lint of a 20 KB
# template (target < 2 ms) and of rendering a typical 3 KB template with an issue (< 50 µs).
# Builds take a lock so that concurrent builds on a shared machine do not collide.
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/swift-build.lock swift build -c release --product templating-bench
exec .build/release/templating-bench
