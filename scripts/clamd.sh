#!/usr/bin/env bash
# Throwaway clamd and S3 (moto) servers for the outputs tests. Source it after services.sh, then
# call `start_clamd` (exports CLAMD_TEST_URL), `start_moto` (exports S3_TEST_ENDPOINT) and
# `stop_output_services` (on exit). Run directly, it starts both and prints the variables:
#   eval "$(scripts/clamd.sh)"    # then `kill $OUTPUT_SERVICES_PIDS` when done
set -euo pipefail

OUTPUT_SERVICES_DIR=""
OUTPUT_SERVICES_PIDS=""

# The EICAR test file, whose MD5 is the one signature the throwaway clamd knows.
eicar_string() {
  printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
}

output_services_dir() {
  if [[ -z "$OUTPUT_SERVICES_DIR" ]]; then
    OUTPUT_SERVICES_DIR=$(mktemp -d /tmp/promptsmith-outputs.XXXXXX)
  fi
}

start_clamd() {
  if [[ -n "${CLAMD_TEST_URL:-}" ]]; then
    echo "==> clamd from CLAMD_TEST_URL"
    return
  fi
  # freshclam cannot reach its servers here: a one-line hash database is all clamd needs.
  ensure_debian_packages clamav-daemon clamav
  output_services_dir
  local dir="$OUTPUT_SERVICES_DIR/clamd" port
  mkdir -p "$dir/db"
  eicar_string >"$dir/eicar.txt"
  (cd "$dir" && sigtool --md5 eicar.txt >db/test.hdb)
  port=$(free_port)
  # As root (CI) clamd would switch to the clamav user, who cannot read our folder: stay root.
  local user_line=""
  [[ $(id -u) -eq 0 ]] && user_line="User root"
  cat >"$dir/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $dir/db
TCPSocket $port
TCPAddr 127.0.0.1
LogFile $dir/clamd.log
PidFile $dir/clamd.pid
$user_line
StreamMaxLength 10M
CONF
  clamd -c "$dir/clamd.conf" >"$dir/stdout.log" 2>&1 &
  OUTPUT_SERVICES_PIDS="$OUTPUT_SERVICES_PIDS $!"
  local reply=""
  for _ in $(seq 1 200); do
    reply=$(python3 - "$port" <<'PY' 2>/dev/null || true
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"zPING\0")
    print(s.recv(16).rstrip(b"\0").decode())
PY
)
    [[ "$reply" == "PONG" ]] && break
    sleep 0.1
  done
  if [[ "$reply" != "PONG" ]]; then
    echo "clamd did not start:" >&2
    cat "$dir/stdout.log" >&2 || true
    return 1
  fi
  export CLAMD_TEST_URL="tcp://127.0.0.1:$port"
  echo "==> clamd on 127.0.0.1:$port"
}

start_moto() {
  if [[ -n "${S3_TEST_ENDPOINT:-}" ]]; then
    echo "==> S3 from S3_TEST_ENDPOINT"
    return
  fi
  if [[ ! -x .venv/bin/moto_server ]]; then
    [[ -x .venv/bin/python ]] || python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check 'moto[server]==5.2.5'
  fi
  output_services_dir
  local port
  port=$(free_port)
  .venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$OUTPUT_SERVICES_DIR/moto.log" 2>&1 &
  OUTPUT_SERVICES_PIDS="$OUTPUT_SERVICES_PIDS $!"
  for _ in $(seq 1 200); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if ! curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; then
    echo "moto_server did not start:" >&2
    cat "$OUTPUT_SERVICES_DIR/moto.log" >&2 || true
    return 1
  fi
  export S3_TEST_ENDPOINT="http://127.0.0.1:$port"
  echo "==> S3 (moto) on 127.0.0.1:$port"
}

stop_output_services() {
  local pid
  for pid in $OUTPUT_SERVICES_PIDS; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $OUTPUT_SERVICES_PIDS; do
    wait "$pid" 2>/dev/null || true
  done
  OUTPUT_SERVICES_PIDS=""
  if [[ -n "$OUTPUT_SERVICES_DIR" ]]; then
    rm -rf "$OUTPUT_SERVICES_DIR"
  fi
  OUTPUT_SERVICES_DIR=""
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cd "$(dirname "$0")/.."
  source scripts/services.sh
  start_clamd >&2
  start_moto >&2
  echo "export CLAMD_TEST_URL=$CLAMD_TEST_URL S3_TEST_ENDPOINT=$S3_TEST_ENDPOINT"
  echo "OUTPUT_SERVICES_PIDS='$OUTPUT_SERVICES_PIDS'"
  echo "OUTPUT_SERVICES_DIR='$OUTPUT_SERVICES_DIR'"
fi
