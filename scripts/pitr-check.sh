#!/usr/bin/env bash
# PostgreSQL point-in-time recovery, for real, as docs/operations.md describes it.
#
# Starts a throwaway PostgreSQL with WAL archiving (wal_level=replica, archive_mode=on, an
# archive_command copying each finished WAL segment into an archive folder), takes a
# pg_basebackup, writes data, notes the time, writes more data, forces a WAL switch and stops the
# server. It then restores the base backup into a new data folder with restore_command,
# recovery_target_time and recovery_target_action=promote, starts it and checks that exactly the
# data written before the noted time is there. Exits non-zero on any mismatch; removes everything
# it created on exit. Runs as root (CI) or as an ordinary user; takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
# ensure_debian_packages, free_port, as_postgres (runuser -u postgres when root: initdb refuses root).
source scripts/services.sh

ensure_debian_packages postgresql postgresql-client
bin=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

work=$(mktemp -d /tmp/promptsmith-pitr.XXXXXX)
chmod 755 "$work"
[[ $(id -u) -eq 0 ]] && chown postgres "$work"
primary="$work/primary"     # the server that "fails"
archive="$work/wal-archive" # where archive_command puts WAL segments (in production: other storage)
base="$work/base-backup"    # pg_basebackup's output (in production: other storage)
restored="$work/restored"   # the data folder recovered to the noted time
as_postgres mkdir -m 700 "$archive"

cleanup() {
  local status=$?
  for data in "$primary" "$restored"; do
    if [[ -f "$data/postmaster.pid" ]]; then
      as_postgres "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  if ((status != 0)); then
    echo "--- primary log" >&2
    tail -n 30 "$work/primary.log" >&2 2>/dev/null || true
    echo "--- restored log" >&2
    tail -n 30 "$work/restored.log" >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "PITR FAIL: $*" >&2
  exit 1
}

# psql on the Unix socket in $work, quiet, unaligned, no headers, stopping on the first error.
sql() {
  local port=$1
  shift
  as_postgres "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres -d postgres "$@"
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND…
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  fail "timed out after ${seconds}s waiting for $what"
}

start_server() { # start_server DATA PORT LOG
  as_postgres "$bin/pg_ctl" -D "$1" -w -t 60 -l "$3" \
    -o "-p $2 -k $work -c listen_addresses=''" start >/dev/null || fail "PostgreSQL in $1 did not start (its log follows)"
}

echo "==> PITR: primary with WAL archiving"
# --no-sync and 1 MB WAL segments (instead of 16 MB) only keep this throwaway cluster fast: the
# recipe is the same with the defaults.
as_postgres "$bin/initdb" -D "$primary" -A trust -U postgres -E UTF8 --no-sync --wal-segsize=1 >/dev/null
# The production settings, exactly as docs/operations.md lists them. The archive command refuses
# to overwrite a segment and copies under a temporary name first, so a half-copied file is never
# taken for a whole one.
as_postgres tee -a "$primary/postgresql.conf" >/dev/null <<EOF

# --- point-in-time recovery (scripts/pitr-check.sh) ---
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $archive/%f && cp %p $archive/%f.tmp && mv $archive/%f.tmp $archive/%f'
archive_timeout = 60
max_wal_senders = 4
EOF
primary_port=$(free_port)
start_server "$primary" "$primary_port" "$work/primary.log"

sql "$primary_port" -c "CREATE TABLE pitr_probe (id int PRIMARY KEY, phase text NOT NULL)" \
  -c "INSERT INTO pitr_probe VALUES (1, 'before-backup')"

echo "==> PITR: pg_basebackup"
# As docs/operations.md takes it: tar format, compressed (base.tar.gz + pg_wal.tar.gz); -X stream
# includes the WAL needed to make the copy consistent; -c fast starts at once.
as_postgres "$bin/pg_basebackup" -h "$work" -p "$primary_port" -U postgres -D "$base" \
  -F tar -z -X stream -c fast --no-password
[[ -f "$base/base.tar.gz" && -f "$base/pg_wal.tar.gz" ]] || fail "pg_basebackup wrote no base.tar.gz/pg_wal.tar.gz"

echo "==> PITR: writing data, noting the time, writing more"
sql "$primary_port" -c "INSERT INTO pitr_probe SELECT g, 'before-target' FROM generate_series(2, 100) g"
# The recovery target: a time strictly after the last commit we want to keep and strictly before
# the first we want to lose (clock_timestamp() is the wall clock, not the transaction start).
target=$(sql "$primary_port" -c "SET TimeZone = 'UTC'" -c "SELECT pg_sleep(0.2), clock_timestamp()::text" | cut -d'|' -f2)
[[ -n "$target" ]] || fail "could not read the server's clock"
sql "$primary_port" -c "SELECT pg_sleep(0.2)" >/dev/null
sql "$primary_port" -c "INSERT INTO pitr_probe SELECT g, 'after-target' FROM generate_series(101, 150) g" \
  -c "UPDATE pitr_probe SET phase = 'changed-after-target' WHERE id = 1" \
  -c "CREATE TABLE created_after_target (id int)"
[[ $(sql "$primary_port" -c "SELECT count(*) FROM pitr_probe") == 150 ]] || fail "primary has not the 150 rows"

# Close the current WAL segment so that the writes after the target are archived too (otherwise
# archive_timeout does it within a minute), and wait for the archiver to copy it.
segment=$(sql "$primary_port" -c "SELECT pg_walfile_name(pg_switch_wal())")
wait_until 30 "WAL segment $segment in the archive" test -f "$archive/$segment"
as_postgres "$bin/pg_ctl" -D "$primary" -m fast stop >/dev/null
echo "   target time $target; $(find "$archive" -type f | wc -l) files archived; primary stopped"

echo "==> PITR: restoring the base backup to the noted time"
# A new, empty data folder (owned by postgres, mode 0700) receiving the base backup.
as_postgres mkdir -m 700 "$restored"
as_postgres tar -xzf "$base/base.tar.gz" -C "$restored"
as_postgres tar -xzf "$base/pg_wal.tar.gz" -C "$restored/pg_wal"
# Recovery replays the backup's own WAL, then asks restore_command for each later segment.
as_postgres tee -a "$restored/postgresql.auto.conf" >/dev/null <<EOF

# --- recovery (scripts/pitr-check.sh) ---
restore_command = 'cp $archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
# This copy must not archive into the primary's archive (a real restore points it at a new one).
archive_mode = off
EOF
as_postgres touch "$restored/recovery.signal"
restored_port=$(free_port)
start_server "$restored" "$restored_port" "$work/restored.log"
promoted() { [[ $(sql "$restored_port" -c "SELECT pg_is_in_recovery()" 2>/dev/null) == f ]]; }
wait_until 30 "the restored server to finish recovery and promote" promoted

echo "==> PITR: checking the restored data"
[[ -f "$restored/recovery.signal" ]] && fail "recovery.signal still there: recovery did not end"
grep -q "recovery stopping before commit" "$work/restored.log" \
  || fail "the log does not show recovery stopping at the target"
rows=$(sql "$restored_port" -c "SELECT phase || ':' || count(*) FROM pitr_probe GROUP BY phase ORDER BY phase")
expected=$'before-backup:1\nbefore-target:99'
[[ "$rows" == "$expected" ]] || fail "restored rows by phase are"$'\n'"$rows"$'\n'"expected"$'\n'"$expected"
[[ $(sql "$restored_port" -c "SELECT to_regclass('created_after_target') IS NULL") == t ]] \
  || fail "a table created after the target time was restored"
timeline=$(sql "$restored_port" -c "SELECT timeline_id FROM pg_control_checkpoint()")
((timeline >= 2)) || fail "the restored server did not start a new timeline (timeline $timeline)"
# The promoted server takes writes.
sql "$restored_port" -c "INSERT INTO pitr_probe VALUES (1000, 'after-restore')"

grep -E "recovery stopping before|archive recovery complete" "$work/restored.log" | sed 's/^/   log: /'
echo "   PITR check passed: 100 rows written before $target restored, 50 rows and 1 update and 1 table after it not (timeline $timeline)"
