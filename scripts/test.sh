#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what is missing, starts a throwaway
# PostgreSQL, runs every test on SQLite and PostgreSQL with coverage (fails below 80% of our
# own lines), lints the formatting, validates the OpenAPI document, smoke-tests the binary, runs
# the console's browser tests (headless Chromium) and fuzzes it with schemathesis.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
source scripts/clamd.sh
trap 'stop_services; stop_output_services' EXIT

ensure_debian_packages curl python3-venv
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
# openapi-spec-validator checks the contract; mcp is the official Python MCP SDK, the second
# client of Tests/AppTests/MCP.
.venv/bin/pip install -q --disable-pip-version-check openapi-spec-validator==0.7.1 mcp==1.30.0
export REQUIRE_MCP_PYTHON=1

echo "==> validating openapi.yaml"
.venv/bin/openapi-spec-validator Sources/App/Resources/openapi.yaml

echo "==> swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests

echo "==> PostgreSQL point-in-time recovery (scripts/pitr-check.sh)"
scripts/pitr-check.sh

start_postgres
# The outputs tests scan with a real clamd and store on an S3-compatible server (moto).
start_clamd
start_moto

echo "==> swift test (SQLite and PostgreSQL) with coverage"
# Three runs, merged for coverage: the App's database tests, the pure targets' large corpora,
# and the job queue's timing tests (short leases) on their own, so that none starves another.
# Every test target of Package.swift must be in one group (checked below), and a run passes on
# swift test's exit status, not on what its log says: a crash after the summary line fails.
groups=("AppTests" "TokenizerTests|TemplatingTests|TrackersTests" "JobsTests")
bin_dir=$(swift build --enable-code-coverage --show-bin-path)
swift build --build-tests --enable-code-coverage 2>&1 | tail -n 30
all_groups=$(IFS='|'; echo "${groups[*]}")
for target in $(swift package dump-package | python3 -c \
  'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin)["targets"] if t["type"] == "test"))'); do
  if ! [[ "$target" =~ ^($all_groups)$ ]]; then
    echo "FAIL: test target $target is in no group of scripts/test.sh, so it would never run" >&2
    exit 1
  fi
done
rm -f .build/coverage-*.profdata .build/test-output.log
run=0
for filter in "${groups[@]}"; do
  run=$((run + 1))
  echo "--- $filter"
  status=0
  REQUIRE_POSTGRES_TESTS=1 swift test --skip-build --enable-code-coverage --filter "^($filter)\\." \
    >.build/test-output-$run.log 2>&1 || status=$?
  cat .build/test-output-$run.log >>.build/test-output.log
  grep -E "^✘|Test run with|Executed [0-9]+ tests" .build/test-output-$run.log | head -n 40 || true
  if ((status != 0)) || grep -qE "^✘" .build/test-output-$run.log; then
    grep -E "Expectation failed|Fatal error|error:|crashed" .build/test-output-$run.log | head -n 40 || true
    echo "FAIL: tests failed ($filter, exit status $status)" >&2
    exit 1
  fi
  cp "$bin_dir/codecov/default.profdata" ".build/coverage-$run.profdata"
done
llvm_profdata="$(dirname "$(readlink -f "$(command -v swift)")")/llvm-profdata"
"$llvm_profdata" merge -o "$bin_dir/codecov/default.profdata" .build/coverage-*.profdata

echo "==> coverage of Sources/ (tests and dependencies excluded)"
scripts/coverage.sh 80 60

echo "==> smoke test of the binary on SQLite and PostgreSQL"
export SWIFT_BUILD_FLAGS=--enable-code-coverage
scripts/smoke.sh
POSTGRES_SMOKE_DB="smoke_$$"
psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE $POSTGRES_SMOKE_DB"
DATABASE_URL="${POSTGRES_TEST_URL%/postgres}/$POSTGRES_SMOKE_DB" scripts/smoke.sh

echo "==> kill test: SIGKILL during concurrent generations loses no acknowledged one (SQLite and PostgreSQL)"
# shellcheck disable=SC2086
PROMPTSMITH_BIN="$(swift build $SWIFT_BUILD_FLAGS --show-bin-path)/promptsmith"
export PROMPTSMITH_BIN
python3 scripts/kill-test.py
POSTGRES_KILL_DB="kill_$$"
psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE $POSTGRES_KILL_DB"
DATABASE_URL="${POSTGRES_TEST_URL%/postgres}/$POSTGRES_KILL_DB" python3 scripts/kill-test.py
unset PROMPTSMITH_BIN

echo "==> browser tests of the console (headless Chromium, SQLite, fake Jira)"
scripts/browser-tests.sh

echo "==> schemathesis against the served OpenAPI document (SQLite and PostgreSQL)"
# Seeded and bounded by example counts (about a minute each): the same cases on every run.
scripts/fuzz.sh
POSTGRES_FUZZ_DB="fuzz_$$"
psql "$POSTGRES_TEST_URL" -q -c "CREATE DATABASE $POSTGRES_FUZZ_DB"
DATABASE_URL="${POSTGRES_TEST_URL%/postgres}/$POSTGRES_FUZZ_DB" scripts/fuzz.sh

echo "==> all checks passed"
