#!/usr/bin/env bash
# Throwaway local services for tests and benchmarks. Source this file, then call
# `start_postgres` (exports POSTGRES_TEST_URL) and `stop_services` (also run on exit).
set -euo pipefail

SERVICES_DIR=""

ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if ((${#missing[@]})); then
    echo "==> installing ${missing[*]}"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs a command as the postgres user when we are root (initdb refuses root).
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  if [[ -n "${POSTGRES_TEST_URL:-}" ]]; then
    ensure_debian_packages postgresql-client
    echo "==> PostgreSQL from POSTGRES_TEST_URL"
    return
  fi
  ensure_debian_packages postgresql postgresql-client
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  SERVICES_DIR=$(mktemp -d /tmp/promptsmith-services.XXXXXX)
  chmod 755 "$SERVICES_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres "$SERVICES_DIR"
  local port durability="-c fsync=off"
  # POSTGRES_DURABLE=1: PostgreSQL's durable defaults (benchmarks); tests run with fsync off.
  [[ ${POSTGRES_DURABLE:-0} == 1 ]] && durability=""
  # POSTGRES_OPTIONS: more server settings, e.g. "-c commit_delay=100" (benchmark A/B runs).
  durability+=" ${POSTGRES_OPTIONS:-}"
  port=$(free_port)
  as_postgres "$bin/initdb" -D "$SERVICES_DIR/data" -A trust -U postgres -E UTF8 >/dev/null
  as_postgres "$bin/pg_ctl" -D "$SERVICES_DIR/data" -w -l "$SERVICES_DIR/postgres.log" \
    -o "-p $port -k $SERVICES_DIR -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
    start >/dev/null
  export POSTGRES_TEST_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export POSTGRES_BIN="$bin"
  echo "==> PostgreSQL on 127.0.0.1:$port"
}

stop_services() {
  if [[ -n "$SERVICES_DIR" && -d "$SERVICES_DIR" ]]; then
    if [[ -f "$SERVICES_DIR/data/postmaster.pid" ]]; then
      as_postgres "$POSTGRES_BIN/pg_ctl" -D "$SERVICES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$SERVICES_DIR"
  fi
  SERVICES_DIR=""
}
