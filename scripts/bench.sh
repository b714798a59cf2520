#!/usr/bin/env bash
# Load benchmark of the real release binary with wrk, on PostgreSQL and on the embedded SQLite.
#
# Builds release, starts a throwaway PostgreSQL and the server (+ a worker) on loopback, seeds a
# realistic company with SQL (50 users, 2 trackers, 10,000 issues with 1–10 KB Markdown
# descriptions, 20 templates, 100,000 prompt versions, 1,000,000 generation events), logs in, and
# drives each endpoint with the Lua scripts of bench/lua at 1, 16 and 64 connections. Then: the
# server's RSS, a leak check (the same mixed load three times, RSS after each), GET /issues with
# and without a concurrent login flood. The same again on SQLite. Results go to
# bench/results/<date>-<db>.{json,md}; see README.md, "Performance".
#
#   BENCH_DBS="postgres sqlite"   which databases (default both)
#   BENCH_QUICK=1                 2 s cells, 1 and 16 connections, no leak check (development)
#   BENCH_DURATION=6              seconds per measured cell
#   BENCH_ENDPOINTS="health …"    only these endpoints (health is the ratio's floor: keep it)
#   BENCH_GROWTH=1                instead: the data-growth table (PostgreSQL only; see growth())
#   BENCH_PROFILE=1               instead: perf profiles per endpoint at 16 connections (PostgreSQL):
#                                 the server alone, then the whole machine by process and
#                                 PostgreSQL's symbols
#   BENCH_PROFILE_DB=sqlite       profile SQLite instead
#   POSTGRES_OPTIONS="-c …"       more settings for the benchmark's PostgreSQL (printed if known)
#   BENCH_SQLITE_SEED=path        keep the seeded SQLite file there and copy it on later runs
#   BENCH_SKIP_BUILD=1            use the existing release binary
#   BENCH_KEEP=1                  keep the work folder (server and worker logs)
#   BENCH_BINARY=path             use this binary (a debug build, while developing the script)
#   BENCH_BINARY_COMMIT=c1f2eda   the commit BENCH_BINARY was built from, for the results' header
#   CLAMD_URL=tcp://host:port     uploads scanned by this clamd (default: stored unscanned)
#
# Measurements hold /tmp/swift-build.lock (shared with other builds on this machine) so that no
# compiler runs while wrk does; seeding happens outside the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/services.sh
source bench/seed_postgres.sh
export PGOPTIONS="-c client_min_messages=warning"

quick=${BENCH_QUICK:-0}
duration=${BENCH_DURATION:-$([[ $quick == 1 ]] && echo 2 || echo 6)}
warmup=2
connections=${BENCH_CONNECTIONS:-$([[ $quick == 1 ]] && echo "1 16" || echo "1 16 64")}
password="bench-password-0123456789"
lock_file=/tmp/swift-build.lock
# CLAMD_URL in the environment reaches the server: uploads are then scanned (a real clamd, e.g.
# from `source scripts/clamd.sh; start_clamd; export CLAMD_URL=$CLAMD_TEST_URL`).
outputs_scan=${CLAMD_URL:+"scanned by clamd at $CLAMD_URL"}
outputs_scan=${outputs_scan:-"skipped (no CLAMD_URL, CLAMD_REQUIRED unset)"}

server_pid=""
worker_pid=""
work=""
lock_fd=""
cleanup() {
  stop_server
  [[ -n "$lock_fd" ]] && flock -u "$lock_fd" 2>/dev/null || true
  if [[ -n "$work" && ${BENCH_KEEP:-0} == 1 ]]; then
    echo "kept $work (server.log, worker.log)"
  elif [[ -n "$work" ]]; then
    rm -rf "$work"
  fi
  stop_services
}
trap cleanup EXIT

lock() {
  exec {lock_fd}>"$lock_file"
  echo "   (waiting for $lock_file)"
  flock "$lock_fd"
}
unlock() {
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  lock_fd=""
}

ensure_debian_packages wrk curl postgresql postgresql-client
if [[ -z ${BENCH_BINARY:-} && ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  echo "==> release build (waits for $lock_file)"
  flock "$lock_file" swift build -c release --product promptsmith >/tmp/bench-build.log 2>&1 \
    || { tail -n 30 /tmp/bench-build.log >&2; exit 1; }
fi
binary=${BENCH_BINARY:-"$(swift build -c release --show-bin-path)/promptsmith"}
[[ -x "$binary" ]] || { echo "no release binary at $binary" >&2; exit 1; }
work=$(mktemp -d /tmp/promptsmith-bench.XXXXXX)
chmod 755 "$work"
export BENCH_LUA_DIR="$root/bench/lua"
export BENCH_PASSWORD="$password"

# ---------------------------------------------------------------------------------------------
# Server

server_vars() { # database url
  server_env=(DATABASE_URL="$1" ADMIN_PASSWORD="$password"
    JWT_SECRET=bench-secret-bench-secret-bench-secret
    ENCRYPTION_KEY="$(printf '%032d' 0 | base64)" UPLOADS_DIR="$work/uploads"
    LOG_LEVEL=info RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0
    OUTBOUND_ONLY_ALLOWED=true OUTBOUND_ALLOWED_HOSTS=127.0.0.1,::1 OUTBOUND_ALLOW_HTTP=true)
}

start_server() { # database url
  local port
  port=$(free_port)
  server_vars "$1"
  (cd "$work" && exec env "${server_env[@]}" "$binary" serve --hostname 127.0.0.1 --port "$port" \
    >>"$work/server.log" 2>&1) &
  server_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -fs "$base/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fs "$base/ready" >/dev/null || { tail -n 30 "$work/server.log" >&2; exit 1; }
  # PostgreSQL deployments run jobs in separate worker processes; SQLite runs one inside serve.
  if [[ "$1" == postgres* ]]; then
    (cd "$work" && exec env "${server_env[@]}" "$binary" worker >>"$work/worker.log" 2>&1) &
    worker_pid=$!
  fi
}

stop_server() {
  for pid in "$worker_pid" "$server_pid"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  server_pid=""
  worker_pid=""
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }

login() { # email → access token
  curl -fs -X POST "$base/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$password\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])'
}

# Access tokens live 15 minutes: log in again before each measuring session.
login_bench_users() {
  local devs=() leads=()
  for n in 06 07 08 09 10 11 12 13; do devs+=("$(login "user$n@bench.example")"); done
  for n in 01 02 03; do leads+=("$(login "user$n@bench.example")"); done
  BENCH_DEV_TOKENS=$(IFS=,; echo "${devs[*]}")
  BENCH_LEAD_TOKENS=$(IFS=,; echo "${leads[*]}")
  export BENCH_DEV_TOKENS BENCH_LEAD_TOKENS
}

# ---------------------------------------------------------------------------------------------
# wrk

refresh_per_run=400

# One wrk run; prints the JSON line of bench/lua/common.lua's done().
wrk_run() { # script connections seconds
  local script=$1 conns=$2 seconds=$3 threads=2 timeout=10s
  ((conns < threads)) && threads=$conns
  [[ $script == login ]] && timeout=60s
  export BENCH_THREADS=$threads BENCH_RUN_ID=$RANDOM$RANDOM
  # Each refresh run takes fresh tokens. The counter lives in a file because callers run this
  # in $(…) subshells, where a shell variable's increment would be lost.
  local next
  next=$(cat "$work/refresh-next" 2>/dev/null || echo 0)
  export BENCH_REFRESH_FIRST=$next BENCH_REFRESH_COUNT=$refresh_per_run
  [[ $script == refresh ]] && echo $((next + refresh_per_run)) >"$work/refresh-next"
  wrk -t "$threads" -c "$conns" -d "${seconds}s" --timeout "$timeout" \
    -s "$BENCH_LUA_DIR/$script.lua" "$base" | grep '^{"requests"'
}

read -r -a endpoints <<<"${BENCH_ENDPOINTS:-health generate generate-one issues stats outputs refresh login}"
declare -A endpoint_label=(
  [health]="GET /health" [generate]="POST /prompts/generate"
  [generate-one]="POST /prompts/generate (one prompt regenerated)"
  [issues]="GET /issues?status=open&assignee=me" [stats]="GET /stats/summary"
  [outputs]="POST /outputs (100 KB text)" [login]="POST /auth/login"
  [refresh]="POST /auth/refresh"
)

cell() { # db endpoint connections seconds → appends to $work/cells.jsonl
  local line
  line=$(wrk_run "$2" "$3" "$4")
  printf '{"db":"%s","endpoint":"%s","label":"%s","connections":%s,"result":%s}\n' \
    "$1" "$2" "${endpoint_label[$2]}" "$3" "$line" >>"$work/cells.jsonl"
  python3 bench/show.py cell "$2" "$3" "$line"
}

measure_matrix() { # db
  for endpoint in "${endpoints[@]}"; do
    # Warm-up (not recorded): connections, JIT-free but caches, pools and the page cache.
    [[ $endpoint != login ]] && wrk_run "$endpoint" 16 "$warmup" >/dev/null
    for c in $connections; do
      cell "$1" "$endpoint" "$c" "$duration"
    done
  done
}

# The same mixed load three times; the server's RSS after each run.
leak_check() { # db
  for run in 1 2 3; do
    for endpoint in generate issues stats outputs refresh; do
      wrk_run "$endpoint" 16 "$duration" >/dev/null
    done
    printf '{"db":"%s","leak_run":%d,"rss_kb":%s}\n' "$1" "$run" "$(rss_kb)" >>"$work/extra.jsonl"
    echo "   leak check run $run: RSS $(rss_kb) kB"
  done
}

# GET /issues p99 alone, then with 16 connections hammering POST /auth/login at the same time.
login_flood() { # db
  local alone flooded
  alone=$(wrk_run issues 16 "$duration")
  wrk_run login 16 $((duration + 3)) >"$work/flood.json" &
  local flood_pid=$!
  sleep 1.5
  flooded=$(wrk_run issues 16 "$duration")
  wait "$flood_pid"
  printf '{"db":"%s","flood":{"issues_alone":%s,"issues_during_login_flood":%s,"login":%s}}\n' \
    "$1" "$alone" "$flooded" "$(cat "$work/flood.json")" >>"$work/extra.jsonl"
  python3 bench/show.py flood "$alone" "$flooded"
}

# ---------------------------------------------------------------------------------------------
# Data

write_data_files() { # query-runner (psql or sqlite) → files the Lua scripts read
  local id="lower(CAST(id AS text))"
  "$@" "SELECT $id FROM issues WHERE status_category <> 'done' ORDER BY random() LIMIT 2000" \
    >"$work/issues.txt"
  "$@" "SELECT $id FROM prompt_templates" >"$work/templates.txt"
  "$@" "SELECT $id FROM prompt_versions ORDER BY random() LIMIT 2000" >"$work/versions.txt"
  "$@" "SELECT email FROM users WHERE email LIKE 'user%@bench.example'" >"$work/emails.txt"
  export BENCH_ISSUES_FILE="$work/issues.txt" BENCH_TEMPLATES_FILE="$work/templates.txt"
  export BENCH_VERSIONS_FILE="$work/versions.txt" BENCH_EMAILS_FILE="$work/emails.txt"
}

# 100 KB of what an assistant writes: Markdown prose, a diff and Swift code.
write_output_text() {
  python3 - "$work/output.md" <<'PY'
import random, sys
random.seed(7)
words = "the handler now streams the body and checks the size limit before buffering so a large upload fails early with 413 and the tests cover both paths".split()
parts, size = [], 0
n = 0
while size < 100 * 1024:
    n += 1
    block = (f"## Step {n}\n\n" + " ".join(random.choice(words) for _ in range(80)) + ".\n\n"
             f"```swift\nfunc handle{n}(_ req: Request) async throws -> Response {{\n"
             f"  let limit = {n * 1024}\n  guard req.body.count <= limit else {{ throw Abort(.payloadTooLarge) }}\n"
             f"  return try await service.process(req, step: {n})\n}}\n```\n\n"
             f"- [x] item {n} done\n- [ ] follow-up {n}\n\n")
    parts.append(block)
    size += len(block.encode())
open(sys.argv[1], "w").write("".join(parts)[: 100 * 1024])
PY
  export BENCH_OUTPUT_TEXT="$work/output.md"
}

pg_query() { psql "$db_url" -At -c "$1"; }
sqlite_query() { python3 -c 'import sqlite3,sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])' "$sqlite_path" "$1"; }

seed_postgres() { # issues prompts events refresh-tokens
  {
    seed_base_sql
    add_issues_sql 1 "$1"
    add_prompts_sql "$2"
    add_events_sql "$3"
    add_refresh_tokens_sql "$4"
  } | psql "$db_url" -q -v ON_ERROR_STOP=1
  # What autovacuum does in production: statistics and the visibility map for index-only scans.
  psql "$db_url" -q -c "VACUUM ANALYZE"
  # The seed's gigabyte of WAL would otherwise be checkpointed during the first cells, in the way
  # of the server's commits (generate's p99 of 73 ms at 16 connections in one full run, 20 ms in
  # the quick runs around it).
  psql "$db_url" -q -c "CHECKPOINT"
}

counts() { # query-runner
  local row=""
  for table in users issues prompt_templates prompt_versions generation_events; do
    row+="\"$table\":$("$@" "SELECT count(*) FROM $table"),"
  done
  echo "{${row%,}}"
}

# ---------------------------------------------------------------------------------------------
# Reports

machine_json() {
  python3 - <<'PY'
import json, os, platform, re
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
print(json.dumps({"nproc": os.cpu_count(), "cpu": cpu, "memory_mb": mem, "kernel": platform.release()}))
PY
}

report() { # db label
  local stamp
  stamp=$(date -u +%Y-%m-%d-%H%M)
  python3 bench/report.py --db "$1" --label "$2" --cells "$work/cells.jsonl" \
    --extra "$work/extra.jsonl" --machine "$(machine_json)" --counts "$3" \
    --settings "{\"duration_s\":$duration,\"connections\":\"$connections\",\"quick\":$quick,\"commit\":\"${BENCH_BINARY_COMMIT:-$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo '+dirty')}\",\"outputs_scan\":\"$outputs_scan\",\"log_level\":\"info\",\"durability\":\"${postgres_durability:-}\"}" \
    --out "bench/results/$stamp-$1"
}

run_db() { # db url label query-runner...
  local db=$1 url=$2 label=$3
  shift 3
  : >"$work/cells.jsonl"
  : >"$work/extra.jsonl"
  write_data_files "$@"
  local data_counts
  data_counts=$(counts "$@")
  echo "   data: $data_counts"
  lock
  login_bench_users # after the lock: waiting for it can outlast a 15-minute access token
  echo "==> measuring $label"
  printf '{"db":"%s","rss_kb_before":%s}\n' "$db" "$(rss_kb)" >>"$work/extra.jsonl"
  measure_matrix "$db"
  printf '{"db":"%s","rss_kb_after":%s}\n' "$db" "$(rss_kb)" >>"$work/extra.jsonl"
  echo "   RSS after the matrix: $(rss_kb) kB"
  unlock
  lock
  login_bench_users
  login_flood "$db"
  [[ $quick == 1 ]] || leak_check "$db"
  unlock
  # Non-2xx answers in the table are explained here (the access log has one line per request).
  echo "   server log: $(grep -c '"level":"error"' "$work/server.log" || true) errors, $(grep -c '"level":"warning"' "$work/server.log" || true) warnings; statuses other than 2xx:"
  grep -o '"message":"[A-Z]* [^ ]* [3-5][0-9][0-9]"' "$work/server.log" | sed 's/"message":"//; s/"$//; s/\/[0-9a-f-]\{36\}/\/:id/g' \
    | sort | uniq -c | sort -rn | head -n 5 | sed 's/^/     /' || true
  report "$db" "$label" "$data_counts"
}

# ---------------------------------------------------------------------------------------------

bench_postgres() {
  echo "== PostgreSQL"
  # Durable, as in production (the tests' server runs with fsync off).
  POSTGRES_DURABLE=1 start_postgres
  postgres_durability=$(psql "$POSTGRES_TEST_URL" -At -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'commit_delay', 'commit_siblings')")
  echo "   $postgres_durability"
  psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE promptsmith_bench"
  db_url="${POSTGRES_TEST_URL%/postgres}/promptsmith_bench"
  start_server "$db_url"
  echo "   seeding"
  local started=$SECONDS
  seed_postgres 10000 25000 1000000 20000
  echo "   seeded in $((SECONDS - started)) s"
  run_db postgres "$db_url" "PostgreSQL $(psql "$db_url" -At -c 'SHOW server_version' | cut -d' ' -f1)" pg_query
  stop_server
  stop_services
}

# A migrated, bootstrapped and seeded SQLite file at $sqlite_path; with BENCH_SQLITE_SEED, a copy
# of the one seeded before (by the same binary's migrations: delete it after a new migration).
seed_sqlite() {
  sqlite_path="$work/data/promptsmith.sqlite"
  mkdir -p "$work/data"
  if [[ -n ${BENCH_SQLITE_SEED:-} && -f ${BENCH_SQLITE_SEED:-} ]]; then
    cp "$BENCH_SQLITE_SEED" "$sqlite_path"
    # The copy's 800 MB of dirty pages would otherwise be written back during the first cells,
    # in the way of the server's own syncs (a p99 of 80 ms at one connection in one run).
    sync "$sqlite_path"
    echo "   seeded: a copy of $BENCH_SQLITE_SEED"
    return
  fi
  start_server "sqlite://$sqlite_path"
  stop_server # migrated and bootstrapped; seed while no server holds the file
  echo "   seeding"
  local started=$SECONDS
  python3 bench/seed_sqlite.py "$sqlite_path" 10000 25000 1000000 20000
  echo "   seeded in $((SECONDS - started)) s"
  [[ -n ${BENCH_SQLITE_SEED:-} ]] && cp "$sqlite_path" "$BENCH_SQLITE_SEED"
  return 0
}

bench_sqlite() {
  echo "== SQLite"
  postgres_durability=""
  seed_sqlite
  start_server "sqlite://$sqlite_path"
  run_db sqlite "sqlite://$sqlite_path" "SQLite (embedded, WAL)" sqlite_query
  stop_server
}

# Cost against data size: GET /stats/summary and GET /issues at 16 connections with 1k/10k/100k
# issues and 10k/100k/1M events (PostgreSQL), grown in place between steps.
growth() {
  echo "== growth (PostgreSQL)"
  start_postgres
  psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE promptsmith_growth"
  db_url="${POSTGRES_TEST_URL%/postgres}/promptsmith_growth"
  start_server "$db_url"
  { seed_base_sql; add_issues_sql 1 1000; add_prompts_sql 2500; } | psql "$db_url" -q -v ON_ERROR_STOP=1
  : >"$work/cells.jsonl"
  local issues_now=1000 events_now=0
  for step in "1000 10000" "10000 100000" "100000 1000000"; do
    read -r issues events <<<"$step"
    echo "   growing to $issues issues, $events events"
    {
      if ((issues > issues_now)); then add_issues_sql $((issues_now + 1)) "$issues"; fi
      add_events_sql $((events - events_now))
    } | psql "$db_url" -q -v ON_ERROR_STOP=1
    psql "$db_url" -q -c "VACUUM ANALYZE"
    issues_now=$issues events_now=$events
    write_data_files pg_query
    lock
    login_bench_users
    for endpoint in stats issues; do
      wrk_run "$endpoint" 16 "$warmup" >/dev/null
      for c in 1 16; do
        local line
        line=$(wrk_run "$endpoint" "$c" "$duration")
        printf '{"issues":%d,"events":%d,"endpoint":"%s","connections":%d,"result":%s}\n' \
          "$issues" "$events" "$endpoint" "$c" "$line" >>"$work/cells.jsonl"
        python3 bench/show.py cell "$endpoint" "$c" "$line"
      done
    done
    unlock
  done
  python3 bench/report.py --growth --cells "$work/cells.jsonl" --machine "$(machine_json)" \
    --out "bench/results/$(date -u +%Y-%m-%d-%H%M)-growth"
  stop_server
  stop_services
}

# perf profiles of the server under 16 connections, one per endpoint, into $BENCH_PROFILE_DIR.
profile() {
  local out=${BENCH_PROFILE_DIR:-/tmp/promptsmith-profiles}
  mkdir -p "$out"
  if [[ ${BENCH_PROFILE_DB:-postgres} == sqlite ]]; then
    echo "== profiles (SQLite)"
    seed_sqlite
    start_server "sqlite://$sqlite_path"
    write_data_files sqlite_query
  else
    echo "== profiles (PostgreSQL)"
    start_postgres
    psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE promptsmith_bench"
    db_url="${POSTGRES_TEST_URL%/postgres}/promptsmith_bench"
    start_server "$db_url"
    seed_postgres 10000 25000 1000000 20000
    write_data_files pg_query
  fi
  lock
  login_bench_users
  for endpoint in ${BENCH_PROFILE_ENDPOINTS:-generate issues stats outputs refresh}; do
    wrk_run "$endpoint" 16 $((duration + 2)) >"$out/$endpoint.wrk.json" &
    local wrk_pid=$!
    sleep 1
    perf record -F 499 -g -o "$out/$endpoint.data" -p "$server_pid" -- sleep "$duration" 2>/dev/null
    wait "$wrk_pid"
    perf report -i "$out/$endpoint.data" --no-children --percent-limit 0.7 --stdio -g none \
      2>/dev/null | grep -v '^$' >"$out/$endpoint.txt" || true
    # The whole machine under the same load: which process has the cores, and PostgreSQL's share.
    wrk_run "$endpoint" 16 4 >/dev/null &
    wrk_pid=$!
    sleep 1
    perf record -F 499 -a -g -o "$out/$endpoint.all.data" -- sleep 2 2>/dev/null
    wait "$wrk_pid"
    perf report -i "$out/$endpoint.all.data" --no-children --sort comm --stdio -g none \
      2>/dev/null | grep -v '^#' | grep -v '^$' >"$out/$endpoint.processes.txt" || true
    perf report -i "$out/$endpoint.all.data" --children --comms postgres --sort symbol --stdio \
      -g none --percent-limit 2 2>/dev/null | grep -v '^#' | grep -v '^$' \
      >"$out/$endpoint.postgres.txt" || true
    echo "   $endpoint: $out/$endpoint.txt, .processes.txt, .postgres.txt"
  done
  unlock
  stop_server
  stop_services
}

write_output_text
if [[ ${BENCH_PROFILE:-0} == 1 ]]; then
  profile
  exit 0
fi
if [[ ${BENCH_GROWTH:-0} == 1 ]]; then
  growth
  exit 0
fi
# The statistics endpoints at 1,000,000 events (summary and time series, both databases): their
# own script, which seeds its own databases.
if [[ ${BENCH_STATS:-0} == 1 ]]; then
  stop_services
  exec scripts/bench-stats.sh
fi
for db in ${BENCH_DBS:-postgres sqlite}; do
  "bench_$db"
done
