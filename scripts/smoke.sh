#!/usr/bin/env bash
# End-to-end check of the real binary, as a user would drive it with curl: bootstrap admin,
# users and roles, refresh rotation and reuse detection, logout, and the user/company CLI.
# Uses DATABASE_URL when set (PostgreSQL), else the embedded SQLite default in a temp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/serve-binary.sh
start_binary
fail() { echo "SMOKE FAIL: $*" >&2; tail -n 20 "$work/server.log" "$work/server.err" >&2 || true; exit 1; }
label=${DATABASE_URL:+PostgreSQL}
label=${label:-SQLite}

curl -fs "$base/ready" >/dev/null || fail "server not ready"

password=$(awk '/password:/ {print $2}' "$work/server.err")
email=$(awk '/e-mail:/ {print $2}' "$work/server.err")
[[ -n "$password" && "$email" == "admin@promptsmith.local" ]] || fail "no bootstrap admin printed"
grep -q "$password" "$work/server.log" && fail "the generated password leaked into the JSON log"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }

login=$(curl -fs -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}") || fail "admin login"
admin=$(echo "$login" | json '["accessToken"]')
refresh1=$(echo "$login" | json '["refreshToken"]')

for role in lead developer; do
  code=$(status -X POST "$base/users" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
    -d "{\"email\":\"$role@example.com\",\"name\":\"A $role\",\"role\":\"$role\",\"password\":\"$role-password-1\"}")
  [[ "$code" == 201 ]] || fail "create $role: $code $(cat "$work/body")"
done
dev=$(curl -fs -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d '{"email":"developer@example.com","password":"developer-password-1"}' | json '["accessToken"]')
[[ $(status "$base/users" -H "authorization: Bearer $dev") == 403 ]] || fail "developer must get 403 on /users"
[[ $(status "$base/me" -H "authorization: Bearer $dev") == 200 ]] || fail "developer /me"

# Rotation: the cookie jar carries the refresh cookie like a browser would.
curl -fs -c "$work/jar" -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
# The cookie is Secure, so curl keeps it for https only: send it back by hand over loopback.
cookie=$(awk '/ps_refresh/ {print $7}' "$work/jar")
[[ -n "$cookie" ]] || fail "login set no ps_refresh cookie"
rotated=$(curl -fs -X POST "$base/auth/refresh" -H "Cookie: ps_refresh=$cookie") || fail "refresh with cookie"
refresh2=$(echo "$rotated" | json '["refreshToken"]')
[[ $(status -X POST "$base/auth/refresh" -H 'content-type: application/json' -d "{\"refreshToken\":\"$refresh1\"}") == 200 ]] \
  || fail "refresh with body"
newest=$(json '["refreshToken"]' <"$work/body")
newest_access=$(json '["accessToken"]' <"$work/body")
echo "   waiting past the 10 s grace window to test reuse detection ($label)"
sleep 11
[[ $(status -X POST "$base/auth/refresh" -H 'content-type: application/json' -d "{\"refreshToken\":\"$refresh1\"}") == 401 ]] \
  || fail "reused refresh token must be refused"
[[ $(status -X POST "$base/auth/refresh" -H 'content-type: application/json' -d "{\"refreshToken\":\"$newest\"}") == 401 ]] \
  || fail "reuse must revoke the family"
[[ $(status "$base/me" -H "authorization: Bearer $newest_access") == 401 ]] || fail "revoked family's access token"
[[ $(status -X POST "$base/auth/refresh" -H 'content-type: application/json' -d "{\"refreshToken\":\"$refresh2\"}") == 200 ]] \
  || fail "another session must survive"

survivor=$(json '["accessToken"]' <"$work/body")
[[ $(status "$base/me" -H "authorization: Bearer $admin") == 401 ]] || fail "the first login's family was reused"
[[ $(status -X POST "$base/auth/logout" -H "authorization: Bearer $survivor") == 204 ]] || fail "logout"
[[ $(status "$base/me" -H "authorization: Bearer $survivor") == 401 ]] || fail "token after logout"
# Read whole before grep: `grep -q` stops at the first match, and under pipefail the writer's
# SIGPIPE would fail the line once the page outgrows the pipe's buffer.
metrics=$(curl -fs "$base/metrics") || fail "metrics"
grep -q 'http_requests_total' <<<"$metrics" || fail "metrics"
curl -fs "$base/openapi.json" | json '["openapi"]' | grep -q 3.1 || fail "openapi.json"

# The CLI against the same database.
echo "cli-password-123" | ( cd "$work" && "$binary" user create --email cli@example.com --name Cli \
  --role lead --password-stdin ) >/dev/null || fail "user create"
echo "other-password-123" | ( cd "$work" && "$binary" company create --name Globex \
  --admin-email boss@globex.example --admin-password-stdin ) >/dev/null || fail "company create"
curl -fs -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d '{"email":"boss@globex.example","password":"other-password-123"}' >/dev/null || fail "login of CLI-created admin"
# Without a terminal, migrate cannot ask for confirmation: it says so instead of crashing.
set +e
( cd "$work" && "$binary" migrate </dev/null ) >/dev/null 2>"$work/migrate.err"
migrate_status=$?
set -e
[[ $migrate_status == 2 ]] && grep -q -- "--yes" "$work/migrate.err" || fail "migrate without a terminal"
( cd "$work" && "$binary" migrate --yes </dev/null ) >/dev/null 2>&1 || fail "migrate --yes"
echo "   smoke test passed on $label"
