#!/usr/bin/env bash
# Source this file, then `start_binary [VAR=value …]`: builds the promptsmith product
# (SWIFT_BUILD_FLAGS lets test.sh reuse its coverage build), starts `serve` on a free loopback
# port in a temp folder with the given environment, and waits for /health. Sets `binary`, `work`
# (the server's folder, with server.log and server.err) and `base`; the server stops and the
# folder goes on exit. The server may contact loopback addresses only (the outbound policy's
# exclusive mode): fuzzing creates trackers from generated URLs and calls their /test.

server_pid=""
stop_binary() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n "${work:-}" ]] && rm -rf "$work"
  return 0
}

start_binary() {
  # shellcheck disable=SC2086
  swift build ${SWIFT_BUILD_FLAGS:-} --product promptsmith >/dev/null 2>&1
  binary="$(swift build ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/promptsmith"
  work=$(mktemp -d /tmp/promptsmith-serve.XXXXXX)
  trap stop_binary EXIT
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  ( cd "$work" && exec env OUTBOUND_ONLY_ALLOWED=true OUTBOUND_ALLOWED_HOSTS=127.0.0.1,::1 \
    OUTBOUND_ALLOW_HTTP=true "$@" "$binary" serve --hostname 127.0.0.1 --port "$port" \
    >server.log 2>server.err ) &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "promptsmith did not answer /health" >&2
  tail -n 20 "$work/server.err" >&2 || true
  return 1
}
