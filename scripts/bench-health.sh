#!/usr/bin/env bash
# The framework floor: `GET /health` of promptsmith (its whole middleware stack, the embedded
# SQLite default) against `bare-vapor-bench`, a Vapor application with nothing but a /health that
# answers the same JSON. Both are release builds of this commit, run side by side on loopback at
# the same log level (each writing its log to a file), measured with wrk (2 threads, 16
# connections) in alternating runs, A B A B, after one warm-up run each, so that the machine's
# drift touches both alike. Prints every run and the ratio of the medians, and writes
# bench/results/<date>-health-floor.md.
#
#   HEALTH_ROUNDS=5        measured runs per server
#   HEALTH_DURATION=5      seconds per run
#   LOG_LEVEL=info         both servers' log level (promptsmith writes one access line per request)
#   BENCH_SKIP_BUILD=1     use the existing release binaries
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
ensure_debian_packages wrk curl

rounds=${HEALTH_ROUNDS:-5}
duration=${HEALTH_DURATION:-5}
level=${LOG_LEVEL:-info}
lock_file=/tmp/swift-build.lock
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  echo "==> release build of promptsmith and bare-vapor-bench (waits for $lock_file)"
  for product in promptsmith bare-vapor-bench; do
    flock "$lock_file" swift build -c release --product "$product" >/tmp/bench-health-build.log 2>&1 \
      || { tail -n 30 /tmp/bench-health-build.log >&2; exit 1; }
  done
fi
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/promptsmith-health.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_health() {
  for _ in $(seq 1 200); do curl -fs "$1/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "no answer from $1/health" >&2
  return 1
}

ours_port=$(free_port)
( cd "$work" && exec env LOG_LEVEL="$level" RATE_LIMIT_PER_MINUTE=0 ADMIN_PASSWORD=bench-password-0123456789 \
  "$bin/promptsmith" serve --hostname 127.0.0.1 --port "$ours_port" >ours.log 2>&1 ) &
pids+=($!)
bare_port=$(free_port)
( cd "$work" && exec env LOG_LEVEL="$level" "$bin/bare-vapor-bench" serve --env production \
  --hostname 127.0.0.1 --port "$bare_port" >bare.log 2>&1 ) &
pids+=($!)
wait_health "http://127.0.0.1:$ours_port"
wait_health "http://127.0.0.1:$bare_port"
[[ $(curl -fs "http://127.0.0.1:$ours_port/health") == $(curl -fs "http://127.0.0.1:$bare_port/health") ]] \
  || { echo "the two /health answers differ" >&2; exit 1; }

run() { # url seconds → "requests/s p99ms"
  wrk -t2 -c16 -d"$2"s --latency "$1/health" | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
               ms = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    END { printf "%.0f %.2f\n", rps, ms }'
}

exec {lock_fd}>"$lock_file"
echo "   (waiting for $lock_file: no compiler runs while wrk does)"
flock "$lock_fd"
run "http://127.0.0.1:$ours_port" 2 >/dev/null
run "http://127.0.0.1:$bare_port" 2 >/dev/null
ours=()
bare=()
for round in $(seq 1 "$rounds"); do
  read -r o_rps o_p99 < <(run "http://127.0.0.1:$ours_port" "$duration")
  read -r b_rps b_p99 < <(run "http://127.0.0.1:$bare_port" "$duration")
  ours+=("$o_rps")
  bare+=("$b_rps")
  printf '   round %d: promptsmith %6d req/s (p99 %s ms)   bare Vapor %6d req/s (p99 %s ms)\n' \
    "$round" "$o_rps" "$o_p99" "$b_rps" "$b_p99"
done
flock -u "$lock_fd"

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ours_median=$(median "${ours[@]}")
bare_median=$(median "${bare[@]}")
ratio=$(awk -v o="$ours_median" -v b="$bare_median" 'BEGIN { printf "%.1f", 100 * o / b }')
commit=$(git rev-parse --short HEAD)
cpu=$(awk -F: '/model name/ { sub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
summary="promptsmith $ours_median req/s, bare Vapor $bare_median req/s: $ratio % (median of $rounds runs of ${duration} s, 16 connections, LOG_LEVEL=$level)"
echo "   $summary"
mkdir -p bench/results
out="bench/results/$(date +%Y-%m-%d-%H%M)-health-floor.md"
{
  echo "# GET /health: promptsmith against a bare Vapor application"
  echo
  echo "Commit $commit, release builds, $cpu ($(nproc) cores), wrk -t2 -c16 -d${duration}s, runs alternating after one warm-up each."
  echo
  echo "| round | promptsmith req/s | bare Vapor req/s |"
  echo "|---:|---:|---:|"
  for i in "${!ours[@]}"; do echo "| $((i + 1)) | ${ours[$i]} | ${bare[$i]} |"; done
  echo
  echo "$summary"
} >"$out"
echo "   wrote $out"
