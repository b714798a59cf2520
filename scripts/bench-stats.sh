#!/usr/bin/env bash
# GET /stats/summary and /stats/timeseries with 1,000,000 generation events, and
# GET /stats/templates/:id and its compare with 1,000,000 generations of one template, on
# PostgreSQL and on SQLite.
#
# Method: build (release by default; BUILD_MODE=debug for a quick look), start the real server on
# a throwaway database, seed one company with 1,000,000 generation events spread over a year
# (about 2,700 of them today) with SQL, then time 200 sequential authenticated requests per
# endpoint with curl and print p50/p95/p99 of the server round trip on loopback. Targets: the
# summary p50 under 20 ms; each time series (30 days of Europe/Paris, by day, template and IDE)
# under 10 ms. Then the template's quality: 1,000,000 prompt versions of one template over a
# year, spread over ten versions (one after the other, the newest last), 30 % with an output
# after 1 s to 2 days, 60 % of those reviewed; its statistics for all time and for 30 days of
# Europe/Paris (partial days at both ends), and the comparison of its two newest versions, each
# under 10 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "${work:-}"
  stop_services
}
trap cleanup EXIT
ensure_debian_packages curl
mode=${BUILD_MODE:-release}
events=${EVENTS:-1000000}
# shellcheck disable=SC2086 # SWIFT_BUILD_FLAGS (e.g. --enable-code-coverage) reuses another build
swift build -c "$mode" ${SWIFT_BUILD_FLAGS:-} --product promptsmith >/tmp/bench-stats-build.log 2>&1 \
  || { tail -n 30 /tmp/bench-stats-build.log >&2; exit 1; }
binary="$(swift build -c "$mode" ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/promptsmith"
work=$(mktemp -d /tmp/promptsmith-bench-stats.XXXXXX)
password="bench-admin-password"

start_server() { # DATABASE_URL
  local port
  port=$(free_port)
  (cd "$work" && DATABASE_URL="$1" ADMIN_PASSWORD="$password" LOG_LEVEL=error \
    JWT_SECRET=bench-secret-bench-secret-bench-secret exec "$binary" serve --port "$port" \
    >"$work/server.log" 2>&1) &
  server_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 200); do curl -fs "$base/health" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1
}

stop_server() {
  kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

measure() { # label
  local token
  token=$(curl -fs -X POST "$base/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"admin@promptsmith.local\",\"password\":\"$password\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
  curl -fs "$base/stats/summary" -H "authorization: Bearer $token" >"$work/summary.json"
  local series="from=$(date -u -d '29 days ago' +%F)&tz=Europe/Paris"
  local template
  template=$(curl -fs "$base/prompt-templates" -H "authorization: Bearer $token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  for path in /stats/summary "/stats/timeseries?groupBy=day&$series" \
    "/stats/timeseries?groupBy=template&$series" "/stats/timeseries?groupBy=ide&$series" \
    "/stats/templates/$template" "/stats/templates/$template?$series" \
    "/stats/templates/$template/compare?a=9&b=10"; do
    curl -fs -o /dev/null "$base$path" -H "authorization: Bearer $token"
    for _ in $(seq 1 200); do
      curl -s -o /dev/null -w '%{time_total}\n' "$base$path" -H "authorization: Bearer $token"
    done | python3 -c '
import sys, statistics
import re
label = sys.argv[1]
path = re.sub("[0-9a-f-]{36}", ":id", sys.argv[2].split("?")[0])
query = sys.argv[2].split("?")[1] if "?" in sys.argv[2] else ""
path += "?groupBy=" + query.split("groupBy=")[1].split("&")[0] if "groupBy" in query else ("?30 days" if "from=" in query else ("?" + query if query else ""))
times = sorted(float(line) * 1000 for line in sys.stdin)
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"{label:<12} {path:<38} p50 {pick(0.50):6.2f} ms   p95 {pick(0.95):6.2f} ms   p99 {pick(0.99):6.2f} ms   (n={len(times)})")
' "$1" "$path"
  done
  python3 -c 'import json; s = json.load(open("'"$work"'/summary.json")); print("             promptsToday", s["promptsToday"], "avgTokens", round(s["avgTokens"], 1), "promptsLast7Days", s["promptsLast7Days"])'
  curl -fs "$base/stats/templates/$template" -H "authorization: Bearer $token" | python3 -c '
import json, sys
for v in json.load(sys.stdin)["versions"][:3]:
    print("             version", v["version"], "generations", v["generations"], "outputs", v["outputs"],
          "reviewed", v["reviewed"], "acceptanceRate", round(v["acceptanceRate"] or 0, 3),
          "median s", round(v["medianSecondsToFirstOutput"] or 0, 1))'
}

# One template's quality data: versions 2 to 10 beside the fixture's 1, then $events prompt
# versions over a year (version 10 the newest), outputs for 30 % and reviews for 60 % of those.
quality_sql() { # events
  cat <<SQL
INSERT INTO prompt_template_versions (id, template_id, version, body_md, content_hash, created_by, created_at)
  SELECT gen_random_uuid(), id, v, body_md, 'x' || v, created_by, now() FROM prompt_templates, generate_series(2, 10) v;
UPDATE prompt_templates SET latest_version = 10;
INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text, tokens_estimate,
  encoding, model, template_version_id, vars_json, issue_snapshot_sha256, created_at, allow_over_budget)
  SELECT gen_random_uuid(), p.id, p.company_id, p.creator_id, 1 + g, 'Bench', (200 + random() * 3000)::int,
    'cl100k_base', 'gpt-4o', tv.id, '{}', 'x', now() - (g / $1::float8) * interval '365 days', false
  FROM prompts p CROSS JOIN generate_series(1, $1) g
  JOIN prompt_template_versions tv ON tv.template_id = p.template_id AND tv.version = 10 - (g * 10 / ($1 + 1));
INSERT INTO blobs (sha256, size, created_at) VALUES (repeat('a', 64), 1, now());
INSERT INTO outputs (id, company_id, prompt_version_id, creator_id, blob_sha256, kind, content_type, size,
  scan_status, tokens_out, created_at)
  SELECT gen_random_uuid(), company_id, id, creator_id, repeat('a', 64), 'text', 'text/plain', 1, 'clean',
    (100 + random() * 2000)::int, created_at + exp(random() * 12) * interval '1 second'
  FROM prompt_versions WHERE random() < 0.3;
INSERT INTO output_reviews (id, output_id, company_id, verdict, links_json, reviewed_by, reviewed_at)
  SELECT gen_random_uuid(), id, company_id,
    (ARRAY['accepted', 'changes_requested', 'rejected'])[1 + floor(random() * 3)::int], '[]', creator_id, created_at
  FROM outputs WHERE random() < 0.6;
SQL
}

# The rows every event points at: one tracker, issue, template, prompt and prompt version.
fixture_sql() { # uuid expression for new ids
  cat <<SQL
INSERT INTO trackers (id, company_id, type, name, base_url, created_at)
  SELECT $1, id, 'jira-cloud', 'bench', 'https://bench.example', $2 FROM companies;
INSERT INTO issues (id, company_id, tracker_id, ext_key, title, description_md, criteria_md, status,
  status_category, labels_json, payload_json, created_at)
  SELECT $1, company_id, id, 'B-1', 'Bench', '', '', 'To Do', 'todo', '[]', '{}', $2 FROM trackers;
INSERT INTO prompt_templates (id, company_id, name, body_md, latest_version, created_by, created_at)
  SELECT $1, company_id, 'bench', '{{title}}', 1, id, $2 FROM users;
INSERT INTO prompt_template_versions (id, template_id, version, body_md, content_hash, created_by, created_at)
  SELECT $1, id, 1, body_md, 'x', created_by, $2 FROM prompt_templates;
INSERT INTO prompts (id, company_id, issue_id, template_id, creator_id, created_at)
  SELECT $1, i.company_id, i.id, t.id, t.created_by, $2 FROM issues i, prompt_templates t;
INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text,
  tokens_estimate, encoding, model, template_version_id, vars_json, issue_snapshot_sha256, created_at)
  SELECT $1, p.id, p.company_id, p.creator_id, 1, 'Bench', 1, 'cl100k_base', 'gpt-3.5-turbo', v.id,
  '{}', 'x', $2 FROM prompts p, prompt_template_versions v;
SQL
}

echo "== PostgreSQL, $events generation events ($mode build)"
start_postgres
psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE stats_bench"
db_url="${POSTGRES_TEST_URL%/postgres}/stats_bench"
start_server "$db_url"
{
  fixture_sql "gen_random_uuid()" "now()"
  cat <<SQL
INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id, tokens_in, ide, "timestamp")
  SELECT gen_random_uuid(), v.company_id, v.id, p.template_id, v.creator_id, (200 + random() * 3000)::int,
    (ARRAY['vscode', 'cursor', 'jetbrains', 'claude-code'])[1 + floor(random() * 4)::int],
    now() - random() * interval '365 days'
  FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id, generate_series(1, $events);
SQL
  quality_sql "$events"
} | psql "$db_url" -q -v ON_ERROR_STOP=1
# What autovacuum does in production: statistics and the visibility map for index-only scans.
psql "$db_url" -q -c "VACUUM ANALYZE"
measure "PostgreSQL"
echo "   plan of the largest query (7 days):"
psql "$db_url" -At -c "EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM generation_events
  WHERE company_id = (SELECT id FROM companies LIMIT 1) AND timestamp >= now() - interval '7 days'" \
  | sed 's/^/     /'
stop_server

echo "== SQLite, $events generation events ($mode build)"
sqlite_path="$work/stats.sqlite"
start_server "sqlite://$sqlite_path"
stop_server # migrated and bootstrapped; seed while no server holds the file
python3 - "$sqlite_path" "$events" "$(fixture_sql "upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-7' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))" "((julianday('now') - 2440587.5) * 86400.0)")" <<'PY'
import sqlite3, sys, time, uuid, random
path, count, fixture = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = sqlite3.connect(path)
db.executescript(fixture)
company, version, template, user = db.execute(
    "SELECT v.company_id, v.id, p.template_id, v.creator_id FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id").fetchone()
now = time.time()
ides = ["vscode", "cursor", "jetbrains", "claude-code"]
rows = ((str(uuid.uuid4()).upper(), company, version, template, user, random.randint(200, 3200),
         random.choice(ides), now - random.random() * 365 * 86400) for _ in range(count))
db.executemany("INSERT INTO generation_events (id, company_id, prompt_version_id, template_id, user_id, tokens_in, ide, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
# The template's quality data, as quality_sql seeds PostgreSQL.
prompt, body, author = db.execute("SELECT p.id, t.body_md, t.created_by FROM prompts p JOIN prompt_templates t ON t.id = p.template_id").fetchone()
new_id = lambda: str(uuid.uuid4()).upper()
versions = {1: db.execute("SELECT id FROM prompt_template_versions").fetchone()[0]}
for number in range(2, 11):
    versions[number] = new_id()
    db.execute("INSERT INTO prompt_template_versions (id, template_id, version, body_md, content_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (versions[number], template, number, body, "x%d" % number, author, now))
db.execute("UPDATE prompt_templates SET latest_version = 10")
db.execute("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)", ("a" * 64, now))
outputs, reviews = [], []
def prompt_versions():
    for g in range(1, count + 1):
        created = now - g / count * 365 * 86400
        row = (new_id(), prompt, company, user, 1 + g, "Bench", random.randint(200, 3200), "cl100k_base", "gpt-4o",
               versions[10 - g * 10 // (count + 1)], "{}", "x", created, 0)
        if random.random() < 0.3:
            output = new_id()
            outputs.append((output, company, row[0], user, "a" * 64, "text", "text/plain", 1, "clean",
                            random.randint(100, 2100), created + 2.718281828 ** (random.random() * 12)))
            if random.random() < 0.6:
                reviews.append((new_id(), output, company, random.choice(["accepted", "changes_requested", "rejected"]), "[]", user, created))
        yield row
db.executemany("INSERT INTO prompt_versions (id, prompt_id, company_id, creator_id, version, body_text, tokens_estimate, encoding, model, template_version_id, vars_json, issue_snapshot_sha256, created_at, allow_over_budget) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", prompt_versions())
db.executemany("INSERT INTO outputs (id, company_id, prompt_version_id, creator_id, blob_sha256, kind, content_type, size, scan_status, tokens_out, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", outputs)
db.executemany("INSERT INTO output_reviews (id, output_id, company_id, verdict, links_json, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", reviews)
db.commit()
db.execute("ANALYZE")
db.commit()
PY
start_server "sqlite://$sqlite_path"
measure "SQLite"
stop_server
