#!/usr/bin/env bash
# Fuzzes the running binary against its own OpenAPI document with schemathesis (all checks,
# stateful links where defined), as an admin, seeded and time-bounded. Operations that would
# end the admin's session or take its rights away are excluded. Uses DATABASE_URL when set,
# else the embedded SQLite in a temp folder. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x .venv/bin/schemathesis ]]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check schemathesis==4.32.5
fi
# shellcheck disable=SC2086
swift build ${SWIFT_BUILD_FLAGS:-} --product promptsmith >/dev/null 2>&1
binary="$(swift build ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/promptsmith"
work=$(mktemp -d /tmp/promptsmith-fuzz.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
base="http://127.0.0.1:$port"
password="fuzz-admin-password-1"

( cd "$work" && ADMIN_PASSWORD="$password" RATE_LIMIT_PER_MINUTE=0 LOGIN_MAX_FAILURES=0 \
  exec "$binary" serve --hostname 127.0.0.1 --port "$port" >server.log 2>server.err ) &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fs "$base/health" >/dev/null 2>&1 && break
  sleep 0.1
done
token=$(curl -fs -X POST "$base/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"admin@promptsmith.local\",\"password\":\"$password\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

# logout ends the session; PATCH /me and PATCH /users/{id} can demote or disable the admin.
.venv/bin/schemathesis --config-file schemathesis.toml run "$base/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --exclude-operation-id logout --exclude-operation-id updateMe --exclude-operation-id updateUser \
  --seed 20261126 --max-examples "${FUZZ_MAX_EXAMPLES:-25}" --max-time "${FUZZ_MAX_TIME:-240}" \
  --no-color "$@"
